// LZF: the compression Redis applies to RDB strings (rdbcompression yes).
//
// Format (a sequence of chunks, no header):
//   000LLLLL <L+1 literal bytes>                  literal run of 1...32 bytes
//   LLLooooo oooooooo                              back reference, L in 1...6
//   111ooooo LLLLLLLL oooooooo                     back reference, 7 + L
// A back reference copies (L + 2) bytes starting (o + 1) bytes before the
// current output position; sources may overlap the output (runs).
// Limits: offsets up to 8192, matches 3...264 bytes.
//
// Compression follows liblzf's scheme (3-byte hash, greedy matches) with
// LZ4-style acceleration on long runs of misses; any valid LZF is fine for
// Redis, the output need not match liblzf byte for byte.
//
// Invariants: `decompress` bounds-checks every read and write and fails
// (returns nil) unless the input is consumed exactly and the output is exactly
// the expected length; `compress` never writes more than `limit` bytes and
// reports failure instead when the data does not fit.

/// LZF compression as used by Redis RDB files.
public enum LZF {
    /// Compresses `input`; nil when the result would not fit in `limit` bytes
    /// (default: `input.count - 1`, i.e. only when it helps).
    public static func compress(_ input: [UInt8], limit: Int? = nil) -> [UInt8]? {
        var compressor = LZFCompressor()
        var out: [UInt8] = []
        let n = input.withUnsafeBytes {
            compressor.compress($0, limit: limit ?? (input.count - 1), into: &out)
        }
        guard let n else { return nil }
        return Array(out[0 ..< n])
    }

    /// Decompresses `input`, which must expand to exactly `outputLength`
    /// bytes; nil when the data is malformed.
    public static func decompress(_ input: [UInt8], outputLength: Int) -> [UInt8]? {
        input.withUnsafeBytes { decompress($0, outputLength: outputLength) }
    }

    /// Decompresses raw memory; see `decompress(_:outputLength:)`.
    public static func decompress(_ input: UnsafeRawBufferPointer, outputLength: Int) -> [UInt8]? {
        guard outputLength >= 0 else { return nil }
        var out = [UInt8](repeating: 0, count: outputLength)
        let produced = out.withUnsafeMutableBytes { decompress(input, into: $0) }
        return produced == outputLength ? out : nil
    }

    /// Core decoder: returns the number of bytes produced, or nil on any
    /// malformation (overrun of input or output, reference before the start).
    static func decompress(_ input: UnsafeRawBufferPointer, into output: UnsafeMutableRawBufferPointer) -> Int? {
        let inCount = input.count
        let outCount = output.count
        guard inCount > 0 else { return 0 }
        guard let src = input.baseAddress else { return nil }
        guard let dst = output.baseAddress?.assumingMemoryBound(to: UInt8.self) else { return nil }
        let s = src.assumingMemoryBound(to: UInt8.self)
        var ip = 0
        var op = 0
        while ip < inCount {
            let ctrl = Int(s[ip])
            ip += 1
            if ctrl < 32 {
                let run = ctrl + 1
                guard run <= inCount - ip, run <= outCount - op else { return nil }
                (dst + op).update(from: s + ip, count: run)
                ip += run
                op += run
            } else {
                var len = ctrl >> 5
                if len == 7 {
                    guard ip < inCount else { return nil }
                    len += Int(s[ip])
                    ip += 1
                }
                guard ip < inCount else { return nil }
                let back = ((ctrl & 0x1f) << 8) + Int(s[ip]) + 1
                ip += 1
                len += 2
                guard back <= op, len <= outCount - op else { return nil }
                if back == 1 {
                    // A run of one byte.
                    (dst + op).update(repeating: dst[op - 1], count: len)
                    op += len
                } else {
                    // Copy in pieces of at most `back` bytes: each piece's source
                    // lies wholly before its destination, so pieces never overlap.
                    var left = len
                    while left > 0 {
                        let piece = min(back, left)
                        (dst + op).update(from: dst + (op - back), count: piece)
                        op += piece
                        left -= piece
                    }
                }
            }
        }
        return op
    }
}

/// A reusable LZF compressor. Keeps its hash table between calls; stale
/// entries from earlier inputs are recognised by a per-call base added to
/// every stored position, so the table is never cleared per call.
struct LZFCompressor: Sendable {
    private static let hashBits = 14
    private var table = [UInt32](repeating: 0, count: 1 << LZFCompressor.hashBits)
    /// Positions of the current call are stored as `base + position`.
    private var base: UInt32 = 1

    init() {}

    /// Compresses `input` into `output` (resized as needed; only the first
    /// `result` bytes are meaningful). Returns nil if the result would exceed
    /// `limit` bytes.
    mutating func compress(_ input: UnsafeRawBufferPointer, limit: Int, into output: inout [UInt8]) -> Int? {
        let n = input.count
        guard n > 0, limit > 0, n < Int(UInt32.max / 4), let src = input.baseAddress?.assumingMemoryBound(to: UInt8.self) else {
            return nil
        }
        if UInt64(base) + UInt64(n) + 1 >= UInt64(UInt32.max) {
            for i in table.indices { table[i] = 0 }
            base = 1
        }
        let callBase = base
        base += UInt32(n) + 1
        if output.count < limit + 8 {
            output = [UInt8](repeating: 0, count: limit + 8)
        }
        // A trailing reserved literal-control byte may be dropped at the end,
        // so allow one byte beyond `limit` while working.
        let cap = limit + 1
        return table.withUnsafeMutableBufferPointer { t in
            output.withUnsafeMutableBufferPointer { out -> Int? in
                guard let dst = out.baseAddress else { return nil }
                let shift = UInt32(32 - LZFCompressor.hashBits)
                @inline(__always) func hash(_ i: Int) -> Int {
                    let v = UInt32(src[i]) << 16 | UInt32(src[i + 1]) << 8 | UInt32(src[i + 2])
                    return Int((v &* 2_654_435_761) >> shift)
                }
                var ip = 0
                var op = 1           // dst[0] is the control byte of the first literal run
                var ctrlPos = 0
                var lit = 0
                var misses = 0
                while ip + 2 < n {
                    let h = hash(ip)
                    let entry = t[h]
                    t[h] = callBase &+ UInt32(ip)
                    if entry >= callBase {
                        let ref = Int(entry &- callBase)
                        let back = ip - ref       // >= 1
                        if back <= 8192, src[ref] == src[ip], src[ref + 1] == src[ip + 1], src[ref + 2] == src[ip + 2] {
                            let maxLen = min(264, n - ip)
                            var len = 3
                            while len < maxLen, src[ref + len] == src[ip + len] { len += 1 }
                            // Close the pending literal run (or drop its unused control byte).
                            if lit > 0 { dst[ctrlPos] = UInt8(lit - 1) } else { op -= 1 }
                            guard op + 4 <= cap else { return nil }
                            let off = back - 1
                            let code = len - 2
                            if code < 7 {
                                dst[op] = UInt8(code << 5 | off >> 8)
                                op += 1
                            } else {
                                dst[op] = UInt8(7 << 5 | off >> 8)
                                dst[op + 1] = UInt8(code - 7)
                                op += 2
                            }
                            dst[op] = UInt8(off & 0xff)
                            op += 1
                            ctrlPos = op
                            op += 1
                            lit = 0
                            // Index the positions inside the match too (better ratio).
                            let stop = min(ip + len, n - 2)
                            var q = ip + 1
                            while q < stop {
                                t[hash(q)] = callBase &+ UInt32(q)
                                q += 1
                            }
                            ip += len
                            misses = 0
                            continue
                        }
                    }
                    // No match: emit literals. After many misses in a row, step
                    // over several bytes per probe (LZ4-style acceleration), so
                    // incompressible data costs little more than a copy.
                    misses += 1
                    let stop = min(ip + 1 + min(misses >> 6, 31), n)
                    while ip < stop {
                        guard op + 2 <= cap else { return nil }
                        dst[op] = src[ip]
                        op += 1
                        ip += 1
                        lit += 1
                        if lit == 32 {
                            dst[ctrlPos] = 31
                            ctrlPos = op
                            op += 1
                            lit = 0
                        }
                    }
                }
                while ip < n {
                    guard op + 2 <= cap else { return nil }
                    dst[op] = src[ip]
                    op += 1
                    ip += 1
                    lit += 1
                    if lit == 32 {
                        dst[ctrlPos] = 31
                        ctrlPos = op
                        op += 1
                        lit = 0
                    }
                }
                if lit > 0 { dst[ctrlPos] = UInt8(lit - 1) } else { op -= 1 }
                return op <= limit ? op : nil
            }
        }
    }

    /// Releases a scratch buffer that grew past `bytes`, keeping small ones.
    static func trim(_ scratch: inout [UInt8], above bytes: Int) {
        if scratch.count > bytes { scratch = [] }
    }
}
