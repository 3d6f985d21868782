// A small fuzz: random and mutated configuration text never crashes the
// tokenizer, the loader, CONFIG SET or CONFIG REWRITE, and every failure is a
// ConfigError. Seeded, so a failure is reproducible.

import Testing
@testable import Config

/// SplitMix64: tiny deterministic generator for reproducible fuzzing.
struct SplitMix64: RandomNumberGenerator {
    var state: UInt64
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

@Suite struct FuzzTests {
    static let pieces = ["port", "save", "bind", "include", "\"", "'", "\\", "\\x", "41", " ", "\t", "\n", "\r",
                         "#", "yes", "no", "-1", "0", "65536", "1mb", "gb", "*", "?", "[", "sentinel",
                         "client-output-buffer-limit", "normal", "slave", "replicaof", "dir", "..", "/",
                         "extra.conf", "notify-keyspace-events", "KEA", "\0", "é", "\u{FFFD}", "hz", "\"\"",
                         "latency-tracking-info-percentiles", "99.9", "nan", "requirepass", "user"]

    static func randomText(_ rng: inout SplitMix64, length: Int) -> String {
        var s = ""
        for _ in 0..<length {
            if Bool.random(using: &rng) {
                s += pieces.randomElement(using: &rng) ?? ""
            } else {
                s.unicodeScalars.append(Unicode.Scalar(UInt8.random(in: 0...127, using: &rng)))
            }
        }
        return s
    }

    @Test(arguments: 0..<4)
    func randomConfigsNeverCrash(seed: Int) {
        var rng = SplitMix64(state: UInt64(seed) &* 7919)
        for _ in 0..<300 {
            let main = FuzzTests.randomText(&rng, length: Int.random(in: 0...40, using: &rng))
            let extra = FuzzTests.randomText(&rng, length: Int.random(in: 0...20, using: &rng))
            let fs = fileSystem(main: main, ["/etc/vigil/extra.conf": extra])
            _ = try? ConfigTokenizer.split(main)
            do {
                var c = try ConfigStore.load(path: mainPath, overrides: [], mode: seed % 2 == 0 ? .server : .sentinel,
                                             files: fs.access)
                let name = FuzzTests.pieces.randomElement(using: &rng) ?? "port"
                _ = try? c.set([(name, FuzzTests.randomText(&rng, length: 3))])
                _ = c.get(pattern: FuzzTests.randomText(&rng, length: 3))
                try c.rewrite(files: fs.access)
                // What REWRITE wrote must load back.
                _ = try ConfigStore.load(path: mainPath, overrides: [], mode: c.mode, files: fs.access)
            } catch {
                #expect(!error.description.isEmpty)
            }
        }
    }

    @Test func validLinesSurviveMutation() {
        var rng = SplitMix64(state: 42)
        let base = Array("port 7000\nsave 900 1\nrequirepass \"a b\"\nclient-output-buffer-limit pubsub 1mb 1mb 1\n".utf8)
        for _ in 0..<500 {
            var bytes = base
            for _ in 0..<Int.random(in: 1...4, using: &rng) {
                let i = Int.random(in: 0..<bytes.count, using: &rng)
                bytes[i] = UInt8.random(in: 0...127, using: &rng)
            }
            let fs = fileSystem(main: String(decoding: bytes, as: UTF8.self))
            _ = try? ConfigStore.load(path: mainPath, overrides: [], mode: .server, files: fs.access)
        }
    }
}
