// ConfigNumbers: the number syntaxes of redis.conf.
//
// - `parseInteger` is Redis's strict `string2ll`: optional '-', digits, no
//   '+', no blanks, no leading zeros ("0" alone is fine), no overflow.
// - `parseMemory` is Redis's `memtoull`: digits followed by an optional,
//   case-insensitive unit: b=1, k=1000, kb=1024, m=1000², mb=1024²,
//   g=1000³, gb=1024³. Negative values are rejected. Unlike Redis we also
//   reject an empty number ("" or "kb") and overflow instead of wrapping.
// - `formatMemory` is `rewriteConfigFormatMemory`: the largest of gb/mb/kb
//   that divides the value exactly, else plain bytes.

/// Number parsing and formatting shared by the directive kinds.
public enum ConfigNumbers {
    /// Strict decimal integer (`string2ll`); nil when malformed or out of range.
    public static func parseInteger(_ s: some StringProtocol) -> Int? {
        let u = Array(s.utf8)
        guard !u.isEmpty else { return nil }
        if u.count == 1 && u[0] == UInt8(ascii: "0") { return 0 }
        var i = 0
        var negative = false
        if u[0] == UInt8(ascii: "-") {
            negative = true
            i = 1
            guard u.count > 1 else { return nil }
        }
        guard u[i] >= UInt8(ascii: "1") && u[i] <= UInt8(ascii: "9") else { return nil }
        var magnitude: UInt64 = 0
        while i < u.count {
            let b = u[i]
            guard b >= UInt8(ascii: "0") && b <= UInt8(ascii: "9") else { return nil }
            let (m, o1) = magnitude.multipliedReportingOverflow(by: 10)
            let (a, o2) = m.addingReportingOverflow(UInt64(b - UInt8(ascii: "0")))
            if o1 || o2 { return nil }
            magnitude = a
            i += 1
        }
        if negative {
            if magnitude > UInt64(Int64.max) + 1 { return nil }
            return magnitude == UInt64(Int64.max) + 1 ? Int.min : -Int(magnitude)
        }
        return magnitude > UInt64(Int.max) ? nil : Int(magnitude)
    }

    /// Memory size with an optional unit (`memtoull`); nil when malformed,
    /// negative or larger than `Int.max` bytes.
    public static func parseMemory(_ s: some StringProtocol) -> Int? {
        let u = Array(s.utf8)
        var digitsEnd = 0
        while digitsEnd < u.count && u[digitsEnd] >= UInt8(ascii: "0") && u[digitsEnd] <= UInt8(ascii: "9") {
            digitsEnd += 1
        }
        guard digitsEnd > 0 else { return nil }
        let unit = String(decoding: u[digitsEnd...], as: UTF8.self).lowercased()
        let multiplier: Int
        switch unit {
        case "", "b": multiplier = 1
        case "k": multiplier = 1000
        case "kb": multiplier = 1024
        case "m": multiplier = 1000 * 1000
        case "mb": multiplier = 1024 * 1024
        case "g": multiplier = 1000 * 1000 * 1000
        case "gb": multiplier = 1024 * 1024 * 1024
        default: return nil
        }
        var value = 0
        for b in u[..<digitsEnd] {
            let (m, o1) = value.multipliedReportingOverflow(by: 10)
            let (a, o2) = m.addingReportingOverflow(Int(b - UInt8(ascii: "0")))
            if o1 || o2 { return nil }
            value = a
        }
        let (total, overflow) = value.multipliedReportingOverflow(by: multiplier)
        return overflow ? nil : total
    }

    /// A byte count written for redis.conf: "1gb", "64mb", "3kb" or "1000".
    public static func formatMemory(_ bytes: Int) -> String {
        let gb = 1024 * 1024 * 1024, mb = 1024 * 1024, kb = 1024
        if bytes != 0 && bytes % gb == 0 { return "\(bytes / gb)gb" }
        if bytes != 0 && bytes % mb == 0 { return "\(bytes / mb)mb" }
        if bytes != 0 && bytes % kb == 0 { return "\(bytes / kb)kb" }
        return "\(bytes)"
    }

    /// A double printed like C's "%f" with trailing zeros (and a trailing
    /// '.') removed, as Redis's `trimDoubleString` does: 99.9 → "99.9", 50 → "50".
    static func formatPercentile(_ value: Double) -> String {
        let micro = (value * 1_000_000).rounded()
        guard micro.isFinite, abs(micro) < 9e18 else { return "\(value)" }
        let scaled = Int(micro)
        let whole = scaled / 1_000_000
        var fraction = abs(scaled % 1_000_000)
        if fraction == 0 { return "\(whole)" }
        var digits = 6
        while fraction % 10 == 0 { fraction /= 10; digits -= 1 }
        var f = String(fraction)
        while f.count < digits { f = "0" + f }
        let sign = (scaled < 0 && whole == 0) ? "-" : ""
        return "\(sign)\(whole).\(f)"
    }

    /// ASCII-only lowercasing (directive names, enum words, client classes).
    static func asciiLowercased(_ s: some StringProtocol) -> String {
        var bytes = Array(s.utf8)
        var changed = false
        for i in bytes.indices where bytes[i] >= 65 && bytes[i] <= 90 {
            bytes[i] += 32
            changed = true
        }
        return changed ? String(decoding: bytes, as: UTF8.self) : String(s)
    }
}
