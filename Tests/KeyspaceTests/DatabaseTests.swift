// Database: expiry on access, the modified/expired-key logs, update's
// create/delete-when-empty rules, and SCAN skipping expired keys.

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
}
