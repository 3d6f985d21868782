// ReplyBuffer+RESP3.swift — reply types that RESP3 has and RESP2 lacks, with
// the RESP2 fallbacks Redis 7.0 uses (networking.c addReplyDouble,
// addReplyBool, addReplyVerbatim, addReplyBigNum).
//
// Invariant: each method appends exactly one element in either protocol.

extension ReplyBuffer {
    /// A double, as Redis 7.0 addReplyDouble: digits from "%.17g" (so 0.1 is
    /// "0.10000000000000001"), infinities spelled "inf" / "-inf".
    /// RESP3 ",<text>\r\n"; RESP2 a bulk string of the text.
    public mutating func double(_ d: Double) {
        let text = g17Bytes(d)
        if isRESP3 {
            bytes.append(UInt8(ascii: ","))
            bytes.append(contentsOf: text)
            appendCRLF()
        } else {
            bulk(text)
        }
    }

    /// RESP3 "#t\r\n" / "#f\r\n"; RESP2 ":1\r\n" / ":0\r\n".
    @inlinable
    public mutating func bool(_ b: Bool) {
        if isRESP3 { raw(b ? "#t\r\n" : "#f\r\n") } else { raw(b ? ":1\r\n" : ":0\r\n") }
    }

    /// RESP3 "=<len+4>\r\n<fmt>:<text>\r\n" where `format` is padded or cut to
    /// three bytes ("txt", "mkd"); RESP2 a bulk string of `text`.
    public mutating func verbatim(_ text: String, format: StaticString = "txt") {
        guard isRESP3 else {
            bulk(text)
            return
        }
        let utf8 = text.utf8
        appendPrefixed(UInt8(ascii: "="), utf8.count + 4)
        format.withUTF8Buffer { f in
            for i in 0..<3 { bytes.append(i < f.count ? f[i] : UInt8(ascii: " ")) }
        }
        bytes.append(UInt8(ascii: ":"))
        bytes.append(contentsOf: utf8)
        appendCRLF()
    }

    /// RESP3 "(<digits>\r\n"; RESP2 a bulk string of `digits`.
    public mutating func bigNumber(_ digits: String) {
        guard isRESP3 else {
            bulk(digits)
            return
        }
        bytes.append(UInt8(ascii: "("))
        appendLine(digits, trimming: false)
    }

    /// RESP3 "|<n>\r\n" (n attribute pairs, then the value they describe).
    /// RESP2 has no attributes: nothing is written and the caller must then
    /// skip the pairs (Redis only sends attributes to RESP3 clients).
    public mutating func attributeHeader(_ n: Int) {
        if isRESP3 { appendPrefixed(UInt8(ascii: "|"), n) }
    }
}
