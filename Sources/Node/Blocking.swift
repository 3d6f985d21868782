// Blocking: clients parked by BLPOP, BRPOP, BLMOVE, BZPOPMIN/MAX until a key
// they wait on is written or their timeout fires.
//
// Rules (Redis 7.0's): clients are served in the order they blocked (FIFO
// per key); a write to a watched key makes it "ready", and before the loop
// sleeps every ready key's waiters re-run their command: one that now finds
// data replies and is unblocked, one that still finds nothing stays blocked
// in its place with its original deadline.

import RESP
import EventLoop

/// Which clients wait on which (database, key).
struct BlockingRegistry {
    private var waiters: [BlockKey: [Int]] = [:]

    struct BlockKey: Hashable {
        let database: Int
        let key: Bytes
    }

    var isEmpty: Bool { waiters.isEmpty }
    /// Number of blocked clients' registrations (INFO blocked_keys-ish).
    var keyCount: Int { waiters.count }

    func hasWaiters(database: Int, key: Bytes) -> Bool {
        waiters[BlockKey(database: database, key: key)] != nil
    }

    func waiting(database: Int, key: Bytes) -> [Int] {
        waiters[BlockKey(database: database, key: key)] ?? []
    }

    mutating func add(client id: Int, database: Int, keys: [Bytes]) {
        for key in Set(keys) { waiters[BlockKey(database: database, key: key), default: []].append(id) }
    }

    mutating func remove(client id: Int, database: Int, keys: [Bytes]) {
        for key in Set(keys) {
            let k = BlockKey(database: database, key: key)
            waiters[k]?.removeAll { $0 == id }
            if waiters[k]?.isEmpty == true { waiters[k] = nil }
        }
    }
}

extension Server {
    /// Parks `client` per `request`.
    func block(_ client: Client, args: [Bytes], request: BlockRequest) {
        var state = BlockedState(args: args, keys: request.keys, databaseIndex: client.databaseIndex,
                                 timeoutReply: request.timeoutReply, timer: nil)
        if let deadline = request.deadline {
            // +1: clocks are read in whole milliseconds, so without it the timer
            // could fire up to a millisecond before the timeout the client asked for.
            let delay = max(0, deadline - now) + 1
            state.timer = loop.schedule(afterMilliseconds: delay) { [weak self, weak client] in
                guard let self, let client else { return }
                self.timeOut(client)
            }
        }
        client.blocked = state
        blocking.add(client: client.id, database: state.databaseIndex, keys: state.keys)
        stats.blockedClients += 1
    }

    /// Releases `client` from blocking without replying (close, CLIENT KILL, RESET).
    func unblock(_ client: Client) {
        guard let state = client.blocked else { return }
        if let timer = state.timer { loop.cancel(timer) }
        blocking.remove(client: client.id, database: state.databaseIndex, keys: state.keys)
        client.blocked = nil
        stats.blockedClients -= 1
    }

    private func timeOut(_ client: Client) {
        guard let state = client.blocked, !client.isClosed else { return }
        unblock(client)
        switch state.timeoutReply {
        case .nullArray: client.reply.nullArray()
        case .nullBulk: client.reply.null()
        }
        resumeAfterUnblock(client)
    }

    /// Answers and releases clients waiting on keys that were written.
    func serveBlockedClients() {
        var rounds = 0
        while !readyKeys.isEmpty, rounds < 1000 {
            rounds += 1
            let batch = readyKeys
            readyKeys.removeAll()
            for (database, key) in batch {
                for id in blocking.waiting(database: database, key: key) {
                    guard let client = clients[id], let state = client.blocked,
                          let spec = commands.lookup(state.args[0]) else { continue }
                    // Nothing left to serve: the remaining waiters stay blocked.
                    if databases[database].peek(key) == nil { break }
                    serveWaiter(client, spec: spec, state: state)
                }
            }
        }
    }

    private func serveWaiter(_ client: Client, spec: CommandSpec, state: BlockedState) {
        let savedDatabase = client.databaseIndex
        client.databaseIndex = state.databaseIndex
        let before = client.reply.bytes.count
        var context = CommandContext(server: self, client: client, args: state.args, now: now, mayBlock: true)
        do {
            try spec.handler(&context)
        } catch {
            client.reply.error(error.message)
        }
        client.databaseIndex = savedDatabase
        if context.blockRequest != nil {
            // Still nothing for it (e.g. wrong type appeared, or another waiter took it): keep waiting.
            client.reply.bytes.removeSubrange(before...)
            return
        }
        stats.commandsProcessed += 1
        unblock(client)
        if isFeedingReplicas {
            let saved = client.databaseIndex
            client.databaseIndex = state.databaseIndex
            propagateCall(client, spec, args: state.args, rewrite: context.propagateAs, failed: false)
            client.databaseIndex = saved
        }
        absorbKeyspaceLogs()
        resumeAfterUnblock(client)
    }

    /// After an unblock: flush the reply and continue with pipelined input.
    func resumeAfterUnblock(_ client: Client) {
        processInput(client)
        scheduleFlush(client)
    }
}
