// SimDataNode: a simulated Redis data node, just enough of one for a
// sentinel to monitor and fail over:
//
//   - role: master, or replica of an address (REPLICAOF semantics: NO ONE
//     promotes keeping the offset; a new master means a resync);
//   - the role is "persisted" (SLAVEOF runs with CONFIG REWRITE), so a
//     restart keeps it: a killed master comes back as a master, like Redis
//     with its original config file; a restart draws a new run id and
//     answers -LOADING for a moment;
//   - replication: a replica's link to its master comes up a sync delay after
//     the master becomes reachable, then its offset follows the master's with
//     one step of lag; the link status and down-since time show in INFO;
//   - CLIENT PAUSE WRITE stops the master's offset from growing;
//   - INFO renders the replication and server sections as Redis 7.0 does.
//
// Invariant: a node's offset never grows while it is a master with writes
// paused, and a replica's offset only changes while its link is up.

import SentinelCore

/// A node's replication role.
enum SimRole: Equatable {
    case master
    case replica(of: InstanceAddress)
}

struct SimDataNode {
    let index: Int
    let address: InstanceAddress
    let priority: Int
    var alive = true
    var paused = false
    /// Bumped by every restart; connections to an older incarnation are dead.
    var incarnation = 0
    var runID: String
    var role: SimRole
    /// The role the config file holds (CONFIG REWRITE after every SLAVEOF).
    var persistedRole: SimRole
    var offset: Int64 = 0
    /// Replication link to the master is established.
    var linkUp = false
    /// When the link went down (nil: never up since start / role change).
    var linkDownSince: Int64?
    /// When a link that is possible becomes established (sync delay).
    var syncReadyAt: Int64?
    var writesPausedUntil: Int64 = 0
    /// After a restart, PING answers -LOADING until then.
    var loadingUntil: Int64 = 0

    init(index: Int, address: InstanceAddress, priority: Int, role: SimRole, runID: String) {
        self.index = index
        self.address = address
        self.priority = priority
        self.role = role
        self.persistedRole = role
        self.runID = runID
    }

    var isMaster: Bool { role == .master }

    var master: InstanceAddress? {
        if case .replica(let m) = role { return m }
        return nil
    }

    func writesPaused(now: Int64) -> Bool { writesPausedUntil > now }

    /// SLAVEOF NO ONE / SLAVEOF host port, persisted with CONFIG REWRITE.
    mutating func replicaOf(_ target: InstanceAddress?, now: Int64) {
        let newRole: SimRole = target.map { .replica(of: $0) } ?? .master
        persistedRole = newRole
        guard newRole != role else { return }
        role = newRole
        if linkUp { linkDownSince = now }
        linkUp = false
        syncReadyAt = nil
    }

    /// The process comes back with its config file (role) and a new run id.
    mutating func restart(runID: String, now: Int64, loadingFor: Int64) {
        alive = true
        paused = false
        incarnation += 1
        self.runID = runID
        role = persistedRole
        linkUp = false
        linkDownSince = nil
        syncReadyAt = nil
        writesPausedUntil = 0
        loadingUntil = now + loadingFor
    }

    /// `INFO` (server + replication sections) as Redis 7.0 prints them.
    func info(now: Int64, replicas: [(address: InstanceAddress, offset: Int64)]) -> String {
        var lines = [
            "# Server", "redis_version:7.0.15", "redis_mode:standalone", "run_id:\(runID)",
            "tcp_port:\(address.port)", "", "# Replication",
        ]
        switch role {
        case .master:
            lines.append("role:master")
        case .replica(let m):
            lines.append("role:slave")
            lines.append("master_host:\(m.host)")
            lines.append("master_port:\(m.port)")
            lines.append("master_link_status:\(linkUp ? "up" : "down")")
            lines.append("master_last_io_seconds_ago:\(linkUp ? 0 : -1)")
            lines.append("master_sync_in_progress:0")
            lines.append("slave_read_repl_offset:\(offset)")
            lines.append("slave_repl_offset:\(offset)")
            if !linkUp {
                let since = linkDownSince.map { (now - $0) / 1000 } ?? -1
                lines.append("master_link_down_since_seconds:\(since)")
            }
            lines.append("slave_priority:\(priority)")
            lines.append("slave_read_only:1")
            lines.append("replica_announced:1")
        }
        lines.append("connected_slaves:\(replicas.count)")
        for (i, r) in replicas.enumerated() {
            lines.append("slave\(i):ip=\(r.address.host),port=\(r.address.port),state=online,offset=\(r.offset),lag=0")
        }
        lines.append("master_failover_state:no-failover")
        lines.append("master_replid:\(runID)")
        lines.append("master_replid2:0000000000000000000000000000000000000000")
        lines.append("master_repl_offset:\(offset)")
        lines.append("second_repl_offset:-1")
        lines.append("repl_backlog_active:1")
        return lines.joined(separator: "\r\n") + "\r\n"
    }
}
