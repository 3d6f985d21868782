// DEBUG DIGEST's fingerprint: equal data sets digest equally whatever the
// insertion order; any change of a value, key, type, database or TTL changes it.

import Testing
import Keyspace
@testable import Node

private func b(_ s: String) -> [UInt8] { Array(s.utf8) }

private func dataset(order: [Int], ttl: Int64? = 5000, extra: String = "") -> [Database] {
    var dbs = [Database(), Database()]
    for i in order {
        var set = HashTable<Void>()
        for m in (0..<5).map({ "m\(($0 + i) % 5)" }) { set[b(m)] = () }
        dbs[i % 2].set(b("k\(i)"), .string(b("v\(i)\(extra)")))
        dbs[i % 2].set(b("s\(i)"), .set(set))
    }
    if let ttl { dbs[0].setExpire(b("k0"), at: ttl) }
    return dbs
}

@Suite struct DatasetDigestTests {
    @Test func insertionOrderDoesNotMatter() {
        #expect(DatasetDigest.digest(dataset(order: [0, 1, 2, 3])) == DatasetDigest.digest(dataset(order: [3, 1, 0, 2])))
    }

    @Test func emptyDataSetIsFortyZeros() {
        #expect(DatasetDigest.digest([Database()]) == String(repeating: "0", count: 40))
    }

    @Test func valuesAndExpiriesChangeTheDigest() {
        let base = DatasetDigest.digest(dataset(order: [0, 1, 2]))
        #expect(DatasetDigest.digest(dataset(order: [0, 1, 2], extra: "x")) != base)
        #expect(DatasetDigest.digest(dataset(order: [0, 1, 2], ttl: 6000)) != base)
        #expect(DatasetDigest.digest(dataset(order: [0, 1, 2], ttl: nil)) != base)
        #expect(DatasetDigest.digest(dataset(order: [0, 1])) != base)
    }
}
