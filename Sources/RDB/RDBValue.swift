// RDBValue / RDBRecord: the neutral vocabulary between the RDB reader and
// whoever builds a keyspace from it (Node).
//
// Every on-disk encoding of a type decodes to the same case: a list from a
// ziplist, a quicklist of listpacks or plain type 1 is just `.list`; integers
// stored in intsets/ziplists/listpacks come back as their decimal text.
// Records arrive in file order; an `.entry` carries the expiry and LRU/LFU
// hints that preceded it in the file.

/// A decoded value.
public enum RDBValue: Sendable, Equatable {
    /// A string (any bytes).
    case string([UInt8])
    /// A list, head to tail.
    case list([[UInt8]])
    /// A set's members (distinct in a valid file; not re-checked here).
    case set([[UInt8]])
    /// A hash's field/value pairs (fields distinct in a valid file).
    case hash([([UInt8], [UInt8])])
    /// A sorted set's member/score pairs, in file order (never NaN).
    case sortedSet([([UInt8], Double)])

    /// Structural equality (pairwise for hashes and sorted sets, in order).
    public static func == (a: RDBValue, b: RDBValue) -> Bool {
        switch (a, b) {
        case let (.string(x), .string(y)): return x == y
        case let (.list(x), .list(y)): return x == y
        case let (.set(x), .set(y)): return x == y
        case let (.hash(x), .hash(y)):
            return x.count == y.count && zip(x, y).allSatisfy { $0.0 == $1.0 && $0.1 == $1.1 }
        case let (.sortedSet(x), .sortedSet(y)):
            return x.count == y.count && zip(x, y).allSatisfy { $0.0 == $1.0 && $0.1 == $1.1 }
        case (.string, _), (.list, _), (.set, _), (.hash, _), (.sortedSet, _):
            return false
        }
    }
}

/// One item of an RDB stream, in file order.
public enum RDBRecord: Sendable, Equatable {
    /// An AUX field (redis-ver, ctime, repl-id …); integer-encoded values come
    /// back as decimal text.
    case aux(key: String, value: [UInt8])
    /// Subsequent entries belong to database `index`.
    case selectDB(Int)
    /// Size hint for the current database.
    case resizeDB(keys: Int, expires: Int)
    /// A key and its value. `expireAtMs`: absolute Unix time in milliseconds
    /// (already converted from the seconds opcode). `lruIdle`: idle seconds
    /// (IDLE opcode); `lfuFreq`: LFU counter (FREQ opcode).
    case entry(key: [UInt8], value: RDBValue, expireAtMs: Int64?, lruIdle: Int?, lfuFreq: Int?)
    /// A function library (FUNCTION2 opcode): the library source code, as
    /// `FUNCTION LOAD` takes it. The caller decides whether to load or refuse.
    case function(code: [UInt8])
    /// The EOF opcode was read and the checksum verified (or not checked:
    /// stored 0, version < 5, or verification off). Repeats if asked again.
    case end
}
