// The failover state machine (Redis's sentinelFailoverStateMachine), driven
// by ticks and by INFO replies. See FailoverProgress.swift for the diagram.
//
// Starting (Redis's sentinelStartFailoverIfNeeded): the master is ODOWN, no
// failover runs, and the retry gate is open. Redis's gate is 2×failover-
// timeout after the last attempt or vote; Vigil keeps that only while the
// sentinel we voted for is alive and reachable, and after a failed election
// of our own retries after a random delay (timings.retryDelayRange). A start
// also waits a random moment after ODOWN (up to a quarter of maxDesync) so
// sentinels seeing ODOWN together rarely split the vote.
//
// Promotion (Vigil): the replica chosen is polled with INFO every tick while
// it is being promoted (and the shell sends INFO right after SLAVEOF NO ONE),
// and the moment it reports role:master the master record switches to it
// (`+switch-master` now, not at the end), so clients asking any sentinel find
// the writable master at once; the remaining replicas are then reconfigured
// against the record's own (new) address.

extension SentinelCore {
    // MARK: Starting

    mutating func startFailoverIfNeeded(master m: Int, now: Int64) -> Bool {
        guard let odownSince = masters[m].odownSince, masters[m].failover == nil else { return false }
        if now < masters[m].nextAttemptNotBefore, !votedLeaderIsGone(master: m) {
            if masters[m].delayLoggedFor != masters[m].nextAttemptNotBefore {
                masters[m].delayLoggedFor = masters[m].nextAttemptNotBefore
                emit(SentinelEvent(.warning, "-failover-delay", about: masters[m].description,
                                   detail: "#next attempt in \(masters[m].nextAttemptNotBefore - now) ms"))
            }
            return false
        }
        // A short random wait after ODOWN spreads the candidates.
        if masters[m].failoverStartJitter == nil {
            masters[m].failoverStartJitter = random.value(in: 0...max(0, timings.maxDesync / 4))
        }
        guard now - odownSince >= masters[m].failoverStartJitter ?? 0 else { return false }
        beginFailover(master: m, forced: false, coordinated: false, now: now)
        return true
    }

    /// True when the sentinel we last voted for (not us) is subjectively down or unknown.
    func votedLeaderIsGone(master m: Int) -> Bool {
        guard let leader = masters[m].leader, leader != myID else { return false }
        guard let peer = masters[m].sentinels.first(where: { $0.runID == leader }) else { return true }
        return peer.isSubjectivelyDown
    }

    /// Redis's sentinelStartFailover: new epoch, wait for the election.
    mutating func beginFailover(master m: Int, forced: Bool, coordinated: Bool, now: Int64) {
        currentEpoch += 1
        masters[m].failover = FailoverProgress(epoch: currentEpoch, now: now, isForced: forced, isCoordinated: coordinated)
        persist()
        emit(SentinelEvent(.warning, "+new-epoch", masterName: nil, payload: "\(currentEpoch)"))
        emit(SentinelEvent(.warning, "+try-failover", about: masters[m].description))
        masters[m].failoverStartTime = now + random.value(in: 0...timings.maxDesync)
        masters[m].nextAttemptNotBefore = masters[m].failoverStartTime + 2 * masters[m].failoverTimeout
    }

    mutating func abortFailover(master m: Int, _ event: String, about: InstanceDescription? = nil, retryQuickly: Bool, now: Int64) {
        guard let failover = masters[m].failover else { return }
        emit(SentinelEvent(.warning, event, about: about ?? masters[m].description))
        if failover.isCoordinated, masters[m].node.link.isConnected, failover.oldMaster == nil {
            switch failover.stage {
            case .pauseOldMaster, .waitCatchUp, .sendReplicaOfNoOne, .waitPromotion: send(masters[m].address, .unpause)
            case .waitStart, .selectReplica, .reconfigureReplicas: break
            }
        }
        for r in masters[m].replicas.indices { masters[m].replicas[r].isPromoted = false }
        masters[m].failover = nil
        masters[m].failoverStartJitter = nil
        if retryQuickly { masters[m].nextAttemptNotBefore = now + random.value(in: timings.retryDelayRange) }
    }

    // MARK: The state machine

    mutating func runFailover(master m: Int, now: Int64) {
        guard m < masters.count, let failover = masters[m].failover else { return }
        switch failover.stage {
        case .waitStart: waitForElection(master: m, now: now)
        case .selectReplica: selectReplicaStage(master: m, now: now)
        case .pauseOldMaster(_, let pausedAt), .waitCatchUp(_, _, let pausedAt):
            if now - pausedAt > timings.switchoverPause * 3 / 4 {
                abortFailover(master: m, "-failover-abort-slave-timeout", retryQuickly: false, now: now)
            }
        case .sendReplicaOfNoOne(let promoted): sendReplicaOfNoOne(master: m, promoted: promoted, now: now)
        case .waitPromotion:
            if now - failover.stageChangedAt > masters[m].failoverTimeout {
                abortFailover(master: m, "-failover-abort-slave-timeout", retryQuickly: true, now: now)
            }
        case .reconfigureReplicas: reconfigureNextReplicas(master: m, now: now)
        }
    }

    mutating func setStage(master m: Int, _ stage: FailoverStage, now: Int64) {
        masters[m].failover?.stage = stage
        masters[m].failover?.stageChangedAt = now
    }

    mutating func waitForElection(master m: Int, now: Int64) {
        guard let failover = masters[m].failover else { return }
        let leader = electedLeader(master: m, epoch: failover.epoch, now: now)
        if leader != myID, !failover.isForced {
            let elapsed = now - failover.stageChangedAt
            let timeout = min(timings.electionTimeout, masters[m].failoverTimeout)
            // Vigil: a split vote is given up after a couple of asking rounds.
            let split = elapsed > 2 * timings.askPeriod / 5 && electionIsSplit(master: m, epoch: failover.epoch)
            if elapsed > timeout || split {
                let someoneElse = leader != nil
                abortFailover(master: m, "-failover-abort-not-elected", retryQuickly: !someoneElse, now: now)
            }
            return
        }
        emit(SentinelEvent(.warning, "+elected-leader", about: masters[m].description))
        if simulatedFailures.contains(.crashAfterElection) { output.append(.simulatedCrash) }
        setStage(master: m, .selectReplica, now: now)
        emit(SentinelEvent(.warning, "+failover-state-select-slave", about: masters[m].description))
        selectReplicaStage(master: m, now: now)
    }

    mutating func selectReplicaStage(master m: Int, now: Int64) {
        guard let chosen = selectReplica(master: m, now: now), let r = masters[m].replicaIndex(chosen) else {
            abortFailover(master: m, "-failover-abort-no-good-slave", retryQuickly: true, now: now)
            return
        }
        let replica = masters[m].replicas[r]
        emit(SentinelEvent(.warning, "+selected-slave", about: masters[m].describe(replica: replica)))
        masters[m].replicas[r].isPromoted = true
        let coordinated = masters[m].failover?.isCoordinated == true && masters[m].node.link.isConnected
            && !masters[m].node.isSubjectivelyDown
        if coordinated {
            setStage(master: m, .pauseOldMaster(promoted: chosen, pausedAt: now), now: now)
            emit(SentinelEvent(.warning, "+failover-state-pause-master", about: masters[m].description))
            send(masters[m].address, .pauseWrites(milliseconds: timings.switchoverPause))
        } else {
            masters[m].failover?.isCoordinated = false
            setStage(master: m, .sendReplicaOfNoOne(promoted: chosen), now: now)
            emit(SentinelEvent(.warning, "+failover-state-send-slaveof-noone", about: masters[m].describe(replica: replica)))
            sendReplicaOfNoOne(master: m, promoted: chosen, now: now)
        }
    }

    /// Switchover: the old master stopped writes at `masterOffset`.
    mutating func writesPaused(_ address: InstanceAddress, masterOffset: Int64?, now: Int64) {
        guard let m = masters.firstIndex(where: { $0.address == address }),
              case .pauseOldMaster(let promoted, let pausedAt) = masters[m].failover?.stage else { return }
        guard let masterOffset else {
            abortFailover(master: m, "-failover-abort-pause-failed", retryQuickly: false, now: now)
            return
        }
        setStage(master: m, .waitCatchUp(promoted: promoted, target: masterOffset, pausedAt: pausedAt), now: now)
        if let r = masters[m].replicaIndex(promoted) {
            emit(SentinelEvent(.warning, "+failover-state-wait-catch-up", about: masters[m].describe(replica: masters[m].replicas[r]),
                               detail: "#offset \(masterOffset)"))
            if masters[m].replicas[r].replicationOffset >= masterOffset, masters[m].replicas[r].node.reportedRole == .slave {
                promoteCaughtUpReplica(master: m, promoted: promoted, now: now)
            } else {
                send(promoted, .info)
                masters[m].replicas[r].node.lastInfoSent = now
            }
        }
    }

    /// Switchover: the chosen replica has every write the old master accepted.
    mutating func promoteCaughtUpReplica(master m: Int, promoted: InstanceAddress, now: Int64) {
        guard let r = masters[m].replicaIndex(promoted) else { return }
        setStage(master: m, .sendReplicaOfNoOne(promoted: promoted), now: now)
        emit(SentinelEvent(.warning, "+failover-state-send-slaveof-noone", about: masters[m].describe(replica: masters[m].replicas[r])))
        sendReplicaOfNoOne(master: m, promoted: promoted, now: now)
    }

    mutating func sendReplicaOfNoOne(master m: Int, promoted: InstanceAddress, now: Int64) {
        guard let r = masters[m].replicaIndex(promoted), let failover = masters[m].failover else { return }
        guard masters[m].replicas[r].node.link.isConnected else {
            if now - failover.stageChangedAt > masters[m].failoverTimeout {
                abortFailover(master: m, "-failover-abort-slave-timeout", retryQuickly: true, now: now)
            }
            return
        }
        send(promoted, .replicaOf(nil))
        masters[m].replicas[r].node.lastInfoSent = now
        emit(SentinelEvent(.warning, "+failover-state-wait-promotion", about: masters[m].describe(replica: masters[m].replicas[r])))
        setStage(master: m, .waitPromotion(promoted: promoted), now: now)
    }

    /// The promoted replica reports role:master: adopt it now (Vigil's early switch).
    mutating func confirmPromotion(master m: Int, replica r: Int, now: Int64) {
        guard let failover = masters[m].failover else { return }
        let promoted = masters[m].replicas[r]
        let oldAddress = masters[m].address
        masters[m].configEpoch = failover.epoch
        emit(SentinelEvent(.warning, "+promoted-slave", about: masters[m].describe(replica: promoted)))
        if simulatedFailures.contains(.crashAfterPromotion) { output.append(.simulatedCrash) }
        emit(SentinelEvent(.warning, "+failover-state-reconf-slaves", about: masters[m].description))
        var progress = failover
        progress.stage = .reconfigureReplicas
        progress.stageChangedAt = now
        progress.oldMaster = oldAddress
        switchMaster(m, to: promoted.address, keeping: progress, now: now)
        persist()
        if failover.isCoordinated, let old = masters[m].replicaIndex(oldAddress) {
            // Re-point the paused old master at once, then let its clients go.
            send(oldAddress, .replicaOf(masters[m].address))
            send(oldAddress, .unpause)
            masters[m].replicas[old].reconfiguration = .sent(at: now)
            emit(SentinelEvent(.notice, "+slave-reconf-sent", about: masters[m].describe(replica: masters[m].replicas[old])))
        }
        forceHelloUpdate(master: m)
        sendPeriodicCommands(master: m, now: now)
    }

    /// Redis's sentinelFailoverReconfNextSlave + sentinelFailoverDetectEnd, on the switched record.
    mutating func reconfigureNextReplicas(master m: Int, now: Int64) {
        guard let failover = masters[m].failover else { return }
        let target = masters[m].address
        var inProgress = masters[m].replicas.filter {
            if case .sent = $0.reconfiguration { return true }
            return $0.reconfiguration == .inProgress
        }.count
        for r in masters[m].replicas.indices {
            let replica = masters[m].replicas[r]
            if case .sent(let at) = replica.reconfiguration, now - at > timings.replicaReconfTimeout {
                emit(SentinelEvent(.notice, "-slave-reconf-sent-timeout", about: masters[m].describe(replica: replica)))
                masters[m].replicas[r].reconfiguration = .done
                inProgress -= 1
                continue
            }
            guard replica.reconfiguration == .none, replica.node.link.isConnected, inProgress < masters[m].parallelSyncs else { continue }
            send(replica.address, .replicaOf(target))
            masters[m].replicas[r].reconfiguration = .sent(at: now)
            emit(SentinelEvent(.notice, "+slave-reconf-sent", about: masters[m].describe(replica: replica)))
            inProgress += 1
        }
        // Done when every replica that is not down has been reconfigured.
        var pending = masters[m].replicas.filter { $0.reconfiguration != .done && !$0.node.isSubjectivelyDown }.count
        let timedOut = now - failover.stageChangedAt > masters[m].failoverTimeout
        if timedOut {
            pending = 0
            emit(SentinelEvent(.warning, "+failover-end-for-timeout", about: masters[m].description))
            for r in masters[m].replicas.indices where masters[m].replicas[r].reconfiguration == .none
                && masters[m].replicas[r].node.link.isConnected {
                send(masters[m].replicas[r].address, .replicaOf(target))
                emit(SentinelEvent(.notice, "+slave-reconf-sent-be", about: masters[m].describe(replica: masters[m].replicas[r])))
            }
        }
        guard pending == 0 else { return }
        emit(SentinelEvent(.warning, "+failover-end", about: masters[m].description))
        masters[m].failover = nil
        masters[m].failoverStartJitter = nil
        for r in masters[m].replicas.indices {
            masters[m].replicas[r].reconfiguration = .none
            masters[m].replicas[r].isPromoted = false
        }
    }

    // MARK: Switching the master

    /// Points the record at `newAddress` (Redis's sentinelResetMasterAndChangeAddress,
    /// announced with `+switch-master`). Link and INFO state of every node that
    /// stays known is carried over, so the shell's links stay valid; the old
    /// master becomes a replica flagged as a former master.
    mutating func switchMaster(_ m: Int, to newAddress: InstanceAddress, keeping progress: FailoverProgress? = nil, now: Int64) {
        let old = masters[m]
        emit(SentinelEvent(.warning, "+switch-master", masterName: old.name,
                           payload: "\(old.name) \(old.address.host) \(old.address.port) \(newAddress.host) \(newAddress.port)"))
        guard newAddress != old.address else { return }
        var newNode = old.replicas.first(where: { $0.address == newAddress })?.node ?? NodeRecord(address: newAddress, now: now)
        newNode.sdownSince = nil
        newNode.rebootSince = nil
        newNode.isFormerMaster = false
        // Its last INFO said role:slave: forget that (no "+role-change" when it says master,
        // no "master reporting slave" clock) and ask again at once.
        newNode.reportedRole = nil
        newNode.roleReportedAt = now
        newNode.infoRefreshedAt = nil
        newNode.lastInfoSent = nil
        var replicas: [ReplicaRecord] = []
        for var replica in old.replicas where replica.address != newAddress {
            replica.isPromoted = false
            replica.reconfiguration = .none
            replicas.append(replica)
        }
        var demoted = ReplicaRecord(address: old.address, now: now)
        demoted.node = old.node
        demoted.node.isFormerMaster = true
        demoted.node.reportedRole = nil
        demoted.node.rebootSince = nil
        replicas.append(demoted)
        masters[m].node = newNode
        masters[m].reportedUpstream = nil
        masters[m].replicas = replicas
        masters[m].odownSince = nil
        masters[m].failover = progress
        masters[m].failoverStartJitter = nil
        // A new master may fail over at once if it dies (Redis resets failover_start_time too).
        masters[m].failoverStartTime = 0
        masters[m].nextAttemptNotBefore = 0
        masters[m].delayLoggedFor = nil
        for s in masters[m].sentinels.indices {
            masters[m].sentinels[s].saysMasterDown = false
        }
        persist()
    }
}
