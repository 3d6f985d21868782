// MasterCron: the master side's periodic and per-iteration work —
// once a second (Redis's replicationCron): PING replicas every
// repl-ping-replica-period seconds, "\n" keepalives to replicas waiting for
// their snapshot, disconnecting replicas silent for repl-timeout, freeing
// the backlog after repl-backlog-ttl without replicas, refreshing the good
// replica count; before every sleep: RDB payload chunks, WAIT releases and
// the REPLCONF GETACK a blocked WAIT asked for. Also the cleanup when a
// replica (or any client known to the master side) disconnects.
//
// Invariant: the before-sleep hook flushes what it queued itself (it runs
// after the server's own flush pass).

import RESP
import EventLoop
import Replication

extension Server {
    /// True when this node is a master (not replicating): only then does it
    /// produce its own stream bytes (PING, GETACK); a replica proxies its master's.
    var actsAsMaster: Bool { !replicaSide.isReplica }

    /// Installs the before-sleep hook once.
    func installMasterHookIfNeeded() {
        guard !masterSide.hookInstalled else { return }
        masterSide.hookInstalled = true
        loop.addBeforeSleep { [unowned self] in self.masterBeforeSleep() }
    }

    /// Before sleeping: move RDB chunks, ask for ACKs, release WAITs, flush.
    private func masterBeforeSleep() {
        pumpReplicaTransfers()
        if masterSide.waits.count > 0 { releaseSatisfiedWaiters() }
        if masterSide.failover.phase != .none { updateFailoverStatus() }  // FAILOVER (Failover.swift)
        if masterSide.ackRequested {
            masterSide.ackRequested = false
            if pause == nil, actsAsMaster, let bytes = replicationStream.propagateGetAck() { sendToReplicas(bytes) }
        }
        while !pendingFlush.isEmpty {
            let batch = pendingFlush
            pendingFlush.removeAll(keepingCapacity: true)
            for client in batch {
                client.flushQueued = false
                flush(client)
            }
        }
    }

    /// Called by the cron at every tick; does its work once a second.
    func replicationMasterCron() {
        installMasterHookIfNeeded()
        let t = loop.monotonicMilliseconds
        guard t - masterSide.lastCronMs >= 1000 else { return }
        masterSide.lastCronMs = t
        let nowMs = now
        let period = max(1, config.int("repl-ping-replica-period"))

        if masterSide.cronLoops % period == 0, masterSide.registry.count > 0, pause == nil, actsAsMaster,
           let bytes = replicationStream.propagatePing() {
            sendToReplicas(bytes)
        }
        for id in masterSide.registry.presyncKeepaliveTargets(snapshotToSocket: false) {
            guard let client = clients[Int(id)] else { continue }
            client.reply.raw("\n")
            scheduleFlush(client)
        }
        for (id, line) in masterSide.registry.timedOutReplicas(nowMs: nowMs, timeoutSeconds: Int64(config.int("repl-timeout"))) {
            guard let client = clients[Int(id)] else { continue }
            masterLog(line)
            close(client)
        }
        if let line = replicationStream.expireIdleBacklog(
            nowMs: nowMs, noReplicasSinceMs: masterSide.registry.noReplicasSinceMs,
            ttlSeconds: Int64(config.int("repl-backlog-ttl")), replicaCount: masterSide.registry.count,
            isMaster: actsAsMaster, using: &rng) {
            masterLog(line)
        }
        startPendingFullSyncs()
        refreshGoodReplicas()
        masterSide.cronLoops += 1
    }

    /// Recounts the replicas within min-replicas-max-lag of their last ACK.
    func refreshGoodReplicas() {
        masterSide.goodReplicas = masterSide.registry.goodReplicaCount(
            nowMs: now, maxLagSeconds: Int64(config.int("min-replicas-max-lag")))
    }

    /// A client closed: forget it as a replica, a WAIT waiter and a writer.
    func masterSideClientClosed(_ client: Client) {
        let id = client.id
        masterSide.writeOffsets[id] = nil
        if masterSide.waits.count > 0 {
            masterSide.waits.remove(clientID: UInt64(id))
            if let timer = masterSide.waitTimers.removeValue(forKey: id) { loop.cancel(timer) }
        }
        guard masterSide.registry[UInt64(id)] != nil else { return }
        masterSide.transfers[id] = nil
        masterSide.job?.replicas.removeAll { $0 == id }
        masterSide.online.removeAll { $0 === client }
        if let line = masterSide.registry.remove(UInt64(id), nowMs: now) { masterLog(line) }
        refreshGoodReplicas()
    }
}
