// ReplicaRole: changing role (Redis's replicationSetMaster /
// replicationUnsetMaster), start-up from the `replicaof` directive, and the
// once-a-second replica cron (reconnects, repl-timeout, REPLCONF ACK).
//
// Invariants: a replica never expires keys itself (`expiresOnAccess` false in
// every database) and never propagates its own execution; a master does
// both. Promotion keeps the data and the history continuable (PSYNC2:
// old id → id2 up to offset+1); demotion caches the node's own history so the
// first PSYNC to the new master can be partial.

import RESP
import Config
import EventLoop
import Replication

extension Server {
    /// Installs the replica cron and follows `replicaof` from the configuration.
    func startReplicaSide() {
        replicaSide.cronTimer = loop.scheduleRepeating(everyMilliseconds: 1000) { [unowned self] in self.replicaCron() }
        if let target = config.replicaOf {
            replicaSide.target = target
            setReplicaExpiry(true)
            logger.notice("Connecting to MASTER \(target.host):\(target.port)")
            connectToMaster()
        }
    }

    /// Makes this node a replica of `target` (REPLICAOF host port).
    func becomeReplica(of target: ReplicaOf) {
        let wasMaster = replicaSide.target == nil
        replicaSide.target = nil
        if let master = replicaSide.masterClient { close(master) }
        unblockAllBlockedClients()
        replicaSide.target = target
        if let link = replicaSide.link { dropLink(link) }
        if wasMaster {
            discardCachedMaster()
            log(ReplicationHistory.demotionLogLine)
            replicaSide.cachedMasterDB = replicationStream.feeder.selectedDB ?? 0
        }
        replicaSide.masterIsPreSync = false
        setReplicaExpiry(true)
        log(.notice("Connecting to MASTER \(target.host):\(target.port)"))
        connectToMaster()
    }

    /// Makes this replica a master (REPLICAOF NO ONE): keeps the data, starts
    /// a new history with the old one as id2, disconnects the master link and
    /// our own replicas (they reconnect and continue partially).
    func becomeMaster() {
        guard replicaSide.target != nil else { return }
        replicaSide.target = nil
        if let master = replicaSide.masterClient { close(master) }
        discardCachedMaster()
        if let link = replicaSide.link { dropLink(link) }
        log(replicationStream.promote(using: &rng))
        disconnectOwnReplicas()
        replicaSide.masterIsPreSync = false
        replicaSide.downSince = 0
        replicaSide.heldStream = []
        setReplicaExpiry(false)
    }

    /// Replica: keys are only deleted by the master's DELs; master: expire on access.
    private func setReplicaExpiry(_ isReplica: Bool) {
        for i in databases.indices { databases[i].expiresOnAccess = !isReplica }
        logger.roleMarker = isReplica ? "S" : "M"
    }

    /// Redis's disconnectAllBlockedClients on a role change.
    private func unblockAllBlockedClients() {
        for client in clients.values where client.blocked != nil {
            unblock(client)
            client.reply.error("UNBLOCKED force unblock from blocking operation, instance state changed (master -> replica?)")
            resumeAfterUnblock(client)
        }
    }

    // MARK: Cron

    /// Once a second: reconnect, detect a dead master, acknowledge the offset.
    func replicaCron() {
        guard let target = replicaSide.target else { return }
        let timeoutMs = Int64(max(1, config.replTimeout)) * 1000
        let t = loop.monotonicMilliseconds
        if let link = replicaSide.link, !link.isLoading, t - link.lastIO > timeoutMs {
            applyHandshake(link, link.handshake.handle(.timeout))
        }
        if let master = replicaSide.masterClient {
            if t - replicaSide.masterLastIO > timeoutMs {
                logger.warning("MASTER timeout: no data nor PING received...")
                close(master)
            } else if !replicaSide.masterIsPreSync {
                sendAck(master, offset: replicationStream.history.masterReplOffset)
            }
        }
        if replicaSide.link == nil, replicaSide.masterClient == nil {
            log(TransferLog.connecting(host: target.host, port: target.port))
            connectToMaster()
        }
    }
}
