// HashTableTests: HashTable against a Dictionary model, its resize policy, the
// SCAN guarantee across grows and shrinks, copy-on-write and random sampling.

import Testing
@testable import Keyspace

/// Deterministic generator for reproducible random operations.
private struct SplitMix64: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE5_E9B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

private func key(_ s: String) -> [UInt8] { Array(s.utf8) }

/// A key from a small universe, so operations often hit existing keys.
private func randomKey<G: RandomNumberGenerator>(_ g: inout G, universe: Int) -> [UInt8] {
    let n = Int.random(in: 0..<universe, using: &g)
    // Varied lengths (0 to ~40 bytes) so every hash tail path is exercised.
    let length = n % 41
    var bytes = [UInt8](repeating: 0, count: length)
    for i in 0..<length { bytes[i] = UInt8(truncatingIfNeeded: n &* 31 &+ i &* 7) }
    if length > 0 { bytes[0] = UInt8(truncatingIfNeeded: n >> 8) }
    return bytes + [UInt8(truncatingIfNeeded: n)]
}

private func contents<V>(_ t: HashTable<V>) -> [[UInt8]: V] {
    var d: [[UInt8]: V] = [:]
    for (k, v) in t {
        #expect(d[k] == nil, "iteration returned a key twice")
        d[k] = v
    }
    return d
}

@Suite("HashTable")
struct HashTableTests {
    @Test("agrees with a Dictionary over thousands of random operations", arguments: [1, 2, 3] as [UInt64])
    func randomOperationsMatchDictionaryModel(seed: UInt64) {
        var g = SplitMix64(seed: seed)
        var table = HashTable<Int>()
        var model: [[UInt8]: Int] = [:]
        let universe = 600
        for step in 0..<6000 {
            let k = randomKey(&g, universe: universe)
            switch Int.random(in: 0..<100, using: &g) {
            case 0..<35:
                let v = Int.random(in: 0..<1_000_000, using: &g)
                #expect(table.updateValue(v, forKey: k) == model.updateValue(v, forKey: k))
            case 35..<45:
                let v = Int.random(in: 0..<1_000_000, using: &g)
                let old = k.withUnsafeBytes { table.updateValue(v, forKeyBytes: $0) }
                #expect(old == model.updateValue(v, forKey: k))
            case 45..<65:
                #expect(table.removeValue(forKey: k) == model.removeValue(forKey: k))
            case 65..<70:
                let removed = k.withUnsafeBytes { table.removeValue(forKeyBytes: $0) }
                #expect(removed == model.removeValue(forKey: k))
            case 70..<78:
                table[k]? += 1
                model[k]? += 1
            case 78..<82:
                let r = table.modifyValue(forKey: k) { v -> Int in v *= 2; return v }
                if model[k] != nil { model[k]! *= 2 }
                #expect(r == model[k])
            case 82..<86:
                let v = Int.random(in: 0..<10, using: &g)
                table[k] = v == 0 ? nil : v
                model[k] = v == 0 ? nil : v
            case 86..<87:
                if step % 3 == 0 {
                    table.removeAll(keepingCapacity: step % 2 == 0)
                    model.removeAll()
                }
            default:
                #expect(table[k] == model[k])
                #expect(table.contains(k) == (model[k] != nil))
                #expect(k.withUnsafeBytes { table.value(forKeyBytes: $0) } == model[k])
            }
            #expect(table.count == model.count)
            if step % 500 == 0 { #expect(contents(table) == model) }
        }
        #expect(contents(table) == model)
        #expect(Set(table.keys) == Set(model.keys))
        // Equality ignores layout: rebuild the same contents in another order.
        var rebuilt = HashTable<Int>()
        for (k, v) in model.sorted(by: { $0.key.lexicographicallyPrecedes($1.key) }) { rebuilt[k] = v }
        #expect(rebuilt == table)
        rebuilt[[0xAB, 0xCD]] = 1
        #expect(rebuilt != table)
    }

    @Test("grows at load factor 1 and shrinks below 1/8 full, never under 4 buckets")
    func resizePolicy() {
        var table = HashTable<Int>()
        #expect(table.capacity == 4)
        for i in 0..<1000 {
            table[key("k\(i)")] = i
            #expect(table.count <= table.capacity, "load factor above 1")
        }
        #expect(table.capacity == 1024)
        for i in 0..<1000 {
            table.removeValue(forKey: key("k\(i)"))
            #expect(table.capacity >= 4)
            if table.capacity > 4 { #expect(table.count * 8 >= table.capacity, "sparser than 1/8") }
        }
        #expect(table.isEmpty)
        #expect(table.capacity == 4)
        // Hysteresis: hovering around a power of two does not resize every time.
        var t2 = HashTable<Int>()
        for i in 0..<64 { t2[key("x\(i)")] = i }
        let cap = t2.capacity
        for round in 0..<10 {
            t2[key("extra\(round)")] = 0
            t2.removeValue(forKey: key("extra\(round)"))
        }
        #expect(t2.capacity >= cap)
        #expect(HashTable<Int>(minimumCapacity: 100).capacity == 128)
    }

    @Test("an empty key and keys differing only in length are distinct")
    func edgeKeys() {
        var table = HashTable<Int>()
        table[[]] = 1
        table[[0]] = 2
        table[[0, 0]] = 3
        table[[UInt8](repeating: 0, count: 16)] = 4
        table[[UInt8](repeating: 0, count: 17)] = 5
        #expect(table[[]] == 1)
        #expect(table[[0]] == 2)
        #expect(table[[0, 0]] == 3)
        #expect(table[[UInt8](repeating: 0, count: 16)] == 4)
        #expect(table[[UInt8](repeating: 0, count: 17)] == 5)
        #expect(table[[0, 0, 0]] == nil)
        #expect(table.count == 5)
    }

    @Test("a full SCAN without changes returns every key exactly once", arguments: [0, 1, 3, 100, 5000])
    func scanCoversEveryKeyOnce(size: Int) {
        var table = HashTable<Int>()
        for i in 0..<size { table[key("s\(i)")] = i }
        var seen: [[UInt8]: Int] = [:]
        var cursor: UInt64 = 0
        var calls = 0
        repeat {
            cursor = table.scan(cursor: cursor, count: 10) { k, _ in seen[k, default: 0] += 1 }
            calls += 1
        } while cursor != 0
        #expect(seen.count == size)
        #expect(seen.values.allSatisfy { $0 == 1 })
        if size == 0 { #expect(calls == 1) }
    }

    @Test("SCAN returns every stable key even when the table grows or shrinks between calls",
          arguments: [11, 12, 13, 14, 15] as [UInt64])
    func scanGuaranteeAcrossResizes(seed: UInt64) {
        var g = SplitMix64(seed: seed)
        var table = HashTable<Int>()
        let stable = (0..<300).map { key("stable:\($0)") }
        for k in stable { table[k] = 1 }
        var transient: [[UInt8]] = []
        var seen = Set<[UInt8]>()
        var cursor: UInt64 = 0
        var grew = 0
        var shrank = 0
        var nextTransient = 0
        var call = 0
        repeat {
            cursor = table.scan(cursor: cursor, count: Int.random(in: 1...20, using: &g)) { k, _ in seen.insert(k) }
            call += 1
            let before = table.capacity
            // Alternate phases of heavy growth and heavy shrinking.
            if call % 4 < 2 {
                for _ in 0..<Int.random(in: 100...1500, using: &g) {
                    let k = key("t:\(nextTransient)")
                    nextTransient += 1
                    table[k] = 0
                    transient.append(k)
                }
            } else {
                transient.shuffle(using: &g)
                let drop = call % 4 == 3 ? transient.count : Int.random(in: 0...transient.count, using: &g)
                for k in transient.suffix(drop) { table.removeValue(forKey: k) }
                transient.removeLast(drop)
            }
            if table.capacity > before { grew += 1 }
            if table.capacity < before { shrank += 1 }
        } while cursor != 0
        for k in stable { #expect(seen.contains(k), "stable key missed by SCAN") }
        #expect(grew > 0 && shrank > 0, "the test should have grown and shrunk the table")
    }

    @Test("SCAN emits at least count entries per call unless it finishes")
    func scanCountIsALowerBound() {
        var table = HashTable<Int>()
        for i in 0..<1000 { table[key("c\(i)")] = i }
        var cursor: UInt64 = 0
        repeat {
            var n = 0
            cursor = table.scan(cursor: cursor, count: 25) { _, _ in n += 1 }
            if cursor != 0 { #expect(n >= 25) }
        } while cursor != 0
    }

    @Test("copies are independent (copy-on-write)")
    func copyOnWrite() {
        var a = HashTable<[Int]>()
        for i in 0..<50 { a[key("k\(i)")] = [i] }
        let snapshot = a
        a[key("k1")] = [100]
        a.removeValue(forKey: key("k2"))
        a[key("k3")]?.append(7)
        _ = a.modifyValue(forKey: key("k4")) { $0.append(8) }
        a[key("new")] = [1]
        #expect(snapshot[key("k1")] == [1])
        #expect(snapshot[key("k2")] == [2])
        #expect(snapshot[key("k3")] == [3])
        #expect(snapshot[key("k4")] == [4])
        #expect(snapshot[key("new")] == nil)
        #expect(snapshot.count == 50)
        #expect(a[key("k3")] == [3, 7])
        #expect(a[key("k4")] == [4, 8])
        var b = snapshot
        b.removeAll()
        #expect(b.isEmpty)
        #expect(snapshot.count == 50)
        var c = snapshot
        c.removeAll(keepingCapacity: true)
        #expect(c.isEmpty && snapshot.count == 50)
    }

    @Test("removing an absent key from a shared table does not copy it")
    func absentRemovalDoesNotCopy() {
        var a = HashTable<Int>()
        a[key("x")] = 1
        let b = a
        #expect(a.removeValue(forKey: key("nope")) == nil)
        #expect(a.modifyValue(forKey: key("nope")) { $0 += 1 } == nil)
        #expect(a.storage === b.storage)
    }

    final class Box {}
    struct Holder { var box = Box() }

    @Test("modifyValue and the subscript hand out the stored value without copying it")
    func inPlaceMutationKeepsValueUnique() {
        var table = HashTable<Holder>()
        table[key("a")] = Holder()
        let unique = table.modifyValue(forKey: key("a")) { isKnownUniquelyReferenced(&$0.box) }
        #expect(unique == true)
        var viaSubscript = false
        func check(_ h: inout Holder?) { if h != nil { viaSubscript = isKnownUniquelyReferenced(&h!.box) } }
        check(&table[key("a")])
        #expect(viaSubscript)
        // Setting the optional to nil through the subscript removes the entry.
        func clear(_ h: inout Holder?) { h = nil }
        clear(&table[key("a")])
        #expect(table.isEmpty)
        // Assigning through the subscript of an absent key inserts it.
        func fill(_ h: inout Holder?) { h = Holder() }
        fill(&table[key("b")])
        #expect(table.count == 1)
    }

    @Test("modifyValue rethrows the body's typed error and keeps the value")
    func modifyValueTypedThrows() {
        struct Oops: Error {}
        var table = HashTable<Int>()
        table[key("a")] = 5
        #expect(throws: Oops.self) {
            try table.modifyValue(forKey: key("a")) { (v: inout Int) throws(Oops) -> Void in
                v = 6
                throw Oops()
            }
        }
        #expect(table[key("a")] == 6)
    }

    @Test("randomEntry returns members roughly uniformly; nil when empty")
    func randomEntryIsUniform() {
        var g = SplitMix64(seed: 99)
        var table = HashTable<Int>()
        #expect(table.randomEntry(using: &g) == nil)
        for i in 0..<20 { table[key("r\(i)")] = i }
        var hits = [Int](repeating: 0, count: 20)
        for _ in 0..<20_000 {
            guard let e = table.randomEntry(using: &g) else { Issue.record("nil from a non-empty table"); return }
            #expect(table[e.key] == e.value)
            hits[e.value] += 1
        }
        // Expected 1000 each; a chain-biased picker would skew far more than this.
        #expect(hits.allSatisfy { $0 > 800 && $0 < 1200 })
        // Still works on a table made sparse by removeAll(keepingCapacity:).
        table.removeAll(keepingCapacity: true)
        for i in 0..<200 { table[key("s\(i)")] = i }
        table.removeAll(keepingCapacity: true)
        table[key("only")] = 7
        #expect(table.randomEntry(using: &g)?.value == 7)
    }

    @Test("sampleEntries returns distinct present entries", arguments: [0, 1, 5, 40, 300, 500, 1000])
    func sampleEntriesAreDistinct(wanted: Int) {
        var g = SplitMix64(seed: UInt64(wanted) + 7)
        var table = HashTable<Int>()
        for i in 0..<500 { table[key("e\(i)")] = i }
        let sample = table.sampleEntries(wanted, using: &g)
        #expect(sample.count == min(wanted, 500))
        #expect(Set(sample.map(\.key)).count == sample.count)
        for e in sample { #expect(table[e.key] == e.value) }
    }

    @Test("a snapshot can be read on another thread while the original is mutated")
    func snapshotReadConcurrently() async {
        var table = HashTable<Int>()
        for i in 0..<20_000 { table[key("k\(i)")] = i }
        let snapshot = table
        let reader = Task.detached { () -> Int in
            var sum = 0
            for (_, v) in snapshot { sum &+= v }
            return sum
        }
        for i in 0..<20_000 { table[key("k\(i)")] = 0 }
        for i in 0..<5_000 { table.removeValue(forKey: key("k\(i)")) }
        let sum = await reader.value
        #expect(sum == (0..<20_000).reduce(0, +))
        #expect(table.count == 15_000)
    }

    @Test("the hash spreads similar keys over the buckets")
    func hashSpreadsKeys() {
        let seed: UInt64 = 12345
        var buckets = [Int](repeating: 0, count: 1024)
        for i in 0..<16_384 {
            let k = key("user:\(i)")
            let h = k.withUnsafeBytes { hashKeyBytes($0, seed: seed) }
            buckets[Int(h & 1023)] += 1
        }
        // 16 expected per bucket; a weak hash piles keys into few buckets.
        #expect(buckets.max()! < 45)
        #expect(buckets.min()! > 1)
        // Different seeds give different hashes.
        let k = key("same")
        let h1 = k.withUnsafeBytes { hashKeyBytes($0, seed: 1) }
        let h2 = k.withUnsafeBytes { hashKeyBytes($0, seed: 2) }
        #expect(h1 != h2)
    }

    @Test("keys built to zero one multiply operand do not collide")
    func blindingKeysDoNotCollide() {
        // Each 16-byte block starts with the mixing constant, as an attacker
        // would choose to cancel an unseeded operand; the rest varies.
        let k1: UInt64 = 0xBB67_AE85_84CA_A73B
        func le(_ x: UInt64) -> [UInt8] { (0..<8).map { UInt8(truncatingIfNeeded: x >> (8 * $0)) } }
        var hashes = Set<UInt64>()
        for i in 0..<1000 as Range<UInt64> {
            let k = le(k1) + le(i) + le(k1) + le(i &* 7) + [UInt8](repeating: 9, count: 16)
            hashes.insert(k.withUnsafeBytes { hashKeyBytes($0, seed: 0x1234_5678_9ABC_DEF0) })
        }
        #expect(hashes.count == 1000)
    }
}
