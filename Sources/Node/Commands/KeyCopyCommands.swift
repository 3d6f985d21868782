// Keys across databases: COPY (same or another database) and MOVE.
//
// Rules (Redis 7.0):
// - The database index must be an integer ("value is not an integer or out of
//   range"), within the C int range ("value is out of range, value must between
//   -2147483648 and 2147483647"), naming an existing database ("DB index is out
//   of range").
// - MOVE to the current database, or COPY onto the same key of the same
//   database, is "source and destination objects are the same" (checked
//   before the key is looked up).
// - MOVE answers 0 when the key is missing or already exists in the target.
//   COPY answers 0 when the source is missing or the destination exists
//   without REPLACE. Both carry the TTL over.
// - A copy is independent of its source: values are copy-on-write, so sharing
//   the storage until one side writes is a deep copy as far as anyone can tell.
// - Both databases log the write (WATCH and blocked clients of either see it).

import RESP
import Keyspace

/// COPY, MOVE.
func keyCopyCommands() -> [CommandSpec] {
    [
        CommandSpec("copy", arity: -3, flags: [.write, .denyOOM], keys: (1, 2, 1),
                    categories: ["@keyspace", "@write", "@slow"], handler: copyCommand),
        CommandSpec("move", arity: 3, flags: [.write, .fast], keys: (1, 1, 1),
                    categories: ["@keyspace", "@write", "@fast"], handler: moveCommand),
    ]
}

extension CommandContext {
    /// Argument `i` as the index of an existing database (Redis getIntFromObjectOrReply + selectDb).
    func databaseIndexArgument(_ i: Int) throws(CommandError) -> Int {
        let n = try int(i)
        guard n >= Int64(Int32.min), n <= Int64(Int32.max) else { throw .databaseIndexNotInt32 }
        guard n >= 0, n < Int64(server.databases.count) else { throw .invalidDBIndex }
        return Int(n)
    }
}

extension CommandError {
    /// MOVE to the same database, COPY onto itself.
    /// Redis getIntFromObjectOrReply on a 64-bit integer outside the C int range.
    static let databaseIndexNotInt32 = CommandError("ERR value is out of range, value must between -2147483648 and 2147483647")
    static let sourceAndDestinationSame = CommandError("ERR source and destination objects are the same")
}

/// MOVE key db: 1 if moved.
private func moveCommand(_ ctx: inout CommandContext) throws(CommandError) {
    let key = ctx.args[1]
    let target = try ctx.databaseIndexArgument(2)
    let source = ctx.client.databaseIndex
    if target == source { throw .sourceAndDestinationSame }
    guard let value = ctx.db.lookup(key, now: ctx.now) else {
        ctx.reply.zero()
        return
    }
    let now = ctx.now
    let server = ctx.server
    if server.databases[target].exists(key, now: now) {
        ctx.reply.zero()
        return
    }
    let expireAt = ctx.db.expireTime(key)
    server.databases[target].set(key, value)
    if let expireAt { server.databases[target].setExpire(key, at: expireAt) }
    ctx.db.remove(key, now: now)
    ctx.reply.one()
}

/// COPY source destination [DB destination-db] [REPLACE]: 1 if copied.
private func copyCommand(_ ctx: inout CommandContext) throws(CommandError) {
    let source = ctx.client.databaseIndex
    var target = source
    var replace = false
    var j = 3
    while j < ctx.args.count {
        if ctx.argIs(j, "replace") {
            replace = true
        } else if ctx.argIs(j, "db"), j + 1 < ctx.args.count {
            target = try ctx.databaseIndexArgument(j + 1)
            j += 1
        } else {
            throw .syntax
        }
        j += 1
    }
    let key = ctx.args[1]
    let newKey = ctx.args[2]
    if source == target && key == newKey { throw .sourceAndDestinationSame }
    guard let value = ctx.read(key) else {
        ctx.reply.zero()
        return
    }
    let now = ctx.now
    let server = ctx.server
    if server.databases[target].exists(newKey, now: now) && !replace {
        ctx.reply.zero()
        return
    }
    let expireAt = ctx.db.expireTime(key)
    server.databases[target].set(newKey, value)
    if let expireAt { server.databases[target].setExpire(newKey, at: expireAt) }
    ctx.reply.one()
}
