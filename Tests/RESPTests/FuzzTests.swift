// FuzzTests.swift — seeded random and mutated frames through both parsers.
// Properties: never crash or hang; every returned frame consumes between 1
// and the available bytes; feeding a buffer in random pieces gives exactly the
// outcomes of feeding it whole; valid random values/commands round-trip.

import Testing
import RESP

/// Bytes the mutator favours: the ones RESP parsing branches on.
private let interesting: [UInt8] = Array("\r\n*$:+-_,#(=!%~>|0123456789\"'\\x ".utf8) + [0, 255]

/// A random RESP3 value of at most `depth` nesting levels (canonically encodable).
private func randomValue(_ rng: inout SeededGenerator, depth: Int) -> RESPValue {
    let scalarKinds = 10
    let kind = Int.random(in: 0..<(depth > 0 ? scalarKinds + 5 : scalarKinds), using: &rng)
    func word() -> String {
        String((0..<Int.random(in: 0...6, using: &rng)).map { _ in "abcXYZ 09:é".randomElement(using: &rng) ?? "a" })
    }
    func blob() -> Bytes { (0..<Int.random(in: 0...12, using: &rng)).map { _ in UInt8.random(in: 0...255, using: &rng) } }
    func children() -> [RESPValue] { (0..<Int.random(in: 0...4, using: &rng)).map { _ in randomValue(&rng, depth: depth - 1) } }
    switch kind {
    case 0: return .simple(word())
    case 1: return .error("ERR " + word())
    case 2: return .integer(Int64.random(in: .min ... .max, using: &rng))
    case 3: return .bulk(blob())
    case 4: return .null
    case 5: return .double([0.1, -2.5, 1e300, .infinity, -.infinity, .nan, Double(Int.random(in: -1000...1000, using: &rng)) / 7].randomElement(using: &rng) ?? 0)
    case 6: return .bool(Bool.random(using: &rng))
    case 7: return .bigNumber((Bool.random(using: &rng) ? "-" : "") + String(UInt64.random(in: 0 ... .max, using: &rng)) + "1234567890")
    case 8: return .verbatim(format: ["txt", "mkd"].randomElement(using: &rng) ?? "txt", text: blob())
    case 9: return .bulk([])
    case 10: return .array(children())
    case 11: return .set(children())
    case 12: return .push(children())
    case 13: return .map(children().map { RESPPair($0, randomValue(&rng, depth: depth - 1)) })
    default: return .attribute([RESPPair(.simple("ttl"), .integer(3))], randomValue(&rng, depth: depth - 1))
    }
}

/// `bytes` with a few random edits.
private func mutate(_ bytes: Bytes, _ rng: inout SeededGenerator) -> Bytes {
    var out = bytes
    for _ in 0..<Int.random(in: 1...4, using: &rng) {
        let pos = out.isEmpty ? 0 : Int.random(in: 0..<out.count, using: &rng)
        switch Int.random(in: 0..<6, using: &rng) {
        case 0 where !out.isEmpty: out[pos] = interesting.randomElement(using: &rng) ?? 0
        case 1 where !out.isEmpty: out[pos] = UInt8.random(in: 0...255, using: &rng)
        case 2: out.insert(interesting.randomElement(using: &rng) ?? 0, at: pos)
        case 3 where !out.isEmpty: out.remove(at: pos)
        case 4: out = Array(out.prefix(pos))
        default: out += out.prefix(Int.random(in: 0...min(out.count, 16), using: &rng))
        }
    }
    return out
}

/// Outcomes of parsing `input` to the end with `parse` (whole remaining buffer
/// each time, or growing random pieces of it when `rng` is given).
private func drive<O: Equatable>(_ input: Bytes, pieces rng: inout SeededGenerator?,
                                 parse: (UnsafeRawBufferPointer) -> O, consumed: (O) -> Int?, needMore: O) -> [O] {
    var outcomes: [O] = []
    input.withUnsafeBytes { all in
        var start = 0
        while start < all.count && outcomes.count < 10_000 {
            let rest = UnsafeRawBufferPointer(rebasing: all[start...])
            var o = needMore
            if var g = rng {
                var end = 0
                while o == needMore && end < rest.count {
                    end = min(rest.count, end + Int.random(in: 1...8, using: &g))
                    o = parse(UnsafeRawBufferPointer(rebasing: rest[0..<end]))
                }
                rng = g
            } else {
                o = parse(rest)
            }
            outcomes.append(o)
            guard let n = consumed(o) else { return }
            #expect(n >= 1 && n <= rest.count)
            start += max(n, 1)
        }
    }
    return outcomes
}

private func requestOutcomes(_ input: Bytes, pieces: SeededGenerator?) -> [RequestOutcome] {
    var parser = RequestParser()
    var rng = pieces
    return drive(input, pieces: &rng, parse: { buf -> RequestOutcome in
        do throws(ProtocolError) {
            guard let (args, n) = try parser.next(buf) else { return .needMore }
            return .frame(args, consumed: n)
        } catch {
            return .error(error.message)
        }
    }, consumed: { o in if case .frame(_, let n) = o { return n } else { return nil } }, needMore: .needMore)
}

private func valueOutcomes(_ input: Bytes, pieces: SeededGenerator?) -> [ValueOutcome] {
    var parser = ValueParser(maxDepth: 8)
    var rng = pieces
    return drive(input, pieces: &rng, parse: { buf -> ValueOutcome in
        do throws(ProtocolError) {
            guard let (v, n) = try parser.next(buf) else { return .needMore }
            return .value(v, consumed: n)
        } catch {
            return .error(error.message)
        }
    }, consumed: { o in if case .value(_, let n) = o { return n } else { return nil } }, needMore: .needMore)
}

@Test("random valid values round-trip through encode and the value parser, whole or in pieces")
func fuzzValidValues() {
    var rng = SeededGenerator(seed: 0x5EED_0001)
    for _ in 0..<1_500 {
        let v = randomValue(&rng, depth: 3)
        let wire = v.encoded()
        let whole = valueOutcomes(wire, pieces: nil)
        #expect(whole == [.value(v, consumed: wire.count)])
        #expect(valueOutcomes(wire, pieces: SeededGenerator(seed: rng.next())) == whole)
    }
}

@Test("random valid commands round-trip through encodeCommand and the request parser, whole or in pieces")
func fuzzValidCommands() {
    var rng = SeededGenerator(seed: 0x5EED_0002)
    for _ in 0..<1_500 {
        let args: [Bytes] = (0..<Int.random(in: 1...5, using: &rng)).map { _ in
            (0..<Int.random(in: 0...20, using: &rng)).map { _ in UInt8.random(in: 0...255, using: &rng) }
        }
        let wire = encodeCommand(args) + encodeCommand(args)
        let whole = requestOutcomes(wire, pieces: nil)
        #expect(whole == [.frame(args, consumed: wire.count / 2), .frame(args, consumed: wire.count / 2)])
        #expect(requestOutcomes(wire, pieces: SeededGenerator(seed: rng.next())) == whole)
    }
}

@Test("mutated and random frames never crash, and pieces give the same outcomes as the whole buffer")
func fuzzMutatedFrames() {
    var rng = SeededGenerator(seed: 0x5EED_0003)
    var seen = FuzzCoverage()
    for i in 0..<3_000 {
        let base: Bytes
        switch i % 4 {
        case 0: base = randomValue(&rng, depth: 3).encoded()
        case 1: base = encodeCommand((0..<Int.random(in: 0...4, using: &rng)).map { _ in b("arg") })
        case 2: base = b("SET \"k\\x41\" 'v w'\r\nGET k\n")
        default: base = (0..<Int.random(in: 0...40, using: &rng)).map { _ in interesting.randomElement(using: &rng) ?? 0 }
        }
        let input = mutate(base, &rng)
        let seed = rng.next()
        let requests = requestOutcomes(input, pieces: nil)
        let values = valueOutcomes(input, pieces: nil)
        #expect(requests == requestOutcomes(input, pieces: SeededGenerator(seed: seed)), "\(input)")
        #expect(values == valueOutcomes(input, pieces: SeededGenerator(seed: seed)), "\(input)")
        for o in requests {
            switch o {
            case .frame: seen.requestFrames += 1
            case .needMore: seen.requestNeedMore += 1
            case .error: seen.requestErrors += 1
            }
        }
        for o in values {
            switch o {
            case .value: seen.values += 1
            case .needMore: seen.valueNeedMore += 1
            case .error: seen.valueErrors += 1
            }
        }
    }
    // The corpus reaches every kind of outcome in both parsers.
    #expect(seen.requestFrames > 100 && seen.requestNeedMore > 100 && seen.requestErrors > 100)
    #expect(seen.values > 100 && seen.valueNeedMore > 100 && seen.valueErrors > 100)
}

/// Outcome counts of the mutation fuzz run.
private struct FuzzCoverage {
    var requestFrames = 0, requestNeedMore = 0, requestErrors = 0
    var values = 0, valueNeedMore = 0, valueErrors = 0
}
