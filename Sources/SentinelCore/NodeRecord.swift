// NodeRecord: the sentinel's view of one data node (a monitored master or one
// of its replicas) — link health, what its last INFO said, and the flags
// Redis keeps in sentinelRedisInstance. MasterRecord and ReplicaRecord embed it.
//
// Invariants: `roleReportedAt` changes only when the reported role changes;
// `sdownSince` is non-nil exactly while the node is subjectively down;
// `lastSdownStart` keeps the start of the most recent SDOWN (Redis's
// s_down_since_time, which is not reset on -sdown).

/// The role a node last reported in INFO.
public enum ReportedRole: String, Sendable, Equatable {
    case master, slave
}

/// Link, INFO and health state common to masters and replicas.
public struct NodeRecord: Sendable, Equatable {
    public var address: InstanceAddress
    public var runID: String?
    public var link: LinkHealth
    /// Last INFO sent, and last INFO reply (info_refresh), nil if never.
    public var lastInfoSent: Int64?
    public var infoRefreshedAt: Int64?
    /// The last INFO reply's text (SENTINEL INFO-CACHE).
    public var infoText: String?
    public var reportedRole: ReportedRole?
    public var roleReportedAt: Int64
    /// Current SDOWN start, nil when not down.
    public var sdownSince: Int64?
    /// Start of the most recent SDOWN, kept after it ends (Redis's s_down_since_time).
    public var lastSdownStart: Int64?
    /// Last hello published through this node.
    public var lastHelloSent: Int64?
    /// Rebooted and not yet answered a PONG (SRI_MASTER_REBOOT), since when.
    public var rebootSince: Int64?
    /// Vigil: set when this node was our master and we switched away from it;
    /// cleared once it reports role:slave.
    /// While set, a role:master report is a stale old master, converted at once.
    public var isFormerMaster = false

    public init(address: InstanceAddress, now: Int64) {
        self.address = address
        self.link = LinkHealth(now: now)
        self.roleReportedAt = now
    }

    public var isSubjectivelyDown: Bool { sdownSince != nil }

    /// Redis's sentinelRedisInstanceNoDownFor: no SDOWN started in the last `ms`.
    public func noDown(for ms: Int64, now: Int64) -> Bool {
        guard let start = lastSdownStart else { return true }
        return now - start > ms
    }
}
