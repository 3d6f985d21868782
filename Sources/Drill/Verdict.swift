// Verdict.swift — the expectations each drill checks, judged from the
// observations alone.
//
// Required (a failure makes the exit status 1):
//   * the sentinels fail over after the master dies, stops or is switched
//     over (kill-master, pause-master, switchover, lose-sentinels phase 1);
//     kill-replica: the master stays master;
//   * lose-sentinels: NO failover while only a minority of sentinels is alive
//     (no promotion event, no node turned master, the live sentinel keeps the
//     dead master);
//   * at the end every node runs and the cluster has converged: the sentinels
//     agree on one master and every other node follows it with its link up
//     (in particular, no node follows a dead master);
//   * writes resume after the last fault;
//   * no acknowledged write lost: for Vigil in kill-master and switchover,
//     for both backends in kill-replica (only a replica died).
// Reported as notes (not required): lost writes where asynchronous
// replication allows them (Redis kill-master/switchover, lose-sentinels),
// and pause-master's split brain, where writes the old master acknowledged
// while cut off are expected to be lost by both Vigil and Redis.
//
// Invariants: pure; every check has a one-line title and a detail a user can act on.

/// One judged expectation.
public struct Check: Equatable, Sendable {
    /// Pass, fail, or a note that is reported but not required.
    public enum Outcome: String, Sendable {
        case pass = "PASS"
        case fail = "FAIL"
        case note = "NOTE"
    }

    /// What was expected.
    public var title: String
    /// How it came out.
    public var outcome: Outcome
    /// The evidence.
    public var detail: String

    /// Creates a check.
    public init(_ title: String, _ outcome: Outcome, _ detail: String) {
        self.title = title
        self.outcome = outcome
        self.detail = detail
    }
}

/// The events that mean a failover is being carried out (a replica chosen or promoted).
let promotionEvents: Set<String> = ["+selected-slave", "+promoted-slave", "+failover-state-send-slaveof-noone", "+switch-master"]

/// Judges every expectation of `o.scenario`.
public func evaluateChecks(_ o: Observations) -> [Check] {
    var checks: [Check] = []
    let faultTime = o.faults.first?.time ?? 0
    func offset(_ time: Int64) -> String { formatSeconds(time - faultTime) }

    // 1. Did the sentinels fail over (or, for kill-replica, leave the master alone)?
    let switches = o.events.filter { $0.switchedMaster != nil }
    switch o.scenario {
    case .killMaster, .pauseMaster, .switchover, .loseSentinels:
        let windowEnd = o.noFailoverWindow?.start ?? Int64.max
        let failover = switches.first { event in
            event.time >= faultTime && event.time < windowEnd && event.switchedMaster?.from == o.originalMaster
        }
        if let failover, let to = failover.switchedMaster?.to {
            checks.append(Check("the sentinels fail over", .pass, "+switch-master to \(to) at \(offset(failover.time)) s"))
        } else {
            let views = o.final.sentinels.filter(\.alive).compactMap(\.master)
            checks.append(Check("the sentinels fail over", .fail,
                                "no +switch-master away from \(o.originalMaster) was published" + (views.isEmpty ? "" : "; the sentinels now name \(Set(views).map(String.init(describing:)).sorted().joined(separator: ", "))")))
        }
    case .killReplica:
        if let moved = switches.first(where: { $0.time >= faultTime }) {
            checks.append(Check("the master stays master", .fail, "\(moved.channel) \(moved.message) at \(offset(moved.time)) s"))
        } else {
            checks.append(Check("the master stays master", .pass, "no +switch-master while the replica was down"))
        }
    }

    // 2. lose-sentinels: no failover with a minority of sentinels.
    if let window = o.noFailoverWindow {
        let alive = window.snapshot.sentinels.filter(\.alive)
        let dead = window.snapshot.sentinels.count - alive.count
        var wrong: [String] = []
        for event in o.events where event.time >= window.start && event.time <= window.end && promotionEvents.contains(event.channel) {
            wrong.append("\(event.channel) \(event.message) at \(offset(event.time)) s")
        }
        for master in window.snapshot.masters { wrong.append("\(master) became master") }
        for sentinel in alive where sentinel.master != nil && sentinel.master != window.master {
            wrong.append("sentinel \(sentinel.address) switched to \(sentinel.master.map(String.init(describing:)) ?? "?")")
        }
        let title = "no failover with \(dead) of \(window.snapshot.sentinels.count) sentinels dead"
        if wrong.isEmpty {
            checks.append(Check(title, .pass, "for \(formatDuration(window.end - window.start)) s the live sentinel kept the dead master \(window.master) and no replica was promoted"))
        } else {
            checks.append(Check(title, .fail, wrong.joined(separator: "; ")))
        }
    }

    // 3. Everything runs and converged at the end.
    let dead = o.final.nodes.filter { !$0.alive }.map(\.address) + o.final.sentinels.filter { !$0.alive }.map(\.address)
    checks.append(dead.isEmpty
                  ? Check("every process runs at the end", .pass, "\(o.final.nodes.count) nodes, \(o.final.sentinels.count) sentinels")
                  : Check("every process runs at the end", .fail, "not running: " + dead.map(String.init(describing:)).joined(separator: ", ")))
    let followingDead = o.final.nodesFollowingDeadMaster
    if !followingDead.isEmpty {
        checks.append(Check("no node follows a dead master", .fail, followingDead.map(String.init(describing:)).joined(separator: ", ")))
    }
    if let master = o.final.convergedMaster {
        checks.append(Check("one master, every node follows it", .pass,
                            "\(master); \(o.final.nodes.count - 1) replicas linked; \(o.final.sentinels.filter(\.alive).count) sentinels agree"))
    } else {
        checks.append(Check("one master, every node follows it", .fail, o.final.problems.joined(separator: "; ")))
    }

    // 4. Writes resume after the last fault (its unavailability window closes).
    if let last = o.faults.last {
        let gap = unavailabilityWindow(acks: o.writer.acks, faultTime: last.time, settled: last.settled, writerStopped: o.writer.stoppedAt)
        if let resumed = gap?.after {
            checks.append(Check("writes resume", .pass, "on \(resumed.node) at \(offset(resumed.time)) s"))
        } else {
            checks.append(Check("writes resume", .fail, "no write was acknowledged after the fault at \(offset(last.time)) s"))
        }
    }

    // 5. Acknowledged writes on the final master.
    let required: Bool
    let reason: String
    switch (o.scenario, o.backend) {
    case (.killMaster, .vigil), (.switchover, .vigil):
        required = true; reason = ""
    case (.killReplica, _):
        required = true; reason = ""
    case (.killMaster, .redis):
        required = false; reason = " (not required: asynchronous replication may lose the master's last writes)"
    case (.switchover, .redis):
        required = false; reason = " (not required: Redis's SENTINEL FAILOVER does not wait for the replica, redis#6062)"
    case (.loseSentinels, _):
        required = false; reason = " (not required: masters die under load, asynchronous replication)"
    case (.pauseMaster, _):
        required = false; reason = " (not required: the old master was cut off)"
    }
    checks.append(lostCheck(o.writer, o.lost, required: required, reason: reason))
    if let splitWriter = o.splitBrainWriter, let splitLost = o.splitBrainLost {
        var check = lostCheck(splitWriter, splitLost, required: false, reason: " (expected: acknowledged by the old master during the split brain)")
        check.title = "split-brain writes to the old master"
        checks.append(check)
    }
    for note in o.notes { checks.append(Check("drill", .note, note)) }
    return checks
}

private func lostCheck(_ writer: WriterLog, _ lost: LostWrites, required: Bool, reason: String) -> Check {
    let title = "no acknowledged write lost"
    if let error = lost.error {
        return Check(title, required ? .fail : .note, "could not look the writes up: \(error)")
    }
    if lost.lost.isEmpty {
        return Check(title, .pass, "all \(lost.checked) acknowledged writes are on the final master")
    }
    let sample = lost.lost.prefix(5).map { "\(writer.keyPrefix)\($0)" }.joined(separator: ", ")
    return Check(title, required ? .fail : .note,
                 "\(lost.lost.count) of \(lost.checked) acknowledged writes missing (\(sample)\(lost.lost.count > 5 ? ", …" : ""))\(reason)")
}

/// `nanoseconds` as signed seconds with millisecond precision ("+1.234", "-0.020").
public func formatSeconds(_ nanoseconds: Int64) -> String {
    let milliseconds = nanoseconds >= 0 ? (nanoseconds + 500_000) / 1_000_000 : -((-nanoseconds + 500_000) / 1_000_000)
    let sign = milliseconds < 0 ? "-" : "+"
    let magnitude = abs(milliseconds)
    let fraction = String(magnitude % 1000)
    return "\(sign)\(magnitude / 1000).\(String(repeating: "0", count: 3 - fraction.count))\(fraction)"
}

/// A non-negative duration in seconds with millisecond precision ("1.234").
public func formatDuration(_ nanoseconds: Int64) -> String {
    String(formatSeconds(max(0, nanoseconds)).dropFirst())
}
