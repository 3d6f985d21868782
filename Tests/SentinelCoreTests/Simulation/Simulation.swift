// Simulation: several SentinelCores against simulated data nodes over a
// simulated network, driven by one seeded event queue (DESIGN §3/§4).
//
// One run:
//   1. Draw a SimScenario from the seed; node 0 is the master, the others
//      replicate from it (in sync from the start); every sentinel monitors
//      it as `mymaster`, some already knowing the replicas and their peers.
//   2. Chaos: until `chaosDuration`, inject a random fault every few
//      seconds (SimFault) and heal each after its duration. Sentinels that
//      do not know their peers from the config get `discoveryTime` first:
//      before their hellos meet, each counts itself as the whole cluster
//      and wins its own election (Redis's behaviour too), so invariant 2's
//      "majority of all sentinels" needs discovery to have happened.
//   3. Quiet: heal everything (restart the dead, resume the paused, mend the
//      network) and let the cluster settle for `settleDuration`.
//   4. Check convergence: every sentinel names the same master, exactly one
//      node is a master, every other node replicates from it with its link
//      up — at the end of the settle period, or earlier once that has held
//      (with no TILT and no failover running) for `stableFor`. Safety
//      invariants (SimInvariants) are checked on every action.
//
// The world is a class because every handler mutates several parts of it;
// it lives inside one test invocation and is never shared across tasks.
// Files: +Sentinels (the sentinel shell: links, actions, peer requests),
// +Nodes (data node requests, replication steps), +Faults (injection and
// healing), +Report (failure transcript).

import SentinelCore

/// A simulation event.
enum SimEvent {
    case tick(sentinel: Int, incarnation: Int)
    case nodeStep
    /// A request on a sentinel's link arrives at the target process.
    case request(from: Int, fromIncarnation: Int, connID: Int, to: SimProcess, toIncarnation: Int,
                 address: InstanceAddress, request: InstanceRequest)
    /// Something for a sentinel's core arrives on its link to `address` (reply or hello).
    case input(sentinel: Int, incarnation: Int, connID: Int, address: InstanceAddress, input: SentinelInput)
    case connectResult(sentinel: Int, incarnation: Int, address: InstanceAddress, connID: Int)
    case linkClosed(sentinel: Int, incarnation: Int, address: InstanceAddress, connID: Int)
    case fault(SimFault)
    case heal(SimHeal)
    case nextFault
    case quiet

    /// The process that must be running to handle the event, if any.
    var target: SimProcess? {
        switch self {
        case .tick(let s, _), .input(let s, _, _, _, _), .connectResult(let s, _, _, _), .linkClosed(let s, _, _, _):
            .sentinel(s)
        case .request(_, _, _, let to, _, _, _): to
        case .nodeStep, .fault, .heal, .nextFault, .quiet: nil
        }
    }
}

/// The outcome of a run.
struct SimResult {
    var seed: UInt64
    var failure: String?
    var failovers: Int
    var events: Int
    /// FNV-1a over every event's time and the final transcripts: equal for equal runs.
    var digest: UInt64
}

final class Simulation {
    static let masterName = "mymaster"
    static let nodeStepPeriod: Int64 = 100
    /// Time for sentinels to discover each other through hellos (2 s publish period, with margin).
    static let discoveryTime: Int64 = 5_000

    let seed: UInt64
    let scenario: SimScenario
    let timings: SentinelTimings
    var random: SeededRandom
    var now: Int64 = 0
    var queue = SimEventQueue()
    var network = SimNetwork()
    var nodes: [SimDataNode] = []
    var sentinels: [SimSentinel] = []
    var processAt: [InstanceAddress: SimProcess] = [:]
    var held: [SimProcess: [SimEvent]] = [:]
    var invariants: SimInvariants
    var faultLog = SimTranscript(capacity: 50)
    var nextConnID = 1
    var inChaos = true
    var processedEvents = 0
    var digest: UInt64 = 0xCBF2_9CE4_8422_2325
    /// Restart delay of sentinels that will crash part-way through their next persisting action list.
    var pendingCrashRestart: [Int: Int64] = [:]
    /// Restart delay of sentinels armed with SENTINEL SIMULATE-FAILURE.
    var simulatedCrashRestart: [Int: Int64] = [:]

    init(seed: UInt64) {
        self.seed = seed
        // Mix the seed so that neighbouring seeds give unrelated streams.
        var mixer = SeededRandom(seed: seed)
        var random = SeededRandom(seed: mixer.next())
        let scenario = SimScenario(random: &random)
        self.scenario = scenario
        self.timings = SentinelTimings()
        self.invariants = SimInvariants(sentinelCount: scenario.sentinelCount, calm: scenario.calm)
        self.random = random
        build()
    }

    static func nodeAddress(_ i: Int) -> InstanceAddress { InstanceAddress(host: "10.0.0.\(i + 1)", port: 6379) }
    static func sentinelAddress(_ i: Int) -> InstanceAddress { InstanceAddress(host: "10.0.1.\(i + 1)", port: 26379) }

    private func build() {
        let master = Self.nodeAddress(0)
        for i in 0..<scenario.nodeCount {
            let role: SimRole = i == 0 ? .master : .replica(of: master)
            var node = SimDataNode(index: i, address: Self.nodeAddress(i), priority: scenario.priorities[i],
                                   role: role, runID: random.hexID())
            // Replication is established before the sentinels start, as in a real deployment.
            node.linkUp = i != 0
            nodes.append(node)
            processAt[Self.nodeAddress(i)] = .node(i)
        }
        let ids = (0..<scenario.sentinelCount).map { _ in random.hexID() }
        for i in 0..<scenario.sentinelCount {
            var monitor = MasterFileConfig(name: Self.masterName, host: master.host, port: master.port,
                                           quorum: scenario.quorum, downAfterMilliseconds: scenario.downAfter,
                                           failoverTimeout: scenario.failoverTimeout, parallelSyncs: scenario.parallelSyncs)
            if scenario.knownReplicas {
                monitor.knownReplicas = (1..<scenario.nodeCount).map {
                    .init(host: Self.nodeAddress($0).host, port: Self.nodeAddress($0).port)
                }
            }
            if scenario.knownPeers {
                monitor.knownSentinels = (0..<scenario.sentinelCount).filter { $0 != i }.map {
                    .init(host: Self.sentinelAddress($0).host, port: Self.sentinelAddress($0).port, runID: ids[$0])
                }
            }
            let config = SentinelFileConfig(myID: ids[i], masters: [monitor])
            sentinels.append(SimSentinel(index: i, myID: ids[i], address: Self.sentinelAddress(i), config: config,
                                         timings: timings, seed: random.next(), now: 0))
            processAt[Self.sentinelAddress(i)] = .sentinel(i)
        }
        for i in sentinels.indices {
            syncLinks(i)
            queue.push(.tick(sentinel: i, incarnation: 0), at: random.value(in: 0...100))
        }
        queue.push(.nodeStep, at: Self.nodeStepPeriod)
        // Sentinels that do not know each other from their config files elect alone
        // until their hellos have met (as in Redis): faults wait for discovery.
        let firstFault = random.value(in: scenario.faultGap) + (scenario.knownPeers ? 0 : Self.discoveryTime)
        queue.push(.nextFault, at: firstFault)
        queue.push(.quiet, at: scenario.chaosDuration)
    }

    // MARK: Running

    /// Runs the whole scenario; the first violated invariant ends it. The
    /// settle period ends early once the cluster has been converged and
    /// stable (no TILT, no failover running) for `stableFor` ms.
    func run() -> SimResult {
        let end = scenario.chaosDuration + scenario.settleDuration
        var stableSince: Int64?
        var nextCheck = scenario.chaosDuration
        while let entry = queue.pop(), entry.time <= end {
            now = entry.time
            processedEvents += 1
            digest = (digest ^ UInt64(bitPattern: entry.time)) &* 0x100_0000_01B3
            dispatch(entry.payload)
            if !invariants.violations.isEmpty { break }
            if !inChaos, now >= nextCheck {
                nextCheck = now + 500
                if isStable() {
                    if now - (stableSince ?? now) >= Self.stableFor { break }
                    if stableSince == nil { stableSince = now }
                } else {
                    stableSince = nil
                }
            }
        }
        if invariants.violations.isEmpty, let problem = convergenceProblem() {
            invariants.record("t=\(now) invariant 3: no convergence after \(scenario.settleDuration) ms of quiet: \(problem)")
        }
        let failure = invariants.violations.first.map { report(violation: $0) }
        for line in faultLog.lines + sentinels.flatMap(\.transcript.lines) {
            for byte in line.utf8 { digest = (digest ^ UInt64(byte)) &* 0x100_0000_01B3 }
        }
        return SimResult(seed: seed, failure: failure, failovers: invariants.failoverCount, events: processedEvents,
                         digest: digest)
    }

    func schedule(_ event: SimEvent, at time: Int64) { queue.push(event, at: max(time, now)) }

    func isRunning(_ p: SimProcess) -> Bool {
        switch p {
        case .sentinel(let s): sentinels[s].alive
        case .node(let n): nodes[n].alive
        }
    }

    func isPaused(_ p: SimProcess) -> Bool {
        switch p {
        case .sentinel(let s): sentinels[s].paused
        case .node(let n): nodes[n].paused
        }
    }

    func incarnation(of p: SimProcess) -> Int {
        switch p {
        case .sentinel(let s): sentinels[s].incarnation
        case .node(let n): nodes[n].incarnation
        }
    }

    private func dispatch(_ event: SimEvent) {
        if let target = event.target, isRunning(target), isPaused(target) {
            held[target, default: []].append(event)
            return
        }
        switch event {
        case .tick(let s, let inc): tick(s, incarnation: inc)
        case .nodeStep:
            stepNodes()
            schedule(.nodeStep, at: now + Self.nodeStepPeriod)
        case .request(let from, let fromInc, let connID, let to, let toInc, let address, let request):
            deliverRequest(from: from, fromIncarnation: fromInc, connID: connID, to: to, toIncarnation: toInc,
                           address: address, request: request)
        case .input(let s, let inc, let connID, let address, let input):
            guard sentinels[s].alive, sentinels[s].incarnation == inc, sentinels[s].links[address]?.connID == connID,
                  case .up = sentinels[s].links[address]?.state else { return }
            if case .masterStateReply(_, _, let reply?) = input, let peer = processAt[address],
               case .sentinel(let p) = peer {
                invariants.voteReported(voter: sentinels[p].myID, reply: reply, now: now)
            }
            feed(s, input)
        case .connectResult(let s, let inc, let address, let connID): connectResult(s, incarnation: inc, address: address, connID: connID)
        case .linkClosed(let s, let inc, let address, let connID): linkClosed(s, incarnation: inc, address: address, connID: connID)
        case .fault(let fault): inject(fault)
        case .heal(let heal): apply(heal)
        case .nextFault:
            guard inChaos else { return }
            if let fault = randomFault() { inject(fault) }
            schedule(.nextFault, at: now + random.value(in: scenario.faultGap))
        case .quiet: beginQuiet()
        }
    }

    /// Re-queues what a paused process missed, in order, as of now.
    func resume(_ p: SimProcess) {
        switch p {
        case .sentinel(let s): sentinels[s].paused = false
        case .node(let n): nodes[n].paused = false
        }
        let missed = held.removeValue(forKey: p) ?? []
        for event in missed { schedule(event, at: now) }
    }

    // MARK: Convergence (invariant 3)

    /// How long the quiet cluster must stay converged before a run ends early.
    static let stableFor: Int64 = 20_000

    func isStable() -> Bool {
        convergenceProblem() == nil
            && sentinels.allSatisfy { !$0.core.isTilted && $0.core.masters.allSatisfy { $0.failover == nil } }
    }

    /// Why the cluster has not converged, or nil when it has.
    func convergenceProblem() -> String? {
        let views = sentinels.map { $0.core.masters.first?.address }
        guard let agreed = views.first ?? nil else { return "a sentinel monitors nothing" }
        if views.contains(where: { $0 != agreed }) {
            return "sentinels disagree: \(views.map { $0?.description ?? "-" })"
        }
        let masters = nodes.filter { $0.alive && $0.isMaster }.map(\.address)
        guard masters == [agreed] else { return "sentinels name \(agreed), node masters are \(masters)" }
        for node in nodes where node.address != agreed {
            guard node.alive, node.master == agreed, node.linkUp else {
                return "\(node.address) is \(node.role) link=\(node.linkUp ? "up" : "down") alive=\(node.alive)"
            }
        }
        return nil
    }
}
