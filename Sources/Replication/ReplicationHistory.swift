// ReplicationHistory.swift — which replication history this node serves and
// how far it goes: Redis's replid, replid2, second_replid_offset and
// master_repl_offset (the four INFO fields of the same names).
//
// PSYNC2 in one paragraph: every history has a random 40-char id. A replica
// that is promoted keeps serving its old master's history under `replID2`, but
// only up to the offset where it was promoted (`secondReplOffset`, the first
// byte of the new history); beyond that its stream differs. So replicas of the
// old master can continue from the promoted one without a full sync.
//
// Invariants: `replID2 == .zero` iff `secondReplOffset == -1` (cleared);
// `masterReplOffset` only grows while a history continues (it is replaced by
// the master's offset on a full sync). Randomness is an input.

import RESP

/// The replication ids and offsets of this node.
public struct ReplicationHistory: Equatable, Sendable {
    /// The current history's id (INFO `master_replid`).
    public var replID: ReplicationID
    /// The previous history's id, valid up to `secondReplOffset` (INFO `master_replid2`).
    public var replID2: ReplicationID = .zero
    /// First offset NOT valid for `replID2`, or -1 (INFO `second_repl_offset`).
    public var secondReplOffset: Int64 = -1
    /// Offset of the last stream byte produced or applied (INFO `master_repl_offset`).
    public var masterReplOffset: Int64 = 0

    /// A history named `replID` at `masterReplOffset`, with no secondary id.
    public init(replID: ReplicationID, masterReplOffset: Int64 = 0) {
        self.replID = replID
        self.masterReplOffset = masterReplOffset
    }

    /// A brand-new history with a random id at offset 0 (server start-up).
    public init<R: RandomNumberGenerator>(using rng: inout R) {
        self.init(replID: .random(using: &rng))
    }

    /// Starts a new history name (Redis's changeReplicationId). The offset is kept.
    public mutating func changeReplicationID<R: RandomNumberGenerator>(using rng: inout R) {
        replID = .random(using: &rng)
    }

    /// Forgets the secondary id (Redis's clearReplicationId2).
    public mutating func clearReplicationID2() {
        replID2 = .zero
        secondReplOffset = -1
    }

    /// Promotion (REPLICAOF NO ONE, failover): the current history becomes the
    /// secondary one, valid up to `masterReplOffset + 1`, and a new id starts
    /// here (Redis's shiftReplicationId). Returns Redis's warning line.
    @discardableResult
    public mutating func shiftReplicationID<R: RandomNumberGenerator>(using rng: inout R) -> ReplicationLogLine {
        replID2 = replID
        secondReplOffset = masterReplOffset + 1
        changeReplicationID(using: &rng)
        return .warning("Setting secondary replication ID to \(replID2), valid up to offset: \(secondReplOffset). New replication ID is \(replID)")
    }

    /// After a full sync from a master: adopt its id and offset and start a
    /// clean history (no secondary id).
    public mutating func adoptFullSync(replID: ReplicationID, offset: Int64) {
        self.replID = replID
        masterReplOffset = offset
        clearReplicationID2()
    }

    /// After `+CONTINUE <newID>` from a master whose cached id was `cachedID`:
    /// when the id changed (the master was promoted), the old id becomes our
    /// secondary one up to `masterReplOffset + 1` and `newID` our current one.
    /// Returns Redis's log line when it changed — the caller must then
    /// disconnect its own replicas so they learn the new id — else nil.
    public mutating func adoptContinue(newID: ReplicationID, cachedID: ReplicationID) -> ReplicationLogLine? {
        guard newID != cachedID else { return nil }
        replID2 = cachedID
        secondReplOffset = masterReplOffset + 1
        replID = newID
        return .notice("Master replication ID changed to \(newID)")
    }

    /// What a master that is being turned into a replica offers its new master
    /// (Redis's replicationCacheMasterUsingMyself): its own id and offset, so
    /// the first PSYNC can be partial.
    public var cachedMasterForDemotion: CachedMaster {
        CachedMaster(replID: replID, offset: masterReplOffset)
    }

    /// Redis's notice when demoting a master, logged with `cachedMasterForDemotion`.
    public static let demotionLogLine = ReplicationLogLine.notice(
        "Before turning into a replica, using my own master parameters to synthesize a cached master: I may be able to synchronize with the new master with just a partial transfer.")

    /// The INFO replication tail, in Redis's order, for this history and
    /// `backlog` (nil = no backlog): master_failover_state … repl_backlog_histlen.
    /// `backlogSize` is the configured `repl-backlog-size` shown when there is no backlog.
    public func infoLines(backlog: ReplicationBacklog?, backlogSize: Int, failoverState: String = "no-failover") -> [String] {
        [
            "master_failover_state:\(failoverState)",
            "master_replid:\(replID)",
            "master_replid2:\(replID2)",
            "master_repl_offset:\(masterReplOffset)",
            "second_repl_offset:\(secondReplOffset)",
            "repl_backlog_active:\(backlog == nil ? 0 : 1)",
            "repl_backlog_size:\(backlog?.size ?? backlogSize)",
            "repl_backlog_first_byte_offset:\(backlog?.firstByteOffset ?? 0)",
            "repl_backlog_histlen:\(backlog?.histlen ?? 0)",
        ]
    }
}

/// What a replica remembers of the master it was streaming from, so it can
/// ask to continue with `PSYNC <replID> <offset + 1>` (Redis's cached_master).
public struct CachedMaster: Equatable, Sendable {
    /// The id of the history being replicated.
    public var replID: ReplicationID
    /// Offset of the last stream byte applied (the master client's reploff).
    public var offset: Int64

    /// Creates a cached-master record.
    public init(replID: ReplicationID, offset: Int64) {
        self.replID = replID
        self.offset = offset
    }
}
