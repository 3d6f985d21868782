// StringLCS: LCS key1 key2 [LEN] [IDX] [MINMATCHLEN len] [WITHMATCHLEN] — the
// longest common subsequence of two strings (Redis 7.0 lcsCommand).
//
// Rules (Redis 7.0.15):
// 1. Both keys are read first: a key of another type answers "ERR The
//    specified keys must contain string values"; a missing key is "".
// 2. Options in any order, any case: LEN, IDX, WITHMATCHLEN, MINMATCHLEN n
//    (an integer; negative counts as 0); anything else is a syntax error.
//    LEN with IDX is "ERR If you want both the length and indexes, please just
//    use IDX."
// 3. The classic O(n·m) table of uint32 lengths; a table larger than
//    proto-max-bulk-len bytes is refused ("Insufficient memory, transient
//    memory for LCS exceeds proto-max-bulk-len").
// 4. Walking back from the end: on equal bytes take the byte (extending the
//    current match range backwards when contiguous); otherwise step in the
//    direction of the longer sub-LCS (ties step in the second string). A range
//    is emitted when it ends (a step without a match, or the start of either
//    string), if at least MINMATCHLEN long — so ranges come last-first.
// 5. Replies: the LCS as a bulk string; with LEN its length; with IDX a map
//    {"matches": [[[a0, a1], [b0, b1](, len)], ...], "len": n}.

import RESP
import Keyspace

extension CommandError {
    static let lcsNotStrings = CommandError("ERR The specified keys must contain string values")
    static let lcsLenAndIdx = CommandError("ERR If you want both the length and indexes, please just use IDX.")
    static let lcsTooLarge = CommandError("ERR Insufficient memory, transient memory for LCS exceeds proto-max-bulk-len")
}

/// Specs of this file's commands.
func stringLCSCommands() -> [CommandSpec] {
    [CommandSpec("lcs", arity: -3, flags: [.readonly], keys: (1, 2, 1), categories: ["@read", "@string", "@slow"],
                 handler: lcs)]
}

/// One match range of LCS IDX (inclusive byte offsets in each string).
private struct LCSRange {
    var aStart: Int, aEnd: Int, bStart: Int, bEnd: Int
    var length: Int { aEnd - aStart + 1 }
}

private func lcs(_ ctx: inout CommandContext) throws(CommandError) {
    let a: Bytes, b: Bytes
    switch (ctx.read(ctx.args[1]), ctx.read(ctx.args[2])) {
    case (.string(let x)?, .string(let y)?): (a, b) = (x, y)
    case (.string(let x)?, nil): (a, b) = (x, [])
    case (nil, .string(let y)?): (a, b) = ([], y)
    case (nil, nil): (a, b) = ([], [])
    default: throw .lcsNotStrings
    }
    var getLength = false, getIndexes = false, withMatchLength = false
    var minMatchLength = 0
    var j = 3
    while j < ctx.args.count {
        if ctx.argIs(j, "idx") {
            getIndexes = true
        } else if ctx.argIs(j, "len") {
            getLength = true
        } else if ctx.argIs(j, "withmatchlen") {
            withMatchLength = true
        } else if ctx.argIs(j, "minmatchlen"), j + 1 < ctx.args.count {
            minMatchLength = Int(max(0, try ctx.int(j + 1)))
            j += 1
        } else {
            throw .syntax
        }
        j += 1
    }
    if getLength && getIndexes { throw .lcsLenAndIdx }

    let width = b.count + 1
    let (cells, o1) = (a.count + 1).multipliedReportingOverflow(by: width)
    let (tableBytes, o2) = cells.multipliedReportingOverflow(by: 4)
    if o1 || o2 || tableBytes > ctx.server.config.int("proto-max-bulk-len") { throw .lcsTooLarge }

    // table[i * width + j] = length of the LCS of a[..<i] and b[..<j].
    var table = [UInt32](repeating: 0, count: cells)
    if !a.isEmpty && !b.isEmpty {
        for i in 1...a.count {
            let row = i * width, above = row - width
            let ai = a[i - 1]
            for k in 1...b.count {
                if ai == b[k - 1] {
                    table[row + k] = table[above + k - 1] + 1
                } else {
                    table[row + k] = max(table[above + k], table[row + k - 1])
                }
            }
        }
    }
    let total = Int(table[a.count * width + b.count])

    // Walk back (rule 4).
    var result = [UInt8](repeating: 0, count: getIndexes || !getLength ? total : 0)
    var ranges: [LCSRange] = []
    var current: LCSRange?
    var i = a.count, k = b.count, filled = total
    while (getIndexes || !getLength) && i > 0 && k > 0 {
        var emit = false
        if a[i - 1] == b[k - 1] {
            result[filled - 1] = a[i - 1]
            if var range = current {
                if range.aStart == i && range.bStart == k {
                    range.aStart -= 1
                    range.bStart -= 1
                    current = range
                } else {
                    emit = true
                }
            } else {
                current = LCSRange(aStart: i - 1, aEnd: i - 1, bStart: k - 1, bEnd: k - 1)
            }
            if let range = current, range.aStart == 0 || range.bStart == 0 { emit = true }
            filled -= 1; i -= 1; k -= 1
        } else {
            if table[(i - 1) * width + k] > table[i * width + k - 1] { i -= 1 } else { k -= 1 }
            if current != nil { emit = true }
        }
        if emit, let range = current {
            if minMatchLength == 0 || range.length >= minMatchLength { ranges.append(range) }
            current = nil
        }
    }

    if getIndexes {
        ctx.reply.mapHeader(2)
        ctx.reply.bulk("matches")
        ctx.reply.arrayHeader(ranges.count)
        for range in ranges {
            ctx.reply.arrayHeader(withMatchLength ? 3 : 2)
            ctx.reply.arrayHeader(2)
            ctx.reply.integer(range.aStart)
            ctx.reply.integer(range.aEnd)
            ctx.reply.arrayHeader(2)
            ctx.reply.integer(range.bStart)
            ctx.reply.integer(range.bEnd)
            if withMatchLength { ctx.reply.integer(range.length) }
        }
        ctx.reply.bulk("len")
        ctx.reply.integer(total)
    } else if getLength {
        ctx.reply.integer(total)
    } else {
        ctx.reply.bulk(result)
    }
}
