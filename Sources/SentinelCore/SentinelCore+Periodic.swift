// The 100 ms tick (Redis's sentinelTimer → sentinelHandleRedisInstance):
//
//   1. TILT check: a tick that comes more than tilt-trigger after the last
//      one (process stalled) or whose wall clock moved differently from the
//      monotonic clock (clock jump) enters TILT for tilt-period.
//   2. For every master, its replicas and its sentinels: PING, INFO and hello
//      when due. This monitoring half runs even in TILT.
//   3. Unless in TILT: SDOWN for every instance, ODOWN for the master, start a
//      failover if needed, run the failover state machine, ask peers about
//      the master.
//
// Periods (Redis's, with Vigil's faster polls marked):
//   PING    every min(down-after, ping-period) after the last reply.
//   INFO    every info-period (10 s); every second for replicas of a master in
//           ODOWN or failover or whose link to their master is down, and
//           (Vigil) for nodes whose reported role disagrees with ours; every
//           tick (Vigil) for the replica being promoted.
//   hello   every publish-period through each master, replica and sentinel.
//   ask     every ask-period while the master is SDOWN; (Vigil) every tick
//           while it is SDOWN but not yet ODOWN and during the election. A
//           sentinel running a failover asks as candidate in the failover's
//           epoch (Redis: its current epoch, see +Election).

extension SentinelCore {
    mutating func tick(now: Int64, wallClock: Int64?) {
        checkTilt(now: now, wallClock: wallClock)
        for m in masters.indices {
            guard m < masters.count else { break }
            sendPeriodicCommands(master: m, now: now)
            if let since = tiltSince {
                if now - since < timings.tiltPeriod { continue }
                tiltSince = nil
                emit(SentinelEvent(.warning, "-tilt", masterName: nil, payload: "#tilt mode exited"))
            }
            checkSubjectivelyDown(master: m, now: now)
            checkObjectivelyDown(master: m, now: now)
            if startFailoverIfNeeded(master: m, now: now) {
                askPeersAboutMaster(m, forced: true, now: now)
            }
            runFailover(master: m, now: now)
            if m < masters.count { askPeersAboutMaster(m, forced: false, now: now) }
        }
    }

    // MARK: TILT

    mutating func checkTilt(now: Int64, wallClock: Int64?) {
        defer { lastTick = now; if let wallClock { lastWallClock = wallClock } }
        guard let last = lastTick else { return }
        let delta = now - last
        var jumped = delta < 0 || delta > timings.tiltTrigger
        if let wallClock, let lastWall = lastWallClock {
            let wallDelta = wallClock - lastWall
            if wallDelta < 0 || abs(wallDelta - delta) > timings.tiltTrigger { jumped = true }
        }
        guard jumped else { return }
        if tiltSince == nil {
            emit(SentinelEvent(.warning, "+tilt", masterName: nil, payload: "#tilt mode entered"))
        }
        tiltSince = now
    }

    // MARK: Periodic commands

    mutating func sendPeriodicCommands(master m: Int, now: Int64) {
        let pingPeriod = min(masters[m].downAfter, timings.pingPeriod)
        let masterAddress = masters[m].address
        let masterInfoPeriod = masters[m].node.reportedRole == .slave ? min(1_000, timings.infoPeriod) : timings.infoPeriod
        var masterNode = masters[m].node
        pollNode(&masterNode, infoPeriod: masterInfoPeriod, pingPeriod: pingPeriod, now: now)
        masters[m].node = masterNode
        if masters[m].node.link.isConnected, due(masters[m].node.lastHelloSent, every: timings.publishPeriod, now: now) {
            masters[m].node.lastHelloSent = now
            send(masterAddress, helloRequest(master: m))
        }
        let masterBusy = masters[m].isObjectivelyDown || masters[m].failover != nil
        let promoting = masters[m].promotedReplica
        for r in masters[m].replicas.indices {
            let replica = masters[m].replicas[r]
            var period = timings.infoPeriod
            if masterBusy || replica.masterLinkDownTime != 0 || !replica.masterLinkUp { period = min(1_000, period) }
            if replica.node.reportedRole == .master { period = min(1_000, period) }
            if replica.address == promoting { period = 0 }
            // Vigil: replicas being re-pointed are polled every tick, so the failover ends sooner.
            if replica.reconfiguration != .none, replica.reconfiguration != .done { period = 0 }
            var node = replica.node
            pollNode(&node, infoPeriod: period, pingPeriod: pingPeriod, now: now)
            masters[m].replicas[r].node = node
            if replica.node.link.isConnected, due(replica.node.lastHelloSent, every: timings.publishPeriod, now: now) {
                masters[m].replicas[r].node.lastHelloSent = now
                send(replica.address, helloRequest(master: m))
            }
        }
        for s in masters[m].sentinels.indices {
            let peer = masters[m].sentinels[s]
            guard peer.link.isConnected else { continue }
            if now - peer.link.lastPong > pingPeriod, now - peer.link.lastPingSent > pingPeriod / 2 {
                masters[m].sentinels[s].link.pingSent(now: now)
                send(peer.address, .ping)
            }
            if due(peer.lastHelloSent, every: timings.publishPeriod, now: now) {
                masters[m].sentinels[s].lastHelloSent = now
                send(peer.address, helloRequest(master: m))
            }
        }
    }

    /// PING and INFO for one data node when due.
    mutating func pollNode(_ node: inout NodeRecord, infoPeriod: Int64, pingPeriod: Int64, now: Int64) {
        guard node.link.isConnected else { return }
        let refreshDue = node.infoRefreshedAt.map { now - $0 > infoPeriod } ?? true
        let outstanding = node.lastInfoSent.map { sent in sent > (node.infoRefreshedAt ?? Int64.min) && now - sent < 1_000 } ?? false
        if refreshDue, !outstanding {
            node.lastInfoSent = now
            send(node.address, .info)
        }
        if now - node.link.lastPong > pingPeriod, now - node.link.lastPingSent > pingPeriod / 2 {
            node.link.pingSent(now: now)
            send(node.address, .ping)
        }
    }

    func due(_ last: Int64?, every period: Int64, now: Int64) -> Bool {
        guard let last else { return true }
        return now - last > period
    }

    /// The hello for master `m`: `ip,port,myid,current_epoch,name,master_ip,master_port,config_epoch`.
    func helloRequest(master m: Int) -> InstanceRequest {
        let record = masters[m]
        let rest = "\(announcePort),\(myID),\(currentEpoch),\(record.name),\(record.address.host),\(record.address.port),\(record.configEpoch)"
        return .publishHello(announceIP: announceIP, rest: rest)
    }

    /// Sends hellos for master `m` everywhere at the next tick (Redis's sentinelForceHelloUpdateForMaster).
    mutating func forceHelloUpdate(master m: Int) {
        masters[m].node.lastHelloSent = nil
        for r in masters[m].replicas.indices { masters[m].replicas[r].node.lastHelloSent = nil }
        for s in masters[m].sentinels.indices { masters[m].sentinels[s].lastHelloSent = nil }
    }

    // MARK: SDOWN / ODOWN

    /// Redis's sentinelCheckSubjectivelyDown for the master, its replicas and sentinels.
    mutating func checkSubjectivelyDown(master m: Int, now: Int64) {
        let downAfter = masters[m].downAfter
        let infoPeriod = timings.infoPeriod
        // The master: silent too long, reporting role:slave too long, or rebooted and not answering PONG.
        var node = masters[m].node
        var down = isSilent(node.link, downAfter: downAfter, now: now)
        if node.reportedRole == .slave, now - node.roleReportedAt > downAfter + 2 * infoPeriod { down = true }
        if let reboot = node.rebootSince, masters[m].rebootDownAfter > 0, now - reboot > masters[m].rebootDownAfter { down = true }
        checkStaleLink(node.link, address: node.address, downAfter: downAfter, now: now)
        updateSubjectiveDown(&node.sdownSince, &node.lastSdownStart, down: down, now: now,
                             about: masters[m].description)
        masters[m].node = node
        for r in masters[m].replicas.indices {
            var replica = masters[m].replicas[r]
            checkStaleLink(replica.node.link, address: replica.address, downAfter: downAfter, now: now)
            updateSubjectiveDown(&replica.node.sdownSince, &replica.node.lastSdownStart,
                                 down: isSilent(replica.node.link, downAfter: downAfter, now: now), now: now,
                                 about: masters[m].describe(replica: replica))
            masters[m].replicas[r] = replica
        }
        for s in masters[m].sentinels.indices {
            var peer = masters[m].sentinels[s]
            checkStaleLink(peer.link, address: peer.address, downAfter: downAfter, now: now)
            updateSubjectiveDown(&peer.sdownSince, &peer.lastSdownStart,
                                 down: isSilent(peer.link, downAfter: downAfter, now: now), now: now,
                                 about: masters[m].describe(sentinel: peer))
            masters[m].sentinels[s] = peer
        }
    }

    func isSilent(_ link: LinkHealth, downAfter: Int64, now: Int64) -> Bool {
        link.silence(now: now) > downAfter
    }

    /// A connected link with a PING unanswered for half of down-after (and
    /// connected for a while) is dropped and reconnected, as Redis does.
    mutating func checkStaleLink(_ link: LinkHealth, address: InstanceAddress, downAfter: Int64, now: Int64) {
        guard link.isConnected, now - link.connectedSince > 15_000, let pending = link.pendingPingSince,
              now - pending > downAfter / 2, now - link.lastPong > downAfter / 2 else { return }
        if !output.contains(.resetLink(address)) { output.append(.resetLink(address)) }
    }

    mutating func updateSubjectiveDown(_ since: inout Int64?, _ lastStart: inout Int64?, down: Bool, now: Int64,
                                       about instance: InstanceDescription) {
        if down, since == nil {
            since = now
            lastStart = now
            emit(SentinelEvent(.warning, "+sdown", about: instance))
        } else if !down, since != nil {
            since = nil
            emit(SentinelEvent(.warning, "-sdown", about: instance))
        }
    }

    /// ODOWN: SDOWN here plus enough peers saying so to reach the quorum.
    mutating func checkObjectivelyDown(master m: Int, now: Int64) {
        var votes = 0
        if masters[m].node.isSubjectivelyDown {
            votes = 1 + masters[m].sentinels.filter(\.saysMasterDown).count
        }
        let down = votes > 0 && votes >= masters[m].quorum
        if down, masters[m].odownSince == nil {
            masters[m].odownSince = now
            emit(SentinelEvent(.warning, "+odown", about: masters[m].description,
                               detail: "#quorum \(votes)/\(masters[m].quorum)"))
        } else if !down, masters[m].odownSince != nil {
            masters[m].odownSince = nil
            emit(SentinelEvent(.warning, "-odown", about: masters[m].description))
        }
    }

    // MARK: Asking peers

    /// Redis's sentinelAskMasterStateToOtherSentinels.
    mutating func askPeersAboutMaster(_ m: Int, forced: Bool, now: Int64) {
        let master = masters[m]
        let fast = master.node.isSubjectivelyDown && (!master.isObjectivelyDown || master.failover?.stage == .waitStart)
        for s in masters[m].sentinels.indices {
            var peer = masters[m].sentinels[s]
            let sinceReply = peer.lastMasterStateReply.map { now - $0 } ?? Int64.max
            if sinceReply > timings.askPeriod * 5 {
                peer.saysMasterDown = false
                peer.leader = nil
            }
            defer { masters[m].sentinels[s] = peer }
            guard master.node.isSubjectivelyDown, peer.link.isConnected else { continue }
            if !forced {
                let outstanding = peer.lastAsked.map { asked in asked > (peer.lastMasterStateReply ?? Int64.min) && now - asked < timings.askPeriod } ?? false
                if outstanding { continue }
                if !fast, sinceReply < timings.askPeriod { continue }
            }
            peer.lastAsked = now
            // A candidate asks for votes in its failover's epoch, even once a newer one is known (+Election).
            let candidate: String? = master.failover == nil ? nil : myID
            let epoch = master.failover?.epoch ?? currentEpoch
            send(peer.address, .askMasterState(masterName: master.name, masterAddress: master.address,
                                               currentEpoch: epoch, candidate: candidate))
        }
    }

    /// A peer's is-master-down-by-addr reply (Redis's sentinelReceiveIsMasterDownReply).
    mutating func masterStateReceived(from address: InstanceAddress, masterName: String, _ reply: MasterStateReply?,
                                      now: Int64) {
        guard let m = masterIndex(named: masterName),
              let s = masters[m].sentinels.firstIndex(where: { $0.address == address }) else { return }
        guard let reply else {
            emit(SentinelEvent(.debug, "-invalid-master-state-reply", about: masters[m].describe(sentinel: masters[m].sentinels[s])))
            return
        }
        masters[m].sentinels[s].lastMasterStateReply = now
        masters[m].sentinels[s].saysMasterDown = reply.isDown
        if reply.leader != "*" {
            if masters[m].sentinels[s].leader != reply.leader || masters[m].sentinels[s].leaderEpoch != reply.leaderEpoch {
                emit(SentinelEvent(.debug, "+vote-reply", about: masters[m].describe(sentinel: masters[m].sentinels[s]),
                                   detail: "voted for \(reply.leader) \(reply.leaderEpoch)"))
            }
            masters[m].sentinels[s].leader = reply.leader
            masters[m].sentinels[s].leaderEpoch = reply.leaderEpoch
        }
    }
}
