// Dispatch: from an argument vector to a reply, in Redis's order of checks —
// lookup, arity, authentication, subscribed context, MULTI queueing — then
// the call itself and its after-effects (dirty counter, WATCH invalidation,
// keys made ready for blocked clients, MONITOR feed, CLIENT REPLY modes).

import RESP
import Keyspace
import EventLoop
import Replication

extension Server {
    /// Runs one request from `client` (already parsed and consumed from its buffer).
    func execute(_ client: Client, args: [Bytes]) {
        switch client.kind {
        case .normal, .pubsub:
            executeCommand(client, args: args)
        case .master:
            // A master link gets no replies at all (not even +QUEUED or errors):
            // the replica answers it only REPLCONF ACK, which the replica side sends itself.
            let mark = client.reply.bytes.count
            executeCommand(client, args: args)
            if client.reply.bytes.count > mark, !client.isClosed { client.reply.bytes.removeSubrange(mark...) }
        case .replica:
            // A replica link carries only the replication stream: of what a replica
            // sends, only REPLCONF (ACKs) is acted on, and never answered.
            guard asciiEqualsIgnoringCase(args[0], "replconf") else { return }
            executeCommand(client, args: args)
        }
    }

    private func executeCommand(_ client: Client, args: [Bytes]) {
        guard let spec = commands.lookup(args[0]) else {
            reject(client, unknownCommand(args))
            return
        }
        guard spec.acceptsArgumentCount(args.count) else {
            reject(client, .arity(spec.name))
            return
        }
        if !client.authenticated, !spec.flags.contains(.noAuth) {
            reject(client, .noAuth)
            return
        }
        if client.reply.protocolVersion == 2, client.subscriptionCount > 0, !spec.flags.contains(.pubsub) {
            reject(client, CommandError("ERR Can't execute '\(spec.name)': only (P|S)SUBSCRIBE / (P|S)UNSUBSCRIBE / PING / QUIT / RESET are allowed in this context"))
            return
        }
        if spec.flags.contains(.write), client.kind != .master, refusesWritesAfterSaveError {
            reject(client, .misconf)
            return
        }
        // Replication (master side): min-replicas-to-write.
        if spec.flags.contains(.write), !hasEnoughGoodReplicas(client) {
            reject(client, .noReplicas)
            return
        }
        // Replication (replica side): read-only replica, stale data while the link is down.
        if let refusal = replicaRefusal(client, spec) {
            reject(client, refusal)
            return
        }
        // A dataset is loading (Loading.swift): only `loading` commands run.
        if persistence.isLoading, !spec.flags.contains(.loading) {
            reject(client, .loading)
            return
        }
        if client.transaction != nil, !spec.flags.contains(.noQueue) {
            client.transaction?.queued.append(args)
            client.reply.simple("QUEUED")
            return
        }
        call(client, spec, args: args, mayBlock: true)
    }

    /// An error before the call: inside MULTI it also dooms the transaction (EXECABORT).
    private func reject(_ client: Client, _ error: CommandError) {
        if client.transaction != nil { client.transaction?.aborted = true }
        stats.recordError(error.message)
        client.reply.error(error.message)
    }

    /// Redis's text: the name cut at 128 bytes, then quoted arguments while the
    /// quoted part is under 128 bytes, each cut to the room left.
    private func unknownCommand(_ args: [Bytes]) -> CommandError {
        var quoted: [UInt8] = []
        for arg in args.dropFirst() where quoted.count < 128 {
            quoted.append(0x27)
            quoted.append(contentsOf: arg.prefix(128 - (quoted.count - 1)).prefix { $0 != 0 })
            quoted.append(contentsOf: [0x27, 0x20])
        }
        let name = String(decoding: args[0].prefix(128).prefix { $0 != 0 }, as: UTF8.self)
        return CommandError("ERR unknown command '\(name)', with args beginning with: \(String(decoding: quoted, as: UTF8.self))")
    }

    /// Calls `spec`'s handler and applies its after-effects.
    /// - Parameter mayBlock: false inside EXEC: blocking commands answer as on timeout.
    func call(_ client: Client, _ spec: CommandSpec, args: [Bytes], mayBlock: Bool) {
        let startMicros = EventLoop.wallClockMicroseconds()
        let now = startMicros / 1000
        client.lastInteraction = now
        client.lastCommand = spec.name
        if client.replyMode == .skipNext { client.replyMode = .skipThis }
        let replyMark = client.reply.bytes.count
        if !monitors.isEmpty { feedMonitors(client, args: args, now: now) }

        var context = CommandContext(server: self, client: client, args: args, now: now, mayBlock: mayBlock)
        let offsetBefore = replicationStream.history.masterReplOffset  // for WAIT (master side)
        var failed = false
        do {
            try spec.handler(&context)
        } catch {
            failed = true
            stats.recordError(error.message)
            spec.counters.failedCalls += 1
            client.reply.error(error.message)
        }
        stats.commandsProcessed += 1
        spec.counters.calls += 1
        spec.counters.microseconds += Int(max(0, EventLoop.wallClockMicroseconds() - startMicros))

        if let request = context.blockRequest {
            block(client, args: args, request: request)
        } else if isFeedingReplicas {
            propagateCall(client, spec, args: args, rewrite: context.propagateAs, failed: failed)
        }
        absorbKeyspaceLogs(database: client.databaseIndex)
        if isFeedingReplicas { noteWriteOffset(client, before: offsetBefore) }  // WAIT (master side)
        // CLIENT REPLY: the mode after the call decides (so CLIENT REPLY ON answers and OFF does not).
        if client.replyMode == .off || client.replyMode == .skipThis, !client.isClosed {
            client.reply.bytes.removeSubrange(replyMark...)
            if client.replyMode == .skipThis { client.replyMode = .on }
        }
    }

    /// Drains every database's modified/expired-key logs into the server's bookkeeping.
    /// After each command only the caller's database is drained (the common case,
    /// and cheap); the full sweep runs after each client's read batch, after EXEC,
    /// and before the loop sleeps, so writes to other databases (MOVE, COPY … DB)
    /// are seen before any other client's command runs.
    func absorbKeyspaceLogs() {
        for i in databases.indices { absorbKeyspaceLogs(database: i) }
    }

    /// Drains one database's logs.
    func absorbKeyspaceLogs(database i: Int) {
        if !databases[i].modifiedKeys.isEmpty {
            dirty += databases[i].modifiedKeys.count
            if !watches.isEmpty || !blocking.isEmpty {
                for key in databases[i].modifiedKeys {
                    touchWatchers(database: i, key: key)
                    if blocking.hasWaiters(database: i, key: key) { readyKeys.append((i, key)) }
                }
            }
            databases[i].modifiedKeys.removeAll(keepingCapacity: true)
        }
        if !databases[i].expiredKeys.isEmpty {
            stats.expiredKeys += databases[i].expiredKeys.count
            if isFeedingReplicas {
                for key in databases[i].expiredKeys { propagate(database: i, PropagatedCommand.del(key)) }
            }
            if !watches.isEmpty {
                for key in databases[i].expiredKeys { touchWatchers(database: i, key: key) }
            }
            databases[i].expiredKeys.removeAll(keepingCapacity: true)
        }
    }
}
