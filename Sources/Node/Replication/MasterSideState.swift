// MasterSideState: what a node keeps about the replicas connected to it —
// the registry (REPLCONF data, sync states, ACKs), the snapshot being
// produced for full syncs, per-replica RDB transfers, WAIT waiters and the
// offsets of each client's last write, and the replication cron's clocks.
//
// Invariants (all maintained by the Master*.swift extensions on Server):
// - `online` holds exactly the open replica clients whose registry state is
//   `.online`; they receive stream bytes in their output buffer directly.
// - every replica id in `job.replicas` is in state `.waitBGSaveEnd`; the
//   job's `pending` holds every stream byte produced since `job.offset`.
// - every key of `transfers` is a replica in state `.sendBulk`.
// - `goodReplicas` is refreshed every cron second and whenever a replica
//   goes online or leaves (Redis's repl_good_slaves_count).

import RESP
import EventLoop
import Replication

/// One snapshot being produced on a helper thread for full syncs.
struct ReplicationSnapshotJob {
    /// master_repl_offset when the snapshot was taken (+FULLRESYNC's offset).
    let offset: Int64
    /// Sent "$EOF:<mark>"-framed, streaming starts at the first ACK (repl-diskless-sync
    /// and every replica announced `capa eof`); else "$<len>"-framed like a file.
    let diskless: Bool
    /// Client ids of the replicas that will receive it.
    var replicas: [Int] = []
    /// Stream bytes produced since `offset`, sent after the RDB payload.
    var pending: Bytes = []
}

/// The RDB payload being handed to one replica, in chunks, then its pending stream.
struct ReplicaTransfer {
    /// The framed RDB (shared copy-on-write among replicas of one snapshot).
    let payload: Bytes
    /// Diskless: once the payload is out, the stream waits for the first REPLCONF ACK.
    let streamAfterAck: Bool
    /// The payload is out and the replica is online, waiting for that ACK.
    var awaitingAck = false
    /// Bytes of `payload` already moved to the output buffer.
    var sent = 0
    /// Stream bytes to send once the payload is out.
    var pending: Bytes
}

/// The master-side replication state of a node (one stored property on Server).
struct MasterSideState {
    /// REPLCONF data, sync states and ACKs of every replica connection.
    var registry = ReplicaRegistry(nowMs: EventLoop.wallClockMilliseconds())
    /// Replicas streaming, by client id order of going online.
    var online: [Client] = []
    /// The snapshot in production, if any.
    var job: ReplicationSnapshotJob?
    /// RDB payloads being sent, by client id.
    var transfers: [Int: ReplicaTransfer] = [:]
    /// Clients blocked in WAIT.
    var waits = WaitQueue()
    /// Timers of blocked WAITs with a timeout, by client id.
    var waitTimers: [Int: EventLoop.TimerID] = [:]
    /// The replication offset right after each client's last propagated write (Redis's c->woff).
    var writeOffsets: [Int: Int64] = [:]
    /// A WAIT blocked: send REPLCONF GETACK * before sleeping.
    var ackRequested = false
    /// Online replicas within min-replicas-max-lag of their last ACK.
    var goodReplicas = 0
    /// Cached (min-replicas-to-write, min-replicas-max-lag); nil = read the config.
    var minReplicasConfig: (toWrite: Int, maxLag: Int)?
    /// Monotonic ms of the last replication cron run.
    var lastCronMs: Int64 = 0
    /// Replication cron runs so far (Redis's replication_cron_loops).
    var cronLoops = 0
    /// The before-sleep hook (transfers, WAIT, GETACK) is installed.
    var hookInstalled = false
    /// A coordinated FAILOVER in progress (Failover.swift).
    var failover = FailoverState()
}
