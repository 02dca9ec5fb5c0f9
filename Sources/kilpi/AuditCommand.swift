import ArgumentParser
import Foundation
import KilpiCore
import KilpiStore

struct AuditCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "audit",
        abstract: "Work with the audit log.",
        subcommands: [Verify.self]
    )

    struct Verify: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract:
                "Walk the whole keyed chain. Exit 0 when intact; otherwise name the first bad entry and exit 1.",
            discussion:
                "Prints the head (id and hash) to keep outside the database: a later verify that no longer reaches it means entries were cut off the end or rewritten. With --anchor FILE the head is appended to FILE as \"<time> <id> <hash>\", after checking that every head anchored there before is still in the chain."
        )
        @OptionGroup var db: DatabaseOptions
        @Option(
            help: ArgumentHelp(
                "A file outside the database: check the heads anchored in it, then append this head (only when all is intact).",
                valueName: "file"
            )
        )
        var anchor: String?

        func run() async throws {
            try await CLI.run {
                let anchors = try anchor.map { try AnchorFile.read($0) } ?? []
                let (result, problems) = try await db.withStore { store in
                    let result = try await store.audit.verify()
                    var problems: [String] = []
                    if result.isIntact {
                        for line in anchors {
                            if let problem = try await line.problem(in: store.audit, head: result) {
                                problems.append(problem)
                            }
                        }
                    }
                    return (result, problems)
                }
                if let problem = result.problem {
                    CLI.say("Audit chain BROKEN after \(result.checked) good entries: \(problem).")
                    CLI.say("Last good entry: \(result.headID) \(result.headHash)")
                    throw ExitCode.failure
                }
                CLI.say("Audit chain intact: \(result.checked) entries.")
                CLI.say("Head: entry \(result.headID), hash \(result.headHash)")
                guard let anchor else {
                    CLI.say(
                        "Keep the head elsewhere (or use --anchor FILE): a later verify that no longer reaches it means entries were cut off the end or rewritten."
                    )
                    return
                }
                if !problems.isEmpty {
                    for problem in problems { CLI.say("Anchor \(anchor) \(problem)") }
                    CLI.say("The audit log no longer holds what was anchored: it was truncated or rewritten.")
                    throw ExitCode.failure
                }
                let line = try AnchorFile.append(anchor, id: result.headID, hash: result.headHash, at: Date())
                CLI.say(
                    "\(anchors.count) earlier anchor\(anchors.count == 1 ? "" : "s") in \(anchor) still in the chain; appended: \(line)"
                )
            }
        }
    }
}

/// The anchor file of `kilpi audit verify --anchor`: one head a line, `<ISO 8601 time> <entry id> <hash>`, kept
/// outside the database (another disk, host or medium), so a database writer who truncates or rewrites the log
/// cannot also change what was anchored.
enum AnchorFile {
    struct Line: Sendable {
        let number: Int
        let time: String
        let id: Int64
        let hash: String

        /// Why this anchor is no longer in the chain whose walk ended at `head`; nil when it is.
        func problem(in log: any AuditLog, head: AuditVerification) async throws -> String? {
            let place = "line \(number) (\(time), entry \(id))"
            if id == 0 {
                return hash == AuditChain.genesis ? nil : "\(place): entry 0 must have the genesis hash"
            }
            guard id <= head.headID else {
                return "\(place): the log now ends at entry \(head.headID), before the anchored entry (truncated)"
            }
            let entry = try await log.entries(AuditFilter(beforeID: id + 1, limit: 1)).first
            guard let entry, entry.id == id else {
                return "\(place): the anchored entry is missing"
            }
            guard entry.hash == hash else {
                return "\(place): the entry's hash is now \(entry.hash), not the anchored \(hash) (rewritten)"
            }
            return nil
        }
    }

    struct Malformed: Error, CustomStringConvertible {
        let description: String
    }

    /// The anchors in `path`; none when the file does not exist yet.
    static func read(_ path: String) throws -> [Line] {
        guard FileManager.default.fileExists(atPath: path) else { return [] }
        let text: String
        do {
            text = try String(contentsOfFile: path, encoding: .utf8)
        } catch {
            throw Malformed(description: "cannot read anchor file \(path): \(error.localizedDescription)")
        }
        var lines: [Line] = []
        for (offset, raw) in text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline).enumerated() {
            let content = raw.prefix { $0 != "#" }
            let fields = content.split(whereSeparator: \.isWhitespace)
            if fields.isEmpty { continue }
            guard fields.count == 3, let id = Int64(fields[1]), id >= 0, fields[2].count == 64,
                fields[2].allSatisfy({ $0.isHexDigit && !$0.isUppercase })
            else {
                throw Malformed(
                    description:
                        "anchor file \(path) line \(offset + 1): expected \"<time> <entry id> <64 hex digits>\""
                )
            }
            lines.append(Line(number: offset + 1, time: String(fields[0]), id: id, hash: String(fields[2])))
        }
        return lines
    }

    /// Appends one anchor line and flushes it to disk; returns the line.
    static func append(_ path: String, id: Int64, hash: String, at time: Date) throws -> String {
        let format = ISO8601DateFormatter()
        format.formatOptions = [.withInternetDateTime]
        let line = "\(format.string(from: time)) \(id) \(hash)"
        if !FileManager.default.fileExists(atPath: path) {
            guard FileManager.default.createFile(atPath: path, contents: nil) else {
                throw Malformed(description: "cannot create anchor file \(path)")
            }
        }
        do {
            let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
            defer { try? handle.close() }
            let end = try handle.seekToEnd()
            // A last line someone saved without its newline must not run into this one.
            var separator = ""
            if end > 0 {
                try handle.seek(toOffset: end - 1)
                let lastByte = try FileHandle(forReadingFrom: URL(fileURLWithPath: path)).readToEnd()?.last
                separator = lastByte == UInt8(ascii: "\n") ? "" : "\n"
                try handle.seekToEnd()
            }
            try handle.write(contentsOf: Data((separator + line + "\n").utf8))
            try handle.synchronize()
        } catch {
            throw Malformed(description: "cannot append to anchor file \(path): \(error.localizedDescription)")
        }
        return line
    }
}
