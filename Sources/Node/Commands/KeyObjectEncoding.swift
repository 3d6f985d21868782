// KeyObjectEncoding: the name Redis 7.0 would give the internal representation
// of a value (OBJECT ENCODING), computed from the value itself because Vigil
// has one representation per type.
//
// Rules (Redis 7.0 object.c, t_hash.c, t_set.c, t_zset.c):
// - string: "int" for the canonical text of a 64-bit integer (at most 20
//   bytes), else "embstr" up to 44 bytes, else "raw".
// - list: always "quicklist" (7.0 has no listpack lists).
// - hash: "listpack" while it has at most hash-max-listpack-entries fields and
//   every field and value is at most hash-max-listpack-value bytes, else "hashtable".
// - set: "intset" while every member is a canonical 64-bit integer and there
//   are at most set-max-intset-entries, else "hashtable".
// - zset: "listpack" while at most zset-max-listpack-entries members of at
//   most zset-max-listpack-value bytes each, else "skiplist".
//
// Known difference: Redis never converts a hashtable/skiplist back to the
// compact form when elements are removed, and APPEND/SETRANGE leave a "raw"
// string even when short; we answer from the current contents. The scans
// below run only while a value is small enough to be compact, so they are
// bounded by the thresholds.

import RESP
import Keyspace

/// The compact-encoding thresholds (Redis's *-max-listpack-* / set-max-intset-entries).
struct ObjectEncodingLimits {
    var hashEntries = 512
    var hashValue = 64
    var setIntsetEntries = 512
    var zsetEntries = 128
    var zsetValue = 64
}

extension ObjectEncodingLimits {
    /// The limits currently configured.
    init(config server: Server) {
        let config = server.config
        hashEntries = config.int("hash-max-listpack-entries")
        hashValue = config.int("hash-max-listpack-value")
        setIntsetEntries = config.int("set-max-intset-entries")
        zsetEntries = config.int("zset-max-listpack-entries")
        zsetValue = config.int("zset-max-listpack-value")
    }
}

/// True when Redis would store `string` with the "int" encoding.
func isIntEncodable(_ string: Bytes) -> Bool {
    string.count <= 20 && parseInt64(string) != nil
}

/// OBJECT ENCODING's answer for `value` (rules in the file header).
func objectEncodingName(of value: Value, limits: ObjectEncodingLimits) -> StaticString {
    switch value {
    case .string(let s):
        if isIntEncodable(s) { return "int" }
        return s.count <= 44 ? "embstr" : "raw"
    case .list:
        return "quicklist"
    case .hash(let h):
        guard h.count <= limits.hashEntries else { return "hashtable" }
        for (field, v) in h where field.count > limits.hashValue || v.count > limits.hashValue {
            return "hashtable"
        }
        return "listpack"
    case .set(let s):
        guard s.count <= limits.setIntsetEntries else { return "hashtable" }
        for member in s.keys where !isIntEncodable(member) {
            return "hashtable"
        }
        return "intset"
    case .zset(let z):
        guard z.count <= limits.zsetEntries else { return "skiplist" }
        for element in z.members where element.member.count > limits.zsetValue {
            return "skiplist"
        }
        return "listpack"
    }
}
