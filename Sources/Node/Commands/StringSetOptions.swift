// StringSetOptions: the option words of SET and GETEX (NX XX GET KEEPTTL
// PERSIST EX PX EXAT PXAT) and the expire-time rules they share, as Redis 7.0's
// parseExtendedStringArgumentsOrReply and getExpireMillisecondsOrReply.
//
// Rules (Redis 7.0):
// 1. NX and XX exclude each other; GET, NX, XX and KEEPTTL are SET-only, PERSIST is GETEX-only.
// 2. At most one kind of expiry (EX, PX, EXAT, PXAT, KEEPTTL, PERSIST) may appear;
//    repeating the same kind is accepted and the last value wins (as Redis).
// 3. An expiry word with no value after it, or any other word, is a syntax error.
// 4. The value is parsed later (after the key lookup for GETEX): it must be an
//    integer (else "value is not an integer"), > 0, not overflow when scaled to
//    milliseconds or when the current time is added for relative forms
//    (else "invalid expire time in '<command>' command").

import RESP

/// Which command's option grammar to accept.
enum StringOptionGrammar {
    case set
    case getex
}

/// The expiry a SET or GETEX asks for.
enum StringExpiry: Equatable {
    case none
    /// KEEPTTL (SET): keep the key's current time to live.
    case keepTTL
    /// PERSIST (GETEX): remove the time to live.
    case persist
    /// EX/PX/EXAT/PXAT with the index of the argument holding the number.
    case timed(StringExpiryUnit, argument: Int)
}

/// The unit and reference of a timed expiry.
enum StringExpiryUnit: Equatable {
    case seconds            // EX: relative seconds
    case milliseconds       // PX: relative milliseconds
    case unixSeconds        // EXAT: absolute unix seconds
    case unixMilliseconds   // PXAT: absolute unix milliseconds

    var isRelative: Bool { self == .seconds || self == .milliseconds }
    var isSeconds: Bool { self == .seconds || self == .unixSeconds }
}

/// Parsed SET / GETEX options.
struct StringSetOptions {
    var onlyIfAbsent = false     // NX
    var onlyIfPresent = false    // XX
    var returnOld = false        // GET
    var expiry = StringExpiry.none

    /// Parses `ctx.args[first...]` per the rules in the file header.
    init(_ ctx: CommandContext, from first: Int, grammar: StringOptionGrammar) throws(CommandError) {
        let args = ctx.args
        var j = first
        while j < args.count {
            let hasNext = j + 1 < args.count
            if grammar == .set, ctx.argIs(j, "nx"), !onlyIfPresent {
                onlyIfAbsent = true
            } else if grammar == .set, ctx.argIs(j, "xx"), !onlyIfAbsent {
                onlyIfPresent = true
            } else if grammar == .set, ctx.argIs(j, "get") {
                returnOld = true
            } else if grammar == .set, ctx.argIs(j, "keepttl"), expiry == .none || expiry == .keepTTL {
                expiry = .keepTTL
            } else if grammar == .getex, ctx.argIs(j, "persist"), expiry == .none || expiry == .persist {
                expiry = .persist
            } else if let unit = StringSetOptions.timedUnit(ctx, j), hasNext, allowsTimed(unit) {
                expiry = .timed(unit, argument: j + 1)
                j += 1
            } else {
                throw .syntax
            }
            j += 1
        }
    }

    private static func timedUnit(_ ctx: CommandContext, _ j: Int) -> StringExpiryUnit? {
        if ctx.argIs(j, "ex") { return .seconds }
        if ctx.argIs(j, "px") { return .milliseconds }
        if ctx.argIs(j, "exat") { return .unixSeconds }
        if ctx.argIs(j, "pxat") { return .unixMilliseconds }
        return nil
    }

    /// A timed expiry is accepted when no expiry, or the same unit, was given before.
    private func allowsTimed(_ unit: StringExpiryUnit) -> Bool {
        switch expiry {
        case .none: return true
        case .timed(let previous, _): return previous == unit
        case .keepTTL, .persist: return false
        }
    }
}

extension CommandContext {
    /// The absolute unix-ms expiry time for `unit` with the number at argument
    /// `index` (rule 4 of the file header); `command` names it in the error.
    func stringExpireTime(_ unit: StringExpiryUnit, argument index: Int,
                          command: String) throws(CommandError) -> Int64 {
        let value = try int(index)
        if value <= 0 || (unit.isSeconds && value > Int64.max / 1000) {
            throw .invalidExpireTime(in: command)
        }
        var ms = unit.isSeconds ? value * 1000 : value
        if unit.isRelative {
            let (sum, overflow) = ms.addingReportingOverflow(now)
            if overflow { throw .invalidExpireTime(in: command) }
            ms = sum
        }
        if ms <= 0 { throw .invalidExpireTime(in: command) }
        return ms
    }
}

extension CommandError {
    /// "ERR invalid expire time in '<command>' command" (SET, SETEX, GETEX, EXPIRE, ...).
    static func invalidExpireTime(in command: String) -> CommandError {
        CommandError("ERR invalid expire time in '\(command)' command")
    }
}
