// HashFields: commands on named fields of a hash — HSET, HMSET, HSETNX, HGET,
// HMGET, HDEL, HEXISTS, HLEN, HSTRLEN. All O(1) per field.
//
// Redis 7.0 rules: HSET/HMSET with an odd number of field/value arguments is
// an arity error (checked before the key); HSET answers the number of fields
// created, HMSET +OK. Reads of a missing key answer as for an empty hash;
// HMGET answers null for each absent field.
//
// Field order: a small hash in Redis is a listpack, which lists fields in
// insertion order (a deleted field's place closes up, a re-added field goes to
// the end). The hash table lists them in slot order and reuses a freed slot,
// so HDEL on a hash of listpack size (at most hash-max-listpack-entries
// fields) rebuilds it in its current order, and later fields append: HGETALL,
// HKEYS, HVALS and HSCAN then list fields as Redis does. O(n) for n <= 512 by
// default — the cost of Redis's own listpack delete.

import RESP
import Keyspace

/// Specs of this file's commands.
func hashFieldCommands() -> [CommandSpec] {
    let one = (1, 1, 1)
    let wf = HashCategories.writeFast
    let rf = HashCategories.readFast
    return [
        CommandSpec("hset", arity: -4, flags: [.write, .denyOOM, .fast], keys: one, categories: wf, handler: hset),
        CommandSpec("hmset", arity: -4, flags: [.write, .denyOOM, .fast], keys: one, categories: wf, handler: hmset),
        CommandSpec("hsetnx", arity: 4, flags: [.write, .denyOOM, .fast], keys: one, categories: wf, handler: hsetnx),
        CommandSpec("hget", arity: 3, flags: [.readonly, .fast], keys: one, categories: rf, handler: hget),
        CommandSpec("hmget", arity: -3, flags: [.readonly, .fast], keys: one, categories: rf, handler: hmget),
        CommandSpec("hdel", arity: -3, flags: [.write, .fast], keys: one, categories: wf, handler: hdel),
        CommandSpec("hexists", arity: 3, flags: [.readonly, .fast], keys: one, categories: rf, handler: hexists),
        CommandSpec("hlen", arity: 2, flags: [.readonly, .fast], keys: one, categories: rf, handler: hlen),
        CommandSpec("hstrlen", arity: 3, flags: [.readonly, .fast], keys: one, categories: rf, handler: hstrlen),
    ]
}

/// Sets every field/value pair from args[2...]; answers how many fields were new.
private func setPairs(_ ctx: inout CommandContext, name: String) throws(CommandError) -> Int {
    let args = ctx.args
    guard args.count % 2 == 0 else { throw .arity(name) }
    let added = try ctx.updateHash(args[1], create: true) { (hash: inout HashTable<Bytes>) -> Int in
        var added = 0
        var i = 2
        while i + 1 < args.count {
            if hash.updateValue(args[i + 1], forKey: args[i]) == nil { added += 1 }
            i += 2
        }
        return added
    }
    return added ?? 0
}

private func hset(_ ctx: inout CommandContext) throws(CommandError) {
    ctx.reply.integer(try setPairs(&ctx, name: "hset"))
}

private func hmset(_ ctx: inout CommandContext) throws(CommandError) {
    _ = try setPairs(&ctx, name: "hmset")
    ctx.reply.ok()
}

private func hsetnx(_ ctx: inout CommandContext) throws(CommandError) {
    let args = ctx.args
    let key = args[1]
    // An existing field changes nothing (Redis signals no modification).
    if let hash = try ctx.hashForWrite(key), hash.contains(args[2]) {
        ctx.reply.zero()
        return
    }
    _ = try ctx.updateHash(key, create: true) { (hash: inout HashTable<Bytes>) in
        hash.updateValue(args[3], forKey: args[2])
    }
    ctx.reply.one()
}

private func hget(_ ctx: inout CommandContext) throws(CommandError) {
    if let value = try ctx.readHash(ctx.args[1])?[ctx.args[2]] { ctx.reply.bulk(value) } else { ctx.reply.null() }
}

private func hmget(_ ctx: inout CommandContext) throws(CommandError) {
    let hash = try ctx.readHash(ctx.args[1])
    ctx.reply.arrayHeader(ctx.args.count - 2)
    for i in 2..<ctx.args.count {
        if let value = hash?[ctx.args[i]] { ctx.reply.bulk(value) } else { ctx.reply.null() }
    }
}

private func hdel(_ ctx: inout CommandContext) throws(CommandError) {
    let args = ctx.args
    let key = args[1]
    // Only a deletion modifies the key (Redis signals nothing when no field existed).
    guard let hash = try ctx.hashForWrite(key), args[2...].contains(where: { hash.contains($0) }) else {
        ctx.reply.zero()
        return
    }
    _ = consume hash
    let listpackEntries = ctx.server.config.int("hash-max-listpack-entries")
    let deleted = try ctx.updateHash(key, create: false) { (hash: inout HashTable<Bytes>) -> Int in
        var deleted = 0
        for i in 2..<args.count where hash.removeValue(forKey: args[i]) != nil { deleted += 1 }
        if deleted > 0, !hash.isEmpty, hash.count <= listpackEntries {
            hash = rebuiltInOrder(hash)
        }
        return deleted
    }
    ctx.reply.integer(deleted ?? 0)
}

/// A copy of `hash` with its entries in their current order and no free slots,
/// so fields added next are listed last (the file header's field order).
private func rebuiltInOrder(_ hash: HashTable<Bytes>) -> HashTable<Bytes> {
    var rebuilt = HashTable<Bytes>(minimumCapacity: hash.count)
    for (field, value) in hash { rebuilt.updateValue(value, forKey: field) }
    return rebuilt
}

private func hexists(_ ctx: inout CommandContext) throws(CommandError) {
    let found = try ctx.readHash(ctx.args[1])?.contains(ctx.args[2]) ?? false
    if found { ctx.reply.one() } else { ctx.reply.zero() }
}

private func hlen(_ ctx: inout CommandContext) throws(CommandError) {
    ctx.reply.integer(try ctx.readHash(ctx.args[1])?.count ?? 0)
}

private func hstrlen(_ ctx: inout CommandContext) throws(CommandError) {
    ctx.reply.integer(try ctx.readHash(ctx.args[1])?[ctx.args[2]]?.count ?? 0)
}

extension CommandContext {
    /// The hash at `key` read on a write path (no keyspace hit/miss counted); nil when
    /// missing, WRONGTYPE for another type. Drop the copy before updating the key.
    func hashForWrite(_ key: Bytes) throws(CommandError) -> HashTable<Bytes>? {
        switch db.lookup(key, now: now) {
        case nil: return nil
        case .hash(let hash)?: return hash
        case _?: throw .wrongType
        }
    }
}
