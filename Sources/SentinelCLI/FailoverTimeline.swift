// FailoverTimeline.swift — picks the events `sentinel status` shows under
// "Last failover".
//
// The window:
//   1. The anchor is the most recent "+try-failover" or "+switch-master".
//      The leader logs both for one failover (try first); every other
//      sentinel only logs "+switch-master".
//   2. If the anchor is a "+switch-master", and a "+try-failover" appears
//      after the previous "+switch-master", that try starts the same failover
//      and becomes the anchor.
//   3. From the anchor we walk back over the lead-in of the failover: the
//      master's "+sdown", "+odown", "+new-epoch", "+vote-for-leader" (an
//      observer votes before it sees ODOWN itself), Vigil's "-failover-delay"
//      (an observer that voted waits for the leader) and, for an observer,
//      "+config-update-from" (it learns the outcome from the leader's hello).
//   4. The window runs from there to the newest event, so the replicas
//      reattaching after "+switch-master" are shown too.
//   5. With no anchor, the window is the last `recentLimit` events.
//
// Invariant: pure; the events are oldest first and the window keeps that order.

/// The events chosen for display and why.
struct FailoverTimeline: Equatable, Sendable {
    /// What the window represents.
    enum Kind: Equatable, Sendable {
        /// Events from the most recent failover on.
        case lastFailover
        /// No failover recorded: the most recent events.
        case recent
    }

    /// What the window represents.
    var kind: Kind
    /// The events, oldest first (never empty).
    var events: [SentinelEventRecord]

    /// How many events a window without a failover shows.
    static let recentLimit = 20

    /// Event names that lead into a failover (rule 3).
    private static let leadIn: Set<String> = [
        "+sdown", "+odown", "+new-epoch", "+vote-for-leader", "-failover-delay", "+config-update-from",
    ]

    /// The window over `events` (oldest first), or nil when there are none.
    init?(events: [SentinelEventRecord]) {
        guard !events.isEmpty else { return nil }
        guard var anchor = events.lastIndex(where: { $0.name == "+try-failover" || $0.name == "+switch-master" }) else {
            kind = .recent
            self.events = Array(events.suffix(Self.recentLimit))
            return
        }
        if events[anchor].name == "+switch-master" {
            let previousSwitch = events[..<anchor].lastIndex { $0.name == "+switch-master" } ?? -1
            if let tryIndex = events[(previousSwitch + 1)..<anchor].lastIndex(where: { $0.name == "+try-failover" }) {
                anchor = tryIndex
            }
        }
        var start = anchor
        while start > 0, Self.isLeadIn(events[start - 1]) { start -= 1 }
        kind = .lastFailover
        self.events = Array(events[start...])
    }

    private static func isLeadIn(_ event: SentinelEventRecord) -> Bool {
        guard leadIn.contains(event.name) else { return false }
        // "+sdown" also reports replicas and sentinels; only the master's counts.
        return event.name != "+sdown" || event.payload.hasPrefix("master ")
    }
}

/// "+1.234s": `ms` after the first event, with millisecond precision.
func relativeTime(ms: Int64) -> String {
    let sign = ms < 0 ? "-" : "+"
    let magnitude = ms.magnitude
    let fraction = String(magnitude % 1000)
    return "\(sign)\(magnitude / 1000).\(String(repeating: "0", count: 3 - fraction.count))\(fraction)s"
}
