import Foundation
import Logging
import ServiceLifecycle

/// The delivery engine as a `Service` of `kilpi serve`: it drains every running campaign until the server shuts
/// down, and on shutdown stops claiming; rows it had claimed come back to the queue when their lease runs out.
public struct DeliveryWorker: Service {
    let engine: DeliveryEngine

    public init(engine: DeliveryEngine) { self.engine = engine }

    public func run() async throws {
        try await cancelWhenGracefulShutdown {
            try await engine.run()
        }
    }
}
