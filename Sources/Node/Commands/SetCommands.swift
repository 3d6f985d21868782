// Set commands (Redis 7.0 t_set.c): the command table rows of the family and
// the single-key handlers — SADD, SREM, SMEMBERS, SISMEMBER, SMISMEMBER,
// SCARD, SMOVE. Random picks live in SetCommands+Random.swift, set algebra in
// SetCommands+Algebra.swift, SSCAN in SetCommands+Scan.swift.
//
// Invariants: every argument is validated before the keyspace is touched; a
// set left empty is deleted (CommandContext.updateSet's rule); RESP3 replies
// with several members use the set type, as Redis 7.0 does.

import RESP
import Keyspace

extension CommandError {
    /// SPOP's count error (Redis getPositiveLongFromObjectOrReply with this text, also for a non-integer).
    static let setPopCountNotPositive = CommandError("ERR value is out of range, must be positive")
    /// SRANDMEMBER/ZRANDMEMBER count of LONG_MIN.
    static let setRandomCountOutOfRange = CommandError(
        "ERR value is out of range, value must between -9223372036854775807 and 9223372036854775807")
    /// A random-member reply with repeats that would not fit in memory (Redis 7.0 would try and run out).
    static let setRandomReplyTooLarge = CommandError("ERR value is out of range, the reply would be too large")
    static let setNumkeysNotPositive = CommandError("ERR numkeys should be greater than 0")
    static let setTooManyNumkeys = CommandError("ERR Number of keys can't be greater than number of args")
    static let setLimitNegative = CommandError("ERR LIMIT can't be negative")
}

/// The set family's command table rows (arity, flags, keys and ACL categories as Redis 7.0's COMMAND INFO).
func setCommands() -> [CommandSpec] {
    [
        CommandSpec("sadd", arity: -3, flags: [.write, .denyOOM, .fast], keys: (1, 1, 1),
                    categories: ["@write", "@set", "@fast"], handler: sadd),
        CommandSpec("srem", arity: -3, flags: [.write, .fast], keys: (1, 1, 1),
                    categories: ["@write", "@set", "@fast"], handler: srem),
        CommandSpec("smembers", arity: 2, flags: [.readonly], keys: (1, 1, 1),
                    categories: ["@read", "@set", "@slow"], handler: smembers),
        CommandSpec("sismember", arity: 3, flags: [.readonly, .fast], keys: (1, 1, 1),
                    categories: ["@read", "@set", "@fast"], handler: sismember),
        CommandSpec("smismember", arity: -3, flags: [.readonly, .fast], keys: (1, 1, 1),
                    categories: ["@read", "@set", "@fast"], handler: smismember),
        CommandSpec("scard", arity: 2, flags: [.readonly, .fast], keys: (1, 1, 1),
                    categories: ["@read", "@set", "@fast"], handler: scard),
        CommandSpec("spop", arity: -2, flags: [.write, .fast], keys: (1, 1, 1),
                    categories: ["@write", "@set", "@fast"], handler: spop),
        CommandSpec("srandmember", arity: -2, flags: [.readonly], keys: (1, 1, 1),
                    categories: ["@read", "@set", "@slow"], handler: srandmember),
        CommandSpec("smove", arity: 4, flags: [.write, .fast], keys: (1, 2, 1),
                    categories: ["@write", "@set", "@fast"], handler: smove),
        CommandSpec("sinter", arity: -2, flags: [.readonly], keys: (1, -1, 1),
                    categories: ["@read", "@set", "@slow"], handler: sinter),
        CommandSpec("sunion", arity: -2, flags: [.readonly], keys: (1, -1, 1),
                    categories: ["@read", "@set", "@slow"], handler: sunion),
        CommandSpec("sdiff", arity: -2, flags: [.readonly], keys: (1, -1, 1),
                    categories: ["@read", "@set", "@slow"], handler: sdiff),
        CommandSpec("sinterstore", arity: -3, flags: [.write, .denyOOM], keys: (1, -1, 1),
                    categories: ["@write", "@set", "@slow"], handler: sinterstore),
        CommandSpec("sunionstore", arity: -3, flags: [.write, .denyOOM], keys: (1, -1, 1),
                    categories: ["@write", "@set", "@slow"], handler: sunionstore),
        CommandSpec("sdiffstore", arity: -3, flags: [.write, .denyOOM], keys: (1, -1, 1),
                    categories: ["@write", "@set", "@slow"], handler: sdiffstore),
        // Movable keys (numkeys): the legacy key range is empty, as in Redis.
        CommandSpec("sintercard", arity: -3, flags: [.readonly], keys: (0, 0, 0),
                    categories: ["@read", "@set", "@slow"], handler: sintercard),
        CommandSpec("sscan", arity: -3, flags: [.readonly], keys: (1, 1, 1),
                    categories: ["@read", "@set", "@slow"], handler: sscan),
    ]
}

/// SADD key member [member ...] → number of members added.
private func sadd(_ ctx: inout CommandContext) throws(CommandError) {
    let args = ctx.args
    let added = try ctx.updateSet(args[1], create: true) { (set: inout HashTable<Void>) throws(CommandError) -> Int in
        var added = 0
        for i in 2..<args.count where set.updateValue((), forKey: args[i]) == nil { added += 1 }
        return added
    } ?? 0
    ctx.reply.integer(added)
}

/// SREM key member [member ...] → number of members removed; an emptied set is deleted.
private func srem(_ ctx: inout CommandContext) throws(CommandError) {
    let args = ctx.args
    let removed = try ctx.updateSet(args[1], create: false) { (set: inout HashTable<Void>) throws(CommandError) -> Int in
        var removed = 0
        for i in 2..<args.count where set.removeValue(forKey: args[i]) != nil {
            removed += 1
            if set.isEmpty { break }
        }
        return removed
    } ?? 0
    ctx.reply.integer(removed)
}

/// SMEMBERS key → the members (RESP3 set type); an empty set for a missing key.
private func smembers(_ ctx: inout CommandContext) throws(CommandError) {
    guard let set = try ctx.readSet(ctx.args[1]) else {
        ctx.reply.setHeader(0)
        return
    }
    replySetMembers(&ctx, set)
}

/// SISMEMBER key member → 1 or 0.
private func sismember(_ ctx: inout CommandContext) throws(CommandError) {
    let set = try ctx.readSet(ctx.args[1])
    ctx.reply.integer(set?.contains(ctx.args[2]) == true ? 1 : 0)
}

/// SMISMEMBER key member [member ...] → an array of 1/0, one per member.
private func smismember(_ ctx: inout CommandContext) throws(CommandError) {
    let set = try ctx.readSet(ctx.args[1])
    ctx.reply.arrayHeader(ctx.args.count - 2)
    for i in 2..<ctx.args.count {
        ctx.reply.integer(set?.contains(ctx.args[i]) == true ? 1 : 0)
    }
}

/// SCARD key → the number of members (0 for a missing key).
private func scard(_ ctx: inout CommandContext) throws(CommandError) {
    ctx.reply.integer(try ctx.readSet(ctx.args[1])?.count ?? 0)
}

/// SMOVE source destination member → 1 if moved, 0 if `member` is not in `source`.
///
/// Redis's order: a missing source answers 0 before any type check; then both
/// keys must be sets (or the destination absent); moving within one set only
/// reports membership.
private func smove(_ ctx: inout CommandContext) throws(CommandError) {
    let source = ctx.args[1], destination = ctx.args[2], member = ctx.args[3]
    // Only Bools are kept from the lookups: holding a set while updating it would copy it.
    guard let sourceHasMember = try ctx.readSet(source).map({ $0.contains(member) }) else {
        ctx.reply.integer(0)
        return
    }
    _ = try ctx.readSet(destination)?.count   // WRONGTYPE for a destination of another type
    guard sourceHasMember, source != destination else {
        ctx.reply.integer(sourceHasMember ? 1 : 0)
        return
    }
    _ = try ctx.updateSet(source, create: false) { (set: inout HashTable<Void>) throws(CommandError) -> Void in
        set.removeValue(forKey: member)
    }
    _ = try ctx.updateSet(destination, create: true) { (set: inout HashTable<Void>) throws(CommandError) -> Void in
        set.updateValue((), forKey: member)
    }
    ctx.reply.integer(1)
}

/// Replies with every member of `set` (RESP3 set type, RESP2 array), in Redis's order (`intsetOrder`).
func replySetMembers(_ ctx: inout CommandContext, _ set: HashTable<Void>) {
    ctx.reply.setHeader(set.count)
    if let ordered = intsetOrder(set, ctx.server) {
        for member in ordered { ctx.reply.bulk(member) }
    } else {
        for member in set.keys { ctx.reply.bulk(member) }
    }
}

/// The members of `set` in ascending numeric order when Redis 7.0 would hold it
/// as an intset (every member a canonical 64-bit integer, at most
/// set-max-intset-entries of them) — the order Redis then lists them in
/// (SMEMBERS, SUNION, SSCAN, a whole-set SPOP or SRANDMEMBER); nil otherwise,
/// when Redis lists a hash table in its own hash order and so do we.
func intsetOrder(_ set: HashTable<Void>, _ server: Server) -> [Bytes]? {
    guard set.count <= server.config.int("set-max-intset-entries") else { return nil }
    var numbers: [(value: Int64, member: Bytes)] = []
    numbers.reserveCapacity(set.count)
    for member in set.keys {
        guard member.count <= 20, let n = parseInt64(member) else { return nil }
        numbers.append((n, member))
    }
    numbers.sort { $0.value < $1.value }
    return numbers.map(\.member)
}
