// SSCAN, and the cursor/option parsing it shares with ZSCAN.
//
// Rules (Redis 7.0 scanGenericCommand):
// 1. The cursor is parsed first ("ERR invalid cursor"): decimal digits with
//    an optional sign, as strtoul reads them (a negative cursor wraps).
// 2. A missing key answers [ "0", [] ] without looking at the options; a key
//    of another type is WRONGTYPE.
// 3. Options: COUNT n (an integer >= 1, else "syntax error") and MATCH
//    pattern, in any order, repeatable (the last wins). TYPE is SCAN's only.
// 4. The reply is [next cursor as a bulk string, elements]; "0" = done.
// 5. A set Redis would hold as an intset is returned whole, in ascending
//    order, with cursor 0, whatever the cursor and COUNT (as Redis does).

import RESP
import Keyspace

/// SSCAN/ZSCAN options.
struct SetScanOptions {
    /// Elements wanted per call (a hint).
    var count = 10
    /// Glob a member must match; nil = every member.
    var pattern: Bytes?

    /// Parses the options after the cursor, from argument `start`.
    init(_ ctx: CommandContext, from start: Int) throws(CommandError) {
        var i = start
        while i < ctx.args.count {
            let hasValue = i + 1 < ctx.args.count
            if ctx.argIs(i, "count"), hasValue {
                let n = try ctx.int(i + 1)
                guard n >= 1 else { throw .syntax }
                count = Int(clamping: n)
            } else if ctx.argIs(i, "match"), hasValue {
                let p = ctx.args[i + 1]
                pattern = p == [UInt8(ascii: "*")] ? nil : p
            } else {
                throw .syntax
            }
            i += 2
        }
    }

    /// True when `member` passes the MATCH filter.
    func matches(_ member: Bytes) -> Bool {
        guard let pattern else { return true }
        return globMatch(pattern: pattern, string: member)
    }
}

/// Parses a SCAN cursor as Redis's strtoul: optional sign then decimal digits, no spaces.
func parseSetScanCursor(_ bytes: Bytes) throws(CommandError) -> UInt64 {
    var i = 0
    var negative = false
    if let first = bytes.first, first == UInt8(ascii: "-") || first == UInt8(ascii: "+") {
        negative = first == UInt8(ascii: "-")
        i = 1
        guard bytes.count > 1 else { throw .setInvalidCursor }
    }
    var value: UInt64 = 0
    while i < bytes.count {
        let c = bytes[i]
        guard c >= 48, c <= 57 else { throw .setInvalidCursor }
        let (m, o1) = value.multipliedReportingOverflow(by: 10)
        let (a, o2) = m.addingReportingOverflow(UInt64(c - 48))
        if o1 || o2 { throw .setInvalidCursor }
        value = a
        i += 1
    }
    return negative ? 0 &- value : value
}

extension CommandError {
    static let setInvalidCursor = CommandError("ERR invalid cursor")
}

/// SSCAN key cursor [MATCH pattern] [COUNT count].
func sscan(_ ctx: inout CommandContext) throws(CommandError) {
    let cursor = try parseSetScanCursor(ctx.args[2])
    guard let set = try ctx.readSet(ctx.args[1]) else {
        replySetFamilyEmptyScan(&ctx)
        return
    }
    let options = try SetScanOptions(ctx, from: 3)
    var members: [Bytes] = []
    var next: UInt64 = 0
    if let ordered = intsetOrder(set, ctx.server) {
        members = ordered.filter(options.matches)      // an intset is returned whole (rule 5)
    } else {
        next = set.scan(cursor: cursor, count: options.count) { member, _ in
            if options.matches(member) { members.append(member) }
        }
    }
    ctx.reply.arrayHeader(2)
    ctx.reply.bulk(String(next))
    ctx.reply.arrayHeader(members.count)
    for member in members { ctx.reply.bulk(member) }
}

/// [ "0", [] ]: the scan of a missing key.
func replySetFamilyEmptyScan(_ ctx: inout CommandContext) {
    ctx.reply.arrayHeader(2)
    ctx.reply.bulk([UInt8(ascii: "0")])
    ctx.reply.arrayHeader(0)
}
