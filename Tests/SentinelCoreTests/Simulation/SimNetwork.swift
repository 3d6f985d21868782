// SimNetwork: who can talk to whom, how late, and how reliably.
//
//   - Partitions are symmetric cuts between two processes, reference
//     counted so overlapping faults heal independently.
//   - A flaky process loses each message it sends or receives with some
//     probability and adds a random delay; a message between two processes
//     takes the worse of both.
//   - Delivery is FIFO per direction between two processes (TCP keeps order
//     on a connection): a message never overtakes an earlier one.

import SentinelCore

/// A simulated process.
enum SimProcess: Hashable, Comparable, CustomStringConvertible {
    case sentinel(Int)
    case node(Int)

    /// A dense key for tables.
    var key: Int {
        switch self {
        case .sentinel(let i): i
        case .node(let i): 1000 + i
        }
    }

    static func < (a: SimProcess, b: SimProcess) -> Bool { a.key < b.key }

    var description: String {
        switch self {
        case .sentinel(let i): "S\(i)"
        case .node(let i): "N\(i)"
        }
    }
}

/// Network conditions of one process.
struct SimFlakiness {
    var loss: Double = 0
    var maxExtraDelay: Int64 = 0
}

struct SimNetwork {
    private var cuts: [Int: Int] = [:]
    private var flaky: [SimProcess: SimFlakiness] = [:]
    private var lastDelivery: [Int: Int64] = [:]

    private static func pairKey(_ a: SimProcess, _ b: SimProcess) -> Int {
        let (x, y) = a.key < b.key ? (a.key, b.key) : (b.key, a.key)
        return x * 4096 + y
    }

    private static func directedKey(_ from: SimProcess, _ to: SimProcess) -> Int {
        from.key * 4096 + to.key
    }

    func isCut(_ a: SimProcess, _ b: SimProcess) -> Bool {
        a != b && (cuts[Self.pairKey(a, b)] ?? 0) > 0
    }

    mutating func cut(_ a: SimProcess, _ b: SimProcess) {
        guard a != b else { return }
        cuts[Self.pairKey(a, b), default: 0] += 1
    }

    mutating func heal(_ a: SimProcess, _ b: SimProcess) {
        guard a != b else { return }
        let key = Self.pairKey(a, b)
        if let n = cuts[key] { cuts[key] = max(0, n - 1) }
    }

    func flakiness(of p: SimProcess) -> SimFlakiness { flaky[p] ?? SimFlakiness() }

    mutating func setFlakiness(_ p: SimProcess, _ f: SimFlakiness) { flaky[p] = f }

    mutating func healAll() {
        cuts.removeAll()
        flaky.removeAll()
    }

    /// The delivery time of a message sent now, or nil when it is lost.
    mutating func route(from: SimProcess, to: SimProcess, now: Int64, random: inout SeededRandom) -> Int64? {
        guard !isCut(from, to) else { return nil }
        let a = flakiness(of: from), b = flakiness(of: to)
        let loss = max(a.loss, b.loss)
        if loss > 0, Double(random.next() % 1_000_000) / 1_000_000 < loss { return nil }
        var delay = 1 + Int64(random.next() % 3)
        let extra = max(a.maxExtraDelay, b.maxExtraDelay)
        if extra > 0 { delay += Int64(random.next() % UInt64(extra + 1)) }
        let key = Self.directedKey(from, to)
        let at = max(now + delay, lastDelivery[key] ?? 0)
        lastDelivery[key] = at
        return at
    }

    /// A round-trip-ish delay for connection setup / RST, FIFO not needed.
    func latency(_ a: SimProcess, _ b: SimProcess, random: inout SeededRandom) -> Int64 {
        let extra = max(flakiness(of: a).maxExtraDelay, flakiness(of: b).maxExtraDelay)
        return 2 + Int64(random.next() % 4) + (extra > 0 ? Int64(random.next() % UInt64(extra + 1)) : 0)
    }
}
