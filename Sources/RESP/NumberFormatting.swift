// NumberFormatting.swift — floating point to text exactly as Redis 7.0 prints
// it (src/util.c d2string / ld2string, networking.c addReplyDouble).
//
// Redis 7.0 still uses printf "%.17g" for doubles (the shortest-repr fpconv
// arrived in 7.2), so ZSCORE of 0.1 is "0.10000000000000001". We call the C
// library's vsnprintf for the same digits.
//
// INCRBYFLOAT prints an x87 `long double` with "%.17Lf" and strips trailing
// zeros. `formatLongDouble(extended:)` does exactly that with `LongDouble`
// (Float80 on x86). `formatLongDouble(_: Double)` emulates it for a value
// computed in Double: a Double carries only 15 reliable decimal digits
// (DBL_DIG), so the value is rounded to 15 significant digits (never more
// than 17 decimals, as "%.17Lf"), written in fixed notation, and trailing
// zeros are stripped: 10.5 -> "10.5", 3.0e3 -> "3000", 0.1+0.2 -> "0.3",
// 1e20 -> "100000000000000000000".

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Redis `d2string` (also the digits of `addReplyDouble`): "%.17g", with
/// "inf", "-inf", "nan", "0" and "-0" spelled out.
public func formatDouble(_ d: Double) -> Bytes {
    if d.isNaN { return Array("nan".utf8) }
    return g17Bytes(d)
}

/// Text of `d` as printf "%.17g" prints it, but "inf"/"-inf" for infinities
/// (the body of Redis's addReplyDouble). NaN prints "nan" or "-nan" like glibc.
@usableFromInline
func g17Bytes(_ d: Double) -> Bytes {
    if d.isInfinite { return Array((d < 0 ? "-inf" : "inf").utf8) }
    if d == 0 { return d.sign == .minus ? [45, 48] : [48] }
    // Integers below 2^52 print the same with %.17g and ll2string (d2string's fast path).
    if d > -4503599627370495, d < 4503599627370496, d == d.rounded(.towardZero) {
        return formatInt(Int64(d))
    }
    return cFormat("%.17g", d, capacity: 40)
}

/// INCRBYFLOAT/HINCRBYFLOAT text for a value held in a Double (see the file
/// header for the emulation): fixed notation, at most 15 significant digits
/// and 17 decimals, trailing zeros and a trailing '.' removed, "-0" -> "0".
public func formatLongDouble(_ d: Double) -> Bytes {
    if d.isNaN { return Array((d.sign == .minus ? "-nan" : "nan").utf8) }
    if d.isInfinite { return Array((d < 0 ? "-inf" : "inf").utf8) }
    if d == 0 { return [48] }
    // "%.14e" gives 15 significant digits "d.dddddddddddddde+XX" and the
    // decimal exponent after rounding.
    let e = cFormat("%.14e", d.magnitude, capacity: 32)
    guard e.count >= 20, let expIndex = e.firstIndex(of: UInt8(ascii: "e")),
          let exp10 = parseSignedExponent(e[(expIndex + 1)...]) else {
        return stripFraction(cFormat("%.17f", d, capacity: 400))
    }
    if 14 - exp10 > 17 {
        // The 17-decimal cap of "%.17Lf" binds before 15 significant digits do.
        return stripFraction(cFormat("%.17f", d, capacity: 400))
    }
    var digits = Bytes()
    digits.reserveCapacity(15)
    digits.append(e[0])
    digits.append(contentsOf: e[2..<16])
    var out = Bytes()
    out.reserveCapacity(24 + max(0, exp10))
    if d < 0 { out.append(45) }
    if exp10 >= 0 {
        let intCount = exp10 + 1
        if intCount >= 15 {
            out.append(contentsOf: digits)
            out.append(contentsOf: repeatElement(48, count: intCount - 15))
        } else {
            out.append(contentsOf: digits[0..<intCount])
            out.append(46)
            out.append(contentsOf: digits[intCount...])
        }
    } else {
        out.append(48)
        out.append(46)
        out.append(contentsOf: repeatElement(48, count: -exp10 - 1))
        out.append(contentsOf: digits)
    }
    return stripFraction(out)
}

/// Redis `ld2string(..., LD_STR_HUMAN)` exactly: "%.17Lf" of the extended
/// value, trailing zeros (and a trailing '.') removed, "-0" -> "0".
public func formatLongDouble(extended d: LongDouble) -> Bytes {
    if d.isInfinite { return Array((d < 0 ? "-inf" : "inf").utf8) }
    #if arch(x86_64) || arch(i386)
    // The widest Float80 needs 4933 integer digits + 18; Redis's buffer is 5 KiB.
    return stripFraction(cFormat("%.17Lf", d, capacity: 5 * 1024 + 32))
    #else
    return stripFraction(cFormat("%.17f", d, capacity: 400))
    #endif
}

/// Removes trailing zeros after a '.', then a bare '.', and turns "-0" into "0".
func stripFraction(_ s: Bytes) -> Bytes {
    var s = s
    if s.contains(46) {
        while s.last == 48 { s.removeLast() }
        if s.last == 46 { s.removeLast() }
    }
    if s == [45, 48] { return [48] }
    return s
}

/// "+XX" / "-XXX" exponent text (as printed by "%e") as an Int.
func parseSignedExponent(_ b: ArraySlice<UInt8>) -> Int? {
    guard let sign = b.first, sign == 43 || sign == 45, b.count >= 2, b.count <= 6 else { return nil }
    var v = 0
    for c in b.dropFirst() {
        guard c >= 48 && c <= 57 else { return nil }
        v = v * 10 + Int(c - 48)
    }
    return sign == 45 ? -v : v
}

/// printf-formats one argument through the C library.
@usableFromInline
func cFormat(_ format: String, _ arg: CVarArg, capacity: Int) -> Bytes {
    withUnsafeTemporaryAllocation(of: CChar.self, capacity: capacity) { buf -> Bytes in
        guard let base = buf.baseAddress else { return [] }
        let n = withVaList([arg]) { vsnprintf(base, capacity, format, $0) }
        guard n > 0 else { return [] }
        let len = min(Int(n), capacity - 1)
        return Bytes(UnsafeRawBufferPointer(start: base, count: len))
    }
}
