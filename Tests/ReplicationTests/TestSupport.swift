// TestSupport.swift — helpers shared by the Replication tests: byte
// literals, a seeded random generator, and readable renderings of actions.

import Replication
import RESP

/// The UTF-8 bytes of `s`.
func b(_ s: String) -> Bytes { Array(s.utf8) }

/// Bytes as text, for readable expectation failures.
func text(_ bytes: Bytes) -> String { String(decoding: bytes, as: UTF8.self) }

/// SplitMix64: a small, fully deterministic generator for ids and fuzzing.
struct SeededGenerator: RandomNumberGenerator {
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

/// A fixed id built from one repeated character, e.g. id("a") = "aaaa…a".
func id(_ c: Character) -> ReplicationID {
    guard let v = ReplicationID(String(repeating: c, count: 40)) else {
        preconditionFailure("40 characters always make an id")
    }
    return v
}
