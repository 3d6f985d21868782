// DrillReport.swift — one drill's result, ready to render as a table, JSON or
// SVG: the timeline relative to the fault, the write statistics, the final
// state and the checks. Built from Observations by `DrillReport.init(_:)`.
//
// Invariants: pure; every time here is nanoseconds relative to the first
// fault (negative = before it); the timeline is sorted by time (stable, so
// entries recorded together keep their order).

/// One line of the timeline.
public struct TimelineEntry: Equatable, Sendable {
    /// What produced the entry (decides how it is drawn).
    public enum Kind: String, Sendable {
        case fault, step, recovery, sentinel, writer
    }

    /// Nanoseconds relative to the fault.
    public var time: Int64
    /// Its kind.
    public var kind: Kind
    /// Who: "drill", "s1 s2 s3", "writer".
    public var source: String
    /// What happened.
    public var text: String

    /// Creates an entry.
    public init(time: Int64, kind: Kind, source: String, text: String) {
        self.time = time
        self.kind = kind
        self.source = source
        self.text = text
    }
}

/// A fault and the write-unavailability window around it.
public struct FaultSummary: Equatable, Sendable {
    /// Short label ("SIGKILL master").
    public var label: String
    /// Relative time of the fault (0 for the first).
    public var time: Int64
    /// Relative time convergence was seen again (nil: never).
    public var settled: Int64?
    /// The longest silence overlapping [fault, settled] (relative times).
    public var unavailability: WriteGap?

    /// Creates a summary.
    public init(label: String, time: Int64, settled: Int64?, unavailability: WriteGap?) {
        self.label = label
        self.time = time
        self.settled = settled
        self.unavailability = unavailability
    }
}

/// The result of one drill.
public struct DrillReport: Equatable, Sendable {
    /// The scenario.
    public var scenario: Scenario
    /// Vigil or Redis.
    public var backend: Backend
    /// scripts/cluster's cluster or the drill's own.
    public var attached: Bool
    /// Where the cluster's files are.
    public var clusterDirectory: String
    /// down-after-milliseconds (0 when attached: the cluster's own).
    public var downAfterMilliseconds: Int
    /// failover-timeout (0 when attached).
    public var failoverTimeoutMilliseconds: Int
    /// The master at the start.
    public var originalMaster: NodeAddress
    /// Short names of the sentinels ("s1" …), in port order.
    public var sentinelLabels: [(label: String, address: NodeAddress)]
    /// The timeline.
    public var timeline: [TimelineEntry]
    /// Each fault with its unavailability window.
    public var faults: [FaultSummary]
    /// The writer's acknowledged writes.
    public var acknowledged: Int
    /// The writer's failed attempts, by reason.
    public var failures: [String: Int]
    /// The split-brain writer's acknowledged writes (pause-master).
    public var splitBrainAcknowledged: Int?
    /// How many of those the old master acknowledged after it resumed (the split brain proper).
    public var splitBrainAcknowledgedAfterResume: Int?
    /// The writer's writes looked up on the final master.
    public var lost: LostWrites
    /// The split-brain writer's writes looked up on the final master.
    public var splitBrainLost: LostWrites?
    /// Key prefixes, for naming lost keys.
    public var keyPrefix: String
    /// The split-brain writer's key prefix.
    public var splitBrainKeyPrefix: String?
    /// The master the sentinels name at the end, if they agree.
    public var finalMaster: NodeAddress?
    /// Whether the cluster converged.
    public var converged: Bool
    /// Each node's final state.
    public var nodes: [NodeObservation]
    /// Each sentinel's final answer.
    public var sentinels: [SentinelObservation]
    /// What became of the original master.
    public var oldMasterFate: String
    /// kill-replica: the resync, in words.
    public var resync: String?
    /// The checks.
    public var checks: [Check]
    /// Acks per 100 ms (relative buckets), for the SVG.
    public var buckets: WriteBuckets
    /// The split-brain writer's acks per 100 ms.
    public var splitBrainBuckets: WriteBuckets?
    /// Of the writer's acks per 100 ms, those missing on the final master.
    public var lostBuckets: WriteBuckets
    /// Of the split-brain writer's acks per 100 ms, those missing on the final master.
    public var splitBrainLostBuckets: WriteBuckets?
    /// The time span the SVG shows (relative).
    public var span: ClosedRange<Int64>
    /// Where the SVG was written (set by the runner).
    public var svgPath: String?

    /// True when no required check failed.
    public var passed: Bool { !checks.contains { $0.outcome == .fail } }

    public static func == (a: DrillReport, b: DrillReport) -> Bool {
        a.scenario == b.scenario && a.backend == b.backend && a.timeline == b.timeline && a.checks == b.checks
            && a.faults == b.faults && a.nodes == b.nodes && a.buckets == b.buckets && a.lostBuckets == b.lostBuckets && a.svgPath == b.svgPath
    }
}

extension DrillReport {
    /// Computes the report of a run.
    public init(_ o: Observations) {
        let origin = o.faults.first?.time ?? o.writer.acks.first?.time ?? 0
        func rel(_ t: Int64) -> Int64 { t - origin }
        let labels = Dictionary(uniqueKeysWithValues: o.layout.sentinels.enumerated().map { ($1, "s\($0 + 1)") })

        var timeline: [TimelineEntry] = []
        for action in o.actions {
            let kind: TimelineEntry.Kind = switch action.kind {
            case .fault: .fault
            case .step: .step
            case .recovery: .recovery
            }
            timeline.append(TimelineEntry(time: rel(action.time), kind: kind, source: "drill", text: action.text))
        }
        for group in collapseEvents(o.events) {
            let sources = group.sentinels.map { labels[$0] ?? $0.description }.sorted().joined(separator: " ")
            timeline.append(TimelineEntry(time: rel(group.time), kind: .sentinel, source: sources, text: "\(group.channel) \(group.message)"))
        }
        let writerName = o.writer.name
        for (index, change) in o.writer.switches.enumerated() {
            let text = index == 0 ? "writes to \(change.node) (found via the sentinels)" : "switches to \(change.node) (found via the sentinels)"
            timeline.append(TimelineEntry(time: rel(change.time), kind: .writer, source: writerName, text: text))
        }
        var splitBrainAfterResume: Int?
        var faults: [FaultSummary] = []
        for fault in o.faults {
            let gap = unavailabilityWindow(acks: o.writer.acks, faultTime: fault.time, settled: fault.settled, writerStopped: o.writer.stoppedAt)
            var relative = gap
            if let g = gap {
                relative = WriteGap(before: g.before, after: g.after, start: rel(g.start), end: rel(g.end))
                if let before = g.before {
                    timeline.append(TimelineEntry(time: rel(before.time), kind: .writer, source: writerName,
                                                  text: "last ack before the gap: \(o.writer.keyPrefix)\(before.seq) on \(before.node)"))
                }
                if let after = g.after {
                    timeline.append(TimelineEntry(time: rel(after.time), kind: .writer, source: writerName,
                                                  text: "first ack after the gap (\(formatDuration(g.duration)) s): \(o.writer.keyPrefix)\(after.seq) on \(after.node)"))
                } else {
                    timeline.append(TimelineEntry(time: rel(g.end), kind: .writer, source: writerName, text: "no write acknowledged after the fault"))
                }
            }
            faults.append(FaultSummary(label: fault.label, time: rel(fault.time), settled: fault.settled.map(rel), unavailability: relative))
        }
        if let split = o.splitBrainWriter, let fault = o.faults.first {
            let resumed = o.actions.first { $0.kind == .recovery && $0.time > fault.time }?.time ?? fault.time
            let after = split.acks.filter { $0.time > resumed }
            if let first = after.first, let last = after.last {
                timeline.append(TimelineEntry(time: rel(first.time), kind: .writer, source: split.name,
                                              text: "the old master acknowledges again: \(split.keyPrefix)\(first.seq) on \(first.node)"))
                timeline.append(TimelineEntry(time: rel(last.time), kind: .writer, source: split.name,
                                              text: "last ack by the old master: \(split.keyPrefix)\(last.seq) (\(after.count) acks after it resumed)"))
            } else {
                timeline.append(TimelineEntry(time: rel(resumed), kind: .writer, source: split.name,
                                              text: "the old master acknowledged no write after it resumed"))
            }
            splitBrainAfterResume = after.count
        }
        timeline = timeline.enumerated().sorted { ($0.element.time, $0.offset) < ($1.element.time, $1.offset) }.map(\.element)

        let allTimes = o.writer.acks.map(\.time) + (o.splitBrainWriter?.acks.map(\.time) ?? []) + o.actions.map(\.time)
        let low = rel(allTimes.min() ?? origin)
        let high = max(rel(allTimes.max() ?? origin), rel(o.writer.stoppedAt), low)
        let span = low...high

        self.init(
            scenario: o.scenario, backend: o.backend, attached: o.attached, clusterDirectory: o.layout.directory,
            downAfterMilliseconds: o.layout.downAfterMilliseconds, failoverTimeoutMilliseconds: o.layout.failoverTimeoutMilliseconds,
            originalMaster: o.originalMaster,
            sentinelLabels: o.layout.sentinels.enumerated().map { ("s\($0 + 1)", $1) },
            timeline: timeline, faults: faults,
            acknowledged: o.writer.acks.count, failures: o.writer.failures,
            splitBrainAcknowledged: o.splitBrainWriter?.acks.count,
            splitBrainAcknowledgedAfterResume: splitBrainAfterResume,
            lost: o.lost, splitBrainLost: o.splitBrainLost,
            keyPrefix: o.writer.keyPrefix, splitBrainKeyPrefix: o.splitBrainWriter?.keyPrefix,
            finalMaster: o.final.sentinelMaster, converged: o.final.convergedMaster != nil,
            nodes: o.final.nodes,
            sentinels: o.final.sentinels,
            oldMasterFate: fate(of: o),
            resync: o.resync.map(describe),
            checks: evaluateChecks(o),
            buckets: WriteBuckets(times: o.writer.acks.map(\.time), origin: origin, covering: span),
            splitBrainBuckets: o.splitBrainWriter.map { WriteBuckets(times: $0.acks.map(\.time), origin: origin, covering: span) },
            lostBuckets: WriteBuckets(times: lostTimes(o.writer.acks, o.lost), origin: origin, covering: span),
            splitBrainLostBuckets: o.splitBrainWriter.map {
                WriteBuckets(times: lostTimes($0.acks, o.splitBrainLost ?? LostWrites(checked: 0, lost: [])), origin: origin, covering: span)
            },
            span: span, svgPath: nil)
    }
}

/// The times of the acks whose key was found missing.
func lostTimes(_ acks: [Ack], _ lost: LostWrites) -> [Int64] {
    guard !lost.lost.isEmpty else { return [] }
    let missing = Set(lost.lost)
    return acks.filter { missing.contains($0.seq) }.map(\.time)
}

/// A node's state in words ("master, 2 replicas connected", "replica of …, link up").
public func describe(_ node: NodeObservation) -> String {
    guard node.alive else { return "not running" }
    switch node.role {
    case nil: return "no answer (\(node.error ?? "?"))"
    case .master(let replicas): return "master, \(replicas) replica\(replicas == 1 ? "" : "s") connected"
    case .replica(let of, let up): return "replica of \(of), link \(up ? "up" : "down")"
    }
}

/// The resync in words.
func describe(_ resync: ResyncObservation) -> String {
    let kind: String
    switch (resync.fullSyncs, resync.partialSyncs) {
    case (0, 0): kind = "no resync seen on the master"
    case (0, _): kind = "partial resync (sync_partial_ok +\(resync.partialSyncs))"
    case (_, 0): kind = "full resync (sync_full +\(resync.fullSyncs))"
    default: kind = "sync_full +\(resync.fullSyncs), sync_partial_ok +\(resync.partialSyncs)"
    }
    guard !resync.logLines.isEmpty else { return kind }
    return "\(kind); replica log: " + resync.logLines.prefix(3).joined(separator: " / ")
}

/// What became of the original master: its history, then its state now.
func fate(of o: Observations) -> String {
    let now: String
    if let node = o.final.nodes.first(where: { $0.address == o.originalMaster }) {
        switch (node.alive, node.role) {
        case (false, _): now = "not running"
        case (true, nil): now = "not answering"
        case (true, .master):
            now = o.final.sentinelMaster == o.originalMaster ? "the master" : "still a master (split brain: the sentinels name \(o.final.sentinelMaster.map(String.init(describing:)) ?? "another node"))"
        case (true, .replica(let of, let up)): now = "a replica of \(of) (link \(up ? "up" : "down"))"
        }
    } else {
        now = "unknown"
    }
    return o.originalMasterHistory.isEmpty ? now : "\(o.originalMasterHistory); now \(now)"
}

/// Sentinel events with the same channel and message, published by several
/// sentinels within a second, as one line.
public struct CollapsedEvent: Equatable, Sendable {
    /// When the first sentinel published it (absolute).
    public var time: Int64
    /// Who published it, in arrival order.
    public var sentinels: [NodeAddress]
    /// The event name.
    public var channel: String
    /// The message.
    public var message: String
}

/// Groups the same event from several sentinels (see `CollapsedEvent`).
public func collapseEvents(_ events: [SentinelEventRecord], within window: Int64 = 1_000_000_000) -> [CollapsedEvent] {
    var groups: [CollapsedEvent] = []
    for event in events.sorted(by: { $0.time < $1.time }) {
        if let index = groups.firstIndex(where: {
            $0.channel == event.channel && $0.message == event.message
                && event.time - $0.time <= window && !$0.sentinels.contains(event.sentinel)
        }) {
            groups[index].sentinels.append(event.sentinel)
        } else {
            groups.append(CollapsedEvent(time: event.time, sentinels: [event.sentinel], channel: event.channel, message: event.message))
        }
    }
    return groups
}
