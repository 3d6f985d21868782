// SimSentinel: one simulated sentinel process — a SentinelCore plus the
// state its shell keeps: the links it holds (one per address the core
// knows: masters, replicas, peer sentinels), the last configuration it
// persisted, its wall-clock offset, and a short transcript for failure
// reports.
//
// Invariants: a restart re-creates the core from `persisted` with the same
// id; `links` holds only addresses the core currently knows; a link's
// `connID` identifies one connection, and a message or reply for another
// connection is dropped.

import SentinelCore

/// The shell's state of one link (command + pub/sub connection) to an address.
struct SimLink {
    enum State: Equatable {
        /// Not connected; the shell reconnects at `retryAt`.
        case down(retryAt: Int64)
        case connecting
        /// Connected to incarnation `targetIncarnation` of the target.
        case up(targetIncarnation: Int)
    }

    var state: State
    var connID: Int
}

/// A bounded log of recent lines.
struct SimTranscript {
    private(set) var lines: [String] = []
    let capacity: Int

    init(capacity: Int) { self.capacity = capacity }

    mutating func add(_ line: String) {
        if lines.count >= capacity { lines.removeFirst(lines.count - capacity + 1) }
        lines.append(line)
    }
}

struct SimSentinel {
    let index: Int
    let myID: String
    let address: InstanceAddress
    var core: SentinelCore
    /// What the last persistConfig saved (round-tripped through the file format).
    var persisted: SentinelFileConfig
    var alive = true
    var paused = false
    var incarnation = 0
    var links: [InstanceAddress: SimLink] = [:]
    /// Wall clock = simulated time + this (clock jumps change it).
    var wallOffset: Int64 = 1_700_000_000_000
    /// Crash part-way through the next action list that persists (fault).
    var crashInNextActions = false
    var transcript = SimTranscript(capacity: 40)

    init(index: Int, myID: String, address: InstanceAddress, config: SentinelFileConfig, timings: SentinelTimings,
         seed: UInt64, now: Int64) {
        self.index = index
        self.myID = myID
        self.address = address
        self.persisted = config
        self.core = SentinelCore(config: config, myID: myID, port: address.port, timings: timings, seed: seed, now: now)
    }

    /// Every address the shell should hold a link to, sorted (deterministic).
    func desiredAddresses() -> [InstanceAddress] {
        var set = Set<InstanceAddress>()
        for m in core.masters {
            set.insert(m.address)
            for r in m.replicas { set.insert(r.address) }
            for s in m.sentinels { set.insert(s.address) }
        }
        set.remove(address)
        return set.sorted()
    }
}
