// Test support: a seeded PRNG, byte helpers, and a tiny hand-rolled RDB file
// builder used by the golden-encoding and malformed-input tests. The builder
// is written from the format description, independently of RDBWriter, so the
// reader is checked against bytes the module did not produce.

import RDB

/// SplitMix64: deterministic, seedable randomness for fuzz-style tests.
struct SplitMix64: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// The UTF-8 bytes of a string.
func b(_ s: String) -> [UInt8] { Array(s.utf8) }

/// Bytes from a hex string (whitespace ignored).
func hexBytes(_ hex: String) -> [UInt8] {
    let digits = hex.filter { !$0.isWhitespace }.map { UInt8(String($0), radix: 16) ?? 0 }
    return stride(from: 0, to: digits.count - 1, by: 2).map { digits[$0] << 4 | digits[$0 + 1] }
}

/// Reads a whole RDB image, returning every record before `.end`.
func readAll(_ bytes: [UInt8], verifyChecksum: Bool = true) throws(RDBError) -> [RDBRecord] {
    var reader = RDBReader(source: MemorySource(bytes), verifyChecksum: verifyChecksum)
    var out: [RDBRecord] = []
    while true {
        let r = try reader.next()
        if case .end = r { return out }
        out.append(r)
    }
}

/// The `.entry` records of an image as key → (value, expiry).
func entries(_ records: [RDBRecord]) -> [(key: [UInt8], value: RDBValue, expire: Int64?)] {
    records.compactMap {
        if case let .entry(key, value, expire, _, _) = $0 { return (key, value, expire) }
        return nil
    }
}

/// Hand-builds RDB images byte by byte.
struct RDBBuilder {
    var bytes: [UInt8]

    init(version: Int = 10) {
        let v = String(version)
        bytes = b("REDIS" + String(repeating: "0", count: 4 - v.count) + v)
    }

    mutating func byte(_ x: UInt8) { bytes.append(x) }

    /// rdbSaveLen encoding.
    mutating func length(_ n: UInt64) {
        if n < 64 {
            bytes.append(UInt8(n))
        } else if n < 16384 {
            bytes += [0x40 | UInt8(n >> 8), UInt8(n & 0xff)]
        } else if n <= UInt64(UInt32.max) {
            bytes.append(0x80)
            for s in stride(from: 24, through: 0, by: -8) { bytes.append(UInt8(truncatingIfNeeded: n >> UInt64(s))) }
        } else {
            bytes.append(0x81)
            for s in stride(from: 56, through: 0, by: -8) { bytes.append(UInt8(truncatingIfNeeded: n >> UInt64(s))) }
        }
    }

    /// A raw length-prefixed string.
    mutating func string(_ s: [UInt8]) {
        length(UInt64(s.count))
        bytes += s
    }

    mutating func string(_ s: String) { string(b(s)) }

    /// TYPE key — the start of an entry.
    mutating func key(_ type: UInt8, _ key: String) {
        byte(type)
        string(key)
    }

    mutating func littleEndian(_ v: UInt64, _ count: Int) {
        for i in 0 ..< count { bytes.append(UInt8(truncatingIfNeeded: v >> UInt64(8 * i))) }
    }

    /// EOF and the CRC trailer (a real checksum unless `checksum` is given).
    mutating func finish(checksum: UInt64? = nil) -> [UInt8] {
        bytes.append(0xFF)
        littleEndian(checksum ?? CRC64.checksum(bytes), 8)
        return bytes
    }
}
