// Database: one of the numbered keyspaces (SELECT n) — keys, their values and
// their expiry times. Pure: the caller passes `now` (unix milliseconds).
//
// Invariants:
// - A key in `expires` is always in `main`.
// - A key whose expiry time is <= now is logically absent: every read path
//   treats it as missing, and (when `expiresOnAccess`) deletes it and records
//   it in `expiredKeys`, so the replication layer can turn it into a DEL.
// - Every successful write records the key in `modifiedKeys`; the server
//   drains both logs after each command (WATCH invalidation, blocked-client
//   wake-ups, the dirty counter, propagation).
// - No stored aggregate is empty (`update` removes it).
// - Both maps are SegmentedTables: a copy of a Database (a BGSAVE snapshot)
//   is O(1), and a write after it copies one segment of ~n/1024 entries, not
//   the whole map. A big single value (one list, hash, set or sorted set)
//   shared with a snapshot is still copied whole on its first write after it,
//   once — like a page of a forked Redis child.

/// One numbered database.
public struct Database: @unchecked Sendable {
    /// Keys to values.
    @usableFromInline var mainTable = SegmentedTable<Value>()
    /// Keys with a time to live → absolute expiry time in unix milliseconds.
    @usableFromInline var expiresTable = SegmentedTable<Int64>()

    /// Keys to values (read-only view).
    public var main: SegmentedTable<Value> { mainTable }
    /// Keys with a time to live → absolute expiry time in unix ms (read-only view).
    public var expires: SegmentedTable<Int64> { expiresTable }
    /// Keys written since the server last drained this log.
    public var modifiedKeys: [[UInt8]] = []
    /// Keys deleted because they expired, since the server last drained this log.
    public var expiredKeys: [[UInt8]] = []
    /// False on a replica: expired keys read as absent but are only deleted by the master's DEL.
    public var expiresOnAccess = true

    public init() {}

    /// Number of keys (including logically expired ones not yet reclaimed, as Redis's DBSIZE).
    public var count: Int { mainTable.count }
    /// Number of keys with a time to live.
    public var volatileCount: Int { expiresTable.count }

    // MARK: Reading

    /// True when `key` has an expiry time at or before `now`.
    @inlinable
    public func isExpired(_ key: [UInt8], now: Int64) -> Bool {
        if expiresTable.isEmpty { return false }
        guard let when = expiresTable[key] else { return false }
        return when <= now
    }

    /// The value at `key`, or nil if absent or expired. Deletes an expired key (when allowed).
    @inlinable
    public mutating func lookup(_ key: [UInt8], now: Int64) -> Value? {
        if isExpired(key, now: now) {
            expireIfAllowed(key)
            return nil
        }
        return mainTable[key]
    }

    /// The value at `key` without touching expiry or logs (for snapshots and tests).
    public func peek(_ key: [UInt8]) -> Value? { mainTable[key] }

    /// True when `key` exists and is not expired.
    public mutating func exists(_ key: [UInt8], now: Int64) -> Bool {
        lookup(key, now: now) != nil
    }

    /// The absolute expiry time of `key` in unix ms, nil if it has none (or does not exist).
    public func expireTime(_ key: [UInt8]) -> Int64? {
        expiresTable.isEmpty ? nil : expiresTable[key]
    }

    // MARK: Writing

    /// Runs `body` on the value at `key` (nil when absent or expired) and stores
    /// what it leaves: nil or an empty aggregate deletes the key. The value is
    /// moved out of the table during `body`, so mutating it does not copy.
    /// If `body` throws, the key is left as it was. A key deleted this way loses its TTL.
    @inlinable
    public mutating func update<R, E: Error>(_ key: [UInt8], now: Int64,
                                             _ body: (inout Value?) throws(E) -> R) throws(E) -> R {
        if isExpired(key, now: now) { expireIfAllowed(key) }
        var result: R? = nil
        var emptied = false
        let existed: Void? = try mainTable.modifyValue(forKey: key) { (slot: inout Value) throws(E) -> Void in
            var current: Value? = slot
            slot = Value.vacant          // drop the table's reference: `current` is now unique
            do throws(E) {
                result = try body(&current)
            } catch {
                if let current { slot = current } else { emptied = true }
                throw error
            }
            if let value = current, !value.isEmptyAggregate { slot = value } else { emptied = true }
        }
        if existed == nil {
            var current: Value? = nil
            result = try body(&current)
            if let value = current, !value.isEmptyAggregate {
                mainTable[key] = value
            } else {
                guard let result else { preconditionFailure("update: body returned without a result") }
                return result   // absent before and after: nothing was modified
            }
        } else if emptied {
            mainTable.removeValue(forKey: key)
            if !expiresTable.isEmpty { expiresTable.removeValue(forKey: key) }
        }
        modifiedKeys.append(key)
        guard let result else { preconditionFailure("update: body returned without a result") }
        return result
    }

    /// Stores `value` at `key`, discarding any TTL unless `keepTTL`.
    @inlinable
    public mutating func set(_ key: [UInt8], _ value: Value, keepTTL: Bool = false) {
        mainTable[key] = value
        if !keepTTL, !expiresTable.isEmpty { expiresTable.removeValue(forKey: key) }
        modifiedKeys.append(key)
    }

    /// Deletes `key` (expired or not); true if it existed and was not expired.
    @discardableResult
    public mutating func remove(_ key: [UInt8], now: Int64) -> Bool {
        let wasLive = !isExpired(key, now: now)
        guard mainTable.removeValue(forKey: key) != nil else { return false }
        if !expiresTable.isEmpty { expiresTable.removeValue(forKey: key) }
        if wasLive { modifiedKeys.append(key) } else { expiredKeys.append(key) }
        return wasLive
    }

    /// Sets the absolute expiry time of an existing key. Returns false if the key does not exist.
    @discardableResult
    public mutating func setExpire(_ key: [UInt8], at when: Int64) -> Bool {
        guard mainTable.contains(key) else { return false }
        expiresTable[key] = when
        modifiedKeys.append(key)
        return true
    }

    /// Removes the TTL of `key`; true if it had one.
    @discardableResult
    public mutating func persist(_ key: [UInt8]) -> Bool {
        guard !expiresTable.isEmpty, expiresTable.removeValue(forKey: key) != nil else { return false }
        modifiedKeys.append(key)
        return true
    }

    /// Deletes every key; returns how many there were.
    @discardableResult
    public mutating func removeAll() -> Int {
        let n = mainTable.count
        mainTable.removeAll()
        expiresTable.removeAll()
        return n
    }

    /// Deletes an expired key if this database may (not on a replica).
    @usableFromInline
    mutating func expireIfAllowed(_ key: [UInt8]) {
        guard expiresOnAccess else { return }
        mainTable.removeValue(forKey: key)
        expiresTable.removeValue(forKey: key)
        expiredKeys.append(key)
    }

    // MARK: Loading and snapshots

    /// Stores a key read from a snapshot file: no logs, no expiry check (the
    /// loader drops expired keys itself). A duplicate key replaces the earlier one.
    public mutating func load(_ key: [UInt8], _ value: Value, expireAt: Int64?) {
        if mainTable.updateValue(value, forKey: key) != nil, expireAt == nil, !expiresTable.isEmpty {
            expiresTable.removeValue(forKey: key)
        }
        if let expireAt { expiresTable[key] = expireAt }
    }

    /// Makes room for `keys` keys of which `expires` have a TTL (an RDB's RESIZEDB hint).
    public mutating func reserveCapacity(keys: Int, expires: Int) {
        mainTable.reserveCapacity(keys)
        if expires > 0 { expiresTable.reserveCapacity(expires) }
    }

    /// Bytes of table storage copied by writes because it was shared with a
    /// snapshot, since `resetCopyOnWriteBytes()` (INFO's cow sizes).
    public var copyOnWriteBytes: Int { mainTable.copiedBytes + expiresTable.copiedBytes }

    /// Starts counting copy-on-write bytes from zero (at the start of a BGSAVE).
    public mutating func resetCopyOnWriteBytes() {
        mainTable.resetCopiedBytes()
        expiresTable.resetCopiedBytes()
    }

    // MARK: Iteration

    /// SCAN over keys with Redis's cursor guarantees. Expired keys are skipped (and reclaimed).
    public mutating func scan(cursor: UInt64, count: Int, now: Int64, _ body: ([UInt8], Value) -> Void) -> UInt64 {
        var expired: [[UInt8]] = []
        let next = mainTable.scan(cursor: cursor, count: count) { key, value in
            if isExpired(key, now: now) { expired.append(key) } else { body(key, value) }
        }
        for key in expired { expireIfAllowed(key) }
        return next
    }

    /// A random live key (Redis tries a bounded number of times to skip expired ones).
    public mutating func randomKey<G: RandomNumberGenerator>(now: Int64, using g: inout G) -> [UInt8]? {
        for _ in 0..<100 {
            guard let (key, _) = mainTable.randomEntry(using: &g) else { return nil }
            if isExpired(key, now: now) {
                expireIfAllowed(key)
                continue
            }
            return key
        }
        return mainTable.randomEntry(using: &g)?.key
    }

    /// All live keys (for KEYS); the caller filters by pattern.
    public func liveKeys(now: Int64) -> [[UInt8]] {
        var result: [[UInt8]] = []
        result.reserveCapacity(mainTable.count)
        for (key, _) in main where !isExpired(key, now: now) { result.append(key) }
        return result
    }

    // MARK: Active expiry

    /// One step of Redis's active expiry for this database: sample up to
    /// `sampleSize` keys with a TTL, delete the expired ones, and repeat while
    /// more than 25 % of a sample was expired and `budget` samples remain.
    /// Returns the number of keys deleted.
    public mutating func activeExpire<G: RandomNumberGenerator>(now: Int64, sampleSize: Int = 20,
                                                                 maxRounds: Int, using g: inout G) -> Int {
        guard expiresOnAccess else { return 0 }
        var deleted = 0
        var rounds = 0
        while rounds < maxRounds, !expiresTable.isEmpty {
            rounds += 1
            let sample = expiresTable.sampleEntries(sampleSize, using: &g)
            var expiredInSample = 0
            for (key, when) in sample where when <= now {
                if mainTable.removeValue(forKey: key) != nil { expiredKeys.append(key) }
                expiresTable.removeValue(forKey: key)
                expiredInSample += 1
            }
            deleted += expiredInSample
            if sample.isEmpty || expiredInSample * 4 <= sample.count { break }
        }
        return deleted
    }
}
