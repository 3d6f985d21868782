// HashScan: HSCAN key cursor [MATCH pattern] [COUNT count].
//
// Redis 7.0 rules:
// 1. The cursor is parsed first, as C strtoul does: optional sign ("-1" wraps
//    to 2^64-1), decimal digits, no leading space, nothing after; else
//    "ERR invalid cursor".
// 2. A missing key answers an empty scan ["0", []] before the options are
//    looked at; another type answers WRONGTYPE.
// 3. Options: COUNT n (n >= 1, else a syntax error) and MATCH pattern (glob on
//    the field); anything else is a syntax error.
// 4. A hash Redis would keep as a listpack (at most hash-max-listpack-entries
//    fields, none longer than hash-max-listpack-value bytes, field or value)
//    is returned whole with cursor 0, ignoring COUNT, as Redis does. Larger
//    hashes are walked with the table's reverse-binary cursor, which returns
//    every field present for the whole scan at least once.
// 5. Reply: [cursor as a bulk string, flat field, value, … array] in both protocols.

import RESP
import Keyspace
import Config

extension CommandError {
    static let hashScanInvalidCursor = CommandError("ERR invalid cursor")
}

/// Specs of this file's commands.
func hashScanCommands() -> [CommandSpec] {
    [
        CommandSpec("hscan", arity: -3, flags: [.readonly], keys: (1, 1, 1), categories: HashCategories.readSlow,
                    handler: hscan),
    ]
}

/// A SCAN-family cursor argument with C `strtoul` semantics (see the file header); nil when invalid.
private func parseHashScanCursor(_ bytes: Bytes) -> UInt64? {
    var i = 0
    let n = bytes.count
    var negative = false
    if i < n, bytes[i] == UInt8(ascii: "+") || bytes[i] == UInt8(ascii: "-") {
        negative = bytes[i] == UInt8(ascii: "-")
        i += 1
    }
    let digitsStart = i
    var value: UInt64 = 0
    while i < n, bytes[i] >= 48, bytes[i] <= 57 {
        let (m, o1) = value.multipliedReportingOverflow(by: 10)
        let (s, o2) = m.addingReportingOverflow(UInt64(bytes[i] - 48))
        if o1 || o2 { return nil }   // ERANGE
        value = s
        i += 1
    }
    // No digits: strtoul consumes nothing, so the text must be empty (or start with NUL).
    if i == digitsStart { return n == 0 || bytes[0] == 0 ? 0 : nil }
    // C strings end at the first NUL byte.
    guard i == n || bytes[i] == 0 else { return nil }
    return negative ? 0 &- value : value
}

private func hscan(_ ctx: inout CommandContext) throws(CommandError) {
    guard let cursor = parseHashScanCursor(ctx.args[2]) else { throw .hashScanInvalidCursor }
    guard let hash = try ctx.readHash(ctx.args[1]) else {
        ctx.reply.arrayHeader(2)
        ctx.reply.bulk("0")
        ctx.reply.emptyArray()
        return
    }
    var count = 10
    var pattern: Bytes? = nil
    var j = 3
    while j < ctx.args.count {
        let hasValue = j + 1 < ctx.args.count
        if hasValue, ctx.argIs(j, "count") {
            let c = try ctx.int(j + 1)
            if c < 1 { throw .syntax }
            count = Int(c)
        } else if hasValue, ctx.argIs(j, "match") {
            let p = ctx.args[j + 1]
            pattern = p == [UInt8(ascii: "*")] ? nil : p
        } else {
            throw .syntax
        }
        j += 2
    }

    var found: [(Bytes, Bytes)] = []
    let next: UInt64
    let collect = { (field: Bytes, value: Bytes) in
        if let pattern, !globMatch(pattern: pattern, string: field) { return }
        found.append((field, value))
    }
    if isListpackSized(hash, config: ctx.server.config) {
        for (field, value) in hash { collect(field, value) }
        next = 0
    } else {
        next = hash.scan(cursor: cursor, count: count, collect)
    }
    ctx.reply.arrayHeader(2)
    ctx.reply.bulk(String(next))
    ctx.reply.arrayHeader(found.count * 2)
    for (field, value) in found {
        ctx.reply.bulk(field)
        ctx.reply.bulk(value)
    }
}

/// True when Redis would hold `hash` as a listpack (so HSCAN returns it whole).
private func isListpackSized(_ hash: HashTable<Bytes>, config: ConfigStore) -> Bool {
    guard hash.count <= config.int("hash-max-listpack-entries") else { return false }
    let maxLength = config.bytes("hash-max-listpack-value")
    for (field, value) in hash where field.count > maxLength || value.count > maxLength { return false }
    return true
}
