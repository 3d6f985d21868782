// MasterSync: answering SYNC/PSYNC from a replica (Redis 7.0's syncCommand
// and masterTryPartialResynchronization).
//
//   PSYNC id off ─decidePSYNC─▶ continue ─▶ "+CONTINUE <id>" + backlog bytes from off ─▶ online
//                             └▶ full ─▶ (first replica: new id, backlog created)
//                                   ─▶ disk snapshot in production? join it : start one
//                                      (diskless: after repl-diskless-sync-delay, for all waiting)
//                                   ─▶ "+FULLRESYNC <id> <snapshot offset>" ─▶ wait_bgsave
//                                   ─▶ snapshot ready: "$<len>" or "$EOF:<mark>" payload in chunks
//                                      (send_bulk), then the buffered stream ─▶ online
//                                      (diskless: the stream starts at the replica's first ACK)
//
// Invariants: a connection becomes `kind = .replica` exactly when it is
// attached to the registry; the +FULLRESYNC offset is the master_repl_offset
// at which the snapshot was taken, and every stream byte after it reaches
// the replica after the payload (the job's `pending` buffer). The stream is
// forced to re-SELECT at that point, as the snapshot has no current database.

import Foundation
import RESP
import RDB
import EventLoop
import Replication

/// The AUX fields a snapshot for a full sync carries (Redis's rdbSaveInfo):
/// the stream's database, the replication id and the snapshot's offset.
struct ReplicationAuxFields: Sendable {
    let streamDB: Int
    let replicationID: String
    let offset: Int64
}

/// A snapshot for replication could not be produced.
struct ReplicationSnapshotError: Error, CustomStringConvertible {
    let description: String
}

extension Server {
    /// Writes a replication log line with Redis's level.
    func masterLog(_ line: ReplicationLogLine) {
        switch line.level {
        case .debug: logger.debug(line.text)
        case .verbose: logger.verbose(line.text)
        case .notice: logger.notice(line.text)
        case .warning: logger.warning(line.text)
        }
    }

    /// The registry id of a client.
    func replicaID(_ client: Client) -> UInt64 { UInt64(client.id) }

    /// Redis's name of a (would-be) replica for log lines: "ip:port".
    func replicaName(_ client: Client) -> String {
        masterSide.registry[replicaID(client)]?.name ?? ReplicaRecord(id: replicaID(client), peerIP: client.peer.ip).name
    }

    /// SYNC / PSYNC from `client`. `args` is the whole command.
    func handleSyncRequest(_ client: Client, args: [Bytes]) throws(CommandError) {
        // Already a replica: ignored, as Redis does.
        if client.kind == .replica { return }
        // FAILOVER (Failover.swift): PSYNC <replid> <offset> FAILOVER promotes us first;
        // a master that is failing over serves no syncs.
        if args.count > 3, asciiEqualsIgnoringCase(args[0], "psync"), asciiEqualsIgnoringCase(args[3], "failover") {
            try acceptFailoverRequest(client, args: args)
        }
        if masterSide.failover.phase != .none {
            throw CommandError("NOMASTERLINK Can't SYNC while failing over")
        }
        if replicaSide.isReplica, !replicaSide.isLinkUp {
            throw CommandError("NOMASTERLINK Can't SYNC while not connected with my master")
        }
        if client.pendingOutput > 0 {
            throw CommandError("ERR SYNC and PSYNC are invalid with pending output")
        }
        let isPSYNC = asciiEqualsIgnoringCase(args[0], "psync")
        let name = replicaName(client)
        masterLog(SyncRequestLog.asks(replicaName: name))
        installMasterHookIfNeeded()

        if isPSYNC {
            guard let offset = parsePSYNCOffset(args[2]) else {
                masterLog(SyncRequestLog.wrongOffset(replicaName: name))
                throw .notInteger
            }
            let decision = replicationStream.decidePSYNC(requestedID: args[1], requestedOffset: offset)
            switch decision {
            case .continue:
                acceptPartialResync(client, offset: offset, name: name)
                stats.syncPartialOK += 1
                return
            case .fullResync(let reason):
                for line in reason.logLines(replicaName: name) { masterLog(line) }
                if reason.countsAsPartialError { stats.syncPartialErr += 1 }
            }
        }

        // Full resynchronization.
        stats.syncFull += 1
        client.kind = .replica
        let id = replicaID(client)
        masterSide.registry.attach(id: id, peerIP: client.peer.ip, state: .waitBGSaveStart,
                                   nowMs: now, legacySync: !isPSYNC)
        if masterSide.registry.count == 1, let line = replicationStream.prepareBacklogForFirstReplica(using: &rng) {
            masterLog(line)
        }
        let capabilities = masterSide.registry[id]?.capabilities ?? []
        if let job = masterSide.job {
            if !job.diskless {
                setupForFullResync(client, offset: job.offset, legacySync: !isPSYNC)
                logger.notice("Waiting for end of BGSAVE for SYNC")
            } else {
                logger.notice("Current BGSAVE has socket target. Waiting for next BGSAVE for SYNC")
            }
        } else if config.bool("repl-diskless-sync"), capabilities.contains(.eof), config.int("repl-diskless-sync-delay") > 0 {
            // Started by the cron once the delay passed, so that more replicas can share it.
            logger.notice("Delay next BGSAVE for diskless SYNC")
        } else {
            startReplicationSnapshot(capabilities: capabilities)
        }
    }

    /// Cron (and after a snapshot): starts a snapshot for the replicas waiting
    /// for one, once the longest-waiting request is repl-diskless-sync-delay seconds old
    /// or repl-diskless-sync-max-replicas are waiting (Redis's
    /// shouldStartChildForReplication); at once for disk-style syncs.
    func startPendingFullSyncs() {
        guard masterSide.job == nil else { return }
        let pending = masterSide.registry.pendingFullSyncs
        guard !pending.ids.isEmpty else { return }
        let nowMs = now
        let maxIdle = pending.ids.reduce(Int64(0)) { idle, id in
            guard let client = clients[Int(id)] else { return idle }
            return max(idle, nowMs / 1000 - client.lastInteraction / 1000)
        }
        let delay = Int64(config.int("repl-diskless-sync-delay"))
        let maxReplicas = config.int("repl-diskless-sync-max-replicas")
        let diskless = config.bool("repl-diskless-sync")
        guard !diskless || maxIdle >= delay || (maxReplicas > 0 && pending.ids.count >= maxReplicas) else { return }
        startReplicationSnapshot(capabilities: pending.commonCapabilities)
    }

    /// +CONTINUE and the backlog from `offset`; the replica is online at once.
    private func acceptPartialResync(_ client: Client, offset: Int64, name: String) {
        let id = replicaID(client)
        client.kind = .replica
        masterSide.registry.attach(id: id, peerIP: client.peer.ip, state: .online, nowMs: now)
        let psync2 = masterSide.registry[id]?.capabilities.contains(.psync2) ?? false
        client.reply.raw(replicationStream.history.continueReply(psync2: psync2))
        var sent = 0
        replicationStream.backlog?.forEachSegment(from: offset) { segment in
            client.reply.bytes.append(contentsOf: segment)
            sent += segment.count
        }
        masterLog(SyncRequestLog.partialAccepted(replicaName: name, byteCount: sent, offset: offset))
        masterSide.online.append(client)
        refreshGoodReplicas()
    }

    /// Redis's replicationSetupSlaveForFullResync: wait_bgsave_end, re-SELECT, +FULLRESYNC.
    private func setupForFullResync(_ client: Client, offset: Int64, legacySync: Bool) {
        masterSide.job?.replicas.append(client.id)
        masterSide.registry.setState(.waitBGSaveEnd, of: replicaID(client))
        replicationStream.forceSelect()
        if !legacySync {
            client.reply.raw(replicationStream.history.fullResyncReply(offset: offset))
            scheduleFlush(client)
        }
    }

    /// Takes a copy-on-write snapshot of the keyspace for every replica
    /// waiting for one and serializes it on a helper thread;
    /// `finishReplicationSnapshot` runs on the loop when done. Diskless when
    /// configured and all of them announced `capa eof` (Redis's startBgsaveForReplication).
    private func startReplicationSnapshot(capabilities: ReplicaCapabilities) {
        let diskless = config.bool("repl-diskless-sync") && capabilities.contains(.eof)
        let offset = replicationStream.history.masterReplOffset
        let aux = ReplicationAuxFields(streamDB: replicationStream.feeder.selectedDB ?? 0,
                                       replicationID: replicationStream.history.replID.description, offset: offset)
        logger.notice("Starting BGSAVE for SYNC with target: \(diskless ? "replicas sockets" : "disk")")
        masterSide.job = ReplicationSnapshotJob(offset: offset, diskless: diskless)
        for id in masterSide.registry.pendingFullSyncs.ids {
            guard let client = clients[Int(id)] else { continue }
            setupForFullResync(client, offset: offset, legacySync: masterSide.registry[id]?.preSync ?? false)
        }

        let snapshot = databases
        let compress = config.bool("rdbcompression"), checksum = config.bool("rdbchecksum")
        let handle = loop.handle
        let server = LoopBound(value: self)
        logger.notice(diskless ? "Background RDB transfer started" : "Background saving started")
        Thread.detachNewThread {
            let outcome: Result<Bytes, ReplicationSnapshotError>
            do throws(RDBError) {
                var writer = RDBWriter(sink: MemorySink(), compress: compress, checksum: checksum)
                try SnapshotCodec.write(snapshot, to: &writer,
                                        ctime: EventLoop.wallClockMilliseconds() / 1000,
                                        usedMemory: Int64(MemoryUsage.heapBytes()),
                                        replication: aux)
                outcome = .success(try writer.finish().bytes)
            } catch {
                outcome = .failure(ReplicationSnapshotError(description: "\(error)"))
            }
            handle.execute { server.value.finishReplicationSnapshot(outcome) }
        }
    }

    /// The snapshot is ready (or failed): start sending it to every replica
    /// that waits for it.
    func finishReplicationSnapshot(_ outcome: Result<Bytes, ReplicationSnapshotError>) {
        guard let job = masterSide.job else { return }
        masterSide.job = nil
        switch outcome {
        case .failure(let error):
            logger.warning("Background saving error: \(error)")
            for id in job.replicas {
                guard let client = clients[id] else { continue }
                logger.warning("SYNC failed. BGSAVE child returned an error")
                close(client)
            }
        case .success(let rdb):
            logger.notice(job.diskless ? "Background RDB transfer terminated with success" : "Background saving terminated with success")
            var payload: Bytes
            if job.diskless {
                let mark = SnapshotPreamble.randomMark(using: &rng)
                payload = SnapshotPreamble.eofMarked(mark)
                payload.reserveCapacity(payload.count + rdb.count + mark.count)
                payload.append(contentsOf: rdb)
                payload.append(contentsOf: mark)
            } else {
                payload = SnapshotPreamble.sized(Int64(rdb.count))
                payload.reserveCapacity(payload.count + rdb.count)
                payload.append(contentsOf: rdb)
            }
            for id in job.replicas {
                guard let client = clients[id], !client.isClosed,
                      masterSide.registry[replicaID(client)]?.state == .waitBGSaveEnd else { continue }
                masterSide.registry.setState(.sendBulk, of: replicaID(client))
                masterSide.transfers[id] = ReplicaTransfer(payload: payload, streamAfterAck: job.diskless, pending: job.pending)
            }
            pumpReplicaTransfers()
        }
        startPendingFullSyncs()
    }

    /// Diskless: the replica's first ACK after its payload starts its command stream.
    func startCommandStream(_ client: Client) {
        guard let transfer = masterSide.transfers[client.id], transfer.awaitingAck else { return }
        masterSide.transfers[client.id] = nil
        client.reply.raw(transfer.pending)
        masterSide.online.append(client)
        scheduleFlush(client)
        enforceOutputLimits(client)
    }

    /// Moves RDB payload chunks into the output buffers of replicas whose
    /// buffers drained; a replica whose payload is all out gets its buffered
    /// stream and goes online. Called after the snapshot and before sleeping.
    func pumpReplicaTransfers() {
        guard !masterSide.transfers.isEmpty else { return }
        let chunk = 256 * 1024
        for id in Array(masterSide.transfers.keys) {
            guard let client = clients[id], !client.isClosed else {
                masterSide.transfers[id] = nil
                continue
            }
            if masterSide.transfers[id]?.awaitingAck == true { continue }
            while client.pendingOutput < chunk, !client.isClosed,
                  let transfer = masterSide.transfers[id], transfer.sent < transfer.payload.count {
                let end = min(transfer.payload.count, transfer.sent + chunk)
                client.reply.bytes.append(contentsOf: transfer.payload[transfer.sent..<end])
                masterSide.transfers[id]?.sent = end
                flush(client)
            }
            guard !client.isClosed, let transfer = masterSide.transfers[id],
                  transfer.sent == transfer.payload.count else { continue }
            for line in masterSide.registry.putOnline(replicaID(client), nowMs: now, waitForAck: transfer.streamAfterAck) {
                masterLog(line)
            }
            refreshGoodReplicas()
            if transfer.streamAfterAck {
                masterSide.transfers[id]?.awaitingAck = true
                continue
            }
            masterSide.transfers[id] = nil
            client.reply.raw(transfer.pending)
            masterSide.online.append(client)
            flush(client)
            if !client.isClosed { enforceOutputLimits(client) }
        }
    }
}
