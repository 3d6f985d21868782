// Listpack: parser for Redis 7's compact list (hash 16, zset 17, set 20 and
// the PACKED nodes of quicklist type 18). Untrusted input: bounds-checked.
//
//   <total-bytes u32le> <num-elements u16le> <entry>* <0xFF>
//   entry = <encoding+data> <backlen>
//   0xxxxxxx                    7-bit unsigned int
//   10xxxxxx <data>             string, 6-bit length
//   110xxxxx yyyyyyyy           13-bit signed int
//   1110xxxx yyyyyyyy <data>    string, 12-bit length (high bits first)
//   11110000 <u32le> <data>     string, 32-bit length
//   11110001 int16 | 11110010 int24 | 11110011 int32 | 11110100 int64 (LE)
//   backlen: size of <encoding+data> in 1...5 bytes, 7 bits per byte, read
//   right to left (every byte but the leftmost has the high bit set).
//
// Checks (as lpValidateIntegrity with deep validation): total-bytes equals
// the blob size, the terminator is the last byte, every entry and its backlen
// lie inside the blob, each backlen matches its entry, and num-elements
// (unless 65535 = "count it") matches.

enum Listpack {
    static let headerSize = 6

    /// The elements of `blob`, in order.
    static func parse(_ blob: [UInt8]) throws(BlobError) -> [PackedElement] {
        let n = blob.count
        guard n >= headerSize + 1 else { throw BlobError(reason: "listpack shorter than its header", position: 0) }
        guard blob.le(0, 4) == UInt64(n) else {
            throw BlobError(reason: "listpack size field \(blob.le(0, 4)) differs from its length \(n)", position: 0)
        }
        guard blob[n - 1] == 0xFF else { throw BlobError(reason: "listpack is not terminated by 0xFF", position: n - 1) }
        let declared = Int(blob.le(4, 2))
        let end = n - 1
        var out: [PackedElement] = []
        out.reserveCapacity(Swift.min(declared, 1024))
        var p = headerSize
        while blob[p] != 0xFF {
            let b = blob[p]
            var entrySize: Int        // encoding + data
            var element: PackedElement
            if b & 0x80 == 0 {
                entrySize = 1
                element = .int(Int64(b))
            } else if b & 0xC0 == 0x80 {
                let len = Int(b & 0x3f)
                entrySize = 1 + len
                element = .bytes(p + 1 ..< p + 1 + len)
            } else if b & 0xE0 == 0xC0 {
                guard end - p >= 2 else { throw BlobError(reason: "listpack integer runs past the end", position: p) }
                var v = Int64(b & 0x1f) << 8 | Int64(blob[p + 1])
                if v >= 1 << 12 { v -= 1 << 13 }
                entrySize = 2
                element = .int(v)
            } else if b & 0xF0 == 0xE0 {
                guard end - p >= 2 else { throw BlobError(reason: "listpack length runs past the end", position: p) }
                let len = Int(b & 0x0f) << 8 | Int(blob[p + 1])
                entrySize = 2 + len
                element = .bytes(p + 2 ..< p + 2 + len)
            } else {
                switch b {
                case 0xF0:
                    guard end - p >= 5 else { throw BlobError(reason: "listpack length runs past the end", position: p) }
                    let len = Int(blob.le(p + 1, 4))
                    entrySize = 5 + len
                    element = .bytes(p + 5 ..< p + 5 + len)
                case 0xF1, 0xF2, 0xF3, 0xF4:
                    let size = [2, 3, 4, 8][Int(b - 0xF1)]
                    guard end - p >= 1 + size else { throw BlobError(reason: "listpack integer runs past the end", position: p) }
                    entrySize = 1 + size
                    element = .int(blob.signedLE(p + 1, size))
                default:
                    throw BlobError(reason: "invalid listpack encoding 0x\(String(b, radix: 16))", position: p)
                }
            }
            guard entrySize <= end - p else { throw BlobError(reason: "listpack entry of \(entrySize) bytes runs past the end", position: p) }
            p += entrySize
            let backlenSize = backlenBytes(entrySize)
            guard backlenSize <= end - p else { throw BlobError(reason: "listpack backlen runs past the end", position: p) }
            guard decodeBacklen(blob, at: p, size: backlenSize) == entrySize else {
                throw BlobError(reason: "listpack backlen does not match entry size \(entrySize)", position: p)
            }
            p += backlenSize
            out.append(element)
        }
        guard p == end else { throw BlobError(reason: "listpack terminator before the end of the blob", position: p) }
        if declared != 0xFFFF, declared != out.count {
            throw BlobError(reason: "listpack declares \(declared) elements but holds \(out.count)", position: 4)
        }
        return out
    }

    /// How many bytes encode a backlen of `size`.
    static func backlenBytes(_ size: Int) -> Int {
        if size <= 127 { return 1 }
        if size < 16383 { return 2 }
        if size < 2_097_151 { return 3 }
        if size < 268_435_455 { return 4 }
        return 5
    }

    /// The value of the backlen occupying `blob[at ..< at+size]`, or -1 if its
    /// continuation bits are inconsistent.
    static func decodeBacklen(_ blob: [UInt8], at: Int, size: Int) -> Int {
        // Leftmost byte: high bit clear; the others carry the high bit.
        guard blob[at] & 0x80 == 0 else { return -1 }
        var v = Int(blob[at])
        for i in 1 ..< size {
            let c = blob[at + i]
            guard c & 0x80 != 0 else { return -1 }
            v = v << 7 | Int(c & 0x7f)
        }
        return v
    }
}
