// FailoverState: a coordinated FAILOVER in progress on a master (Redis 6.2+'s
// failover_state, target_replica_host/port, failover_end_time, force_failover).
//
// Invariants: `phase == .none` ⇔ no failover; then `target`, `endMs` are nil
// and `force` is false. While `phase != .none` the node holds a write pause
// (CLIENT PAUSE WRITE semantics) that `clearFailoverState` lifts.

/// The phase of a coordinated failover (INFO's master_failover_state).
enum FailoverPhase: Equatable {
    /// No failover (no-failover).
    case none
    /// Writes paused, waiting for the target to ack our offset (waiting-for-sync).
    case waitingForSync
    /// Demoted: replicating from the target with PSYNC ... FAILOVER (failover-in-progress).
    case inProgress

    /// The master_failover_state word of INFO replication.
    var infoWord: String {
        switch self {
        case .none: return "no-failover"
        case .waitingForSync: return "waiting-for-sync"
        case .inProgress: return "failover-in-progress"
        }
    }
}

/// The coordinated failover state of a node (part of `MasterSideState`).
struct FailoverState {
    /// Where the failover is.
    var phase: FailoverPhase = .none
    /// The replica to hand over to (FAILOVER TO, or the first synced one).
    var target: (host: String, port: Int)?
    /// Monotonic ms when TIMEOUT expires; nil = no timeout.
    var endMs: Int64?
    /// FORCE: fail over at the timeout even if the target is not synced.
    var force = false
}
