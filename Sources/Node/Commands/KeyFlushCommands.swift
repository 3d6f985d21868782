// Whole-database writes: FLUSHDB, FLUSHALL, SWAPDB.
//
// Rules (Redis 7.0):
// 1. FLUSHDB/FLUSHALL take an optional ASYNC or SYNC (both free the data at
//    once here: dropping the last reference of copy-on-write storage is cheap,
//    and a snapshot in progress keeps its own reference).
// 2. WATCH: a flush invalidates the transactions of clients watching a key
//    that existed (live) in the flushed database; SWAPDB those watching a key
//    that is live in either of the two databases, in either database
//    (Redis touchAllWatchedKeysInDb). Watching a missing or already expired
//    key survives both.
// 3. SWAPDB exchanges the contents of two databases; clients blocked on a key
//    that exists after the swap are served (Redis scanDatabaseForReadyKeys).
//    Swapping a database with itself is OK and changes nothing.
// 4. The dirty counter grows by the number of keys flushed (FLUSHALL by one
//    more, as Redis), by one for SWAPDB.

import RESP
import Keyspace

/// FLUSHDB, FLUSHALL, SWAPDB.
func keyFlushCommands() -> [CommandSpec] {
    [
        CommandSpec("flushdb", arity: -1, flags: [.write], keys: (0, 0, 0),
                    categories: ["@keyspace", "@write", "@slow", "@dangerous"], handler: flushdbCommand),
        CommandSpec("flushall", arity: -1, flags: [.write], keys: (0, 0, 0),
                    categories: ["@keyspace", "@write", "@slow", "@dangerous"], handler: flushallCommand),
        CommandSpec("swapdb", arity: 3, flags: [.write, .fast], keys: (0, 0, 0),
                    categories: ["@keyspace", "@write", "@fast", "@dangerous"], handler: swapdbCommand),
    ]
}

/// Validates the optional ASYNC | SYNC of FLUSHDB / FLUSHALL.
private func checkFlushMode(_ ctx: CommandContext) throws(CommandError) {
    switch ctx.args.count {
    case 1: return
    case 2 where ctx.argIs(1, "async") || ctx.argIs(1, "sync"): return
    default: throw .syntax
    }
}

/// FLUSHDB [ASYNC | SYNC]
private func flushdbCommand(_ ctx: inout CommandContext) throws(CommandError) {
    try checkFlushMode(ctx)
    let removed = ctx.server.flushKeyspace(database: ctx.client.databaseIndex, now: ctx.now)
    ctx.server.dirty += removed
    ctx.reply.ok()
}

/// FLUSHALL [ASYNC | SYNC]
private func flushallCommand(_ ctx: inout CommandContext) throws(CommandError) {
    try checkFlushMode(ctx)
    var removed = 0
    for index in ctx.server.databases.indices {
        removed += ctx.server.flushKeyspace(database: index, now: ctx.now)
    }
    ctx.server.dirty += removed + 1
    ctx.reply.ok()
}

/// SWAPDB index1 index2
private func swapdbCommand(_ ctx: inout CommandContext) throws(CommandError) {
    guard let first = parseInt64(ctx.args[1]), let a = Int32(exactly: first) else {
        throw .swapDBInvalidFirstIndex
    }
    guard let second = parseInt64(ctx.args[2]), let b = Int32(exactly: second) else {
        throw .swapDBInvalidSecondIndex
    }
    let server = ctx.server
    let range = 0..<Int32(clamping: server.databases.count)
    guard range.contains(a), range.contains(b) else { throw .invalidDBIndex }
    if a != b {
        server.swapKeyspaces(Int(a), Int(b), now: ctx.now)
    }
    server.dirty += 1
    ctx.reply.ok()
}

extension CommandError {
    /// SWAPDB whose first index is not a C int.
    static let swapDBInvalidFirstIndex = CommandError("ERR invalid first DB index")
    /// SWAPDB whose second index is not a C int.
    static let swapDBInvalidSecondIndex = CommandError("ERR invalid second DB index")
}

extension Server {
    /// Empties database `index` (rule 2 for watchers); returns how many keys it held.
    func flushKeyspace(database index: Int, now: Int64) -> Int {
        if !watches.isEmpty {
            let db = databases[index]
            for key in db.main.keys where !db.isExpired(key, now: now) {
                touchWatchers(database: index, key: key)
            }
        }
        return databases[index].removeAll()
    }

    /// Exchanges databases `a` and `b` (rules 2 and 3).
    func swapKeyspaces(_ a: Int, _ b: Int, now: Int64) {
        if !watches.isEmpty {
            for index in [a, b] {
                let db = databases[index]
                for key in db.main.keys where !db.isExpired(key, now: now) {
                    touchWatchers(database: a, key: key)
                    touchWatchers(database: b, key: key)
                }
            }
        }
        databases.swapAt(a, b)
        if !blocking.isEmpty {
            for index in [a, b] {
                let db = databases[index]
                for key in db.main.keys where blocking.hasWaiters(database: index, key: key)
                    && !db.isExpired(key, now: now) {
                    readyKeys.append((index, key))
                }
            }
        }
    }
}
