/// Where a notice campaign is. `ready` until someone starts it; workers only claim rows of a `running` campaign;
/// it becomes `completed` by itself when no row is left that is not final.
public enum NoticeCampaignState: String, Sendable, CaseIterable, Codable {
    case ready
    case running
    case paused
    case cancelled
    case completed

    /// The moves people (start, pause, resume, cancel), the error threshold (auto-pause), the workers (complete)
    /// and "retry failed" (a completed campaign runs again) may make.
    public func canMove(to next: NoticeCampaignState) -> Bool {
        switch (self, next) {
        case (.ready, .running), (.running, .paused), (.paused, .running), (.running, .completed): true
        case (.ready, .cancelled), (.running, .cancelled), (.paused, .cancelled): true
        case (.completed, .running), (.paused, .completed): true
        default: false
        }
    }

    /// The state's name in `language`, as the console and the timeline say it.
    public func name(_ language: Language) -> String {
        switch self {
        case .ready: language.l("ready", "valmis")
        case .running: language.l("sending", "lähettää")
        case .paused: language.l("paused", "keskeytetty")
        case .cancelled: language.l("cancelled", "peruttu")
        case .completed: language.l("completed", "valmistunut")
        }
    }
}

/// Who a campaign reaches: everyone exposed in its scope version, or (a follow-up of an earlier campaign) only the
/// customers that campaign's chain did not include (`added`), or those whose exposed categories now include one
/// that chain did not tell them about (`widened`).
public enum NoticeAudience: String, Sendable, CaseIterable, Codable {
    case all
    case added
    case widened

    public func name(_ language: Language) -> String {
        switch self {
        case .all: language.l("everyone affected", "kaikki asianosaiset")
        case .added: language.l("newly affected", "uudet asianosaiset")
        case .widened: language.l("more data exposed", "laajentunut altistus")
        }
    }
}
