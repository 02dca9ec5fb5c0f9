import Hummingbird
import KilpiCore
import KilpiStore

/// The customers' support pages (see `Routes.supportCustomer`).
struct SupportCustomerController {
    let services: AppServices

    func register(_ routes: RouteRegistry) {}
}
