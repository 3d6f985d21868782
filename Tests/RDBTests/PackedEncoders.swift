// Minimal test-side encoders for Redis's compact encodings (ziplist,
// listpack, intset, zipmap), written from the format descriptions so the
// reader's parsers are checked against independently produced blobs. Each
// element is either a string or an integer, and each encoder picks the same
// encoding Redis would for it (the smallest that fits).

enum PackedItem {
    case str([UInt8])
    case int(Int64)
}

enum TestZiplist {
    static func encode(_ items: [PackedItem]) -> [UInt8] {
        var body: [UInt8] = []
        var prevSize = 0
        var lastOffset = 10
        for item in items {
            var entry: [UInt8] = []
            if prevSize < 254 {
                entry.append(UInt8(prevSize))
            } else {
                entry.append(0xFE)
                entry += le(UInt64(prevSize), 4)
            }
            switch item {
            case .str(let s):
                if s.count < 64 {
                    entry.append(UInt8(s.count))
                } else if s.count < 16384 {
                    entry += [0x40 | UInt8(s.count >> 8), UInt8(s.count & 0xff)]
                } else {
                    entry.append(0x80)
                    entry += [UInt8(s.count >> 24 & 0xff), UInt8(s.count >> 16 & 0xff), UInt8(s.count >> 8 & 0xff), UInt8(s.count & 0xff)]
                }
                entry += s
            case .int(let v):
                if v >= 0, v <= 12 {
                    entry.append(0xF1 + UInt8(v))
                } else if v >= -128, v <= 127 {
                    entry.append(0xFE); entry += le(UInt64(bitPattern: v), 1)
                } else if v >= -32768, v <= 32767 {
                    entry.append(0xC0); entry += le(UInt64(bitPattern: v), 2)
                } else if v >= -(1 << 23), v < (1 << 23) {
                    entry.append(0xF0); entry += le(UInt64(bitPattern: v), 3)
                } else if v >= Int64(Int32.min), v <= Int64(Int32.max) {
                    entry.append(0xD0); entry += le(UInt64(bitPattern: v), 4)
                } else {
                    entry.append(0xE0); entry += le(UInt64(bitPattern: v), 8)
                }
            }
            lastOffset = 10 + body.count
            body += entry
            prevSize = entry.count
        }
        let total = 10 + body.count + 1
        return le(UInt64(total), 4) + le(UInt64(lastOffset), 4) + le(UInt64(min(items.count, 0xFFFF)), 2) + body + [0xFF]
    }
}

enum TestListpack {
    static func encode(_ items: [PackedItem], declaredCount: Int? = nil) -> [UInt8] {
        var body: [UInt8] = []
        for item in items {
            var entry: [UInt8] = []
            switch item {
            case .str(let s):
                if s.count < 64 {
                    entry.append(0x80 | UInt8(s.count))
                } else if s.count < 4096 {
                    entry += [0xE0 | UInt8(s.count >> 8), UInt8(s.count & 0xff)]
                } else {
                    entry.append(0xF0); entry += le(UInt64(s.count), 4)
                }
                entry += s
            case .int(let v):
                if v >= 0, v <= 127 {
                    entry.append(UInt8(v))
                } else if v >= -4096, v <= 4095 {
                    let u = UInt16(bitPattern: Int16(v)) & 0x1fff
                    entry += [0xC0 | UInt8(u >> 8), UInt8(u & 0xff)]
                } else if v >= -32768, v <= 32767 {
                    entry.append(0xF1); entry += le(UInt64(bitPattern: v), 2)
                } else if v >= -(1 << 23), v < (1 << 23) {
                    entry.append(0xF2); entry += le(UInt64(bitPattern: v), 3)
                } else if v >= Int64(Int32.min), v <= Int64(Int32.max) {
                    entry.append(0xF3); entry += le(UInt64(bitPattern: v), 4)
                } else {
                    entry.append(0xF4); entry += le(UInt64(bitPattern: v), 8)
                }
            }
            body += entry + backlen(entry.count)
        }
        let total = 6 + body.count + 1
        return le(UInt64(total), 4) + le(UInt64(declaredCount ?? min(items.count, 0xFFFF)), 2) + body + [0xFF]
    }

    static func backlen(_ l: Int) -> [UInt8] {
        if l <= 127 { return [UInt8(l)] }
        if l < 16383 { return [UInt8(l >> 7), UInt8(l & 127) | 128] }
        if l < 2_097_151 { return [UInt8(l >> 14), UInt8((l >> 7) & 127) | 128, UInt8(l & 127) | 128] }
        return [UInt8(l >> 21), UInt8((l >> 14) & 127) | 128, UInt8((l >> 7) & 127) | 128, UInt8(l & 127) | 128]
    }
}

enum TestIntset {
    static func encode(_ values: [Int64]) -> [UInt8] {
        let sorted = values.sorted()
        let width: Int
        if sorted.allSatisfy({ $0 >= Int64(Int16.min) && $0 <= Int64(Int16.max) }) {
            width = 2
        } else if sorted.allSatisfy({ $0 >= Int64(Int32.min) && $0 <= Int64(Int32.max) }) {
            width = 4
        } else {
            width = 8
        }
        var out = le(UInt64(width), 4) + le(UInt64(sorted.count), 4)
        for v in sorted { out += le(UInt64(bitPattern: v), width) }
        return out
    }
}

enum TestZipmap {
    static func encode(_ pairs: [([UInt8], [UInt8])], free: Int = 0) -> [UInt8] {
        var out: [UInt8] = [UInt8(min(pairs.count, 254))]
        func len(_ n: Int) -> [UInt8] { n < 254 ? [UInt8(n)] : [0xFE] + le(UInt64(n), 4) }
        for (k, v) in pairs {
            out += len(k.count) + k + len(v.count) + [UInt8(free)] + v + [UInt8](repeating: 0, count: free)
        }
        return out + [0xFF]
    }
}

func le(_ v: UInt64, _ count: Int) -> [UInt8] {
    (0 ..< count).map { UInt8(truncatingIfNeeded: v >> UInt64(8 * $0)) }
}
