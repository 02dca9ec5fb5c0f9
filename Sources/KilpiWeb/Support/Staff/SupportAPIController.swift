import Hummingbird
import KilpiCore
import KilpiStore

/// The inquiries API under `/api/v1/inquiries` (see `Routes.supportStaff`).
struct SupportAPIController {
    let services: AppServices

    func register(_ routes: RouteRegistry) {}
}
