// Byte ranges of strings: APPEND, STRLEN, GETRANGE (and its old name SUBSTR), SETRANGE.
//
// Rules (Redis 7.0):
// - APPEND creates a missing key; growing an existing string past
//   `proto-max-bulk-len` is refused. The key keeps its TTL.
// - GETRANGE takes inclusive byte indices, negative ones counting from the
//   end, clamped to the string; an empty range, a missing key and a
//   start > end pair of negative indices all answer the empty bulk.
// - SETRANGE pads with zero bytes; a negative offset is refused before the key
//   is looked at; an empty patch changes nothing and answers the current
//   length (0 for a missing key, which is not created).

import RESP
import Keyspace

/// APPEND, STRLEN, GETRANGE, SUBSTR, SETRANGE.
func stringRangeCommands() -> [CommandSpec] {
    [
        CommandSpec("append", arity: 3, flags: [.write, .denyOOM, .fast], keys: (1, 1, 1),
                    categories: ["@write", "@string", "@fast"], handler: appendCommand),
        CommandSpec("strlen", arity: 2, flags: [.readonly, .fast], keys: (1, 1, 1),
                    categories: ["@read", "@string", "@fast"], handler: strlenCommand),
        CommandSpec("getrange", arity: 4, flags: [.readonly], keys: (1, 1, 1),
                    categories: ["@read", "@string", "@slow"], handler: getrangeCommand),
        CommandSpec("substr", arity: 4, flags: [.readonly], keys: (1, 1, 1),
                    categories: ["@read", "@string", "@slow"], handler: getrangeCommand),
        CommandSpec("setrange", arity: 4, flags: [.write, .denyOOM], keys: (1, 1, 1),
                    categories: ["@write", "@string", "@slow"], handler: setrangeCommand),
    ]
}

/// APPEND key value: the new length.
private func appendCommand(_ ctx: inout CommandContext) throws(CommandError) {
    let suffix = ctx.args[2]
    let context = ctx
    let length = try ctx.updateStringValue(ctx.args[1]) { (string: inout Bytes?) throws(CommandError) -> Int in
        guard var grown = string else {
            string = suffix
            return suffix.count
        }
        try context.checkStringLength(grown.count, appending: suffix.count)
        string = nil   // `grown` is now the only reference: append in place
        grown.append(contentsOf: suffix)
        string = grown
        return grown.count
    }
    ctx.reply.integer(length)
}

/// STRLEN key: 0 for a missing key.
private func strlenCommand(_ ctx: inout CommandContext) throws(CommandError) {
    ctx.reply.integer(try ctx.readString(ctx.args[1])?.count ?? 0)
}

/// GETRANGE key start end
private func getrangeCommand(_ ctx: inout CommandContext) throws(CommandError) {
    var start = try ctx.int(2)
    var end = try ctx.int(3)
    guard let string = try ctx.readString(ctx.args[1]) else {
        ctx.reply.emptyBulk()
        return
    }
    if start < 0 && end < 0 && start > end {
        ctx.reply.emptyBulk()
        return
    }
    let length = Int64(string.count)
    if start < 0 { start += length }   // cannot overflow: start < 0 <= length
    if end < 0 { end += length }
    if start < 0 { start = 0 }
    if end < 0 { end = 0 }
    if end >= length { end = length - 1 }
    if start > end || length == 0 {
        ctx.reply.emptyBulk()
    } else {
        ctx.reply.bulk(bytes: string[Int(start)...Int(end)])
    }
}

/// SETRANGE key offset value: the new length.
private func setrangeCommand(_ ctx: inout CommandContext) throws(CommandError) {
    let key = ctx.args[1]
    let offset = try ctx.int(2)
    if offset < 0 { throw .setRangeOffsetOutOfRange }
    let patch = ctx.args[3]
    switch ctx.db.lookup(key, now: ctx.now) {
    case nil:
        if patch.isEmpty {
            ctx.reply.zero()
            return
        }
    case .string(let existing)?:
        if patch.isEmpty {
            ctx.reply.integer(existing.count)
            return
        }
    case _?:
        throw .wrongType
    }
    try ctx.checkStringLength(Int(offset), appending: patch.count)
    let start = Int(offset)
    let (end, overflow) = start.addingReportingOverflow(patch.count)
    if overflow { throw .stringExceedsMaxBulkLength }   // even from our master
    let length = try ctx.updateStringValue(key) { (string: inout Bytes?) throws(CommandError) -> Int in
        var bytes = string ?? []
        string = nil   // `bytes` is now the only reference: write in place
        if bytes.count < end { bytes.append(contentsOf: repeatElement(0, count: end - bytes.count)) }
        bytes.replaceSubrange(start..<end, with: patch)
        string = bytes
        return bytes.count
    }
    ctx.reply.integer(length)
}

extension CommandError {
    /// SETRANGE with a negative offset.
    static let setRangeOffsetOutOfRange = CommandError("ERR offset is out of range")
}
