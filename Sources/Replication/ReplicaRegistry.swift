// ReplicaRegistry.swift — the master's book of its replicas (Redis keeps this
// on each client plus the server.slaves list): what each announced in
// REPLCONF, where it is in its sync, what it has acknowledged and when.
// Answers INFO/ROLE, min-replicas-to-write and WAIT.
//
//   (REPLCONF only) ──SYNC/PSYNC needs full──▶ waitBGSaveStart ──snapshot starts──▶ waitBGSaveEnd
//         │                                                                             │ disk: file ready
//         │                                                                             ▼
//         └────PSYNC continues──▶ online ◀──file sent── sendBulk ◀──────────────────────┘
//                                   ▲ (diskless: online at once, stream starts on first ACK)
//
// Invariants: `order` lists exactly the ids whose record has a state, in the
// order they became replicas (INFO's slave0, slave1 … numbering); a record
// without state holds only handshake data. Times are unix milliseconds
// supplied by the caller; lags are whole seconds computed as Redis does
// (now_seconds - ack_seconds), and "seconds" here are floor(ms / 1000).

import RESP

/// Where a replica is in its synchronization.
public enum ReplicaSyncState: Equatable, Sendable {
    /// Needs a full sync; the snapshot has not started (gets no stream yet).
    case waitBGSaveStart
    /// The snapshot is being produced; the stream accumulates in its buffer.
    case waitBGSaveEnd
    /// The snapshot file is being sent.
    case sendBulk
    /// Streaming.
    case online

    /// The `state=` word of INFO.
    public var infoWord: String {
        switch self {
        case .waitBGSaveStart, .waitBGSaveEnd: return "wait_bgsave"
        case .sendBulk: return "send_bulk"
        case .online: return "online"
        }
    }
}

/// What the master knows about one replica connection.
public struct ReplicaRecord: Equatable, Sendable {
    /// The connection's client id.
    public let id: UInt64
    /// The peer address of the connection.
    public var peerIP: String
    /// REPLCONF ip-address, when announced.
    public var announcedIP: String?
    /// REPLCONF listening-port (0 = not announced).
    public var listeningPort = 0
    /// REPLCONF capa values.
    public var capabilities: ReplicaCapabilities = []
    /// REPLCONF rdb-only 1: a snapshot-only connection (never fed the stream).
    public var rdbOnly = false
    /// Sync state; nil while the connection is not (yet) a replica.
    public var state: ReplicaSyncState?
    /// Connected with the legacy SYNC: sends no ACKs, never times out on them.
    public var preSync = false
    /// Highest offset acknowledged with REPLCONF ACK.
    public var ackOffset: Int64 = 0
    /// When the last ACK arrived (or the replica went online), unix ms.
    public var ackTimeMs: Int64 = 0
    /// Diskless sync finished: start streaming on the first ACK.
    public var startStreamOnAck = false

    /// Creates a record for a connection from `peerIP`.
    public init(id: UInt64, peerIP: String) {
        self.id = id
        self.peerIP = peerIP
    }

    /// The address INFO and ROLE show: the announced one, else the peer's.
    public var ip: String { announcedIP ?? peerIP }

    /// Redis's replica name for logs: "ip:port", "[ipv6]:port", or
    /// "ip:<unknown-replica-port>".
    public var name: String {
        if listeningPort == 0 { return "\(ip):<unknown-replica-port>" }
        return ip.contains(":") ? "[\(ip)]:\(listeningPort)" : "\(ip):\(listeningPort)"
    }

    /// Seconds since the last ACK (Redis: time(NULL) - repl_ack_time).
    public func lagSeconds(nowMs: Int64) -> Int64 {
        nowMs / 1000 - ackTimeMs / 1000
    }
}

/// All replica connections of a master.
public struct ReplicaRegistry: Sendable {
    private var records: [UInt64: ReplicaRecord] = [:]
    private var order: [UInt64] = []
    /// When the last replica left (or start-up), unix ms — for repl-backlog-ttl.
    public private(set) var noReplicasSinceMs: Int64

    /// An empty registry; `nowMs` is start-up time (Redis starts the
    /// backlog-TTL clock then).
    public init(nowMs: Int64) {
        noReplicasSinceMs = nowMs
    }

    /// Replicas (connections that sent SYNC/PSYNC), in INFO order.
    public var replicas: [ReplicaRecord] { order.compactMap { records[$0] } }

    /// INFO `connected_slaves`: all replicas, whatever their state.
    public var count: Int { order.count }

    /// The record of connection `id`, replica or not.
    public subscript(id: UInt64) -> ReplicaRecord? { records[id] }

    // MARK: Handshake and lifecycle

    /// Applies REPLCONF options sent by connection `id` (from `peerIP`).
    public mutating func apply(_ options: [REPLCONFOption], from id: UInt64, peerIP: String) {
        var r = records[id] ?? ReplicaRecord(id: id, peerIP: peerIP)
        for option in options {
            switch option {
            case .listeningPort(let p): r.listeningPort = p
            case .ipAddress(let ip): r.announcedIP = ip
            case .capability(let c): r.capabilities.insert(c)
            case .rdbOnly(let on): r.rdbOnly = on
            case .rdbFilterOnly: break
            }
        }
        records[id] = r
    }

    /// Connection `id` becomes a replica: `.online` after +CONTINUE (its ACK
    /// clock starts now), `.waitBGSaveStart` when it needs a full sync.
    /// `legacySync` for the old SYNC command.
    public mutating func attach(id: UInt64, peerIP: String, state: ReplicaSyncState, nowMs: Int64, legacySync: Bool = false) {
        var r = records[id] ?? ReplicaRecord(id: id, peerIP: peerIP)
        if r.state == nil { order.append(id) }
        r.state = state
        r.preSync = legacySync
        if state == .online { r.ackTimeMs = nowMs }
        records[id] = r
    }

    /// Moves replica `id` to `state` (snapshot started, file being sent).
    public mutating func setState(_ state: ReplicaSyncState, of id: UInt64) {
        guard records[id]?.state != nil else { return }
        records[id]?.state = state
    }

    /// The snapshot reached replica `id`: it is online (Redis's
    /// replicaPutOnline). For a diskless transfer (`waitForAck`) the command
    /// stream starts only at its first ACK. Returns Redis's log lines.
    public mutating func putOnline(_ id: UInt64, nowMs: Int64, waitForAck: Bool) -> [ReplicationLogLine] {
        guard var r = records[id], r.state != nil, !r.rdbOnly else { return [] }
        r.state = .online
        r.ackTimeMs = nowMs
        r.startStreamOnAck = waitForAck
        records[id] = r
        var lines: [ReplicationLogLine] = []
        if waitForAck {
            lines.append(.notice("Streamed RDB transfer with replica \(r.name) succeeded (socket). Waiting for REPLCONF ACK from slave to enable streaming"))
        }
        lines.append(.notice("Synchronization with replica \(r.name) succeeded"))
        return lines
    }

    /// REPLCONF ACK from connection `id`: the offset only grows; the ACK time
    /// is refreshed. Ignored for non-replicas and unparsable offsets. Returns
    /// true when this ACK should start the command stream (diskless sync done).
    public mutating func recordAck(from id: UInt64, offset: Int64?, nowMs: Int64) -> Bool {
        guard var r = records[id], r.state != nil, let offset else { return false }
        if offset > r.ackOffset { r.ackOffset = offset }
        r.ackTimeMs = nowMs
        var start = false
        if r.startStreamOnAck && r.state == .online {
            r.startStreamOnAck = false
            start = true
        }
        records[id] = r
        return start
    }

    /// Connection `id` closed. Returns Redis's warning when it was a replica.
    @discardableResult
    public mutating func remove(_ id: UInt64, nowMs: Int64) -> ReplicationLogLine? {
        guard let r = records.removeValue(forKey: id) else { return nil }
        guard r.state != nil else { return nil }
        order.removeAll { $0 == id }
        if order.isEmpty { noReplicasSinceMs = nowMs }
        return .warning("Connection with replica \(r.name) lost.")
    }

    // MARK: Queries

    /// Replicas that receive the propagated stream now: all but those waiting
    /// for their snapshot to start and snapshot-only connections.
    public var streamTargets: [UInt64] {
        order.filter { id in
            guard let r = records[id] else { return false }
            return r.state != .waitBGSaveStart && !r.rdbOnly
        }
    }

    /// Replicas that get a "\n" keepalive every cron second while they wait
    /// (before their snapshot starts, or while a disk snapshot is produced).
    public func presyncKeepaliveTargets(snapshotToSocket: Bool) -> [UInt64] {
        order.filter { id in
            switch records[id]?.state {
            case .waitBGSaveStart: return true
            case .waitBGSaveEnd: return !snapshotToSocket
            default: return false
            }
        }
    }

    /// Replicas waiting for a snapshot to start, and the capabilities they
    /// all share (a diskless snapshot needs every one of them to have `eof`).
    public var pendingFullSyncs: (ids: [UInt64], commonCapabilities: ReplicaCapabilities) {
        var caps: ReplicaCapabilities = [.eof, .psync2]
        var ids: [UInt64] = []
        for id in order {
            guard let r = records[id], r.state == .waitBGSaveStart else { continue }
            ids.append(id)
            caps.formIntersection(r.capabilities)
        }
        return (ids, ids.isEmpty ? [] : caps)
    }

    /// Online replicas within `maxLagSeconds` of their last ACK (Redis's
    /// repl_good_slaves_count for min-replicas-to-write).
    public func goodReplicaCount(nowMs: Int64, maxLagSeconds: Int64) -> Int {
        order.reduce(0) { n, id in
            guard let r = records[id], r.state == .online else { return n }
            return r.lagSeconds(nowMs: nowMs) <= maxLagSeconds ? n + 1 : n
        }
    }

    /// Online replicas that acknowledged at least `offset` (WAIT).
    public func replicasAcked(offset: Int64) -> Int {
        order.reduce(0) { n, id in
            guard let r = records[id], r.state == .online else { return n }
            return r.ackOffset >= offset ? n + 1 : n
        }
    }

    /// Online replicas whose ACKs stopped for more than `timeoutSeconds`
    /// (repl-timeout), with Redis's log line; the caller disconnects them.
    /// Legacy-SYNC replicas never ACK and are exempt.
    public func timedOutReplicas(nowMs: Int64, timeoutSeconds: Int64) -> [(id: UInt64, log: ReplicationLogLine)] {
        order.compactMap { id in
            guard let r = records[id], r.state == .online, !r.preSync,
                  r.lagSeconds(nowMs: nowMs) > timeoutSeconds else { return nil }
            return (id, .warning("Disconnecting timedout replica (streaming sync): \(r.name)"))
        }
    }

    /// ROLE's replica entries: [ip, port, ack offset] of online replicas.
    public var roleEntries: [(ip: String, port: Int, offset: Int64)] {
        order.compactMap { id in
            guard let r = records[id], r.state == .online else { return nil }
            return (r.ip, r.listeningPort, r.ackOffset)
        }
    }

    /// The `slaveN:ip=…,port=…,state=…,offset=…,lag=…` INFO lines.
    public func infoReplicaLines(nowMs: Int64) -> [String] {
        var lines: [String] = []
        for id in order {
            guard let r = records[id], let state = r.state else { continue }
            let lag = state == .online ? r.lagSeconds(nowMs: nowMs) : 0
            lines.append("slave\(lines.count):ip=\(r.ip),port=\(r.listeningPort),state=\(state.infoWord),offset=\(r.ackOffset),lag=\(lag)")
        }
        return lines
    }

    /// INFO replication's replica part: connected_slaves, then
    /// min_slaves_good_slaves when min-replicas-to-write and
    /// min-replicas-max-lag are both non-zero, then the slaveN lines.
    public func infoLines(nowMs: Int64, minReplicasToWrite: Int, minReplicasMaxLag: Int64) -> [String] {
        var lines = ["connected_slaves:\(count)"]
        if minReplicasToWrite > 0 && minReplicasMaxLag > 0 {
            lines.append("min_slaves_good_slaves:\(goodReplicaCount(nowMs: nowMs, maxLagSeconds: minReplicasMaxLag))")
        }
        return lines + infoReplicaLines(nowMs: nowMs)
    }
}
