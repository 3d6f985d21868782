// DequeTests: Deque against an Array model, wrap-around, shrinking and copy-on-write.

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

@Suite("Deque")
struct DequeTests {
    @Test("agrees with an Array over thousands of random operations", arguments: [1, 2, 3, 4] as [UInt64])
    func randomOperationsMatchArrayModel(seed: UInt64) {
        var g = SplitMix64(seed: seed)
        var d = Deque<Int>()
        var model: [Int] = []
        var next = 0
        for step in 0..<5000 {
            next += 1
            // Bias towards growth early and shrinkage late so sizes range widely.
            let growBias = step < 2500 ? 0 : 12
            switch Int.random(in: 0..<100, using: &g) {
            case 0..<(20 - growBias / 2):
                d.append(next); model.append(next)
            case 20..<(40 - growBias):
                d.prepend(next); model.insert(next, at: 0)
            case 40..<50:
                #expect(d.popFirst() == (model.isEmpty ? nil : model.removeFirst()))
            case 50..<60:
                #expect(d.popLast() == model.popLast())
            case 60..<66:
                let i = Int.random(in: 0...model.count, using: &g)
                d.insert(next, at: i); model.insert(next, at: i)
            case 66..<72:
                if !model.isEmpty {
                    let i = Int.random(in: 0..<model.count, using: &g)
                    #expect(d.remove(at: i) == model.remove(at: i))
                }
            case 72..<76:
                let n = Int.random(in: 0...min(model.count, 10), using: &g)
                d.removeFirst(n); model.removeFirst(n)
            case 76..<80:
                let n = Int.random(in: 0...min(model.count, 10), using: &g)
                d.removeLast(n); model.removeLast(n)
            case 80..<84:
                if !model.isEmpty {
                    let i = Int.random(in: 0..<model.count, using: &g)
                    d[i] = -next; model[i] = -next
                    d[i] += 1; model[i] += 1
                }
            case 84..<88:
                let a = Int.random(in: 0...model.count, using: &g)
                let b = Int.random(in: a...model.count, using: &g)
                let new = (0..<Int.random(in: 0...5, using: &g)).map { next * 10 + $0 }
                d.replaceSubrange(a..<b, with: new); model.replaceSubrange(a..<b, with: new)
            case 88..<89:
                d.removeAll(keepingCapacity: step % 2 == 0); model.removeAll()
            default:
                if !model.isEmpty {
                    let i = Int.random(in: 0..<model.count, using: &g)
                    #expect(d[i] == model[i])
                    #expect(d.first == model.first && d.last == model.last)
                }
            }
            #expect(d.count == model.count)
            #expect(d.capacity >= d.count)
            if step % 100 == 0 { #expect(Array(d) == model) }
        }
        #expect(Array(d) == model)
        #expect(Array(d.reversed()) == model.reversed())
    }

    @Test("indices stay logical when the ring wraps around")
    func wrapAround() {
        var d = Deque<Int>(minimumCapacity: 8)
        for i in 0..<6 { d.append(i) }
        for _ in 0..<4 { _ = d.popFirst() }
        for i in 6..<12 { d.append(i) }       // head near the end: elements wrap
        #expect(Array(d) == Array(4..<12))
        #expect(d[0] == 4 && d[7] == 11)
        d.prepend(3)
        d.insert(100, at: 4)
        #expect(Array(d) == [3, 4, 5, 6, 100, 7, 8, 9, 10, 11])
        #expect(d.remove(at: 8) == 10)
        #expect(d.remove(at: 1) == 4)
        #expect(Array(d) == [3, 5, 6, 100, 7, 8, 9, 11])
    }

    @Test("storage shrinks when the deque becomes sparse")
    func shrinksWhenSparse() {
        var d = Deque<Int>()
        for i in 0..<10_000 { d.append(i) }
        let big = d.capacity
        #expect(big >= 10_000)
        for _ in 0..<9_990 { _ = d.popFirst() }
        #expect(d.capacity < 100)
        #expect(Array(d) == Array(9_990..<10_000))
        d.removeLast(10)
        #expect(d.isEmpty)
        #expect(d.capacity <= 16)
    }

    @Test("copies are independent (copy-on-write)")
    func copyOnWrite() {
        var a: Deque<[Int]> = [[1], [2], [3]]
        let b = a
        a.append([4])
        a[0].append(9)
        a.prepend([0])
        _ = a.popLast()
        a.removeFirst(1)
        a.insert([7], at: 1)
        #expect(Array(b) == [[1], [2], [3]])
        #expect(Array(a) == [[1, 9], [7], [2], [3]])
        var c = b
        c.removeAll(keepingCapacity: true)
        #expect(c.isEmpty && b.count == 3)
        var e = b
        e.replaceSubrange(0..<1, with: [[5], [6]])
        #expect(Array(e) == [[5], [6], [2], [3]])
        #expect(Array(b) == [[1], [2], [3]])
    }

    @Test("mutating an element in place does not copy it")
    func elementMutationIsInPlace() {
        final class Box {}
        struct Holder { var box = Box() }
        var d = Deque<Holder>()
        d.append(Holder())
        func unique(_ h: inout Holder) -> Bool { isKnownUniquelyReferenced(&h.box) }
        #expect(unique(&d[0]))
    }

    @Test("collection algorithms work: sort, reverse, equality, literals")
    func collectionConformances() {
        var d: Deque<Int> = [5, 3, 9, 1]
        d.sort()
        #expect(d == [1, 3, 5, 9])
        d.reverse()
        #expect(Array(d) == [9, 5, 3, 1])
        d.append(contentsOf: [0, -1])
        #expect(d.count == 6 && d.last == -1)
        #expect(Deque(0..<5) == [0, 1, 2, 3, 4])
        #expect(Deque<Int>() == Deque<Int>())
        #expect(d[1...2].elementsEqual([5, 3]))
        #expect(d.firstIndex(of: 3) == 2)
        d.removeSubrange(1..<3)
        #expect(Array(d) == [9, 1, 0, -1])
    }
}
