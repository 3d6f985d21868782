// Database: expiry on access, the modified/expired-key logs, update's
// create/delete-when-empty rules, SCAN skipping expired keys, loading from a
// snapshot, and copy-on-write accounting of a snapshot taken by BGSAVE.

import Testing
@testable import Keyspace

private func b(_ s: String) -> [UInt8] { Array(s.utf8) }

@Suite struct DatabaseTests {
    @Test func expiredKeyReadsAsAbsentAndIsLoggedOnce() {
        var db = Database()
        db.set(b("k"), .string(b("v")))
        db.setExpire(b("k"), at: 1000)
        db.modifiedKeys.removeAll()
        #expect(db.lookup(b("k"), now: 999) != nil)
        #expect(db.lookup(b("k"), now: 1000) == nil)
        #expect(db.expiredKeys == [b("k")])
        #expect(db.count == 0)
        #expect(db.lookup(b("k"), now: 1001) == nil)
        #expect(db.expiredKeys.count == 1)
    }

    @Test func replicaKeepsExpiredKeysButHidesThem() {
        var db = Database()
        db.expiresOnAccess = false
        db.set(b("k"), .string(b("v")))
        db.setExpire(b("k"), at: 10)
        #expect(db.lookup(b("k"), now: 20) == nil)
        #expect(db.count == 1)
        #expect(db.expiredKeys.isEmpty)
    }

    @Test func updateCreatesAndDeletesEmptyAggregates() {
        var db = Database()
        db.update(b("l"), now: 0) { (v: inout Value?) in
            var list = Deque<[UInt8]>()
            list.append(b("x"))
            v = .list(list)
        }
        #expect(db.count == 1)
        db.setExpire(b("l"), at: 100)
        db.update(b("l"), now: 0) { (v: inout Value?) in
            guard case .list(var list)? = v else { return }
            _ = list.popFirst()
            v = .list(list)
        }
        #expect(db.count == 0)
        #expect(db.volatileCount == 0)
    }

    @Test func updateOfAbsentKeyThatStaysAbsentIsNotAModification() {
        var db = Database()
        db.update(b("nothing"), now: 0) { (_: inout Value?) in }
        #expect(db.modifiedKeys.isEmpty)
    }

    struct Boom: Error {}

    @Test func throwingUpdateLeavesTheValueAsItWas() {
        var db = Database()
        db.set(b("s"), .string(b("keep")))
        #expect(throws: Boom.self) {
            try db.update(b("s"), now: 0) { (_: inout Value?) throws(Boom) in throw Boom() }
        }
        guard case .string(let s)? = db.peek(b("s")) else { Issue.record("value lost"); return }
        #expect(s == b("keep"))
    }

    @Test func setDropsTTLUnlessKept() {
        var db = Database()
        db.set(b("k"), .string(b("1")))
        db.setExpire(b("k"), at: 500)
        db.set(b("k"), .string(b("2")), keepTTL: true)
        #expect(db.expireTime(b("k")) == 500)
        db.set(b("k"), .string(b("3")))
        #expect(db.expireTime(b("k")) == nil)
    }

    @Test func activeExpireRemovesExpiredKeysAndLogsThem() {
        var db = Database()
        for i in 0..<200 {
            db.set(b("k\(i)"), .string(b("v")))
            db.setExpire(b("k\(i)"), at: i < 150 ? 10 : 10_000)
        }
        var g = SystemRandomNumberGenerator()
        var removed = 0
        for _ in 0..<50 { removed += db.activeExpire(now: 100, maxRounds: 16, using: &g) }
        #expect(removed == db.expiredKeys.count)
        #expect(db.count >= 50)
        #expect(removed > 100)
    }

    @Test func scanSkipsExpiredKeys() {
        var db = Database()
        db.set(b("live"), .string(b("v")))
        db.set(b("dead"), .string(b("v")))
        db.setExpire(b("dead"), at: 1)
        var seen: [[UInt8]] = []
        var cursor: UInt64 = 0
        repeat {
            cursor = db.scan(cursor: cursor, count: 10, now: 5) { key, _ in seen.append(key) }
        } while cursor != 0
        #expect(seen == [b("live")])
    }

    @Test func loadStoresValuesAndTTLsWithoutLogging() {
        var db = Database()
        db.reserveCapacity(keys: 30_000, expires: 10)
        #expect(db.main.segmentCount > 1)
        for i in 0..<30_000 {
            db.load(b("k\(i)"), .string(b("v\(i)")), expireAt: i < 10 ? 5_000 : nil)
        }
        #expect(db.count == 30_000)
        #expect(db.volatileCount == 10)
        #expect(db.expireTime(b("k3")) == 5_000)
        #expect(db.modifiedKeys.isEmpty && db.expiredKeys.isEmpty)
        // A duplicate key replaces the earlier one, TTL included.
        db.load(b("k3"), .string(b("again")), expireAt: nil)
        #expect(db.expireTime(b("k3")) == nil)
        #expect(db.count == 30_000)
    }

    @Test func snapshotStaysIntactAndWritesCountCopiedBytes() {
        var db = Database()
        for i in 0..<40_000 { db.set(b("k\(i)"), .string(b("v"))) }
        db.setExpire(b("k1"), at: 9_000)
        db.resetCopyOnWriteBytes()
        let snapshot = db
        db.set(b("k2"), .string(b("changed")))
        db.remove(b("k1"), now: 0)
        let oneSegment = db.copyOnWriteBytes
        #expect(oneSegment > 0)
        // Two segments of the main map and one of the expires map at most: far from a whole copy.
        #expect(oneSegment < 40_000 * 8)
        guard case .string(let old)? = snapshot.peek(b("k2")) else { Issue.record("snapshot lost k2"); return }
        #expect(old == b("v"))
        #expect(snapshot.expireTime(b("k1")) == 9_000)
        #expect(snapshot.count == 40_000 && db.count == 39_999)
    }

    @Test func randomKeyAndScanCoverASplitDatabase() {
        var db = Database()
        for i in 0..<20_000 { db.set(b("k\(i)"), .string(b("v"))) }
        var g = SystemRandomNumberGenerator()
        for _ in 0..<100 {
            guard let k = db.randomKey(now: 0, using: &g) else { Issue.record("no random key"); return }
            #expect(db.peek(k) != nil)
        }
        var seen = Set<[UInt8]>()
        var cursor: UInt64 = 0
        repeat {
            cursor = db.scan(cursor: cursor, count: 100, now: 0) { key, _ in seen.insert(key) }
        } while cursor != 0
        #expect(seen.count == 20_000)
    }
}
