// Zipmap: parser for the pre-2.6 compact hash (type 9), which Redis 7.0
// still loads. Untrusted input: every field is bounds-checked.
//
//   <zmlen u8> { <len> key <len> <free u8> value <free bytes> }* <0xFF>
//   len: 1 byte (< 254) | 0xFE + u32 (little-endian, as written on x86)
//   zmlen: the number of pairs if < 254, else unknown.
//
// Checks (as zipmapValidateIntegrity): all fields inside the blob, the
// terminator is the last byte, and zmlen (when < 254) matches.

enum Zipmap {
    /// The key/value pairs of `blob`, as byte ranges of it.
    static func parse(_ blob: [UInt8]) throws(BlobError) -> [(Range<Int>, Range<Int>)] {
        let n = blob.count
        guard n >= 2 else { throw BlobError(reason: "zipmap shorter than its header", position: 0) }
        let declared = Int(blob[0])
        let end = n - 1
        guard blob[end] == 0xFF else { throw BlobError(reason: "zipmap is not terminated by 0xFF", position: end) }
        var out: [(Range<Int>, Range<Int>)] = []
        var p = 1
        func length(_ p: inout Int) throws(BlobError) -> Int {
            let b = blob[p]
            if b < 254 {
                p += 1
                return Int(b)
            }
            guard b == 254, end - p >= 5 else { throw BlobError(reason: "invalid zipmap length", position: p) }
            let v = Int(blob.le(p + 1, 4))
            p += 5
            return v
        }
        while blob[p] != 0xFF {
            let keyLen = try length(&p)
            guard keyLen <= end - p else { throw BlobError(reason: "zipmap key runs past the end", position: p) }
            let key = p ..< p + keyLen
            p += keyLen
            guard p < end else { throw BlobError(reason: "zipmap value missing", position: p) }
            let valueLen = try length(&p)
            guard p < end else { throw BlobError(reason: "zipmap free byte missing", position: p) }
            let free = Int(blob[p])
            p += 1
            guard valueLen <= end - p, free <= end - p - valueLen else {
                throw BlobError(reason: "zipmap value runs past the end", position: p)
            }
            out.append((key, p ..< p + valueLen))
            p += valueLen + free
        }
        guard p == end else { throw BlobError(reason: "zipmap terminator before the end of the blob", position: p) }
        if declared < 254, declared != out.count {
            throw BlobError(reason: "zipmap declares \(declared) pairs but holds \(out.count)", position: 0)
        }
        return out
    }
}
