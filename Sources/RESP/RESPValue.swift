// RESPValue.swift — one decoded RESP2/RESP3 reply, as a client (vigil-cli, a
// replica talking to its master, a sentinel) sees it.
//
// Invariants: there is ONE null: "$-1", "*-1" and RESP3 "_" all decode to
// `.null`. Blob errors ("!") decode to `.error` like simple errors. Equality
// treats two NaN doubles as equal so that decoded frames compare reliably.

/// A decoded RESP value.
public indirect enum RESPValue: Sendable {
    /// "+OK".
    case simple(String)
    /// "-ERR ..." or RESP3 blob error "!<len>": the full text including the code.
    case error(String)
    /// ":<n>".
    case integer(Int64)
    /// "$<len>": a binary-safe string.
    case bulk(Bytes)
    /// "*<n>".
    case array([RESPValue])
    /// "$-1", "*-1" or RESP3 "_".
    case null
    /// RESP3 ",<double>" (including inf, -inf, nan).
    case double(Double)
    /// RESP3 "#t" / "#f".
    case bool(Bool)
    /// RESP3 "(<digits>".
    case bigNumber(String)
    /// RESP3 "=<len>\r\n<fmt>:<text>" with a three-byte format such as "txt".
    case verbatim(format: String, text: Bytes)
    /// RESP3 "%<n>": ordered key/value pairs.
    case map([RESPPair])
    /// RESP3 "~<n>".
    case set([RESPValue])
    /// RESP3 "><n>": out-of-band data (pub/sub messages, invalidations).
    case push([RESPValue])
    /// RESP3 "|<n>": attribute pairs annotating the value that follows them.
    case attribute([RESPPair], RESPValue)
}

/// One key/value pair of a RESP3 map or attribute.
public struct RESPPair: Equatable, Sendable {
    /// The key.
    public var key: RESPValue
    /// The value.
    public var value: RESPValue
    /// Creates a pair.
    public init(_ key: RESPValue, _ value: RESPValue) {
        self.key = key
        self.value = value
    }
}

extension RESPValue: Equatable {
    public static func == (a: RESPValue, b: RESPValue) -> Bool {
        switch a {
        case .simple(let x):
            if case .simple(let y) = b { return x == y }
        case .error(let x):
            if case .error(let y) = b { return x == y }
        case .integer(let x):
            if case .integer(let y) = b { return x == y }
        case .bulk(let x):
            if case .bulk(let y) = b { return x == y }
        case .array(let x):
            if case .array(let y) = b { return x == y }
        case .null:
            if case .null = b { return true }
        case .double(let x):
            if case .double(let y) = b { return x == y || (x.isNaN && y.isNaN) }
        case .bool(let x):
            if case .bool(let y) = b { return x == y }
        case .bigNumber(let x):
            if case .bigNumber(let y) = b { return x == y }
        case .verbatim(let f1, let t1):
            if case .verbatim(let f2, let t2) = b { return f1 == f2 && t1 == t2 }
        case .map(let x):
            if case .map(let y) = b { return x == y }
        case .set(let x):
            if case .set(let y) = b { return x == y }
        case .push(let x):
            if case .push(let y) = b { return x == y }
        case .attribute(let a1, let v1):
            if case .attribute(let a2, let v2) = b { return a1 == a2 && v1 == v2 }
        }
        return false
    }
}

extension RESPValue {
    /// The value without any attribute annotation around it.
    public var withoutAttributes: RESPValue {
        if case .attribute(_, let v) = self { return v.withoutAttributes }
        return self
    }

    /// The bytes of a bulk, simple, verbatim or big-number string.
    public var bytes: Bytes? {
        switch withoutAttributes {
        case .bulk(let b): return b
        case .simple(let s), .bigNumber(let s): return Array(s.utf8)
        case .verbatim(_, let t): return t
        default: return nil
        }
    }

    /// `bytes` decoded as UTF-8 (invalid sequences replaced).
    public var string: String? {
        if case .simple(let s) = withoutAttributes { return s }
        return bytes.map { String(decoding: $0, as: UTF8.self) }
    }

    /// The integer of ":<n>", or of a bulk/simple string holding one.
    public var int: Int64? {
        if case .integer(let i) = withoutAttributes { return i }
        return bytes.flatMap { parseInt64($0) }
    }

    /// The elements of an array, set or push.
    public var elements: [RESPValue]? {
        switch withoutAttributes {
        case .array(let a), .set(let a), .push(let a): return a
        default: return nil
        }
    }

    /// True for `.null`.
    public var isNull: Bool {
        if case .null = withoutAttributes { return true }
        return false
    }
}
