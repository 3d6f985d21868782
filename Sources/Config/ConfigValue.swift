// ConfigValue: the parsed, normalised value of one directive.
//
// Invariants: values are canonical, so two configurations mean the same thing
// exactly when their values are `==` (enum words are lowercase, keyspace
// event flags are in Redis's canonical order, `dir` is absolute, memory sizes
// are plain byte counts). That is what lets CONFIG SET report "changed" and
// CONFIG REWRITE touch only directives whose value moved.

/// The value of one configuration directive.
public enum ConfigValue: Equatable, Sendable {
    /// yes/no.
    case bool(Bool)
    /// Integers and memory sizes (bytes).
    case integer(Int)
    /// Strings and enum words. For "nullable" strings (requirepass,
    /// masterauth, pidfile, …) the empty string means "not set".
    case string(String)
    /// `save` rules, in order.
    case saveRules([SaveRule])
    /// `client-output-buffer-limit`, all three classes.
    case outputBufferLimits(ClientOutputBufferLimits)
    /// `replicaof`; nil when this node is a master.
    case replicaOf(ReplicaOf?)
    /// Word lists (`bind`).
    case words([String])
    /// Fixed-length integer lists (`oom-score-adj-values`).
    case integers([Int])
    /// `latency-tracking-info-percentiles`.
    case percentiles([Double])
}

/// One `save <seconds> <changes>` rule: snapshot when at least `changes`
/// writes happened within `seconds`.
public struct SaveRule: Equatable, Hashable, Sendable {
    public var seconds: Int
    public var changes: Int
    public init(seconds: Int, changes: Int) {
        self.seconds = seconds
        self.changes = changes
    }
}

/// `replicaof <host> <port>`.
public struct ReplicaOf: Equatable, Hashable, Sendable {
    public var host: String
    public var port: Int
    public init(host: String, port: Int) {
        self.host = host
        self.port = port
    }
}

/// The client classes of `client-output-buffer-limit`.
public enum ClientClass: Int, CaseIterable, Sendable {
    case normal, replica, pubsub

    /// The name CONFIG GET uses (Redis keeps "slave" there).
    public var getName: String {
        switch self {
        case .normal: return "normal"
        case .replica: return "slave"
        case .pubsub: return "pubsub"
        }
    }

    /// The name CONFIG REWRITE writes.
    public var rewriteName: String {
        switch self {
        case .normal: return "normal"
        case .replica: return "replica"
        case .pubsub: return "pubsub"
        }
    }

    /// Parses a class name case-insensitively ("slave" and "replica" are
    /// the same class; "master" is not configurable, as in Redis).
    public init?(name: String) {
        switch ConfigNumbers.asciiLowercased(name) {
        case "normal": self = .normal
        case "replica", "slave": self = .replica
        case "pubsub": self = .pubsub
        default: return nil
        }
    }
}

/// One class's output buffer limit: disconnect at `hardBytes`, or when over
/// `softBytes` for `softSeconds` seconds. Zero disables a limit.
public struct ClientOutputBufferLimit: Equatable, Hashable, Sendable {
    public var hardBytes: Int
    public var softBytes: Int
    public var softSeconds: Int
    public init(hardBytes: Int, softBytes: Int, softSeconds: Int) {
        self.hardBytes = hardBytes
        self.softBytes = softBytes
        self.softSeconds = softSeconds
    }
}

/// The limits of all three client classes.
public struct ClientOutputBufferLimits: Equatable, Hashable, Sendable {
    public var normal: ClientOutputBufferLimit
    public var replica: ClientOutputBufferLimit
    public var pubsub: ClientOutputBufferLimit

    public init(normal: ClientOutputBufferLimit, replica: ClientOutputBufferLimit, pubsub: ClientOutputBufferLimit) {
        self.normal = normal
        self.replica = replica
        self.pubsub = pubsub
    }

    /// Redis's defaults: normal 0 0 0, replica 256mb 64mb 60, pubsub 32mb 8mb 60.
    public static let redisDefaults = ClientOutputBufferLimits(
        normal: ClientOutputBufferLimit(hardBytes: 0, softBytes: 0, softSeconds: 0),
        replica: ClientOutputBufferLimit(hardBytes: 256 << 20, softBytes: 64 << 20, softSeconds: 60),
        pubsub: ClientOutputBufferLimit(hardBytes: 32 << 20, softBytes: 8 << 20, softSeconds: 60))

    /// The limit of one class.
    public subscript(_ c: ClientClass) -> ClientOutputBufferLimit {
        get {
            switch c {
            case .normal: return normal
            case .replica: return replica
            case .pubsub: return pubsub
            }
        }
        set {
            switch c {
            case .normal: normal = newValue
            case .replica: replica = newValue
            case .pubsub: pubsub = newValue
            }
        }
    }
}

/// The classes of `notify-keyspace-events`, with Redis's letters.
public struct KeyspaceEventFlags: OptionSet, Hashable, Sendable {
    public let rawValue: UInt16
    public init(rawValue: UInt16) { self.rawValue = rawValue }

    public static let keyspace = KeyspaceEventFlags(rawValue: 1 << 0)  // K
    public static let keyevent = KeyspaceEventFlags(rawValue: 1 << 1)  // E
    public static let generic = KeyspaceEventFlags(rawValue: 1 << 2)   // g
    public static let string = KeyspaceEventFlags(rawValue: 1 << 3)    // $
    public static let list = KeyspaceEventFlags(rawValue: 1 << 4)      // l
    public static let set = KeyspaceEventFlags(rawValue: 1 << 5)       // s
    public static let hash = KeyspaceEventFlags(rawValue: 1 << 6)      // h
    public static let zset = KeyspaceEventFlags(rawValue: 1 << 7)      // z
    public static let expired = KeyspaceEventFlags(rawValue: 1 << 8)   // x
    public static let evicted = KeyspaceEventFlags(rawValue: 1 << 9)   // e
    public static let stream = KeyspaceEventFlags(rawValue: 1 << 10)   // t
    public static let keyMiss = KeyspaceEventFlags(rawValue: 1 << 11)  // m (not part of A)
    public static let module = KeyspaceEventFlags(rawValue: 1 << 12)   // d
    public static let newKey = KeyspaceEventFlags(rawValue: 1 << 13)   // n (not part of A)
    /// "A": every type class (g$lshzxetd).
    public static let all: KeyspaceEventFlags = [.generic, .string, .list, .set, .hash, .zset,
                                                 .expired, .evicted, .stream, .module]

    /// Parses Redis's letters ("KEA", "Kx", ""); nil on an unknown letter.
    public init?(letters: String) {
        var flags: KeyspaceEventFlags = []
        for ch in letters.unicodeScalars {
            switch ch {
            case "A": flags.formUnion(.all)
            case "g": flags.insert(.generic)
            case "$": flags.insert(.string)
            case "l": flags.insert(.list)
            case "s": flags.insert(.set)
            case "h": flags.insert(.hash)
            case "z": flags.insert(.zset)
            case "x": flags.insert(.expired)
            case "e": flags.insert(.evicted)
            case "K": flags.insert(.keyspace)
            case "E": flags.insert(.keyevent)
            case "t": flags.insert(.stream)
            case "m": flags.insert(.keyMiss)
            case "d": flags.insert(.module)
            case "n": flags.insert(.newKey)
            default: return nil
            }
        }
        self = flags
    }

    /// The canonical letters, as CONFIG GET prints them (Redis's
    /// `keyspaceEventsFlagsToString`).
    public var letters: String {
        var s = ""
        if isSuperset(of: .all) {
            s += "A"
        } else {
            let ordered: [(KeyspaceEventFlags, Character)] = [
                (.generic, "g"), (.string, "$"), (.list, "l"), (.set, "s"), (.hash, "h"),
                (.zset, "z"), (.expired, "x"), (.evicted, "e"), (.stream, "t"), (.module, "d"),
            ]
            for (flag, letter) in ordered where contains(flag) { s.append(letter) }
        }
        // Redis drops 'n' when printing "A"; we keep it so the value round-trips.
        if contains(.newKey) { s.append("n") }
        if contains(.keyspace) { s.append("K") }
        if contains(.keyevent) { s.append("E") }
        if contains(.keyMiss) { s.append("m") }
        return s
    }
}
