// PackedElement / BlobError: what the compact-encoding parsers (ziplist,
// listpack, intset, zipmap) produce and how they fail.
//
// An element is either a byte range inside the blob (no copy until the caller
// materialises it) or an integer the blob stored in binary. Parsers never
// trust the blob: any inconsistency is a BlobError naming the byte position
// inside the blob; the reader turns it into an RDBError at the blob's offset.

/// One element of a compact encoding.
enum PackedElement {
    /// Bytes `range` of the blob.
    case bytes(Range<Int>)
    /// An integer stored in binary.
    case int(Int64)

    /// The element as bytes (integers as decimal text).
    func materialize(_ blob: [UInt8]) -> [UInt8] {
        switch self {
        case .bytes(let r): return Array(blob[r])
        case .int(let v): return DecimalText.decimalBytes(v)
        }
    }

    /// The element as a sorted-set score; nil if not a number.
    func score(_ blob: [UInt8]) -> Double? {
        switch self {
        case .bytes(let r): return DecimalText.parseScore(blob[r])
        case .int(let v): return Double(v)
        }
    }
}

/// A malformed compact encoding: what is wrong and where in the blob.
struct BlobError: Error {
    let reason: String
    let position: Int
}

/// Bounds-checked little/big-endian reads over a blob.
extension Array where Element == UInt8 {
    /// Little-endian unsigned integer of `count` bytes at `at`; caller checked bounds.
    func le(_ at: Int, _ count: Int) -> UInt64 {
        var v: UInt64 = 0
        for i in 0 ..< count { v |= UInt64(self[at + i]) << UInt64(8 * i) }
        return v
    }

    /// Big-endian unsigned integer of `count` bytes at `at`; caller checked bounds.
    func be(_ at: Int, _ count: Int) -> UInt64 {
        var v: UInt64 = 0
        for i in 0 ..< count { v = v << 8 | UInt64(self[at + i]) }
        return v
    }

    /// Sign-extended little-endian integer of `count` (1...8) bytes.
    func signedLE(_ at: Int, _ count: Int) -> Int64 {
        let raw = le(at, count)
        let shift = UInt64(64 - 8 * count)
        return Int64(bitPattern: raw << shift) >> Int64(shift)
    }
}
