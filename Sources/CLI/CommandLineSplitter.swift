// CommandLineSplitter.swift — turns one typed line into command arguments,
// with the rules of Redis's sdssplitargs (what redis-cli uses):
//
//   1. Arguments are separated by blanks; leading blanks are skipped.
//   2. "double quotes" allow \n \r \t \b \a, \xHH and \<any> escapes.
//   3. 'single quotes' are literal except \' for a quote.
//   4. A closing quote must be followed by a blank or the end of the line,
//      and every opened quote must be closed; otherwise the line is invalid.
//   5. A NUL byte ends the line (the C string would end there).
//
// Also the REPL's repeat prefix: "3 incr counter" runs INCR three times.

import RESP

/// Splits `line` into arguments; nil when the quoting is invalid (rule 4).
public func splitCommandLine(_ line: Bytes) -> [Bytes]? {
    var result: [Bytes] = []
    var i = 0
    func at(_ k: Int) -> UInt8 { k < line.count ? line[k] : 0 }
    func isBlank(_ c: UInt8) -> Bool { c == 0x20 || (0x09...0x0d).contains(c) }

    while true {
        while at(i) != 0 && isBlank(at(i)) { i += 1 }
        if at(i) == 0 { return result }
        var current = Bytes()
        var inDouble = false, inSingle = false, done = false
        while !done {
            let c = at(i)
            if inDouble {
                if c == UInt8(ascii: "\\"), at(i + 1) == UInt8(ascii: "x"),
                   let hi = hexDigitValue(at(i + 2)), let lo = hexDigitValue(at(i + 3)) {
                    current.append(hi << 4 | lo)
                    i += 3
                } else if c == UInt8(ascii: "\\") && at(i + 1) != 0 {
                    i += 1
                    current.append(unescaped(at(i)))
                } else if c == UInt8(ascii: "\"") {
                    if at(i + 1) != 0 && !isBlank(at(i + 1)) { return nil }
                    done = true
                } else if c == 0 {
                    return nil
                } else {
                    current.append(c)
                }
            } else if inSingle {
                if c == UInt8(ascii: "\\") && at(i + 1) == UInt8(ascii: "'") {
                    i += 1
                    current.append(UInt8(ascii: "'"))
                } else if c == UInt8(ascii: "'") {
                    if at(i + 1) != 0 && !isBlank(at(i + 1)) { return nil }
                    done = true
                } else if c == 0 {
                    return nil
                } else {
                    current.append(c)
                }
            } else {
                switch c {
                case 0x20, 0x0a, 0x0d, 0x09, 0: done = true
                case UInt8(ascii: "\""): inDouble = true
                case UInt8(ascii: "'"): inSingle = true
                default: current.append(c)
                }
            }
            if at(i) != 0 { i += 1 }
        }
        result.append(current)
    }
}

/// `splitCommandLine` for text (tests and the REPL).
public func splitCommandLine(_ line: String) -> [String]? {
    splitCommandLine(Array(line.utf8)).map { $0.map { String(decoding: $0, as: UTF8.self) } }
}

/// The REPL's repeat prefix: when the first of at least two arguments is an
/// integer (C `strtol` base 10 consuming the whole argument), returns it as
/// `.repeat(n)`, or `.invalid` when it is not positive or overflows; otherwise
/// `.none` (run once, first argument is the command).
public enum RepeatPrefix: Equatable, Sendable {
    /// No number first: run the line once.
    case none
    /// Run the rest of the line this many times.
    case `repeat`(Int64)
    /// A number that is zero, negative or too big.
    case invalid
}

/// Reads the repeat prefix of a split line (see `RepeatPrefix`).
public func repeatPrefix(of arguments: [Bytes]) -> RepeatPrefix {
    guard arguments.count > 1, let first = arguments.first else { return .none }
    // strtol: optional leading blanks and sign, then digits; must consume all.
    var i = 0
    while i < first.count, first[i] == 0x20 || (0x09...0x0d).contains(first[i]) { i += 1 }
    var negative = false
    if i < first.count, first[i] == UInt8(ascii: "+") || first[i] == UInt8(ascii: "-") {
        negative = first[i] == UInt8(ascii: "-")
        i += 1
    }
    let digitsStart = i
    var value: Int64 = 0
    var overflow = false
    while i < first.count, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(first[i]) {
        let (m, o1) = value.multipliedReportingOverflow(by: 10)
        let (s, o2) = m.addingReportingOverflow(Int64(first[i] - UInt8(ascii: "0")))
        overflow = overflow || o1 || o2
        value = s
        i += 1
    }
    // strtol consumes nothing when there are no digits: the whole argument
    // then counts as parsed only if it was empty.
    if i == digitsStart { return first.isEmpty ? .invalid : .none }
    guard i == first.count else { return .none }
    if overflow || negative || value <= 0 { return .invalid }
    return .repeat(value)
}

/// The value of an ASCII hex digit, or nil.
private func hexDigitValue(_ c: UInt8) -> UInt8? {
    switch c {
    case UInt8(ascii: "0")...UInt8(ascii: "9"): return c - UInt8(ascii: "0")
    case UInt8(ascii: "a")...UInt8(ascii: "f"): return c - UInt8(ascii: "a") + 10
    case UInt8(ascii: "A")...UInt8(ascii: "F"): return c - UInt8(ascii: "A") + 10
    default: return nil
    }
}

/// The byte a backslash escape stands for inside double quotes.
private func unescaped(_ c: UInt8) -> UInt8 {
    switch c {
    case UInt8(ascii: "n"): return 0x0a
    case UInt8(ascii: "r"): return 0x0d
    case UInt8(ascii: "t"): return 0x09
    case UInt8(ascii: "b"): return 0x08
    case UInt8(ascii: "a"): return 0x07
    default: return c
    }
}
