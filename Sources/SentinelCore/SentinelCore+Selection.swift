// Choosing the replica to promote (Redis's sentinelSelectSlave):
//
//   1. Excluded: replicas that are SDOWN or disconnected; whose last PING
//      reply is older than 5 ping periods; with priority 0; whose INFO is
//      older than 5 ping periods (master down) or 3 info periods (master up);
//      whose link to the master has been down longer than the master's own
//      SDOWN time plus 10 × down-after (too stale to have the latest data).
//   2. The rest are ordered by priority (lower first), then replication
//      offset (higher first), then run id (lexicographically smaller first;
//      an unknown run id sorts last).
//   3. Vigil: when our master reports role:slave and follows a node we know
//      as a replica that reports role:master (reachable, fresh INFO), that
//      node is the master in fact — typically a sentinel with a stale
//      configuration turned our promoted master back into a replica of the
//      old one. It is chosen whatever its priority: promoting it is a no-op
//      and its next INFO confirms it, so the elected failover adopts it
//      under a new epoch. Redis excludes it (role:master) and never can
//      convert it (our master does not look sane), so it retries forever.

extension SentinelCore {
    /// The best replica of master `m` to promote now, if any.
    func selectReplica(master m: Int, now: Int64) -> InstanceAddress? {
        let master = masters[m]
        var maxMasterDownTime: Int64 = master.downAfter * 10
        if let since = master.node.sdownSince { maxMasterDownTime += now - since }
        let infoValidity = master.node.isSubjectivelyDown ? timings.pingPeriod * 5 : timings.infoPeriod * 3
        if master.node.reportedRole == .slave, let upstream = master.reportedUpstream,
           let actual = master.replicas.first(where: { $0.address == upstream }), actual.node.reportedRole == .master,
           !actual.node.isSubjectivelyDown, actual.node.link.isConnected,
           let refreshed = actual.node.infoRefreshedAt, now - refreshed <= infoValidity {
            return upstream   // rule 3
        }
        let candidates = master.replicas.filter { replica in
            guard !replica.node.isSubjectivelyDown, replica.node.link.isConnected,
                  now - replica.node.link.lastAvailable <= timings.pingPeriod * 5,
                  replica.priority != 0, replica.node.reportedRole == .slave,
                  let refreshed = replica.node.infoRefreshedAt, now - refreshed <= infoValidity,
                  replica.masterLinkDownTime <= maxMasterDownTime else { return false }
            return true
        }
        return candidates.min(by: Self.isBetterCandidate)?.address
    }

    /// Redis's compareSlavesForPromotion as a strict order.
    static func isBetterCandidate(_ a: ReplicaRecord, _ b: ReplicaRecord) -> Bool {
        if a.priority != b.priority { return a.priority < b.priority }
        if a.replicationOffset != b.replicationOffset { return a.replicationOffset > b.replicationOffset }
        switch (a.node.runID, b.node.runID) {
        case let (x?, y?): return x < y
        case (.some, nil): return true
        case (nil, .some): return false
        case (nil, nil): return a.address < b.address
        }
    }
}
