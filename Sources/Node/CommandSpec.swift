// CommandSpec: one row of the command table — name, arity, flags, key
// positions and the handler. The table is data; dispatch reads it to check
// arity, authentication, transactions, read-only replicas and pauses before
// calling the handler.

/// What a command is, for dispatch decisions and COMMAND INFO.
public struct CommandFlags: OptionSet, Sendable {
    public let rawValue: UInt32
    public init(rawValue: UInt32) { self.rawValue = rawValue }

    /// Modifies the dataset (refused on read-only replicas, counted as a write for CLIENT PAUSE WRITE).
    public static let write = CommandFlags(rawValue: 1 << 0)
    /// Reads the dataset only.
    public static let readonly = CommandFlags(rawValue: 1 << 1)
    /// May grow memory.
    public static let denyOOM = CommandFlags(rawValue: 1 << 2)
    /// Administrative.
    public static let admin = CommandFlags(rawValue: 1 << 3)
    /// Allowed in RESP2 subscribed context.
    public static let pubsub = CommandFlags(rawValue: 1 << 4)
    /// Allowed while loading a dataset.
    public static let loading = CommandFlags(rawValue: 1 << 5)
    /// Allowed on a replica serving stale data.
    public static let stale = CommandFlags(rawValue: 1 << 6)
    /// O(1) or O(log n).
    public static let fast = CommandFlags(rawValue: 1 << 7)
    /// May block the client.
    public static let blocking = CommandFlags(rawValue: 1 << 8)
    /// Allowed without authentication.
    public static let noAuth = CommandFlags(rawValue: 1 << 9)
    /// Executed at once even inside MULTI (MULTI, EXEC, DISCARD, WATCH, QUIT, RESET).
    public static let noQueue = CommandFlags(rawValue: 1 << 10)
    /// May cause replication traffic without writing keys (PUBLISH): held back by CLIENT PAUSE WRITE.
    public static let mayReplicate = CommandFlags(rawValue: 1 << 12)

    /// Flag words as COMMAND INFO reports them.
    public var words: [String] {
        var w: [String] = []
        if contains(.write) { w.append("write") }
        if contains(.readonly) { w.append("readonly") }
        if contains(.denyOOM) { w.append("denyoom") }
        if contains(.admin) { w.append("admin") }
        if contains(.pubsub) { w.append("pubsub") }
        if contains(.blocking) { w.append("blocking") }
        if contains(.loading) { w.append("loading") }
        if contains(.stale) { w.append("stale") }
        if contains(.noAuth) { w.append("no_auth") }
        if contains(.mayReplicate) { w.append("may_replicate") }
        if contains(.fast) { w.append("fast") }
        return w
    }
}

/// A command handler. Throws a `CommandError` to reply with an error.
public typealias CommandHandler = (inout CommandContext) throws(CommandError) -> Void

/// Call counters of one command (INFO commandstats), shared by every copy of its spec.
public final class CommandCounters {
    public var calls = 0
    public var failedCalls = 0
    public var microseconds = 0
}

/// One command of the table.
public struct CommandSpec {
    /// Lower-case name.
    public let name: String
    /// Redis arity: positive = exact argument count (name included), negative = at least -arity.
    public let arity: Int
    public let flags: CommandFlags
    /// Key positions as Redis's legacy (first, last, step); last -1 = until the end, -2 = all but the last.
    public let firstKey: Int
    public let lastKey: Int
    public let keyStep: Int
    /// The ACL categories COMMAND INFO reports (e.g. "@string", "@fast").
    public let categories: [String]
    public let handler: CommandHandler
    /// Counted on every call (a class, so counting needs no table lookup).
    public let counters = CommandCounters()

    public init(_ name: String, arity: Int, flags: CommandFlags, keys: (Int, Int, Int) = (0, 0, 0),
                categories: [String] = [], handler: @escaping CommandHandler) {
        self.name = name
        self.arity = arity
        self.flags = flags
        self.firstKey = keys.0
        self.lastKey = keys.1
        self.keyStep = keys.2
        self.categories = categories
        self.handler = handler
    }

    /// True when `count` arguments (command name included) satisfy the arity.
    @inlinable
    public func acceptsArgumentCount(_ count: Int) -> Bool {
        arity >= 0 ? count == arity : count >= -arity
    }

    /// The key arguments of a call, from the legacy key positions.
    public func keyIndices(argumentCount: Int) -> [Int] {
        guard firstKey > 0, argumentCount > firstKey else { return [] }
        var last = lastKey
        if last < 0 { last = argumentCount + last }
        last = min(last, argumentCount - 1)
        guard last >= firstKey else { return [] }
        return Array(stride(from: firstKey, through: last, by: max(keyStep, 1)))
    }
}
