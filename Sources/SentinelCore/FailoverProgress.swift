// FailoverProgress: a failover in progress for one master — Redis's
// failover_state and its companions, with Vigil's coordinated switchover
// stages. One stage at a time; each stage carries what it needs.
//
//   waitStart ─elected→ selectReplica ─→ [pauseOldMaster → waitCatchUp] → sendReplicaOfNoOne
//       │                    │                                                   │
//       └─not elected─→ abort └─no good replica─→ abort                   waitPromotion
//                                                                               │ INFO role:master
//                                                        (+switch-master now)  reconfigureReplicas ─all done→ end
//
// The bracketed stages run only for SENTINEL FAILOVER when the old master is
// reachable (zero-loss switchover). After promotion the master record already
// names the promoted replica, so `reconfigureReplicas` points the remaining
// replicas at the record's own address.

/// The stage of a failover (names in `redisName` are Redis's failover-state words).
public enum FailoverStage: Sendable, Equatable {
    case waitStart
    case selectReplica
    /// Switchover: writes paused on the old master; waiting for its final offset (INFO).
    case pauseOldMaster(promoted: InstanceAddress, pausedAt: Int64)
    /// Switchover: waiting until the promoted replica's offset reaches `target`.
    case waitCatchUp(promoted: InstanceAddress, target: Int64, pausedAt: Int64)
    case sendReplicaOfNoOne(promoted: InstanceAddress)
    case waitPromotion(promoted: InstanceAddress)
    case reconfigureReplicas

    /// Redis's state name for SENTINEL MASTER's failover-state.
    public var redisName: String {
        switch self {
        case .waitStart: "wait_start"
        case .selectReplica: "select_slave"
        case .pauseOldMaster: "pause_master"
        case .waitCatchUp: "wait_catch_up"
        case .sendReplicaOfNoOne: "send_slaveof_noone"
        case .waitPromotion: "wait_promotion"
        case .reconfigureReplicas: "reconf_slaves"
        }
    }
}

/// A failover in progress.
public struct FailoverProgress: Sendable, Equatable {
    public var epoch: UInt64
    public var stage: FailoverStage
    public var stageChangedAt: Int64
    /// SENTINEL FAILOVER: no election (SRI_FORCE_FAILOVER).
    public var isForced: Bool
    /// Vigil: pause writes and wait for the replica to catch up before promoting.
    public var isCoordinated: Bool
    /// The old master, once switched away from (to unpause and re-point it).
    public var oldMaster: InstanceAddress?

    public init(epoch: UInt64, now: Int64, isForced: Bool, isCoordinated: Bool) {
        self.epoch = epoch
        self.stage = .waitStart
        self.stageChangedAt = now
        self.isForced = isForced
        self.isCoordinated = isCoordinated
    }
}
