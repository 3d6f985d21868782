// Ziplist: parser for Redis's pre-7.0 compact list (types 10, 12, 13 and the
// nodes of quicklist type 14). Untrusted input: every field is bounds-checked.
//
//   <zlbytes u32le> <zltail u32le> <zllen u16le> <entry>* <0xFF>
//   entry = <prevlen> <encoding> <data>
//   prevlen:  1 byte (< 254) | 0xFE + u32le
//   encoding: 00pppppp                 string, 6-bit length
//             01pppppp qqqqqqqq        string, 14-bit length (big-endian)
//             10______ + u32be         string, 32-bit length
//             11000000 int16 | 11010000 int32 | 11100000 int64
//             11110000 int24 | 11111110 int8  | 1111xxxx (xxxx 1..13): xxxx-1
//
// Checks (as Redis's ziplistValidateIntegrity with deep validation):
// zlbytes equals the blob size, the last byte is the terminator, every entry
// lies inside the blob, each prevlen equals the previous entry's size, zltail
// points at the last entry, and zllen (unless 65535 = "count it") matches.

enum Ziplist {
    static let headerSize = 10

    /// The elements of `blob`, in order.
    static func parse(_ blob: [UInt8]) throws(BlobError) -> [PackedElement] {
        let n = blob.count
        guard n >= headerSize + 1 else { throw BlobError(reason: "ziplist shorter than its header", position: 0) }
        guard blob.le(0, 4) == UInt64(n) else {
            throw BlobError(reason: "ziplist size field \(blob.le(0, 4)) differs from its length \(n)", position: 0)
        }
        guard blob[n - 1] == 0xFF else { throw BlobError(reason: "ziplist is not terminated by 0xFF", position: n - 1) }
        let tail = Int(blob.le(4, 4))
        let declared = Int(blob.le(8, 2))
        let end = n - 1                      // index of the terminator
        var out: [PackedElement] = []
        out.reserveCapacity(Swift.min(declared, 1024))
        var p = headerSize
        var previousSize = 0
        var lastStart = headerSize
        while blob[p] != 0xFF {
            let start = p
            // prevlen
            var prevlen: Int
            if blob[p] < 254 {
                prevlen = Int(blob[p])
                p += 1
            } else {
                guard end - p >= 5 else { throw BlobError(reason: "ziplist prevlen runs past the end", position: p) }
                prevlen = Int(blob.le(p + 1, 4))
                p += 5
            }
            guard prevlen == previousSize else {
                throw BlobError(reason: "ziplist prevlen \(prevlen) differs from previous entry size \(previousSize)", position: start)
            }
            guard p < end else { throw BlobError(reason: "ziplist entry has no encoding byte", position: p) }
            let enc = blob[p]
            switch enc >> 6 {
            case 0, 1, 2:
                var len: Int
                if enc >> 6 == 0 {
                    len = Int(enc & 0x3f)
                    p += 1
                } else if enc >> 6 == 1 {
                    guard end - p >= 2 else { throw BlobError(reason: "ziplist length runs past the end", position: p) }
                    len = Int(enc & 0x3f) << 8 | Int(blob[p + 1])
                    p += 2
                } else {
                    guard end - p >= 5 else { throw BlobError(reason: "ziplist length runs past the end", position: p) }
                    len = Int(blob.be(p + 1, 4))
                    p += 5
                }
                guard len <= end - p else { throw BlobError(reason: "ziplist string of \(len) bytes runs past the end", position: p) }
                out.append(.bytes(p ..< p + len))
                p += len
            default:
                let size: Int
                switch enc {
                case 0xC0: size = 2
                case 0xD0: size = 4
                case 0xE0: size = 8
                case 0xF0: size = 3
                case 0xFE: size = 1
                case 0xF1 ... 0xFD: size = 0
                default: throw BlobError(reason: "invalid ziplist encoding 0x\(String(enc, radix: 16))", position: p)
                }
                p += 1
                guard size <= end - p else { throw BlobError(reason: "ziplist integer runs past the end", position: p) }
                out.append(.int(size == 0 ? Int64(enc & 0x0f) - 1 : blob.signedLE(p, size)))
                p += size
            }
            previousSize = p - start
            lastStart = start
            // p <= end here, so blob[p] is readable for the loop test.
        }
        guard p == end else { throw BlobError(reason: "ziplist terminator before the end of the blob", position: p) }
        guard tail == lastStart else {
            throw BlobError(reason: "ziplist tail offset \(tail) does not point at the last entry (\(lastStart))", position: 4)
        }
        if declared != 0xFFFF, declared != out.count {
            throw BlobError(reason: "ziplist declares \(declared) entries but holds \(out.count)", position: 8)
        }
        return out
    }
}
