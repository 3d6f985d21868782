// DatasetDigest: DEBUG DIGEST / DEBUG DIGEST-VALUE — a fingerprint of the
// whole data set (or of one value) for comparing a master with its replicas.
//
// Vigil's own algorithm (Redis's values are not reproduced): every key
// contributes a 128-bit hash (two FNV-1a lanes) of its database, name, type,
// canonical value and absolute expiry; contributions are added, so the
// digest does not depend on iteration order. Unordered collections (sets,
// hashes) are hashed as the sum of their members' hashes for the same reason.
// An empty data set digests to 40 zeros, as Redis.

import RESP
import Keyspace

/// Two FNV-1a lanes over bytes.
struct DigestLanes {
    var a: UInt64 = 0xcbf29ce484222325
    var b: UInt64 = 0x84222325cbf29ce4

    mutating func mix(_ bytes: some Sequence<UInt8>) {
        for byte in bytes {
            a = (a ^ UInt64(byte)) &* 0x100000001b3
            b = (b ^ UInt64(byte) ^ 0x5a) &* 0x100000001b3
        }
        // Length separator, so ("ab","c") and ("a","bc") differ.
        a = (a ^ 0xff) &* 0x100000001b3
        b = (b ^ 0xfe) &* 0x100000001b3
    }

    mutating func mix(_ value: Int64) {
        withUnsafeBytes(of: value.littleEndian) { mix($0) }
    }

    mutating func add(_ other: DigestLanes) {
        a = a &+ other.a
        b = b &+ other.b
    }
}

enum DatasetDigest {
    /// The digest of one value (DEBUG DIGEST-VALUE), independent of its key.
    static func lanes(of value: Value) -> DigestLanes {
        var lanes = DigestLanes()
        switch value {
        case .string(let s):
            lanes.mix([0]); lanes.mix(s)
        case .list(let l):
            lanes.mix([1])
            for e in l { lanes.mix(e) }
        case .set(let s):
            lanes.mix([2])
            var sum = DigestLanes(a: 0, b: 0)
            for (m, _) in s { var one = DigestLanes(); one.mix(m); sum.add(one) }
            lanes.mix(Int64(bitPattern: sum.a)); lanes.mix(Int64(bitPattern: sum.b))
        case .hash(let h):
            lanes.mix([3])
            var sum = DigestLanes(a: 0, b: 0)
            for (f, v) in h { var one = DigestLanes(); one.mix(f); one.mix(v); sum.add(one) }
            lanes.mix(Int64(bitPattern: sum.a)); lanes.mix(Int64(bitPattern: sum.b))
        case .zset(let z):
            lanes.mix([4])
            for (m, score) in z.members { lanes.mix(m); lanes.mix(formatDouble(score)) }
        }
        return lanes
    }

    /// The digest of every database; 40 zeros when there are no keys.
    static func digest(_ databases: [Database]) -> String {
        var total = DigestLanes(a: 0, b: 0)
        var keys = 0
        for (index, db) in databases.enumerated() where db.count > 0 {
            for (key, value) in db.main {
                var one = lanes(of: value)
                one.mix(Int64(index))
                one.mix(key)
                one.mix(db.expireTime(key) ?? -1)
                total.add(one)
                keys += 1
            }
        }
        return keys == 0 ? String(repeating: "0", count: 40) : hex(total)
    }

    static func hex(_ lanes: DigestLanes) -> String {
        func h(_ v: UInt64, _ width: Int) -> String {
            let s = String(v, radix: 16)
            return String(repeating: "0", count: max(0, width - s.count)) + s
        }
        return h(lanes.a, 16) + h(lanes.b, 16) + h((lanes.a ^ lanes.b) >> 32, 8)
    }
}
