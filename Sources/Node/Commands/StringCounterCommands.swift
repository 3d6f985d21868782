// Counters on strings: INCR, DECR, INCRBY, DECRBY, INCRBYFLOAT.
//
// Rules (Redis 7.0):
// - A missing key counts as 0; the stored text must be a canonical 64-bit
//   integer (string2ll) for the integer forms, a float as strtold reads it for
//   INCRBYFLOAT; the key keeps its TTL.
// - INCRBY/DECRBY check overflow before writing ("increment or decrement would
//   overflow"); DECRBY of -2^63 cannot be negated ("decrement would overflow").
// - INCRBYFLOAT adds in x87 long double (as Redis on x86-64), refuses a NaN or
//   infinite result, and stores the "%.17Lf" text with trailing zeros removed.

import RESP
import Replication
import Keyspace

/// INCR, DECR, INCRBY, DECRBY, INCRBYFLOAT.
func stringCounterCommands() -> [CommandSpec] {
    [
        CommandSpec("incr", arity: 2, flags: [.write, .denyOOM, .fast], keys: (1, 1, 1),
                    categories: ["@write", "@string", "@fast"], handler: incrCommand),
        CommandSpec("decr", arity: 2, flags: [.write, .denyOOM, .fast], keys: (1, 1, 1),
                    categories: ["@write", "@string", "@fast"], handler: decrCommand),
        CommandSpec("incrby", arity: 3, flags: [.write, .denyOOM, .fast], keys: (1, 1, 1),
                    categories: ["@write", "@string", "@fast"], handler: incrbyCommand),
        CommandSpec("decrby", arity: 3, flags: [.write, .denyOOM, .fast], keys: (1, 1, 1),
                    categories: ["@write", "@string", "@fast"], handler: decrbyCommand),
        CommandSpec("incrbyfloat", arity: 3, flags: [.write, .denyOOM, .fast], keys: (1, 1, 1),
                    categories: ["@write", "@string", "@fast"], handler: incrbyfloatCommand),
    ]
}

private func incrCommand(_ ctx: inout CommandContext) throws(CommandError) {
    try addToCounter(&ctx, 1)
}

private func decrCommand(_ ctx: inout CommandContext) throws(CommandError) {
    try addToCounter(&ctx, -1)
}

private func incrbyCommand(_ ctx: inout CommandContext) throws(CommandError) {
    try addToCounter(&ctx, try ctx.int(2))
}

private func decrbyCommand(_ ctx: inout CommandContext) throws(CommandError) {
    let decrement = try ctx.int(2)
    if decrement == .min { throw .decrByMinimumOverflow }
    try addToCounter(&ctx, -decrement)
}

private func addToCounter(_ ctx: inout CommandContext, _ increment: Int64) throws(CommandError) {
    let result = try ctx.updateStringValue(ctx.args[1]) { (string: inout Bytes?) throws(CommandError) -> Int64 in
        var current: Int64 = 0
        if let string {
            guard let v = parseInt64(string) else { throw .notInteger }
            current = v
        }
        let (sum, overflow) = current.addingReportingOverflow(increment)
        if overflow { throw .overflow }
        string = formatInt(sum)
        return sum
    }
    ctx.reply.integer(Int(result))
}

/// INCRBYFLOAT key increment: the new value as a bulk string.
private func incrbyfloatCommand(_ ctx: inout CommandContext) throws(CommandError) {
    let incrementText = ctx.args[2]
    let text = try ctx.updateStringValue(ctx.args[1]) { (string: inout Bytes?) throws(CommandError) -> Bytes in
        var current: LongDouble = 0
        if let string {
            guard let v = parseLongDouble(string) else { throw .notFloat }
            current = v
        }
        guard let increment = parseLongDouble(incrementText) else { throw .notFloat }
        let sum = current + increment
        if sum.isNaN || sum.isInfinite { throw .incrByFloatNotFinite }
        let formatted = formatLongDouble(extended: sum)
        string = formatted
        return formatted
    }
    ctx.propagateAs = [PropagatedCommand.setKeepTTL(key: ctx.args[1], value: text)]
    ctx.reply.bulk(text)
}

extension CommandError {
    /// DECRBY -9223372036854775808.
    static let decrByMinimumOverflow = CommandError("ERR decrement would overflow")
    /// INCRBYFLOAT reaching NaN or ±inf.
    static let incrByFloatNotFinite = CommandError("ERR increment would produce NaN or Infinity")
}
