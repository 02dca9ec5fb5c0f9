import Foundation
import KilpiCore
import KilpiStore

/// Console pages that analyse an incident: what they share. Each page is an extension in its own file: scope and
/// exposure (`IncidentAnalysisViews+Scope`), affected customers (`+Exposure`), impact (`+Impact`), review (`+Review`).
enum IncidentAnalysisViews {
    static func number(_ value: Double) -> String {
        let formatter = NumberFormatter()
        formatter.numberStyle = .decimal
        formatter.maximumFractionDigits = value < 10 ? 2 : 0
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.groupingSeparator = " "
        formatter.usesGroupingSeparator = true
        return formatter.string(from: NSNumber(value: value)) ?? String(value)
    }
}
