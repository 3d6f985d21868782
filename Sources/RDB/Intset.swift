// Intset: parser for Redis's sorted integer set (type 11). Untrusted input.
//
//   <encoding u32le: 2, 4 or 8> <length u32le> <length little-endian ints>
//
// Checks (as intsetValidateIntegrity with deep validation): a valid width,
// the blob size is exactly header + length * width, the set is not empty,
// and the values are strictly ascending (sorted and distinct).

enum Intset {
    /// The members of `blob`, ascending.
    static func parse(_ blob: [UInt8]) throws(BlobError) -> [Int64] {
        let n = blob.count
        guard n >= 8 else { throw BlobError(reason: "intset shorter than its header", position: 0) }
        let width = Int(blob.le(0, 4))
        guard width == 2 || width == 4 || width == 8 else {
            throw BlobError(reason: "invalid intset encoding \(width)", position: 0)
        }
        let count = Int(blob.le(4, 4))
        guard count > 0 else { throw BlobError(reason: "empty intset", position: 4) }
        guard count <= (n - 8) / width, 8 + count * width == n else {
            throw BlobError(reason: "intset of \(count) \(width)-byte integers does not fit its \(n) bytes", position: 4)
        }
        var out: [Int64] = []
        out.reserveCapacity(count)
        var p = 8
        for _ in 0 ..< count {
            let v = blob.signedLE(p, width)
            if let last = out.last, v <= last {
                throw BlobError(reason: "intset is not strictly ascending", position: p)
            }
            out.append(v)
            p += width
        }
        return out
    }
}
