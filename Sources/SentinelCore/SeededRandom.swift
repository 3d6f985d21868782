// SeededRandom: the core's only source of randomness — SplitMix64 over an
// injected seed, so a simulation run is reproducible from its seed.

/// A small deterministic generator (SplitMix64).
public struct SeededRandom: RandomNumberGenerator, Sendable {
    private var state: UInt64

    public init(seed: UInt64) { state = seed }

    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// A value in `range`.
    public mutating func value(in range: ClosedRange<Int64>) -> Int64 {
        Int64.random(in: range, using: &self)
    }

    /// 40 lower-case hex characters (a run id / sentinel id).
    public mutating func hexID() -> String {
        let digits = Array("0123456789abcdef")
        var s = ""
        for _ in 0..<40 { s.append(digits[Int(next() % 16)]) }
        return s
    }
}
