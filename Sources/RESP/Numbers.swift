// Numbers.swift — the number <-> text rules Redis applies to arguments and
// stored strings, on bytes (src/util.c of Redis 7.0: string2ll, string2d,
// string2ld, ll2string).
//
// Invariants: parsers accept exactly what Redis accepts (whole input, no
// surrounding spaces, no NaN); they never trap on any input. Double parsing
// calls the C library's strtod/strtold, as Redis does, so hex floats,
// "inf"/"infinity" spellings and rounding are glibc's.

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The widest binary float the platform has: `Float80` (x87 `long double`,
/// what Redis uses for INCRBYFLOAT) on x86, `Double` elsewhere.
#if arch(x86_64) || arch(i386)
public typealias LongDouble = Float80
#else
public typealias LongDouble = Double
#endif

/// Redis `string2ll`: an optional '-' then digits, no leading zeros (except
/// "0" itself), no '+', no spaces, no "-0", at most 20 bytes, within Int64.
@inlinable
public func parseInt64(_ b: some Collection<UInt8>) -> Int64? {
    var i = b.startIndex
    let end = b.endIndex
    if i == end { return nil }
    var negative = false
    var first = b[i]
    if first == 48 {  // "0" alone is the only number that starts with 0
        return b.index(after: i) == end ? 0 : nil
    }
    if first == 45 {  // '-'
        negative = true
        i = b.index(after: i)
        if i == end { return nil }
        first = b[i]
    }
    guard first >= 49 && first <= 57 else { return nil }
    var v = UInt64(first &- 48)
    var digits = 1
    i = b.index(after: i)
    while i != end {
        let c = b[i]
        guard c >= 48 && c <= 57 else { return nil }
        digits += 1
        if digits > 20 { return nil }  // Redis: slen >= LONG_STR_SIZE (21) is rejected
        let (m, o1) = v.multipliedReportingOverflow(by: 10)
        let (s, o2) = m.addingReportingOverflow(UInt64(c &- 48))
        if o1 || o2 { return nil }
        v = s
        i = b.index(after: i)
    }
    if negative {
        if v > UInt64(Int64.max) + 1 { return nil }
        return v == UInt64(Int64.max) + 1 ? Int64.min : -Int64(v)
    }
    return v > UInt64(Int64.max) ? nil : Int64(v)
}

/// Redis `string2d` (scores, timeouts, INCRBYFLOAT increments on doubles):
/// strtod over the whole input. Accepts "inf", "+inf", "-inf", "infinity"
/// (any case), exponents, hex floats; rejects empty input, a leading space,
/// trailing bytes, NaN, and overflow/underflow that strtod reports as ERANGE
/// with an infinite or zero result.
@inlinable
public func parseDouble(_ b: some Collection<UInt8>) -> Double? {
    // Fast path: small plain integers convert exactly (same result as strtod).
    if let i = parseInt64(b), i.magnitude < (1 << 53) { return Double(i) }
    return parseDoubleSlow(Array(b))
}

@usableFromInline
func parseDoubleSlow(_ b: Bytes) -> Double? {
    guard let first = b.first, !isCSpace(first) else { return nil }
    return withCString(b) { p, n -> Double? in
        errno = 0
        var endp: UnsafeMutablePointer<CChar>? = nil
        let v = strtod(p, &endp)
        guard let endp, UnsafePointer(endp) - p == n else { return nil }
        if errno == ERANGE && (v.isInfinite || v == 0) { return nil }
        return v.isNaN ? nil : v
    }
}

/// Redis `string2ld` (INCRBYFLOAT / HINCRBYFLOAT operands): strtold over the
/// whole input, at most 5119 bytes, same rejections as `parseDouble`.
public func parseLongDouble(_ b: some Collection<UInt8>) -> LongDouble? {
    let bytes = Array(b)
    guard let first = bytes.first, bytes.count < 5 * 1024, !isCSpace(first) else { return nil }
    return withCString(bytes) { p, n -> LongDouble? in
        errno = 0
        var endp: UnsafeMutablePointer<CChar>? = nil
        #if arch(x86_64) || arch(i386)
        let v = strtold(p, &endp)
        #else
        let v = strtod(p, &endp)
        #endif
        guard let endp, UnsafePointer(endp) - p == n else { return nil }
        if errno == ERANGE && (v.isInfinite || v == 0) { return nil }
        if errno == EINVAL { return nil }
        return v.isNaN ? nil : v
    }
}

/// Redis `ll2string`: the decimal text of `v`.
public func formatInt(_ v: Int64) -> Bytes {
    withUnsafeTemporaryAllocation(of: UInt8.self, capacity: maxDecimalDigits) { buf -> Bytes in
        guard let base = buf.baseAddress else { return [] }
        let end = base + maxDecimalDigits
        let start = writeDecimal(Int(v), endingBefore: end)
        return Bytes(UnsafeBufferPointer(start: start, count: end - start))
    }
}

/// C `isspace` in the "C" locale.
@usableFromInline
func isCSpace(_ c: UInt8) -> Bool { c == 32 || (c >= 9 && c <= 13) }

/// Calls `body` with a NUL-terminated copy of `b` and its length.
@usableFromInline
func withCString<R>(_ b: Bytes, _ body: (UnsafePointer<CChar>, Int) -> R) -> R {
    withUnsafeTemporaryAllocation(of: CChar.self, capacity: b.count + 1) { buf -> R in
        guard let base = buf.baseAddress else { return body("", 0) }
        b.withUnsafeBytes { src in
            if let s = src.baseAddress { memcpy(base, s, src.count) }
        }
        base[b.count] = 0
        return body(base, b.count)
    }
}
