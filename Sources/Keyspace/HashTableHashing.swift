// HashTableHashing: the byte-string hash behind `HashTable` (and so the
// keyspace, hash fields, set members and sorted-set members).
//
// A fast keyed 64-bit hash over whole 8-byte words, using the
// "multiply-then-fold" step (the full 128-bit product of two 64-bit words,
// high half xor low half) popularised by wyhash. Keys are hashed in bulk,
// never byte by byte through `Hashable`.
//
// It is not a cryptographic PRF (Redis uses SipHash here); every multiply
// operand carries the secret seed, which defeats the seed-independent
// multicollisions ("zero one operand") known against unseeded multiply-fold
// hashes. Swapping in `Hasher` (SipHash-1-3) is a one-line change in
// HashTableStorage.hash if a stronger guarantee is ever wanted.
//
// Invariants:
// - The seed comes from the standard library's per-process random hashing seed
//   (via `Hasher`), so an attacker who does not know it cannot precompute
//   colliding keys (hash flooding). With SWIFT_DETERMINISTIC_HASHING set the
//   seed is fixed, which tests may rely on for reproducibility.
// - Equal byte strings hash equally within one process; the value is not
//   stable across processes and must never be persisted.

/// The process-wide hash seed: derived from the standard library's random
/// per-process seed, so it needs no global state of our own.
@usableFromInline
func hashTableProcessSeed() -> UInt64 {
    var hasher = Hasher()
    hasher.combine(0x5649_4749_4C5F_4854 as UInt64)   // "VIGIL_HT": any constant will do
    return UInt64(UInt(bitPattern: hasher.finalize()))
}

/// 128-bit multiply, folded to 64 bits.
@inlinable @inline(__always)
func hashFold(_ a: UInt64, _ b: UInt64) -> UInt64 {
    let product = a.multipliedFullWidth(by: b)
    return product.high ^ product.low
}

/// Hashes `bytes` with `seed`. Reads whole words (overlapping for the tail),
/// so a key costs a handful of multiplies whatever its alignment.
@inlinable
func hashKeyBytes(_ bytes: UnsafeRawBufferPointer, seed: UInt64) -> UInt64 {
    // Odd mixing constants: the fractional parts of the square roots of the
    // first primes (SHA-512's initial values). Literals, so no global state.
    let hashK0: UInt64 = 0x6A09_E667_F3BC_C908
    let hashK1: UInt64 = 0xBB67_AE85_84CA_A73B
    let hashK2: UInt64 = 0x3C6E_F372_FE94_F82B
    let hashK3: UInt64 = 0xA54F_F53A_5F1D_36F1
    let n = bytes.count
    var a: UInt64 = 0
    var b: UInt64 = 0
    var state = seed ^ hashK0
    if let base = UnsafeRawPointer(bytes.baseAddress), n > 0 {
        if n <= 16 {
            if n >= 8 {
                a = base.loadUnaligned(as: UInt64.self)
                b = base.loadUnaligned(fromByteOffset: n - 8, as: UInt64.self)
            } else if n >= 4 {
                a = UInt64(base.loadUnaligned(as: UInt32.self))
                b = UInt64(base.loadUnaligned(fromByteOffset: n - 4, as: UInt32.self))
            } else {
                // 1...3 bytes: first, middle and last byte (they may coincide).
                a = UInt64(base.load(as: UInt8.self)) << 16
                    | UInt64(base.load(fromByteOffset: n >> 1, as: UInt8.self)) << 8
                    | UInt64(base.load(fromByteOffset: n - 1, as: UInt8.self))
            }
        } else {
            var offset = 0
            while n - offset > 16 {
                let w0 = base.loadUnaligned(fromByteOffset: offset, as: UInt64.self)
                let w1 = base.loadUnaligned(fromByteOffset: offset + 8, as: UInt64.self)
                // Both operands carry secret state: were either known, an
                // attacker could zero it and erase the other's contribution.
                state = hashFold(w0 ^ hashK1 ^ seed, w1 ^ state)
                offset += 16
            }
            a = base.loadUnaligned(fromByteOffset: n - 16, as: UInt64.self)
            b = base.loadUnaligned(fromByteOffset: n - 8, as: UInt64.self)
        }
    }
    let mixed = hashFold(a ^ hashK1 ^ seed, b ^ state ^ hashK2)
    return hashFold(mixed ^ hashK0, UInt64(truncatingIfNeeded: n) ^ hashK3 ^ seed)
}
