// PSYNCReply.swift — classifying the master's one-line answer to PSYNC the
// way Redis 7.0's slaveTryPartialResynchronization does (prefix tests, not a
// strict grammar, so that what a real master sends is understood identically).
//
//   "+FULLRESYNC <40-char id> <offset>"  → full resync; offset parsed like strtoll
//                                          (leading digits; garbage reads as 0);
//                                          an id of any other length is "wrong syntax"
//   "+CONTINUE" [" " <40-char id>]       → partial resync; the id only when exactly
//                                          40 characters follow the 10th byte
//   "-NOMASTERLINK…", "-LOADING…"        → try again later
//   "-ERR…"                              → PSYNC not supported: fall back to SYNC
//   anything else                        → unexpected: also fall back to SYNC

import RESP

/// The master's reply to PSYNC.
enum PSYNCReply: Equatable {
    /// Full resync; nil id when the reply was malformed.
    case fullResync(ReplicationID?, Int64)
    /// Partial resync, with the master's (possibly new) id when it sent one.
    case `continue`(ReplicationID?)
    /// A transient condition (-NOMASTERLINK, -LOADING).
    case tryLater
    /// Not understood; `isERR` when it was an "-ERR" error (logged as notice).
    case notSupported(isERR: Bool)

    init(line: String) {
        let bytes = Array(line.utf8)
        if line.hasPrefix("+FULLRESYNC") {
            // replid = after the first space; offset = after the next space.
            guard let s1 = bytes.firstIndex(of: 32),
                  let s2 = bytes[(s1 + 1)...].firstIndex(of: 32),
                  s2 - s1 - 1 == ReplicationID.length,
                  let id = ReplicationID(Array(bytes[(s1 + 1)..<s2])) else {
                self = .fullResync(nil, -1)
                return
            }
            self = .fullResync(id, strtollPrefix(bytes[(s2 + 1)...]))
        } else if line.hasPrefix("+CONTINUE") {
            // Redis measures from byte 10 to the end of the line.
            if bytes.count - 10 == ReplicationID.length, let id = ReplicationID(Array(bytes[10...])) {
                self = .continue(id)
            } else {
                self = .continue(nil)
            }
        } else if line.hasPrefix("-NOMASTERLINK") || line.hasPrefix("-LOADING") {
            self = .tryLater
        } else {
            self = .notSupported(isERR: line.hasPrefix("-ERR"))
        }
    }
}

/// C's strtoll(s, NULL, 10) without overflow clamping surprises: leading
/// blanks, an optional sign, then as many digits as fit; 0 when none.
func strtollPrefix(_ s: ArraySlice<UInt8>) -> Int64 {
    var i = s.startIndex
    while i < s.endIndex, s[i] == 32 || (s[i] >= 9 && s[i] <= 13) { i += 1 }
    var negative = false
    if i < s.endIndex, s[i] == UInt8(ascii: "-") || s[i] == UInt8(ascii: "+") {
        negative = s[i] == UInt8(ascii: "-")
        i += 1
    }
    var value: Int64 = 0
    while i < s.endIndex, s[i] >= 48, s[i] <= 57 {
        let d = Int64(s[i] - 48)
        let (m, o1) = value.multipliedReportingOverflow(by: 10)
        let (r, o2) = negative ? m.subtractingReportingOverflow(d) : m.addingReportingOverflow(d)
        if o1 || o2 { return negative ? Int64.min : Int64.max }
        value = r
        i += 1
    }
    return value
}
