// Whole-keyspace reads: KEYS, SCAN, RANDOMKEY, DBSIZE.
//
// Rules (Redis 7.0):
// - KEYS returns every live key matching a glob pattern (expired keys are
//   skipped, not deleted).
// - SCAN's cursor is read like C's strtoul (Redis parseScanCursorOrReply): an
//   optional sign then decimal digits, a negative number wraps modulo 2^64,
//   the empty string is 0; a leading space, trailing bytes or overflow is
//   "invalid cursor". COUNT must be >= 1 (else "syntax error"); MATCH filters
//   by glob, TYPE by type name (case-insensitively; an unknown name matches
//   nothing). The reply is [cursor as a bulk string, [keys]].
// - DBSIZE counts keys not yet reclaimed, as Redis does.

import RESP
import Keyspace

/// KEYS, SCAN, RANDOMKEY, DBSIZE.
func keyIterationCommands() -> [CommandSpec] {
    [
        CommandSpec("keys", arity: 2, flags: [.readonly], keys: (0, 0, 0),
                    categories: ["@keyspace", "@read", "@slow", "@dangerous"], handler: keysCommand),
        CommandSpec("scan", arity: -2, flags: [.readonly], keys: (0, 0, 0),
                    categories: ["@keyspace", "@read", "@slow"], handler: scanCommand),
        CommandSpec("randomkey", arity: 1, flags: [.readonly], keys: (0, 0, 0),
                    categories: ["@keyspace", "@read", "@slow"], handler: randomkeyCommand),
        CommandSpec("dbsize", arity: 1, flags: [.readonly, .fast], keys: (0, 0, 0),
                    categories: ["@keyspace", "@read", "@fast"], handler: dbsizeCommand),
    ]
}

/// KEYS pattern
private func keysCommand(_ ctx: inout CommandContext) throws(CommandError) {
    let pattern = ctx.args[1]
    let matchesAll = pattern.count == 1 && pattern[0] == UInt8(ascii: "*")
    let db = ctx.db
    let now = ctx.now
    let header = ctx.reply.deferLength()
    var n = 0
    for key in db.main.keys where matchesAll || globMatch(pattern: pattern, string: key) {
        if db.isExpired(key, now: now) { continue }
        ctx.reply.bulk(key)
        n += 1
    }
    ctx.reply.setDeferredArray(header, count: n)
}

/// SCAN cursor [MATCH pattern] [COUNT count] [TYPE type]
private func scanCommand(_ ctx: inout CommandContext) throws(CommandError) {
    guard let cursor = parseKeyScanCursor(ctx.args[1]) else { throw .keyScanInvalidCursor }
    var count: Int64 = 10
    var pattern: Bytes? = nil
    var typeName: Bytes? = nil
    var i = 2
    while i < ctx.args.count {
        let hasValue = i + 1 < ctx.args.count
        if ctx.argIs(i, "count"), hasValue {
            count = try ctx.int(i + 1)
            if count < 1 { throw .syntax }
        } else if ctx.argIs(i, "match"), hasValue {
            let p = ctx.args[i + 1]
            pattern = p.count == 1 && p[0] == UInt8(ascii: "*") ? nil : p
        } else if ctx.argIs(i, "type"), hasValue {
            typeName = ctx.args[i + 1].map { $0 >= 65 && $0 <= 90 ? $0 | 0x20 : $0 }
        } else {
            throw .syntax
        }
        i += 2
    }
    var keys: [Bytes] = []
    let next = ctx.db.scan(cursor: cursor, count: Int(count), now: ctx.now) { key, value in
        if let pattern, !globMatch(pattern: pattern, string: key) { return }
        if let typeName, !value.typeName.utf8Equals(typeName) { return }
        keys.append(key)
    }
    ctx.reply.arrayHeader(2)
    ctx.reply.bulk(String(next))
    ctx.reply.arrayHeader(keys.count)
    for key in keys { ctx.reply.bulk(key) }
}

/// RANDOMKEY: a random live key, or null when the database is empty.
private func randomkeyCommand(_ ctx: inout CommandContext) throws(CommandError) {
    var rng = ctx.server.rng
    if let key = ctx.db.randomKey(now: ctx.now, using: &rng) {
        ctx.reply.bulk(key)
    } else {
        ctx.reply.null()
    }
}

/// DBSIZE
private func dbsizeCommand(_ ctx: inout CommandContext) throws(CommandError) {
    ctx.reply.integer(ctx.db.count)
}

/// A SCAN cursor read as strtoul(…, 10) reads it, with Redis's extra checks
/// (see the file header); nil when Redis answers "invalid cursor".
func parseKeyScanCursor(_ raw: Bytes) -> UInt64? {
    // C sees the argument as a NUL-terminated string.
    let text = raw.firstIndex(of: 0).map { raw[..<$0] } ?? raw[...]
    guard let first = text.first else { return 0 }
    if first == 32 || (first >= 9 && first <= 13) { return nil }
    var i = text.startIndex
    var negative = false
    if first == UInt8(ascii: "+") || first == UInt8(ascii: "-") {
        negative = first == UInt8(ascii: "-")
        i += 1
    }
    guard i < text.endIndex else { return nil }   // a sign alone: no conversion
    var value: UInt64 = 0
    while i < text.endIndex {
        let c = text[i]
        guard c >= 48 && c <= 57 else { return nil }
        let (m, o1) = value.multipliedReportingOverflow(by: 10)
        let (s, o2) = m.addingReportingOverflow(UInt64(c - 48))
        if o1 || o2 { return nil }
        value = s
        i += 1
    }
    return negative ? 0 &- value : value
}

extension StaticString {
    /// True when the UTF-8 bytes of `self` equal `bytes`.
    fileprivate func utf8Equals(_ bytes: Bytes) -> Bool {
        guard utf8CodeUnitCount == bytes.count else { return false }
        return withUTF8Buffer { $0.elementsEqual(bytes) }
    }
}

extension CommandError {
    /// SCAN with a cursor that is not an unsigned integer.
    static let keyScanInvalidCursor = CommandError("ERR invalid cursor")
}
