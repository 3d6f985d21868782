// ReplicationStream.swift — the node's side of the replication stream in one
// value: its history (ids + master_repl_offset), its backlog, and the feeder
// that inserts SELECTs. Every stream byte goes through `feed`, so the offset
// and the backlog can never disagree.
//
// Lifecycle, as Redis 7.0:
//
//   master, no replicas ever ──first SYNC/PSYNC──▶ new id, id2 cleared, backlog created
//        ▲                                             │ writes: propagate() → offset += n
//        │ backlog TTL expires (no replicas            ▼
//        └── for repl-backlog-ttl s): new id, ─────  master with backlog
//            id2 cleared, backlog freed                │ REPLICAOF host port
//                                                      ▼
//   replica: full sync ─▶ finishFullSync (master's id/offset, fresh backlog)
//            partial    ─▶ finishPartialSync (maybe id changed → id2)
//            applied master bytes ─▶ feedFromMaster (proxy to sub-replicas)
//        │ REPLICAOF NO ONE
//        ▼
//   promote(): id2 = old id valid up to offset+1, new id, SELECT forced
//
// Invariants: with a backlog, backlog.endOffset == history.masterReplOffset;
// without one, the offset does not move (Redis does not count bytes nobody
// can ever ask for). Pure: time and randomness are parameters.

import RESP

/// History + backlog + SELECT tracking of one node.
public struct ReplicationStream: Sendable {
    /// Ids and offsets.
    public private(set) var history: ReplicationHistory
    /// The backlog, when one exists (INFO repl_backlog_active).
    public private(set) var backlog: ReplicationBacklog?
    /// The database the stream is in.
    public private(set) var feeder = StreamFeeder()
    /// The configured `repl-backlog-size`, used when a backlog is created.
    public private(set) var backlogSize: Int

    /// A stream for `history`, without a backlog yet.
    public init(history: ReplicationHistory, backlogSize: Int) {
        self.history = history
        self.backlogSize = max(1, backlogSize)
    }

    // MARK: Feeding

    /// Appends raw stream bytes to the backlog and advances the offset; does
    /// nothing without a backlog (Redis's feedReplicationBuffer).
    public mutating func feed(_ bytes: some Collection<UInt8>) {
        guard backlog != nil else { return }
        history.masterReplOffset += Int64(bytes.count)
        backlog?.append(bytes)
    }

    /// Master: records the write `args` executed in `db` and returns the bytes
    /// to send to every replica not waiting for its snapshot to start (a
    /// SELECT first when the database changed). Nil, and nothing changes,
    /// when there is no backlog (then there are no replicas either).
    /// A replica must not call this: it proxies its master's bytes instead.
    public mutating func propagate(db: Int, args: [Bytes]) -> Bytes? {
        guard backlog != nil else { return nil }
        var out = Bytes()
        feeder.append(db: db, args: args, to: &out)
        feed(out)
        return out
    }

    /// `propagate` for a command already in RESP form (its exact bytes).
    public mutating func propagate(db: Int, encodedCommand: some Collection<UInt8>) -> Bytes? {
        guard backlog != nil else { return nil }
        var out = Bytes()
        feeder.append(db: db, encodedCommand: encodedCommand, to: &out)
        feed(out)
        return out
    }

    /// `propagate` for several ops of one command, wrapped in MULTI/EXEC when
    /// there is more than one.
    public mutating func propagate(transaction ops: [(db: Int, args: [Bytes])]) -> Bytes? {
        guard backlog != nil, !ops.isEmpty else { return nil }
        var out = Bytes()
        feeder.appendTransaction(ops, to: &out)
        feed(out)
        return out
    }

    /// Master: the periodic `ping` to replicas (every repl-ping-replica-period
    /// seconds while there are replicas). Nil without a backlog.
    public mutating func propagatePing() -> Bytes? {
        propagateWithoutSelect(args: PropagatedCommand.ping)
    }

    /// Master: `REPLCONF GETACK *` (before sleeping, when a WAIT blocked).
    public mutating func propagateGetAck() -> Bytes? {
        propagateWithoutSelect(args: PropagatedCommand.getAck)
    }

    /// Records a database-independent command in the current stream database.
    public mutating func propagateWithoutSelect(args: [Bytes]) -> Bytes? {
        guard backlog != nil else { return nil }
        var out = Bytes()
        feeder.appendWithoutSelect(args: args, to: &out)
        feed(out)
        return out
    }

    /// Replica: the bytes of commands applied from the master, which are
    /// proxied verbatim to this node's own replicas (Redis's
    /// replicationFeedStreamFromMasterStream). Returns the same bytes for
    /// convenience, or nil when there is no backlog.
    @discardableResult
    public mutating func feedFromMaster(_ bytes: Bytes) -> Bytes? {
        guard backlog != nil else { return nil }
        feed(bytes)
        return bytes
    }

    /// Forces a SELECT before the next propagated command (a full sync is
    /// starting: its snapshot carries no "current database").
    public mutating func forceSelect() { feeder.reset() }

    // MARK: Backlog lifecycle

    /// Creates an empty backlog at the current offset if there is none
    /// (Redis's createReplicationBacklog).
    public mutating func createBacklogIfNeeded() {
        if backlog == nil {
            backlog = ReplicationBacklog(size: backlogSize, masterReplOffset: history.masterReplOffset)
        }
    }

    /// Drops the backlog.
    public mutating func freeBacklog() { backlog = nil }

    /// CONFIG SET repl-backlog-size: clamps to the 16 KB minimum and resizes
    /// the backlog keeping its newest bytes.
    public mutating func setBacklogSize(_ size: Int) {
        backlogSize = max(ReplicationBacklog.minimumSize, size)
        backlog?.resize(to: backlogSize)
    }

    /// Master, on a SYNC/PSYNC that needs a full sync when this is the only
    /// replica and no backlog exists: start a new history (a stream nobody
    /// recorded cannot be continued), clear the secondary id, create the
    /// backlog. Returns Redis's log line, or nil when a backlog existed.
    public mutating func prepareBacklogForFirstReplica<R: RandomNumberGenerator>(using rng: inout R) -> ReplicationLogLine? {
        guard backlog == nil else { return nil }
        history.changeReplicationID(using: &rng)
        history.clearReplicationID2()
        createBacklogIfNeeded()
        return SyncRequestLog.backlogCreated(history)
    }

    /// Master cron: frees the backlog once there have been no replicas for
    /// more than `ttlSeconds` (repl-backlog-ttl; 0 = never), starting a new
    /// history so no stale replica can continue. Times are unix milliseconds,
    /// compared in whole seconds as Redis does. Returns the log line when freed.
    public mutating func expireIdleBacklog<R: RandomNumberGenerator>(
        nowMs: Int64, noReplicasSinceMs: Int64, ttlSeconds: Int64,
        replicaCount: Int, isMaster: Bool, using rng: inout R
    ) -> ReplicationLogLine? {
        guard replicaCount == 0, ttlSeconds > 0, backlog != nil, isMaster else { return nil }
        let idle = nowMs / 1000 - noReplicasSinceMs / 1000
        guard idle > ttlSeconds else { return nil }
        history.changeReplicationID(using: &rng)
        history.clearReplicationID2()
        freeBacklog()
        return .notice("Replication backlog freed after \(ttlSeconds) seconds without connected replicas.")
    }

    // MARK: Role changes

    /// REPLICAOF NO ONE / failover promotion: the old history stays
    /// continuable as id2 up to offset+1, a new id starts, and the next
    /// command is preceded by SELECT. The backlog is kept. Returns Redis's line.
    public mutating func promote<R: RandomNumberGenerator>(using rng: inout R) -> ReplicationLogLine {
        feeder.reset()
        return history.shiftReplicationID(using: &rng)
    }

    /// Replica, after a full sync's snapshot is loaded: adopt the master's id
    /// and offset (from +FULLRESYNC), clear id2, and start a fresh backlog at
    /// that offset (the old one was freed when the new data set replaced ours).
    public mutating func finishFullSync(replID: ReplicationID, offset: Int64) {
        history.adoptFullSync(replID: replID, offset: offset)
        backlog = ReplicationBacklog(size: backlogSize, masterReplOffset: offset)
    }

    /// Replica, after `+CONTINUE [newID]` for `cached`: adopt a changed id
    /// (old id → id2 up to offset+1) and make sure a backlog exists. Returns
    /// the "Master replication ID changed" line when the id changed — the
    /// caller must then disconnect its own replicas.
    public mutating func finishPartialSync(newID: ReplicationID?, cached: CachedMaster) -> ReplicationLogLine? {
        var line: ReplicationLogLine?
        if let newID { line = history.adoptContinue(newID: newID, cachedID: cached.replID) }
        createBacklogIfNeeded()
        return line
    }

    /// Replaces the history (e.g. restored from an RDB's repl-id/repl-offset aux fields).
    public mutating func restore(history: ReplicationHistory) {
        self.history = history
        if backlog != nil { backlog = ReplicationBacklog(size: backlogSize, masterReplOffset: history.masterReplOffset) }
    }

    // MARK: Queries

    /// INFO `repl_backlog_active`.
    @inlinable public var isBacklogActive: Bool { backlog != nil }

    /// `decidePSYNC` against this node's history and backlog.
    public func decidePSYNC(requestedID: Bytes, requestedOffset: Int64) -> PSYNCDecision {
        history.decidePSYNC(requestedID: requestedID, requestedOffset: requestedOffset, backlog: backlog)
    }

    /// The INFO replication tail (master_failover_state … repl_backlog_histlen).
    public func infoLines(failoverState: String = "no-failover") -> [String] {
        history.infoLines(backlog: backlog, backlogSize: backlogSize, failoverState: failoverState)
    }
}
