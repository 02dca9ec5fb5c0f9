import Hummingbird
import KilpiCore
import KilpiStore

/// The support inbox in the console (see `Routes.supportStaff`).
struct SupportInboxController {
    let services: AppServices

    func register(_ routes: RouteRegistry) {}
}
