import Foundation
import Synchronization

/// Foundation's `Process.run()` on Linux is not safe to call from two threads at once: the suite crashed in a
/// memmove inside it while two tests started processes together. Every test starts its processes through here,
/// one launch at a time (the processes themselves still run side by side).
extension Process {
    public func runOneAtATime() throws {
        try processLaunch.withLock { _ in try self.run() }
    }
}

private let processLaunch = Mutex<Void>(())
