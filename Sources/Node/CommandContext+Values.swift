// Typed access to the values of the calling client's database: reads that
// answer WRONGTYPE for another type and count keyspace hits and misses, and
// in-place updates that create a missing aggregate when asked and delete one
// left empty (Database.update's rule).

import RESP
import Keyspace

extension CommandContext {
    /// The live value at `key`, counting a keyspace hit or miss.
    public func read(_ key: Bytes) -> Value? {
        let value = db.lookup(key, now: now)
        if value == nil { server.stats.keyspaceMisses += 1 } else { server.stats.keyspaceHits += 1 }
        return value
    }

    public func readString(_ key: Bytes) throws(CommandError) -> Bytes? {
        switch read(key) {
        case nil: return nil
        case .string(let s)?: return s
        case _?: throw .wrongType
        }
    }

    public func readList(_ key: Bytes) throws(CommandError) -> Deque<Bytes>? {
        switch read(key) {
        case nil: return nil
        case .list(let l)?: return l
        case _?: throw .wrongType
        }
    }

    public func readHash(_ key: Bytes) throws(CommandError) -> HashTable<Bytes>? {
        switch read(key) {
        case nil: return nil
        case .hash(let h)?: return h
        case _?: throw .wrongType
        }
    }

    public func readSet(_ key: Bytes) throws(CommandError) -> HashTable<Void>? {
        switch read(key) {
        case nil: return nil
        case .set(let s)?: return s
        case _?: throw .wrongType
        }
    }

    public func readSortedSet(_ key: Bytes) throws(CommandError) -> SortedSet? {
        switch read(key) {
        case nil: return nil
        case .zset(let z)?: return z
        case _?: throw .wrongType
        }
    }

    /// Mutates the list at `key` in place (creating it when absent and `create`); nil when absent and not created.
    /// A list left empty is deleted. WRONGTYPE for another type.
    public func updateList<R>(_ key: Bytes, create: Bool,
                              _ body: (inout Deque<Bytes>) throws(CommandError) -> R) throws(CommandError) -> R? {
        try db.update(key, now: now) { (value: inout Value?) throws(CommandError) -> R? in
            if value == nil {
                guard create else { return nil }
                var list = Deque<Bytes>()
                let result = try body(&list)
                value = .list(list)
                return result
            }
            // Not a `switch value`: in unoptimised builds a switch keeps a copy of its
            // subject alive through the case body, so the payload would not be unique
            // and the first mutation would copy the whole collection.
            guard case .list(var list)? = value else { throw .wrongType }
            value = nil
            defer { value = .list(list) }
            return try body(&list)
        }
    }

    /// Mutates the hash at `key` in place; same rules as `updateList`.
    public func updateHash<R>(_ key: Bytes, create: Bool,
                              _ body: (inout HashTable<Bytes>) throws(CommandError) -> R) throws(CommandError) -> R? {
        try db.update(key, now: now) { (value: inout Value?) throws(CommandError) -> R? in
            if value == nil {
                guard create else { return nil }
                var hash = HashTable<Bytes>()
                let result = try body(&hash)
                value = .hash(hash)
                return result
            }
            // Not a `switch value`: in unoptimised builds a switch keeps a copy of its
            // subject alive through the case body, so the payload would not be unique
            // and the first mutation would copy the whole collection.
            guard case .hash(var hash)? = value else { throw .wrongType }
            value = nil
            defer { value = .hash(hash) }
            return try body(&hash)
        }
    }

    /// Mutates the set at `key` in place; same rules as `updateList`.
    public func updateSet<R>(_ key: Bytes, create: Bool,
                             _ body: (inout HashTable<Void>) throws(CommandError) -> R) throws(CommandError) -> R? {
        try db.update(key, now: now) { (value: inout Value?) throws(CommandError) -> R? in
            if value == nil {
                guard create else { return nil }
                var set = HashTable<Void>()
                let result = try body(&set)
                value = .set(set)
                return result
            }
            // Not a `switch value`: in unoptimised builds a switch keeps a copy of its
            // subject alive through the case body, so the payload would not be unique
            // and the first mutation would copy the whole collection.
            guard case .set(var set)? = value else { throw .wrongType }
            value = nil
            defer { value = .set(set) }
            return try body(&set)
        }
    }

    /// Mutates the sorted set at `key` in place; same rules as `updateList`.
    public func updateSortedSet<R>(_ key: Bytes, create: Bool,
                                   _ body: (inout SortedSet) throws(CommandError) -> R) throws(CommandError) -> R? {
        try db.update(key, now: now) { (value: inout Value?) throws(CommandError) -> R? in
            if value == nil {
                guard create else { return nil }
                var zset = SortedSet()
                let result = try body(&zset)
                value = .zset(zset)
                return result
            }
            // Not a `switch value`: in unoptimised builds a switch keeps a copy of its
            // subject alive through the case body, so the payload would not be unique
            // and the first mutation would copy the whole collection.
            guard case .zset(var zset)? = value else { throw .wrongType }
            value = nil
            defer { value = .zset(zset) }
            return try body(&zset)
        }
    }
}
