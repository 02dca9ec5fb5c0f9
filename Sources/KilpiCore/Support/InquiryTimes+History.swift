import Foundation

extension InquiryTimes {
    /// The times of an inquiry from its status history (the `InquiryStatusChange` rows: each move's new status and
    /// when), so the store and the web layer need not work out pauses themselves.
    ///
    /// Each stretch spent `waitingForCustomer` is a pause. So is each stretch spent `resolved` that a reopening
    /// ended: the resolution target counts only time the question was open, and is judged at the last resolution.
    /// `resolvedAt` is that last move to resolved, nil unless the inquiry is resolved now; a wait still going on is
    /// a pause without an end. Moves are taken in time order; before the first the inquiry is `new`.
    public init(createdAt: Date, firstResponseAt: Date?, moves: [(to: InquiryStatus, at: Date)]) {
        let ordered = moves.enumerated()
            .sorted { ($0.element.at, $0.offset) < ($1.element.at, $1.offset) }
            .map(\.element)
        var pauses: [SLAPause] = []
        var status = InquiryStatus.new
        var since = createdAt
        for move in ordered {
            if status == .waitingForCustomer || status == .resolved {
                pauses.append(SLAPause(start: since, end: move.at))
            }
            status = move.to
            since = move.at
        }
        if status == .waitingForCustomer { pauses.append(SLAPause(start: since, end: nil)) }
        self.init(
            createdAt: createdAt,
            firstResponseAt: firstResponseAt,
            resolvedAt: status == .resolved ? since : nil,
            pauses: pauses
        )
    }
}
