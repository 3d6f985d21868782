// SegmentedTableTests: SegmentedTable against a Dictionary model across
// splits and merges, the SCAN guarantee across segment-count changes and
// segment resizes, copy-on-write of one segment per write after a snapshot,
// and uniform random entries and samples.

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

private func contents<V>(_ t: SegmentedTable<V>) -> [[UInt8]: V] {
    var d: [[UInt8]: V] = [:]
    for (k, v) in t {
        #expect(d[k] == nil, "iteration returned a key twice")
        d[k] = v
    }
    return d
}

/// Identities of the segments' storage objects.
private func storageIDs<V>(_ t: SegmentedTable<V>) -> [ObjectIdentifier] {
    t.segments.map { ObjectIdentifier($0.storage) }
}

@Suite("SegmentedTable")
struct SegmentedTableTests {
    @Test("agrees with a Dictionary while splitting and merging", arguments: [1, 2, 3] as [UInt64])
    func randomOperationsMatchDictionaryModel(seed: UInt64) {
        var g = SplitMix64(seed: seed)
        // 4 segments once split: splits above 64 entries, merges below 8.
        var table = SegmentedTable<Int>(maxShift: 2)
        var model: [[UInt8]: Int] = [:]
        var splits = 0, merges = 0
        for step in 0..<8000 {
            // Phases that grow past the split threshold and shrink below the merge one.
            let growing = (step / 1000) % 2 == 0
            var k = key("k\(Int.random(in: 0..<400, using: &g))")
            let segmentsBefore = table.segmentCount
            var op = Int.random(in: 0..<100, using: &g)
            if !growing, op < 60, let present = model.keys.randomElement(using: &g) {
                k = present   // draining: remove keys that exist
                op = 50
            }
            switch op {
            case 0..<40:
                let v = Int.random(in: 0..<1_000_000, using: &g)
                #expect(table.updateValue(v, forKey: k) == model.updateValue(v, forKey: k))
            case 40..<50:
                let v = Int.random(in: 0..<1_000_000, using: &g)
                #expect(k.withUnsafeBytes { table.updateValue(v, forKeyBytes: $0) } == model.updateValue(v, forKey: k))
            case 50..<60:
                #expect(table.removeValue(forKey: k) == model.removeValue(forKey: k))
            case 75..<80:
                #expect(k.withUnsafeBytes { table.removeValue(forKeyBytes: $0) } == model.removeValue(forKey: k))
            case 80..<85:
                let r = table.modifyValue(forKey: k) { v -> Int in v += 1; return v }
                if model[k] != nil { model[k]! += 1 }
                #expect(r == model[k])
            case 85..<88:
                table[k] = nil
                model[k] = nil
            case 88..<89 where step % 7 == 0:
                table.removeAll()
                model.removeAll()
            default:
                #expect(table[k] == model[k])
                #expect(table.contains(k) == (model[k] != nil))
                #expect(k.withUnsafeBytes { table.value(forKeyBytes: $0) } == model[k])
            }
            if table.segmentCount > segmentsBefore { splits += 1 }
            if table.segmentCount < segmentsBefore && !table.isEmpty { merges += 1 }
            #expect(table.count == model.count)
            if step % 400 == 0 { #expect(contents(table) == model) }
        }
        #expect(contents(table) == model)
        #expect(Set(table.keys) == Set(model.keys))
        #expect(splits > 0 && merges > 0, "the test should have split and merged the table")
    }

    @Test("splits past 16 entries per segment, merges below 2, and starts as one segment")
    func splitAndMergeThresholds() {
        var table = SegmentedTable<Int>(maxShift: 3)   // 8 segments: split above 128, merge below 16
        #expect(table.segmentCount == 1)
        for i in 0..<128 { table[key("k\(i)")] = i }
        #expect(table.segmentCount == 1)
        table[key("k128")] = 128
        #expect(table.segmentCount == 8)
        for i in 0...128 { #expect(table[key("k\(i)")] == i) }
        for i in 0..<114 { table.removeValue(forKey: key("k\(i)")) }
        #expect(table.count == 15)
        #expect(table.segmentCount == 1)
        for i in 114...128 { #expect(table[key("k\(i)")] == i) }
        #expect(SegmentedTable<Int>().segmentCount == 1)
        #expect(SegmentedTable<Int>(maxShift: 0).splitThreshold == 16)
    }

    @Test("a table that never splits behaves as one segment", arguments: [0, 50, 500])
    func unsplitTable(size: Int) {
        var table = SegmentedTable<Int>(maxShift: 0)
        for i in 0..<size { table[key("u\(i)")] = i }
        #expect(table.segmentCount == 1)
        #expect(contents(table).count == size)
    }

    @Test("a full SCAN without changes returns every key exactly once",
          arguments: [(0, 10), (1, 10), (3, 2), (100, 10), (20_000, 10), (1000, 3)])
    func scanCoversEveryKeyOnce(size: Int, maxShift: Int) {
        var table = SegmentedTable<Int>(maxShift: maxShift)
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

    @Test("SCAN returns every stable key across splits, merges and segment resizes between calls",
          arguments: [11, 12, 13, 14, 15, 16] as [UInt64])
    func scanGuaranteeAcrossResegmenting(seed: UInt64) {
        var g = SplitMix64(seed: seed)
        var table = SegmentedTable<Int>(maxShift: 3)   // split above 128, merge below 16
        let stable = (0..<10).map { key("stable:\($0)") }
        for k in stable { table[k] = 1 }
        var transient: [[UInt8]] = []
        var seen = Set<[UInt8]>()
        var cursor: UInt64 = 0
        var splits = 0, merges = 0
        var nextTransient = 0
        var call = 0
        repeat {
            cursor = table.scan(cursor: cursor, count: Int.random(in: 1...3, using: &g)) { k, _ in seen.insert(k) }
            call += 1
            let before = table.segmentCount
            if call % 4 < 2 {
                for _ in 0..<Int.random(in: 20...400, using: &g) {
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
            if table.segmentCount > before { splits += 1 }
            if table.segmentCount < before { merges += 1 }
        } while cursor != 0 && call < 100_000
        #expect(cursor == 0)
        for k in stable { #expect(seen.contains(k), "stable key missed by SCAN") }
        #expect(splits > 0 && merges > 0, "the test should have split and merged the table")
    }

    @Test("SCAN emits at least count entries per call unless it finishes or the budget runs out")
    func scanCountIsALowerBound() {
        var table = SegmentedTable<Int>(maxShift: 4)
        for i in 0..<5000 { table[key("c\(i)")] = i }
        #expect(table.segmentCount == 16)
        var cursor: UInt64 = 0
        var short = 0
        repeat {
            var n = 0
            cursor = table.scan(cursor: cursor, count: 25) { _, _ in n += 1 }
            if cursor != 0 && n < 25 { short += 1 }
        } while cursor != 0
        #expect(short == 0)
    }

    @Test("SCAN of a sparse split table stays within its bucket budget per call")
    func scanBudgetOnSparseTable() {
        var table = SegmentedTable<Int>(maxShift: 10)
        for i in 0..<20_000 { table[key("p\(i)")] = i }
        for i in 0..<17_900 { table.removeValue(forKey: key("p\(i)")) }
        #expect(table.segmentCount == 1024)
        var seen = Set<[UInt8]>()
        var cursor: UInt64 = 0
        var calls = 0
        repeat {
            cursor = table.scan(cursor: cursor, count: 1) { k, _ in seen.insert(k) }
            calls += 1
        } while cursor != 0
        #expect(seen.count == 2100)
        #expect(calls > 100, "each call should stop after a bounded walk")
    }

    @Test("after a snapshot a write copies only the segment it touches")
    func copyOnWriteCopiesOneSegment() {
        var table = SegmentedTable<[Int]>(maxShift: 4)
        for i in 0..<2000 { table[key("k\(i)")] = [i] }
        #expect(table.segmentCount == 16)
        let snapshot = table
        let before = storageIDs(table)
        #expect(table.copiedBytes == 0)
        table[key("k1")] = [100]
        let after = storageIDs(table)
        #expect(zip(before, after).filter { $0 != $1 }.count == 1)
        #expect(table.copiedBytes > 0)
        #expect(table.copiedBytes < 2000 / 16 * 4 * MemoryLayout<HashTableEntry<[Int]>>.stride)
        table.removeValue(forKey: key("k2"))
        _ = table.modifyValue(forKey: key("k4")) { $0.append(8) }
        table[key("new")] = [1]
        #expect(snapshot[key("k1")] == [1])
        #expect(snapshot[key("k2")] == [2])
        #expect(snapshot[key("k4")] == [4])
        #expect(snapshot[key("new")] == nil)
        #expect(snapshot.count == 2000)
        #expect(table[key("k4")] == [4, 8])
        #expect(table.count == 2000)
        var b = snapshot
        b.removeAll()
        #expect(b.isEmpty && snapshot.count == 2000)
        table.resetCopiedBytes()
        #expect(table.copiedBytes == 0)
    }

    @Test("removing or modifying an absent key of a shared table copies no segment")
    func absentKeyDoesNotCopy() {
        var a = SegmentedTable<Int>(maxShift: 2)
        for i in 0..<100 { a[key("x\(i)")] = i }
        let b = a
        #expect(a.removeValue(forKey: key("nope")) == nil)
        #expect(a.modifyValue(forKey: key("nope")) { $0 += 1 } == nil)
        #expect(storageIDs(a) == storageIDs(b))
        #expect(a.copiedBytes == 0)
    }

    @Test("randomEntry is uniform over entries whatever their segment")
    func randomEntryIsUniform() {
        var g = SplitMix64(seed: 99)
        var table = SegmentedTable<Int>(maxShift: 2)
        #expect(table.randomEntry(using: &g) == nil)
        for i in 0..<100 { table[key("r\(i)")] = i }
        #expect(table.segmentCount == 4)
        var hits = [Int](repeating: 0, count: 100)
        for _ in 0..<50_000 {
            guard let e = table.randomEntry(using: &g) else { Issue.record("nil from a non-empty table"); return }
            #expect(table[e.key] == e.value)
            hits[e.value] += 1
        }
        // Expected 500 each.
        #expect(hits.allSatisfy { $0 > 380 && $0 < 620 })
    }

    @Test("sampleEntries returns distinct present entries", arguments: [0, 1, 5, 20, 40, 300, 499, 500, 1000])
    func sampleEntriesAreDistinct(wanted: Int) {
        var g = SplitMix64(seed: UInt64(wanted) + 7)
        var table = SegmentedTable<Int>(maxShift: 3)
        for i in 0..<500 { table[key("e\(i)")] = i }
        #expect(table.segmentCount == 8)
        let sample = table.sampleEntries(wanted, using: &g)
        #expect(sample.count == min(wanted, 500))
        #expect(Set(sample.map(\.key)).count == sample.count)
        for e in sample { #expect(table[e.key] == e.value) }
    }

    @Test("samples of a split table cover its segments in proportion")
    func samplesAreUniform() {
        var g = SplitMix64(seed: 5)
        var table = SegmentedTable<Int>(maxShift: 2)
        for i in 0..<200 { table[key("q\(i)")] = i }
        var hits = [Int](repeating: 0, count: 200)
        for _ in 0..<5000 {
            for e in table.sampleEntries(20, using: &g) { hits[e.value] += 1 }
        }
        // Expected 500 each.
        #expect(hits.allSatisfy { $0 > 380 && $0 < 620 })
    }

    @Test("reserveCapacity splits up front so loading does not resegment")
    func reserveCapacitySplitsFirst() {
        var table = SegmentedTable<Int>(maxShift: 3)
        table.reserveCapacity(1000)
        #expect(table.segmentCount == 8)
        let ids = storageIDs(table)
        for i in 0..<900 { table[key("l\(i)")] = i }
        #expect(table.count == 900)
        #expect(storageIDs(table) == ids, "no segment should have been reallocated")
        var small = SegmentedTable<Int>(maxShift: 3)
        small.reserveCapacity(100)
        #expect(small.segmentCount == 1 && small.segments[0].capacity >= 100)
    }

    @Test("equality ignores the segment layout")
    func equalityIgnoresLayout() {
        var split = SegmentedTable<Int>(maxShift: 3)
        var single = SegmentedTable<Int>(maxShift: 0)
        for i in 0..<300 {
            split[key("z\(i)")] = i
            single[key("z\(299 - i)")] = 299 - i
        }
        #expect(split.segmentCount == 8 && single.segmentCount == 1)
        #expect(split == single)
        single[key("z0")] = -1
        #expect(split != single)
    }

    @Test("a snapshot can be read on another thread while the original is mutated")
    func snapshotReadConcurrently() async {
        var table = SegmentedTable<Int>()
        for i in 0..<20_000 { table[key("k\(i)")] = i }
        #expect(table.segmentCount == 1024)
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
}
