// What an INFO reply changes (Redis's sentinelRefreshInstanceInfo):
//
//   1. Bookkeeping: run id (a change is `+reboot`), reported role (a change
//      is `+role-change`/`-role-change`), replica fields, the INFO cache;
//      for a master that reports role:slave, the master it follows
//      (`reportedUpstream`, see +Selection rule 3).
//   2. From a master: every `slaveN:` line names a replica; unknown ones are
//      added (`+slave`) and the config is persisted.
//   3. Not in TILT, from a replica that reports `role:master`:
//      a. the replica being promoted → the promotion is confirmed (+Failover);
//      b. any other → it is told to follow our master again
//         (`+convert-to-slave`) once our master looks sane and either
//         (Redis) it has reported master for 4 hello periods and has not
//         been down meanwhile, or (Vigil) it is the old master this sentinel
//         switched away from and it has not reported role:slave since: it
//         cannot have been promoted legitimately after our switch (that
//         would need it to be a replica first), so it is converted at once.
//   4. Not in TILT, from a replica following the wrong master: re-pointed
//      (`+fix-slave-config`) when no failover runs, our master looks sane and
//      the replica's configuration has been stable for failover-timeout.
//   5. Replicas being reconfigured advance sent → in progress (INFO names the
//      new master) → done (its link is up).

extension SentinelCore {
    mutating func infoReceived(_ address: InstanceAddress, text: String, now: Int64) {
        let report = InfoReport.parse(text)
        for m in masters.indices where masters[m].address == address {
            refreshMaster(m, report, text: text, now: now)
        }
        for m in masters.indices {
            guard let r = masters[m].replicaIndex(address) else { continue }
            refreshReplica(master: m, replica: r, report, text: text, now: now)
        }
    }

    /// Common bookkeeping; returns true when the role changed.
    mutating func refreshNode(_ node: inout NodeRecord, _ report: InfoReport, text: String, about: InstanceDescription,
                              isMasterRecord: Bool, rebootDownAfter: Int64, now: Int64) {
        node.infoRefreshedAt = now
        node.infoText = text
        if let runID = report.runID, runID != node.runID {
            if node.runID != nil {
                emit(SentinelEvent(.notice, "+reboot", about: about))
                if isMasterRecord, rebootDownAfter > 0 { node.rebootSince = now }
            }
            node.runID = runID
        }
        if let role = report.role {
            let reported: ReportedRole = role == .master ? .master : .slave
            if reported != node.reportedRole {
                // Like Redis, a node is first assumed to have the role we know it by:
                // only a change from that (or from a later report) is an event.
                let expected: ReportedRole = isMasterRecord ? .master : .slave
                let previous = node.reportedRole ?? expected
                node.reportedRole = reported
                node.roleReportedAt = now
                if reported != previous {
                    emit(SentinelEvent(.verbose, reported == expected ? "+role-change" : "-role-change", about: about,
                                       detail: "new reported role is \(reported.rawValue)"))
                }
            }
        }
    }

    mutating func refreshMaster(_ m: Int, _ report: InfoReport, text: String, now: Int64) {
        var node = masters[m].node
        refreshNode(&node, report, text: text, about: masters[m].description, isMasterRecord: true,
                    rebootDownAfter: masters[m].rebootDownAfter, now: now)
        masters[m].node = node
        if report.role == .replica, let host = report.masterHost, let port = report.masterPort {
            masters[m].reportedUpstream = InstanceAddress(host: host, port: port)
        } else if report.role == .master {
            masters[m].reportedUpstream = nil
        }
        guard report.role == .master else { return }
        var added = false
        for line in report.replicas {
            let address = InstanceAddress(host: line.host, port: line.port)
            guard address != masters[m].address, masters[m].replicaIndex(address) == nil else { continue }
            let replica = ReplicaRecord(address: address, now: now)
            masters[m].replicas.append(replica)
            emit(SentinelEvent(.notice, "+slave", about: masters[m].describe(replica: replica)))
            added = true
        }
        if added { persist() }
    }

    mutating func refreshReplica(master m: Int, replica r: Int, _ report: InfoReport, text: String, now: Int64) {
        var replica = masters[m].replicas[r]
        let about = masters[m].describe(replica: replica)
        refreshNode(&replica.node, report, text: text, about: about, isMasterRecord: false, rebootDownAfter: 0, now: now)
        if report.role == .replica {
            replica.node.isFormerMaster = false
            if replica.masterHost != report.masterHost || replica.masterPort != report.masterPort {
                replica.configChangedAt = now
            }
            replica.masterHost = report.masterHost
            replica.masterPort = report.masterPort
            replica.masterLinkUp = report.masterLinkUp
            replica.masterLinkDownTime = report.masterLinkUp ? 0 : Int64(max(0, report.masterLinkDownSinceSeconds ?? 0)) * 1000
            replica.priority = report.replicaPriority
            replica.replicationOffset = report.replicaOffset
            replica.announced = report.replicaAnnounced
        }
        masters[m].replicas[r] = replica
        guard tiltSince == nil else { return }

        if report.role == .master {
            if replica.isPromoted, case .waitPromotion = masters[m].failover?.stage {
                confirmPromotion(master: m, replica: r, now: now)
            } else if !replica.isPromoted {
                convertIfStale(master: m, replica: r, now: now)
            }
            return
        }
        guard report.role == .replica else { return }
        if case .waitCatchUp(let promoted, let target, _) = masters[m].failover?.stage, promoted == replica.address,
           replica.replicationOffset >= target {
            promoteCaughtUpReplica(master: m, promoted: promoted, now: now)
            return
        }
        switch replica.reconfiguration {
        case .sent:
            if replica.follows(masters[m].address) {
                masters[m].replicas[r].reconfiguration = .inProgress
                emit(SentinelEvent(.notice, "+slave-reconf-inprog", about: about))
                if replica.masterLinkUp {
                    masters[m].replicas[r].reconfiguration = .done
                    emit(SentinelEvent(.notice, "+slave-reconf-done", about: about))
                }
            }
            return
        case .inProgress:
            if replica.masterLinkUp {
                masters[m].replicas[r].reconfiguration = .done
                emit(SentinelEvent(.notice, "+slave-reconf-done", about: about))
            }
            return
        case .none, .done:
            break
        }
        // Following the wrong master (Redis's +fix-slave-config).
        guard masters[m].failover == nil, !replica.follows(masters[m].address), masterLooksSane(m, now: now) else { return }
        let wait = masters[m].failoverTimeout
        guard replica.node.noDown(for: wait, now: now), now - replica.configChangedAt > wait,
              due(replica.lastReconfigureSent, every: 1_000, now: now) else { return }
        masters[m].replicas[r].lastReconfigureSent = now
        send(replica.address, .replicaOf(masters[m].address))
        emit(SentinelEvent(.notice, "+fix-slave-config", about: about))
    }

    /// A replica (not being promoted) says it is a master: turn it back.
    mutating func convertIfStale(master m: Int, replica r: Int, now: Int64) {
        let replica = masters[m].replicas[r]
        guard masterLooksSane(m, now: now), due(replica.lastReconfigureSent, every: 1_000, now: now) else { return }
        let wait = timings.publishPeriod * 4
        let staleOldMaster = replica.node.isFormerMaster
        let stale = replica.node.noDown(for: wait, now: now) && now - replica.node.roleReportedAt > wait
        guard staleOldMaster || stale else { return }
        masters[m].replicas[r].lastReconfigureSent = now
        send(replica.address, .replicaOf(masters[m].address))
        emit(SentinelEvent(.notice, "+convert-to-slave", about: masters[m].describe(replica: replica)))
    }

    /// Redis's sentinelMasterLooksSane: reachable, says master, INFO fresh.
    func masterLooksSane(_ m: Int, now: Int64) -> Bool {
        let node = masters[m].node
        guard !node.isSubjectivelyDown, !masters[m].isObjectivelyDown, node.reportedRole == .master,
              let refreshed = node.infoRefreshedAt else { return false }
        return now - refreshed < timings.infoPeriod * 2
    }
}
