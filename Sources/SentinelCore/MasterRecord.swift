// MasterRecord: one monitored master — its settings (sentinel monitor/set),
// its own node state, its replicas and peer sentinels, this sentinel's vote,
// and any failover in progress.
//
// Invariants: replica addresses are unique and never equal the master's;
// peer run ids are unique and never this sentinel's id; arrays keep a stable
// order (no Dictionary iteration), so a seeded run is reproducible.

/// A monitored master and everything known around it.
public struct MasterRecord: Sendable, Equatable {
    public let name: String
    public var node: NodeRecord
    public var quorum: Int
    public var downAfter: Int64
    public var failoverTimeout: Int64
    public var parallelSyncs: Int
    public var authPass: String?
    public var authUser: String?
    /// master-reboot-down-after-period (0 = off).
    public var rebootDownAfter: Int64 = 0
    /// Lower-cased command → name to send instead.
    public var renamedCommands: [String: String] = [:]
    public var configEpoch: UInt64
    /// While the master's INFO says role:slave: the master it follows (master_host:master_port).
    public var reportedUpstream: InstanceAddress?
    public var replicas: [ReplicaRecord] = []
    public var sentinels: [PeerSentinel] = []
    /// ODOWN start, nil when not objectively down.
    public var odownSince: Int64?
    /// This sentinel's vote for this master: run id and epoch (Redis's master->leader).
    public var leader: String?
    public var leaderEpoch: UInt64
    public var failover: FailoverProgress?
    /// Start of the last failover attempt or vote (failover_start_time).
    public var failoverStartTime: Int64 = 0
    /// Vigil: earliest time of the next attempt.
    public var nextAttemptNotBefore: Int64 = 0
    /// The "next failover delay" message was logged for this start time.
    var delayLoggedFor: Int64?
    /// Random wait between ODOWN and starting a failover, drawn once per ODOWN.
    var failoverStartJitter: Int64?

    public init(name: String, address: InstanceAddress, quorum: Int, downAfter: Int64, failoverTimeout: Int64,
                parallelSyncs: Int, configEpoch: UInt64 = 0, leaderEpoch: UInt64 = 0, now: Int64) {
        self.name = name
        self.node = NodeRecord(address: address, now: now)
        self.quorum = quorum
        self.downAfter = downAfter
        self.failoverTimeout = failoverTimeout
        self.parallelSyncs = parallelSyncs
        self.configEpoch = configEpoch
        self.leaderEpoch = leaderEpoch
    }

    public var address: InstanceAddress { node.address }
    public var isObjectivelyDown: Bool { odownSince != nil }

    /// "%@" of the master itself.
    public var description: InstanceDescription {
        InstanceDescription(kind: .master, name: name, address: address, master: nil)
    }

    func describe(replica: ReplicaRecord) -> InstanceDescription {
        InstanceDescription(kind: .slave, name: replica.address.description, address: replica.address,
                            master: (name, address))
    }

    func describe(sentinel: PeerSentinel) -> InstanceDescription {
        InstanceDescription(kind: .sentinel, name: sentinel.runID, address: sentinel.address, master: (name, address))
    }

    func replicaIndex(_ address: InstanceAddress) -> Int? {
        replicas.firstIndex { $0.address == address }
    }

    func sentinelIndex(runID: String) -> Int? {
        sentinels.firstIndex { $0.runID == runID }
    }

    /// The promoted replica of the failover in progress, when one is chosen.
    public var promotedReplica: InstanceAddress? {
        guard let failover else { return nil }
        switch failover.stage {
        case .pauseOldMaster(let p, _), .waitCatchUp(let p, _, _), .sendReplicaOfNoOne(let p), .waitPromotion(let p): return p
        case .waitStart, .selectReplica, .reconfigureReplicas: return nil
        }
    }

    /// Redis's SRI_* flag words for SENTINEL MASTER(S), in Redis's order
    /// (`s_down,o_down,master,disconnected,failover_in_progress …`).
    public var flagWords: [String] {
        var words: [String] = []
        if node.isSubjectivelyDown { words.append("s_down") }
        if isObjectivelyDown { words.append("o_down") }
        words.append("master")
        if !node.link.isConnected { words.append("disconnected") }
        if failover != nil { words.append("failover_in_progress") }
        if failover?.isForced == true { words.append("force_failover") }
        if node.rebootSince != nil { words.append("master_reboot") }
        return words
    }
}
