// StatusReport.swift — everything `sentinel status` shows, as plain values
// built from the sentinel's replies (StatusCollector) and read by the text
// and JSON renderers.
//
// Invariants: no I/O here; every field the sentinel may omit is optional and
// renders as "-" (text) or null (JSON). Lists are sorted for stable output.

/// The health of a master as the sentinel sees it, derived from `flags`.
enum MasterState: String, Equatable, Sendable {
    /// No down flag and no failover.
    case ok
    /// This sentinel alone thinks the master is down (`s_down`).
    case sdown
    /// Enough sentinels agree the master is down (`o_down`).
    case odown
    /// A failover of this master is running (`failover_in_progress`).
    case failoverInProgress = "failover-in-progress"

    /// The most serious state the flags show: failover > odown > sdown > ok.
    init(flags: [String]) {
        if flags.contains("failover_in_progress") {
            self = .failoverInProgress
        } else if flags.contains("o_down") {
            self = .odown
        } else if flags.contains("s_down") {
            self = .sdown
        } else {
            self = .ok
        }
    }
}

/// The SENTINEL CKQUORUM verdict for one master.
struct QuorumVerdict: Equatable, Sendable {
    /// True when the reply started with "OK".
    var ok: Bool
    /// The reply text ("OK 3 usable Sentinels. ..." or the error).
    var message: String
}

/// One replica of a master (an entry of SENTINEL REPLICAS).
struct ReplicaStatus: Equatable, Sendable {
    /// The sentinel's fields for it.
    var fields: InstanceFields
    /// Bytes behind the master: master_repl_offset − slave-repl-offset,
    /// never negative; nil when either offset is unknown.
    var lagBytes: Int64?
}

/// Everything known about one monitored master.
struct MasterStatus: Equatable, Sendable {
    /// The sentinel's fields for the master (SENTINEL MASTER).
    var fields: InstanceFields
    /// The CKQUORUM verdict.
    var quorumVerdict: QuorumVerdict
    /// `master_repl_offset` from the master's cached INFO, when available.
    var masterReplOffset: Int64?
    /// Its replicas, sorted by address.
    var replicas: [ReplicaStatus]
    /// The other sentinels monitoring it, sorted by address.
    var sentinels: [InstanceFields]
    /// Recorded events, oldest first; nil when the sentinel has no EVENTS
    /// subcommand (a real redis-sentinel).
    var events: [SentinelEventRecord]?

    /// The master's name.
    var name: String { fields["name"] ?? "?" }
    /// Its state, derived from the flags.
    var state: MasterState { MasterState(flags: fields.flags) }
}

/// The sentinel answering the questions.
struct SentinelIdentity: Equatable, Sendable {
    /// "host:port" as dialled.
    var address: String
    /// SENTINEL MYID, when it answered.
    var myid: String?
    /// `sentinel_tilt` from INFO sentinel, when present.
    var tilt: Bool?
}

/// A full status report.
struct StatusReport: Equatable, Sendable {
    /// The sentinel.
    var sentinel: SentinelIdentity
    /// The masters, sorted by name.
    var masters: [MasterStatus]
}

/// Replication lag in bytes; clamped at zero because the master's and the
/// replica's INFO are cached at different moments and the replica's may be
/// the newer one.
func replicationLag(masterOffset: Int64?, replicaOffset: Int64?) -> Int64? {
    guard let masterOffset, let replicaOffset else { return nil }
    let (difference, overflow) = masterOffset.subtractingReportingOverflow(replicaOffset)
    if overflow { return nil }
    return max(0, difference)
}
