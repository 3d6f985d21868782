// ConfigText: line splitting and trimming with Redis's byte-level rules.
// Lines end at '\n' only (a '\r' before it is trimmed, so CRLF files work);
// trimming removes ' ', '\t', '\r', '\n' from both ends, like
// `sdstrim(line, " \t\r\n")`. Works on UTF-8 bytes: Swift's Character view
// would treat "\r\n" as one character and never split on it.

enum ConfigText {
    /// The lines of `text`, without their '\n'. A final '\n' does not
    /// produce an extra empty line.
    static func lines(of text: String) -> [Substring] {
        var out: [Substring] = []
        var start = text.utf8.startIndex
        var i = start
        let end = text.utf8.endIndex
        while i < end {
            if text.utf8[i] == UInt8(ascii: "\n") {
                out.append(Substring(text.utf8[start..<i]))
                start = text.utf8.index(after: i)
            }
            i = text.utf8.index(after: i)
        }
        if start < end { out.append(Substring(text.utf8[start..<end])) }
        return out
    }

    /// `line` without surrounding ' ', '\t', '\r', '\n'.
    static func trimmed(_ line: Substring) -> Substring {
        let u = line.utf8
        var lo = u.startIndex
        var hi = u.endIndex
        while lo < hi && isTrimmable(u[lo]) { lo = u.index(after: lo) }
        while hi > lo && isTrimmable(u[u.index(before: hi)]) { hi = u.index(before: hi) }
        return Substring(u[lo..<hi])
    }

    /// True for lines the loader skips: blank, or starting with '#'.
    static func isCommentOrBlank(_ trimmed: Substring) -> Bool {
        guard let first = trimmed.utf8.first else { return true }
        return first == UInt8(ascii: "#")
    }

    @inline(__always)
    private static func isTrimmable(_ b: UInt8) -> Bool {
        b == 0x20 || b == 0x09 || b == 0x0D || b == 0x0A
    }
}
