// CRC64: the CRC-64/Jones checksum that trails every RDB file.
//
// Parameters (as Redis's crc64.c): reflected input and output, polynomial
// 0xad93d23594c935a9 (reflected form 0x95ac9329ac4bc9b5), initial value 0,
// no final xor. Check value of "123456789" is 0xe9c6d914c4b8d9ca.
//
// Speed: slicing-by-8. Table k maps a byte that is k positions further from
// the end of an 8-byte word to its contribution, so one 64-bit load and eight
// lookups advance the CRC by 8 bytes. The 16 KiB table is an immutable,
// lazily built `static let` (thread-safe, no mutable global state).
// `update` is incremental: update(update(0, a), b) == update(0, a + b).

/// CRC-64/Jones, as used by Redis for RDB and DUMP payloads.
public enum CRC64 {
    /// Reflected polynomial.
    @usableFromInline static let polynomial: UInt64 = 0x95ac_9329_ac4b_c9b5

    /// 8 tables of 256 entries, table k at [k*256 ..< (k+1)*256].
    @usableFromInline static let tables: [UInt64] = {
        var t = [UInt64](repeating: 0, count: 8 * 256)
        for i in 0 ..< 256 {
            var crc = UInt64(i)
            for _ in 0 ..< 8 {
                crc = (crc & 1) != 0 ? (crc >> 1) ^ polynomial : crc >> 1
            }
            t[i] = crc
        }
        for k in 1 ..< 8 {
            for i in 0 ..< 256 {
                let prev = t[(k - 1) * 256 + i]
                t[k * 256 + i] = (prev >> 8) ^ t[Int(prev & 0xff)]
            }
        }
        return t
    }()

    /// Continues `crc` over `bytes`.
    public static func update(_ crc: UInt64, _ bytes: UnsafeRawBufferPointer) -> UInt64 {
        guard var p = bytes.baseAddress, bytes.count > 0 else { return crc }
        var n = bytes.count
        var c = crc
        tables.withUnsafeBufferPointer { tb in
            // Byte-wise until 8-byte aligned, so the word loads are aligned.
            while n > 0, UInt(bitPattern: p) & 7 != 0 {
                c = tb[Int((c ^ UInt64(p.load(as: UInt8.self))) & 0xff)] ^ (c >> 8)
                p += 1
                n -= 1
            }
            while n >= 8 {
                c ^= UInt64(littleEndian: p.load(as: UInt64.self))
                c = tb[7 * 256 + Int(c & 0xff)]
                    ^ tb[6 * 256 + Int((c >> 8) & 0xff)]
                    ^ tb[5 * 256 + Int((c >> 16) & 0xff)]
                    ^ tb[4 * 256 + Int((c >> 24) & 0xff)]
                    ^ tb[3 * 256 + Int((c >> 32) & 0xff)]
                    ^ tb[2 * 256 + Int((c >> 40) & 0xff)]
                    ^ tb[1 * 256 + Int((c >> 48) & 0xff)]
                    ^ tb[Int(c >> 56)]
                p += 8
                n -= 8
            }
            while n > 0 {
                c = tb[Int((c ^ UInt64(p.load(as: UInt8.self))) & 0xff)] ^ (c >> 8)
                p += 1
                n -= 1
            }
        }
        return c
    }

    /// Continues `crc` over an array.
    public static func update(_ crc: UInt64, _ bytes: [UInt8]) -> UInt64 {
        bytes.withUnsafeBytes { update(crc, $0) }
    }

    /// The checksum of `bytes` from the initial value 0.
    public static func checksum(_ bytes: [UInt8]) -> UInt64 {
        update(0, bytes)
    }
}
