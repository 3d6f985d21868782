// InlineParser.swift — splits an inline request line into arguments the way
// Redis's sdssplitargs does (used for telnet-style "SET k v\r\n" requests).
//
// Rules (sdssplitargs, Redis 7.0):
//  1. Blanks between arguments are C isspace: ' ', \t, \n, \v, \f, \r.
//  2. An unquoted argument ends at ' ', \n, \r, \t or the end of the line; a
//     quote inside it opens a quoted part of the same argument (a"b c" -> "ab c").
//  3. "double quotes": \xHH (two hex digits) is a byte; \n \r \t \b \a are
//     control characters; a backslash before any other byte yields that byte.
//  4. 'single quotes': only \' is an escape; everything else is literal.
//  5. A closing quote must be followed by a blank or the end of the line,
//     and every quote must be closed; otherwise the whole request is
//     "Protocol error: unbalanced quotes in request".
// Difference: C stops at a NUL byte; here NUL is an ordinary byte.
//
// Invariant: reads only `line[0..<line.count]`.

/// Splits `line` (without its line terminator) into arguments.
func splitInlineArguments(_ line: UnsafeRawBufferPointer) throws(ProtocolError) -> [Bytes] {
    let end = line.count
    var args: [Bytes] = []
    var i = 0
    while true {
        while i < end && isCSpace(line[i]) { i += 1 }
        if i >= end { return args }

        var current = Bytes()
        var inDouble = false
        var inSingle = false
        var done = false
        while !done {
            if inDouble {
                guard i < end else { throw .unbalancedQuotes }
                let c = line[i]
                if c == UInt8(ascii: "\\"), i + 3 < end, line[i + 1] == UInt8(ascii: "x"),
                   let hi = hexValue(line[i + 2]), let lo = hexValue(line[i + 3]) {
                    current.append(hi << 4 | lo)
                    i += 3
                } else if c == UInt8(ascii: "\\"), i + 1 < end {
                    i += 1
                    current.append(unescape(line[i]))
                } else if c == UInt8(ascii: "\"") {
                    if i + 1 < end && !isCSpace(line[i + 1]) { throw .unbalancedQuotes }
                    done = true
                } else {
                    current.append(c)
                }
            } else if inSingle {
                guard i < end else { throw .unbalancedQuotes }
                let c = line[i]
                if c == UInt8(ascii: "\\"), i + 1 < end, line[i + 1] == UInt8(ascii: "'") {
                    i += 1
                    current.append(UInt8(ascii: "'"))
                } else if c == UInt8(ascii: "'") {
                    if i + 1 < end && !isCSpace(line[i + 1]) { throw .unbalancedQuotes }
                    done = true
                } else {
                    current.append(c)
                }
            } else {
                guard i < end else { break }
                switch line[i] {
                case UInt8(ascii: " "), UInt8(ascii: "\n"), UInt8(ascii: "\r"), UInt8(ascii: "\t"):
                    done = true
                case UInt8(ascii: "\""):
                    inDouble = true
                case UInt8(ascii: "'"):
                    inSingle = true
                case let c:
                    current.append(c)
                }
            }
            if i < end { i += 1 }
        }
        args.append(current)
    }
}

/// The value of an ASCII hex digit, or nil.
@inline(__always)
private func hexValue(_ c: UInt8) -> UInt8? {
    switch c {
    case UInt8(ascii: "0")...UInt8(ascii: "9"): return c - UInt8(ascii: "0")
    case UInt8(ascii: "a")...UInt8(ascii: "f"): return c - UInt8(ascii: "a") + 10
    case UInt8(ascii: "A")...UInt8(ascii: "F"): return c - UInt8(ascii: "A") + 10
    default: return nil
    }
}

/// The byte a backslash escape stands for inside double quotes.
@inline(__always)
private func unescape(_ c: UInt8) -> UInt8 {
    switch c {
    case UInt8(ascii: "n"): return 10
    case UInt8(ascii: "r"): return 13
    case UInt8(ascii: "t"): return 9
    case UInt8(ascii: "b"): return 8
    case UInt8(ascii: "a"): return 7
    default: return c
    }
}
