// DecimalText: the integer/double <-> text conversions the format needs.
//
// - `canonicalInt32`: Redis stores a string as an INT8/16/32 encoding only if
//   it is the canonical decimal form of an integer in the 32-bit range
//   (string2ll + ll2string round-trip in rdbTryIntegerEncoding): no '+', no
//   leading zeros, no "-0", no spaces. Anything else stays a string, so every
//   value loads back byte-identical.
// - `decimalBytes`: integers from intsets, ziplists, listpacks and INT
//   encodings become their decimal text, as Redis returns them to clients.
// - `parseScore`: sorted-set scores stored as text (old ZSET type, ziplist and
//   listpack string entries), parsed like strtod; NaN is rejected by callers.

@usableFromInline
enum DecimalText {
    /// The value of `bytes` if they are the canonical decimal form of an
    /// integer in Int32's range, else nil.
    @usableFromInline
    static func canonicalInt32(_ bytes: UnsafeRawBufferPointer) -> Int32? {
        let n = bytes.count
        guard n >= 1, n <= 11 else { return nil }
        var i = 0
        let negative = bytes[0] == UInt8(ascii: "-")
        if negative {
            i = 1
            guard n >= 2 else { return nil }
        }
        let first = bytes[i]
        guard first >= UInt8(ascii: "0"), first <= UInt8(ascii: "9") else { return nil }
        if first == UInt8(ascii: "0") {
            // "0" alone is canonical; "-0" and "01" are not.
            return (n == 1) ? 0 : nil
        }
        var value: Int64 = 0
        while i < n {
            let c = bytes[i]
            guard c >= UInt8(ascii: "0"), c <= UInt8(ascii: "9") else { return nil }
            value = value * 10 + Int64(c - UInt8(ascii: "0"))   // at most 10 digits: no overflow
            i += 1
        }
        if negative { value = -value }
        guard value >= Int64(Int32.min), value <= Int64(Int32.max) else { return nil }
        return Int32(value)
    }

    /// Decimal text of `value`.
    static func decimalBytes(_ value: Int64) -> [UInt8] {
        if value >= 0, value < 10 { return [UInt8(ascii: "0") + UInt8(value)] }
        var digits = [UInt8](repeating: 0, count: 20)
        var i = 20
        // Work with the magnitude as UInt64 so Int64.min is fine.
        var m = value < 0 ? UInt64(bitPattern: 0 &- value) : UInt64(value)
        while m > 0 {
            i -= 1
            digits[i] = UInt8(ascii: "0") + UInt8(m % 10)
            m /= 10
        }
        var out: [UInt8] = []
        out.reserveCapacity(21 - i)
        if value < 0 { out.append(UInt8(ascii: "-")) }
        out.append(contentsOf: digits[i...])
        return out
    }

    /// Parses a score written as text ("1.5", "-inf", "3e10" …); nil if it
    /// is not a number (or longer than any formatted double).
    static func parseScore(_ bytes: ArraySlice<UInt8>) -> Double? {
        guard !bytes.isEmpty, bytes.count <= 128 else { return nil }
        return Double(String(decoding: bytes, as: UTF8.self))
    }
}
