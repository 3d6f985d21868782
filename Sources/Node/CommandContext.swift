// CommandContext: what a command handler sees — its arguments, the clock,
// the calling client's database and reply buffer, and the ways a handler
// asks dispatch for more (block on keys).
//
// Invariants: a handler writes exactly one reply (possibly an aggregate) to
// `reply` unless it blocks, in which case it writes nothing and dispatch
// answers later (on wake-up or timeout).

import RESP
import Keyspace

/// How a blocked client is answered when its timeout fires.
public enum BlockTimeoutReply: Sendable {
    /// `*-1` (RESP2) / `_` (RESP3): BLPOP, BRPOP, BZPOPMIN, BZPOPMAX.
    case nullArray
    /// `$-1` / `_`: BLMOVE, BRPOPLPUSH.
    case nullBulk
}

/// A request to block the current client until one of `keys` is written or the deadline passes.
public struct BlockRequest {
    /// Keys in the client's current database.
    public let keys: [Bytes]
    /// Absolute unix ms deadline, nil = forever.
    public let deadline: Int64?
    public let timeoutReply: BlockTimeoutReply
}

/// The world of one command call.
public struct CommandContext {
    /// The server (loop-thread state).
    public let server: Server
    /// The calling client.
    public let client: Client
    /// The arguments; `args[0]` is the command name as sent.
    public let args: [Bytes]
    /// Wall-clock time of this call, unix milliseconds (fixed for the whole command, as Redis's cached time).
    public let now: Int64
    /// False inside MULTI/EXEC and when re-run after a wake-up that must not block again: blocking commands then answer as on timeout.
    public let mayBlock: Bool
    /// Set by a blocking handler that found nothing to serve.
    public var blockRequest: BlockRequest?
    /// Set by a handler whose effect must reach replicas as other, deterministic
    /// commands (SPOP → SREM, BLPOP → LPOP, EXPIRE → PEXPIREAT …); an empty list
    /// propagates nothing. Nil: the command itself is propagated if it wrote.
    public var propagateAs: [[Bytes]]?

    init(server: Server, client: Client, args: [Bytes], now: Int64, mayBlock: Bool) {
        self.server = server
        self.client = client
        self.args = args
        self.now = now
        self.mayBlock = mayBlock
    }

    /// The calling client's selected database, mutated in place.
    public var db: Database {
        get { server.databases[client.databaseIndex] }
        nonmutating _modify { yield &server.databases[client.databaseIndex] }
    }

    /// The calling client's reply buffer.
    public var reply: ReplyBuffer {
        get { client.reply }
        nonmutating _modify { yield &client.reply }
    }

    /// The lower-cased command name (for error texts).
    public var commandName: String { String(decoding: args[0], as: UTF8.self).lowercased() }

    /// Argument `i` as a String (lossy UTF-8), for option words and messages.
    public func string(_ i: Int) -> String { String(decoding: args[i], as: UTF8.self) }

    /// True when argument `i` equals `word`, ASCII case-insensitively (`word` must be lower-case).
    public func argIs(_ i: Int, _ word: StaticString) -> Bool {
        asciiEqualsIgnoringCase(args[i], word)
    }

    /// Argument `i` as a 64-bit integer, or `.notInteger`.
    public func int(_ i: Int) throws(CommandError) -> Int64 {
        guard let v = parseInt64(args[i]) else { throw .notInteger }
        return v
    }

    /// Argument `i` as a float (Redis's strtod rules), or `error` (default `.notFloat`).
    public func double(_ i: Int, error: CommandError = .notFloat) throws(CommandError) -> Double {
        guard let v = parseDouble(args[i]) else { throw error }
        return v
    }

    /// Parses a blocking timeout in seconds (float allowed) at argument `i` into an
    /// absolute deadline, nil = forever. Redis 7.0's getTimeoutFromObjectOrReply:
    /// the text is read as a `long double` (so "0x10", "1e400" and "1e-400" are
    /// numbers), times 1000 truncated to an integer the way x86 converts: a
    /// product outside Int64 (infinities included) becomes Int64.min, "timeout is
    /// negative". A product that truncates to 0 (0, 0.0005, -0.0005) blocks
    /// forever; a deadline past Int64.max wraps in Redis into a far-future
    /// unsigned timeout, so it also blocks forever here.
    public func blockingDeadline(_ i: Int) throws(CommandError) -> Int64? {
        guard let seconds = parseLongDouble(args[i]) else { throw .timeoutNotFloat }
        let product = (seconds * 1000).rounded(.towardZero)
        let ms = Int64(exactly: product) ?? Int64.min
        if ms < 0 { throw .notPositiveTimeout }
        if ms == 0 { return nil }
        let (deadline, overflow) = now.addingReportingOverflow(ms)
        return overflow ? nil : deadline
    }

    /// Asks dispatch to block this client on `keys` (only when `mayBlock`; otherwise answers as on timeout).
    public mutating func block(on keys: [Bytes], deadline: Int64?, timeoutReply: BlockTimeoutReply) {
        if mayBlock {
            blockRequest = BlockRequest(keys: keys, deadline: deadline, timeoutReply: timeoutReply)
        } else {
            switch timeoutReply {
            case .nullArray: reply.nullArray()
            case .nullBulk: reply.null()
            }
        }
    }
}

/// ASCII case-insensitive comparison of bytes against a lower-case literal.
@inlinable
public func asciiEqualsIgnoringCase(_ bytes: Bytes, _ word: StaticString) -> Bool {
    guard bytes.count == word.utf8CodeUnitCount else { return false }
    let w = word.utf8Start
    for i in 0..<bytes.count {
        var c = bytes[i]
        if c >= 65 && c <= 90 { c |= 0x20 }
        if c != w[i] { return false }
    }
    return true
}
