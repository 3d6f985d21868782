// Failover: the coordinated FAILOVER of a master (Redis 6.2/7.0's
// failoverCommand, updateFailoverStatus, abortFailover, clearFailoverState)
// and the target's side of it (PSYNC <replid> <offset> FAILOVER promotes a
// replica whose replid matches).
//
//   FAILOVER ─▶ waiting-for-sync (writes paused, GETACK sent)
//        ─ target acked master_repl_offset (or TIMEOUT with FORCE) ─▶
//      failover-in-progress: replica of the target, PSYNC ... FAILOVER
//        ─ +CONTINUE / +FULLRESYNC ─▶ no-failover (unpaused; held writes get -READONLY)
//        ─ refused ─▶ abort: master again, unpaused
//   TIMEOUT without FORCE, or FAILOVER ABORT ─▶ abort.
//
// Invariant: every path out of a failover goes through `clearFailoverState`,
// which lifts the failover's write pause.

import RESP
import Config
import Replication

extension Server {
    /// INFO replication's master_failover_state word.
    var failoverStateWord: String { masterSide.failover.phase.infoWord }

    /// The replica registered with this ip (announced or peer) and listening port (Redis's findReplica).
    func findFailoverReplica(host: String, port: Int) -> ReplicaRecord? {
        masterSide.registry.replicas.first { $0.ip.lowercased() == host.lowercased() && $0.listeningPort == port }
    }

    /// Starts a failover (the checks are done by the command): pause writes, ask for ACKs.
    func startFailover(target: (host: String, port: Int)?, timeoutMs: Int64?, force: Bool) {
        if let target {
            logger.notice("FAILOVER requested to \(target.host):\(target.port).")
        } else {
            logger.notice("FAILOVER requested to any replica.")
        }
        masterSide.failover = FailoverState(
            phase: .waitingForSync, target: target,
            endMs: timeoutMs.map { loop.monotonicMilliseconds + $0 }, force: force)
        pauseForFailover()
        installMasterHookIfNeeded()
        // Speed up the target's ACK (the pause suppresses the usual GETACK/PING).
        if let bytes = replicationStream.propagateGetAck() { sendToReplicas(bytes) }
    }

    /// A write pause without deadline (kept stricter if CLIENT PAUSE ALL is active).
    private func pauseForFailover() {
        var mode = PauseState.Mode.write
        if let current = pause {
            if let timer = current.timer { loop.cancel(timer) }
            if current.mode == .all { mode = .all }
        }
        pause = PauseState(mode: mode, until: Int64.max / 4, timer: nil)
    }

    /// Before every sleep: the timeout, or the target caught up (Redis's updateFailoverStatus).
    func updateFailoverStatus() {
        guard masterSide.failover.phase == .waitingForSync else { return }
        if let end = masterSide.failover.endMs, end <= loop.monotonicMilliseconds {
            if masterSide.failover.force, let target = masterSide.failover.target {
                logger.notice("FAILOVER to \(target.host):\(target.port) time out exceeded, failing over.")
                handOverMastership(to: target)
            } else {
                abortFailover("Replica never caught up before timeout")
            }
            return
        }
        let offset = replicationStream.history.masterReplOffset
        let replica: ReplicaRecord?
        if let target = masterSide.failover.target {
            replica = findFailoverReplica(host: target.host, port: target.port)
        } else {
            replica = masterSide.registry.replicas.first { $0.state == .online && $0.ackOffset == offset }
            if let replica { masterSide.failover.target = (replica.ip, replica.listeningPort) }
        }
        guard let replica, replica.ackOffset == offset, let target = masterSide.failover.target else { return }
        logger.notice("Failover target \(target.host):\(target.port) is synced, failing over.")
        handOverMastership(to: target)
    }

    /// failover-in-progress: become a replica of the target; the PSYNC carries FAILOVER.
    private func handOverMastership(to target: (host: String, port: Int)) {
        masterSide.failover.phase = .inProgress
        let master = ReplicaOf(host: target.host, port: target.port)
        config.setReplicaOf(master)
        becomeReplica(of: master)
    }

    /// Ends the failover and lifts its pause (Redis's clearFailoverState).
    func clearFailoverState() {
        guard masterSide.failover.phase != .none else { return }
        masterSide.failover = FailoverState()
        unpauseClients()
    }

    /// Cancels the failover; when already demoted, becomes master again (Redis's abortFailover).
    func abortFailover(_ reason: String) {
        let failover = masterSide.failover
        guard failover.phase != .none else { return }
        if let target = failover.target {
            logger.notice("FAILOVER to \(target.host):\(target.port) aborted: \(reason)")
        } else {
            logger.notice("FAILOVER to any replica aborted: \(reason)")
        }
        if failover.phase == .inProgress {
            becomeMaster()
            config.setReplicaOf(nil)
        }
        clearFailoverState()
    }

    /// The target's side: PSYNC <replid> <offset> FAILOVER from our master-to-be-demoted.
    /// A matching replid promotes this node (REPLICAOF NO ONE) before the PSYNC is served.
    func acceptFailoverRequest(_ client: Client, args: [Bytes]) throws(CommandError) {
        guard replicationStream.history.replID.matches(args[1]) else {
            throw CommandError("ERR PSYNC FAILOVER replid must match my replid.")
        }
        if replicaSide.isReplica {
            becomeMaster()
            config.setReplicaOf(nil)
        }
        logger.notice("Failover request received for replid \(String(decoding: args[1], as: UTF8.self)).")
    }
}
