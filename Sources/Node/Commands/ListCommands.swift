// ListCommands: the list family's command table (each List*.swift file lists
// its specs — Redis 7.0 arity, flags, key positions, ACL categories — next to
// its handlers) and the helpers the handlers share: the LEFT/RIGHT end of a
// list, Redis's index normalisation, and a type probe that keeps no reference
// to the value (so the in-place update that follows does not copy it).
//
// Invariants: every handler validates all of its arguments before mutating;
// a list is never left empty in the keyspace (Database.update deletes it).

import RESP
import Keyspace

/// The list commands: LPUSH … RPOPLPUSH and the blocking BLPOP, BRPOP, BLMOVE, BRPOPLPUSH.
/// Each file of the family lists its own specs next to its handlers.
func listCommands() -> [CommandSpec] {
    listPushPopCommands() + listRangeCommands() + listSearchCommands() + listMoveCommands() + listBlockingCommands()
        + listMultiPopCommands()
}

/// ACL categories shared by the list specs.
enum ListCategories {
    static let writeFast = ["@write", "@list", "@fast"]
    static let writeSlow = ["@write", "@list", "@slow"]
    static let readFast = ["@read", "@list", "@fast"]
    static let readSlow = ["@read", "@list", "@slow"]
    static let blocking = ["@write", "@list", "@slow", "@blocking"]
}

/// One end of a list: LEFT is the head (index 0), RIGHT the tail.
enum ListEnd {
    case left, right
}

extension Deque where Element == Bytes {
    /// Removes and returns the element at `end`, nil when empty.
    @inline(__always)
    mutating func pop(from end: ListEnd) -> Bytes? {
        switch end {
        case .left: popFirst()
        case .right: popLast()
        }
    }

    /// Adds `element` at `end`.
    @inline(__always)
    mutating func push(_ element: Bytes, to end: ListEnd) {
        switch end {
        case .left: prepend(element)
        case .right: append(element)
        }
    }
}

/// Redis's LRANGE/LTRIM clamping of `start...stop` (negative = from the end)
/// to valid indices of a list of `count` elements; nil when the range is empty.
func clampedListRange(start: Int64, stop: Int64, count: Int) -> ClosedRange<Int>? {
    let n = Int64(count)
    var s = start < 0 ? n + start : start   // n >= 0 and start < 0: cannot overflow
    var e = stop < 0 ? n + stop : stop
    if s < 0 { s = 0 }
    if s > e || s >= n { return nil }
    if e >= n { e = n - 1 }
    return Int(s)...Int(e)
}

/// A list index argument (negative = from the end) as a position in 0..<count, nil when outside.
func listPosition(_ index: Int64, count: Int) -> Int? {
    let n = Int64(count)
    let i = index < 0 ? n + index : index
    return i >= 0 && i < n ? Int(i) : nil
}

extension CommandContext {
    /// Argument `i` as LEFT or RIGHT (any case), else a syntax error.
    func listEnd(_ i: Int) throws(CommandError) -> ListEnd {
        if argIs(i, "left") { return .left }
        if argIs(i, "right") { return .right }
        throw .syntax
    }

    /// Whether `key` holds a list (false when missing); WRONGTYPE for another type.
    /// A write-path lookup: no keyspace hit/miss is counted and no reference to
    /// the value outlives the call, so a following in-place update does not copy it.
    func listExistsForWrite(_ key: Bytes) throws(CommandError) -> Bool {
        switch db.lookup(key, now: now) {
        case nil: return false
        case .list?: return true
        case _?: throw .wrongType
        }
    }

    /// The list at `key` read on a write path (no keyspace hit/miss counted); nil when
    /// missing, WRONGTYPE for another type. Drop the copy (`consume`) before updating
    /// the key, or the update copies the whole deque.
    func listForWrite(_ key: Bytes) throws(CommandError) -> Deque<Bytes>? {
        switch db.lookup(key, now: now) {
        case nil: return nil
        case .list(let list)?: return list
        case _?: throw .wrongType
        }
    }
}
