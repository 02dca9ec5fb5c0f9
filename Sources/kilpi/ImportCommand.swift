import ArgumentParser
import Foundation
import KilpiCore
import KilpiStore

extension DataMapImporter.Kind: ExpressibleByArgument {}

struct ImportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Import systems, customers or holdings from a CSV file (one transaction: all rows or none).",
        discussion: """
            systems:   name,kind,owner,location,encrypted_at_rest[,key_location]
            customers: external_id,name,email,phone,language,country,region[,address,national_id]
            holdings:  external_id,system,category,held_from,held_until   (dates YYYY-MM-DD; empty held_until = still held)
            Columns may come in any order; re-importing the same file changes nothing.
            """
    )

    @Argument(help: "What the file holds: systems, customers or holdings.") var kind: DataMapImporter.Kind
    @Argument(help: "The CSV file (UTF-8, header row).") var file: String
    @OptionGroup var db: DatabaseOptions

    func run() async throws {
        try await CLI.run {
            let started = Date()
            let bar = ProgressBar(label: "importing \(kind.rawValue)")
            let report = try await db.withStore { store in
                try await DataMapService(store: store).importFile(kind, path: file, by: .cli) { progress in
                    bar.show(done: progress.bytesRead, total: progress.totalBytes, suffix: "\(progress.rows) rows")
                }
            }
            bar.finish()
            let seconds = Date().timeIntervalSince(started)
            CLI.say(
                "Imported \(report.rows) \(kind.rawValue) rows in \(String(format: "%.1f", seconds)) s: \(report.counts.inserted) new, \(report.counts.updated) changed, \(report.counts.unchanged) unchanged."
            )
        }
    }
}

/// A one-line progress bar on stderr, drawn only when stderr is a terminal.
final class ProgressBar: @unchecked Sendable {
    private let label: String
    private let enabled = isatty(STDERR_FILENO) == 1
    private let lock = NSLock()

    init(label: String) { self.label = label }

    func show(done: Int64, total: Int64, suffix: String) {
        guard enabled else { return }
        let fraction = total > 0 ? min(1, Double(done) / Double(total)) : 0
        let width = 30
        let filled = Int(fraction * Double(width))
        let line =
            "\r\(label) [\(String(repeating: "#", count: filled))\(String(repeating: ".", count: width - filled))] \(Int(fraction * 100))% \(suffix)   "
        lock.withLock { FileHandle.standardError.write(Data(line.utf8)) }
    }

    func finish() {
        guard enabled else { return }
        FileHandle.standardError.write(Data("\n".utf8))
    }
}
