// ReplicaSideState: everything the node keeps about being a replica — which
// master it follows, the connection attempt in progress (`MasterLink`), the
// streaming master client, and what it remembers of the master between links
// (Redis's masterhost/masterport, repl_state, master, cached_master,
// repl_down_since).
//
// Invariants: `target == nil` ⇔ this node is a master; then `link` and
// `masterClient` are nil. At most one of `link` / `masterClient` is set: the
// link exists from the connect until streaming starts, then the same socket
// belongs to the master client. `cachedMasterDB != nil` means a cached master
// exists: its id and offset are the node's current history
// (`replicationStream.history`), which nothing else moves while a replica.

import RESP
import Config
import EventLoop
import Replication

/// The replica-side replication state of a node (one stored property of `Server`).
struct ReplicaSideState {
    /// The master to follow; nil on a master.
    var target: ReplicaOf?
    /// The connection attempt in progress (connect, handshake, transfer).
    var link: MasterLink?
    /// The master client while streaming.
    var masterClient: Client?
    /// Database the cached master had selected (nil = no cached master).
    var cachedMasterDB: Int?
    /// The stream came from a legacy SYNC: no offsets, no ACKs.
    var masterIsPreSync = false
    /// Monotonic ms of the last byte from the master client.
    var masterLastIO: Int64 = 0
    /// Stream bytes parsed inside a MULTI from the master, not yet counted
    /// into the offset (Redis counts a transaction when EXEC arrives).
    var heldStream: Bytes = []
    /// Unix ms when the link went down (0 = never up since becoming a replica).
    var downSince: Int64 = 0
    /// The once-a-second replication cron.
    var cronTimer: EventLoop.TimerID?

    /// True when the node is a replica.
    var isReplica: Bool { target != nil }
    /// True while streaming from the master (master_link_status:up).
    var isLinkUp: Bool { masterClient != nil }

    /// Redis's repl_state word for ROLE: connect, connecting, handshake, sync, connected.
    var stateWord: String {
        if masterClient != nil { return "connected" }
        if let link { return link.handshake.roleStateWord }
        return "connect"
    }
}
