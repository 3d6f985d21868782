// MasterWait: WAIT numreplicas timeout, and min-replicas-to-write.
//
// WAIT answers at once when enough online replicas acknowledged the
// client's last write offset (or inside MULTI); otherwise the client blocks
// (flag b, input held back like any blocked client), a REPLCONF GETACK * is
// sent before the loop sleeps, and the client is answered with the count of
// acknowledging replicas when ACKs satisfy it (checked before every sleep)
// or when its timeout passes.
//
// min-replicas-to-write: with both it and min-replicas-max-lag non-zero, a
// write is refused while fewer online replicas than required ACKed within
// the lag (the count is refreshed every second and on replica changes).

import RESP
import Replication

extension CommandError {
    /// min-replicas-to-write is not met.
    static let noReplicas = CommandError("NOREPLICAS Not enough good replicas to write.")
}

extension Server {
    /// False when min-replicas-to-write refuses writes now (Redis's checkGoodReplicasStatus).
    /// The master link's writes are never refused.
    func hasEnoughGoodReplicas(_ client: Client) -> Bool {
        if client.kind == .master { return true }
        let settings = masterSide.minReplicasConfig ?? loadMinReplicasConfig()
        guard settings.toWrite > 0, settings.maxLag > 0, actsAsMaster else { return true }
        return masterSide.goodReplicas >= settings.toWrite
    }

    /// Reads and caches min-replicas-to-write / min-replicas-max-lag (again after CONFIG SET).
    @discardableResult
    func loadMinReplicasConfig() -> (toWrite: Int, maxLag: Int) {
        let settings = (toWrite: config.int("min-replicas-to-write"), maxLag: config.int("min-replicas-max-lag"))
        masterSide.minReplicasConfig = settings
        return settings
    }

    /// Records the offset after a call that propagated something (Redis's c->woff).
    func noteWriteOffset(_ client: Client, before: Int64) {
        let after = replicationStream.history.masterReplOffset
        if after != before { masterSide.writeOffsets[client.id] = after }
    }

    /// WAIT numreplicas timeout.
    func waitForReplicas(_ ctx: inout CommandContext) throws(CommandError) {
        if !actsAsMaster {
            throw CommandError("ERR WAIT cannot be used with replica instances. Please also note that since Redis 4.0 if a replica is configured to be writable (which is not the default) writes to replicas are just local and are not propagated.")
        }
        let numReplicas = try ctx.int(1)
        guard let timeout = parseInt64(ctx.args[2]) else {
            throw CommandError("ERR timeout is not an integer or out of range")
        }
        guard timeout >= 0 else { throw .notPositiveTimeout }
        let client = ctx.client
        let offset = masterSide.writeOffsets[client.id] ?? 0
        let acked = masterSide.registry.replicasAcked(offset: offset)
        if Int64(acked) >= numReplicas || !ctx.mayBlock || client.transaction != nil {
            ctx.reply.integer(acked)
            return
        }
        var deadline: Int64?
        if timeout > 0 {
            let (sum, overflow) = ctx.now.addingReportingOverflow(timeout)
            guard !overflow else { throw CommandError("ERR timeout is out of range") }
            deadline = sum
        }
        installMasterHookIfNeeded()
        // A stale entry (left by CLIENT UNBLOCK) must not answer this one.
        masterSide.waits.remove(clientID: UInt64(client.id))
        if let stale = masterSide.waitTimers.removeValue(forKey: client.id) { loop.cancel(stale) }
        masterSide.waits.add(clientID: UInt64(client.id), offset: offset,
                             numReplicas: Int(clamping: numReplicas), deadlineMs: deadline)
        if let deadline {
            masterSide.waitTimers[client.id] = loop.schedule(afterMilliseconds: max(0, deadline - now) + 1) { [weak self] in
                self?.expireWaiters(atLeast: deadline)
            }
        }
        client.blocked = BlockedState(args: ctx.args, keys: [], databaseIndex: client.databaseIndex,
                                      timeoutReply: .nullArray, timer: nil)
        stats.blockedClients += 1
        masterSide.ackRequested = true
    }

    /// Before sleeping: answer WAITs that enough replicas acknowledged.
    func releaseSatisfiedWaiters() {
        let registry = masterSide.registry
        let released = masterSide.waits.release { registry.replicasAcked(offset: $0) }
        for (id, count) in released { answerWaiter(Int(id), count) }
    }

    /// A WAIT deadline passed: answer the expired waiters with their counts.
    private func expireWaiters(atLeast deadline: Int64) {
        let registry = masterSide.registry
        let expired = masterSide.waits.expire(nowMs: max(now, deadline)) { registry.replicasAcked(offset: $0) }
        for (id, count) in expired { answerWaiter(Int(id), count) }
    }

    private func answerWaiter(_ id: Int, _ count: Int) {
        if let timer = masterSide.waitTimers.removeValue(forKey: id) { loop.cancel(timer) }
        guard let client = clients[id], !client.isClosed, let state = client.blocked,
              asciiEqualsIgnoringCase(state.args[0], "wait") else { return }
        unblock(client)
        client.reply.integer(count)
        resumeAfterUnblock(client)
    }
}
