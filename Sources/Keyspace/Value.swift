// Value: what a key holds — one of Redis's five core types.
//
// Invariants:
// - Every payload is a copy-on-write value one word wide, so a `Value` is
//   cheap to copy and a snapshot of the keyspace is O(1) (BGSAVE writes it
//   from another thread while the loop keeps mutating its own copy).
// - Aggregates are never empty while stored: the database removes a key whose
//   list, hash, set or sorted set becomes empty (Redis's rule).

/// The value stored under a key.
public enum Value: @unchecked Sendable {
    /// A binary-safe string (Redis "string"; integers are stored as their decimal text).
    case string([UInt8])
    /// A list of binary-safe strings.
    case list(Deque<[UInt8]>)
    /// A field → value map.
    case hash(HashTable<[UInt8]>)
    /// A set of binary-safe strings.
    case set(HashTable<Void>)
    /// A sorted set: members ordered by score, then bytes.
    case zset(SortedSet)

    /// The type name as TYPE reports it.
    public var typeName: StaticString {
        switch self {
        case .string: "string"
        case .list: "list"
        case .hash: "hash"
        case .set: "set"
        case .zset: "zset"
        }
    }

    /// True for an aggregate with no elements (which must not stay stored).
    public var isEmptyAggregate: Bool {
        switch self {
        case .string: false
        case .list(let l): l.isEmpty
        case .hash(let h): h.isEmpty
        case .set(let s): s.isEmpty
        case .zset(let z): z.count == 0
        }
    }
}

extension Value {
    /// A value that owns no storage (an empty string never allocates), left in
    /// a table slot while the real value is mutated outside it.
    @usableFromInline
    static var vacant: Value { .string([]) }
}
