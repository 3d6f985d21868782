// HashIncrement: HINCRBY and HINCRBYFLOAT — arithmetic on a field's value,
// which is stored back as text (a missing field counts as 0).
//
// Redis 7.0 rules:
// - The increment is validated first ("value is not an integer or out of
//   range" / "value is not a valid float"; an infinite float increment is
//   "value is NaN or Infinity"), then the key's type, then the stored value
//   ("hash value is not an integer" / "hash value is not a float").
// - HINCRBY refuses to overflow a signed 64-bit integer.
// - HINCRBYFLOAT computes in x87 long double (Float80 on x86) like Redis, and
//   answers and stores "%.17Lf" with trailing zeros removed; an infinite or
//   NaN result is refused and nothing is stored.

import RESP
import Replication
import Keyspace

extension CommandError {
    static let hashValueNotInteger = CommandError("ERR hash value is not an integer")
    static let hashValueNotFloat = CommandError("ERR hash value is not a float")
    static let hashIncrementNotFinite = CommandError("ERR value is NaN or Infinity")
    static let hashIncrementResultNotFinite = CommandError("ERR increment would produce NaN or Infinity")
}

/// Specs of this file's commands.
func hashIncrementCommands() -> [CommandSpec] {
    let one = (1, 1, 1)
    let wf = HashCategories.writeFast
    return [
        CommandSpec("hincrby", arity: 4, flags: [.write, .denyOOM, .fast], keys: one, categories: wf, handler: hincrby),
        CommandSpec("hincrbyfloat", arity: 4, flags: [.write, .denyOOM, .fast], keys: one, categories: wf,
                    handler: hincrbyfloat),
    ]
}

private func hincrby(_ ctx: inout CommandContext) throws(CommandError) {
    let increment = try ctx.int(3)
    let field = ctx.args[2]
    let result = try ctx.updateHash(ctx.args[1], create: true) { (hash: inout HashTable<Bytes>) throws(CommandError) -> Int64 in
        var current: Int64 = 0
        if let stored = hash[field] {
            guard let v = parseInt64(stored) else { throw .hashValueNotInteger }
            current = v
        }
        let (sum, overflow) = current.addingReportingOverflow(increment)
        if overflow { throw .overflow }
        hash.updateValue(formatInt(sum), forKey: field)
        return sum
    }
    ctx.reply.integer(Int(result ?? 0))
}

private func hincrbyfloat(_ ctx: inout CommandContext) throws(CommandError) {
    guard let increment = parseLongDouble(ctx.args[3]) else { throw .notFloat }
    if increment.isInfinite { throw .hashIncrementNotFinite }
    let field = ctx.args[2]
    let text = try ctx.updateHash(ctx.args[1], create: true) { (hash: inout HashTable<Bytes>) throws(CommandError) -> Bytes in
        var current: LongDouble = 0
        if let stored = hash[field] {
            guard let v = parseLongDouble(stored) else { throw .hashValueNotFloat }
            current = v
        }
        let sum = current + increment
        if sum.isNaN || sum.isInfinite { throw .hashIncrementResultNotFinite }
        let text = formatLongDouble(extended: sum)
        hash.updateValue(text, forKey: field)
        return text
    }
    if let text { ctx.propagateAs = [PropagatedCommand.hset(key: ctx.args[1], field: field, value: text)] }
    ctx.reply.bulk(text ?? [])
}
