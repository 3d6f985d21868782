// TestSupport.swift — helpers shared by the RESP tests: byte literals, running
// a parser over a byte array, split-feeding, and a seeded random generator.
//
// Invariant: helpers never hide a parser's result; they map it to `Outcome`
// values that compare with ==.

import RESP

/// The UTF-8 bytes of `s` (test inputs are written as Swift strings).
func b(_ s: String) -> Bytes { Array(s.utf8) }

/// What one call of a request parser produced.
enum RequestOutcome: Equatable, CustomStringConvertible {
    case frame([Bytes], consumed: Int)
    case needMore
    case error(String)

    var description: String {
        switch self {
        case .frame(let args, let n):
            return "frame(\(args.map { String(decoding: $0, as: UTF8.self) }), consumed: \(n))"
        case .needMore: return "needMore"
        case .error(let m): return "error(\(m))"
        }
    }
}

/// What one call of a value parser produced.
enum ValueOutcome: Equatable {
    case value(RESPValue, consumed: Int)
    case needMore
    case error(String)
}

extension RequestParser {
    /// Runs `next` over `input`.
    mutating func outcome(_ input: Bytes) -> RequestOutcome {
        input.withUnsafeBytes { buf in
            do throws(ProtocolError) {
                guard let (args, consumed) = try next(buf) else { return .needMore }
                return .frame(args, consumed: consumed)
            } catch {
                return .error(error.message)
            }
        }
    }
}

extension ValueParser {
    /// Runs `next` over `input`.
    mutating func outcome(_ input: Bytes) -> ValueOutcome {
        do throws(ProtocolError) {
            guard let (v, consumed) = try next(input) else { return .needMore }
            return .value(v, consumed: consumed)
        } catch {
            return .error(error.message)
        }
    }
}

/// One request parse of `input` with a fresh parser.
func parseRequest(_ input: Bytes, configure: (inout RequestParser) -> Void = { _ in }) -> RequestOutcome {
    var p = RequestParser()
    configure(&p)
    return p.outcome(input)
}

/// One value parse of `input` with a fresh parser.
func parseValue(_ input: Bytes, maxDepth: Int = 64) -> ValueOutcome {
    var p = ValueParser(maxDepth: maxDepth)
    return p.outcome(input)
}

/// Parses every request in `input` in order, consuming as it goes. Stops at
/// the first error or incomplete frame (appended as the last outcome).
func parseAllRequests(_ input: Bytes) -> [RequestOutcome] {
    var p = RequestParser()
    var rest = input[...]
    var out: [RequestOutcome] = []
    while true {
        let o = p.outcome(Array(rest))
        out.append(o)
        guard case .frame(_, let n) = o else { return out }
        rest = rest.dropFirst(n)
        if rest.isEmpty { return out }
    }
}

/// SplitMix64: a tiny seeded generator so fuzz runs are reproducible.
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
