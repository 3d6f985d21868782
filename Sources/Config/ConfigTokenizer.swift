// ConfigTokenizer: splits one configuration line into words exactly like
// Redis's `sdssplitargs`, and quotes a word back like `sdscatrepr`.
//
// Rules (byte oriented, C locale):
//   1. Words are separated by blanks (space, \t, \n, \r, \v, \f).
//   2. "double quotes" group a word and understand the escapes \n \r \t \b \a,
//      \xHH (two hex digits) and backslash + any other byte = that byte.
//   3. 'single quotes' group a word and understand only \' .
//   4. A closing quote must be followed by a blank or the end of the line,
//      otherwise the whole line is rejected ("foo"bar, "foo').
//   5. An unterminated quote rejects the line.
//   6. A quote may start in the middle of a bare word: ab"c d" is `abc d`.
// Invariant: `split(quoted(w)) == [w]` for every word `w` (round trip).
// A NUL byte ends the line, as it does for the C original.

/// Redis-compatible splitting of configuration lines into words.
public enum ConfigTokenizer {
    /// Thrown when a line has unbalanced quotes or a closing quote glued to
    /// the next word.
    public struct UnbalancedQuotes: Error, Equatable, Sendable {
        public init() {}
    }

    /// Splits `line` into words following `sdssplitargs` (see file header).
    /// An empty or blank line yields no words.
    public static func split(_ line: some StringProtocol) throws(UnbalancedQuotes) -> [String] {
        var bytes = Array(line.utf8)
        if let nul = bytes.firstIndex(of: 0) { bytes.removeSubrange(nul...) }
        let n = bytes.count
        var words: [String] = []
        var i = 0
        while true {
            while i < n && isBlank(bytes[i]) { i += 1 }
            if i >= n { return words }
            var current: [UInt8] = []
            var inDouble = false
            var inSingle = false
            var done = false
            while !done {
                let atEnd = i >= n
                let c: UInt8 = atEnd ? 0 : bytes[i]
                if inDouble {
                    if c == UInt8(ascii: "\\"), i + 3 < n, bytes[i + 1] == UInt8(ascii: "x"),
                       let high = hexValue(bytes[i + 2]), let low = hexValue(bytes[i + 3]) {
                        current.append(high << 4 | low)
                        i += 3
                    } else if c == UInt8(ascii: "\\"), i + 1 < n {
                        i += 1
                        current.append(unescape(bytes[i]))
                    } else if c == UInt8(ascii: "\"") {
                        if i + 1 < n && !isBlank(bytes[i + 1]) { throw UnbalancedQuotes() }
                        done = true
                    } else if atEnd {
                        throw UnbalancedQuotes()
                    } else {
                        current.append(c)
                    }
                } else if inSingle {
                    if c == UInt8(ascii: "\\"), i + 1 < n, bytes[i + 1] == UInt8(ascii: "'") {
                        i += 1
                        current.append(UInt8(ascii: "'"))
                    } else if c == UInt8(ascii: "'") {
                        if i + 1 < n && !isBlank(bytes[i + 1]) { throw UnbalancedQuotes() }
                        done = true
                    } else if atEnd {
                        throw UnbalancedQuotes()
                    } else {
                        current.append(c)
                    }
                } else {
                    switch c {
                    case UInt8(ascii: " "), UInt8(ascii: "\n"), UInt8(ascii: "\r"), UInt8(ascii: "\t"), 0:
                        done = true
                    case UInt8(ascii: "\""):
                        inDouble = true
                    case UInt8(ascii: "'"):
                        inSingle = true
                    default:
                        current.append(c)
                    }
                }
                if i < n { i += 1 }
            }
            words.append(String(decoding: current, as: UTF8.self))
        }
    }

    /// Quotes `word` the way `sdscatrepr` does: always in double quotes,
    /// `\\` and `"` escaped, \n \r \t \a \b spelled out, other bytes outside
    /// printable ASCII as `\xhh`.
    public static func quoted(_ word: some StringProtocol) -> String {
        var out: [UInt8] = [UInt8(ascii: "\"")]
        out.reserveCapacity(word.utf8.count + 2)
        for b in word.utf8 {
            switch b {
            case UInt8(ascii: "\\"), UInt8(ascii: "\""):
                out.append(UInt8(ascii: "\\")); out.append(b)
            case 0x0A: out.append(contentsOf: Array(#"\n"#.utf8))
            case 0x0D: out.append(contentsOf: Array(#"\r"#.utf8))
            case 0x09: out.append(contentsOf: Array(#"\t"#.utf8))
            case 0x07: out.append(contentsOf: Array(#"\a"#.utf8))
            case 0x08: out.append(contentsOf: Array(#"\b"#.utf8))
            case 0x20...0x7E:
                out.append(b)
            default:
                out.append(contentsOf: Array(#"\x"#.utf8))
                out.append(hexDigit(b >> 4)); out.append(hexDigit(b & 0xF))
            }
        }
        out.append(UInt8(ascii: "\""))
        return String(decoding: out, as: UTF8.self)
    }

    /// True when `word` must be quoted to survive `split` as one word
    /// (empty, blanks, quotes, backslashes or non-printable bytes).
    public static func needsQuoting(_ word: some StringProtocol) -> Bool {
        if word.isEmpty { return true }
        for b in word.utf8 {
            if b < 0x21 || b > 0x7E || b == UInt8(ascii: "\"") || b == UInt8(ascii: "'")
                || b == UInt8(ascii: "\\") { return true }
        }
        return false
    }

    /// `word` as is when it needs no quoting, else `quoted(word)`.
    public static func quotedIfNeeded(_ word: some StringProtocol) -> String {
        needsQuoting(word) ? quoted(word) : String(word)
    }

    // MARK: - Byte helpers

    /// C `isspace` in the C locale.
    @inline(__always)
    static func isBlank(_ b: UInt8) -> Bool {
        b == 0x20 || (b >= 0x09 && b <= 0x0D)
    }

    private static func hexValue(_ b: UInt8) -> UInt8? {
        switch b {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return b - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): return b - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): return b - UInt8(ascii: "A") + 10
        default: return nil
        }
    }

    private static func hexDigit(_ v: UInt8) -> UInt8 {
        v < 10 ? UInt8(ascii: "0") + v : UInt8(ascii: "a") + v - 10
    }

    private static func unescape(_ b: UInt8) -> UInt8 {
        switch b {
        case UInt8(ascii: "n"): return 0x0A
        case UInt8(ascii: "r"): return 0x0D
        case UInt8(ascii: "t"): return 0x09
        case UInt8(ascii: "b"): return 0x08
        case UInt8(ascii: "a"): return 0x07
        default: return b
        }
    }
}
