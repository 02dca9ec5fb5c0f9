import Foundation
import KilpiCore
import KilpiStore
import Synchronization

/// A campaign's state and counts as `notices list`/`status` print them (`--json` prints this shape).
struct CampaignStatusJSON: Codable {
    var id: Int64
    var incidentID: Int64
    var scopeVersionID: Int64
    var audience: String
    var followUpOf: Int64?
    var state: String
    var recipients: Int
    var counts: [String: Int]
    var englishFallback: Int
    var remaining: Int
    var ratePerSecond: Double
    var estimatedSecondsLeft: Double?
    var timeToNotify: TimeToNotifyJSON?

    struct TimeToNotifyJSON: Codable {
        var sent: Int
        var p50Seconds: Double?
        var p90Seconds: Double?
        var maxSeconds: Double?
    }

    init(_ campaign: NoticeCampaign, _ progress: CampaignProgress, _ time: TimeToNotify?) {
        id = campaign.id
        incidentID = campaign.incidentID
        scopeVersionID = campaign.scopeVersionID
        audience = campaign.audience.rawValue
        followUpOf = campaign.followUpOf
        state = progress.state.rawValue
        recipients = progress.total
        counts = Dictionary(uniqueKeysWithValues: OutboxState.allCases.map { ($0.rawValue, progress.counts[$0] ?? 0) })
        englishFallback = progress.englishFallback
        remaining = progress.remaining
        ratePerSecond = progress.recentRate
        estimatedSecondsLeft = progress.estimatedSecondsLeft
        timeToNotify = time.map {
            TimeToNotifyJSON(sent: $0.count, p50Seconds: $0.p50, p90Seconds: $0.p90, maxSeconds: $0.max)
        }
    }

    static func encode(_ value: some Encodable) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        return String(decoding: try encoder.encode(value), as: UTF8.self)
    }

    var line: String {
        let shown = OutboxState.allCases.compactMap { state in
            counts[state.rawValue].flatMap { $0 > 0 ? "\(state.rawValue) \($0)" : nil }
        }
        return "campaign \(id)  incident \(incidentID)  \(state)  \(recipients) recipients  "
            + shown.joined(separator: ", ")
    }

    var details: String {
        var lines = [line]
        if englishFallback > 0 {
            lines.append("  \(englishFallback) get the English notice (no approved template in their language)")
        }
        if remaining > 0 {
            lines.append("  \(remaining) still to go at \(String(format: "%.1f", ratePerSecond)) notices/s")
        }
        if let time = timeToNotify, time.sent > 0 {
            lines.append(
                "  time to notify: p50 \(Self.duration(time.p50Seconds)), p90 \(Self.duration(time.p90Seconds)), max \(Self.duration(time.maxSeconds)) over \(time.sent) sent"
            )
        }
        return lines.joined(separator: "\n")
    }

    static func duration(_ seconds: Double?) -> String {
        guard let seconds else { return "-" }
        if seconds < 120 { return String(format: "%.0f s", seconds) }
        if seconds < 7200 { return String(format: "%.0f min", seconds / 60) }
        return String(format: "%.1f h", seconds / 3600)
    }
}

/// `notices send`'s progress: a bar with rate and ETA redrawn on a terminal, plain lines (every 10 s) otherwise.
final class ProgressPrinter: Sendable {
    let campaign: Int64
    let isTerminal = isatty(STDERR_FILENO) == 1
    private let lastLine = Mutex<Date>(.distantPast)

    init(campaign: Int64) { self.campaign = campaign }

    func show(_ progress: CampaignProgress) {
        let done = progress.total - progress.remaining
        let rate = String(format: "%.0f/s", progress.recentRate)
        let eta = progress.estimatedSecondsLeft.map { "ETA \(CampaignStatusJSON.duration($0))" } ?? ""
        if isTerminal {
            let width = 30
            let filled = progress.total == 0 ? width : width * done / progress.total
            let bar = String(repeating: "#", count: filled) + String(repeating: "-", count: width - filled)
            write("\r[\(bar)] \(done)/\(progress.total)  \(rate)  \(eta)   ")
        } else {
            let now = Date()
            let due = lastLine.withLock { last in
                guard now.timeIntervalSince(last) >= 10 else { return false }
                last = now
                return true
            }
            if due { write("campaign \(campaign): \(done)/\(progress.total) final, \(rate) \(eta)\n") }
        }
    }

    func finish(_ progress: CampaignProgress, _ time: TimeToNotify) {
        if isTerminal { write("\n") }
        let counts = OutboxState.allCases.compactMap { state in
            (progress.counts[state] ?? 0) > 0 ? "\(state.rawValue) \(progress.counts[state] ?? 0)" : nil
        }
        CLI.say("campaign \(campaign) done: " + counts.joined(separator: ", "))
        if time.count > 0 {
            CLI.say(
                "time to notify: p50 \(CampaignStatusJSON.duration(time.p50)), p90 \(CampaignStatusJSON.duration(time.p90)), max \(CampaignStatusJSON.duration(time.max))"
            )
        }
    }

    private func write(_ text: String) { FileHandle.standardError.write(Data(text.utf8)) }
}
