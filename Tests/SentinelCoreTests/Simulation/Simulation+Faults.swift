// Fault injection and healing.
//
//   1. During chaos a fault is drawn every `faultGap`: kill a node (often
//      the current master; restarted later or only at the quiet period),
//      kill a sentinel (at once or part-way through its next persisting
//      action list), arm SENTINEL SIMULATE-FAILURE (crash after election
//      or after promotion), SIGSTOP a process, isolate a group, cut a pair, make a
//      process's network lossy and slow, jump a sentinel's wall clock, or
//      run SENTINEL FAILOVER (sometimes on two sentinels at once).
//   2. Calm scenarios draw only faults that leave the master (node 0)
//      healthy and reachable by a majority of sentinels over clean links,
//      and no SENTINEL FAILOVER.
//   3. The quiet period heals everything at once.

import SentinelCore

extension Simulation {
    private func pick<T>(_ items: [T]) -> T? {
        items.isEmpty ? nil : items[Int(random.next() % UInt64(items.count))]
    }

    private var allProcesses: [SimProcess] {
        sentinels.indices.map { SimProcess.sentinel($0) } + nodes.indices.map { SimProcess.node($0) }
    }

    func randomFault() -> SimFault? {
        scenario.calm ? randomCalmFault() : randomChaosFault()
    }

    private func randomChaosFault() -> SimFault? {
        let roll = random.next() % 100
        let liveMasters = nodes.indices.filter { nodes[$0].alive && nodes[$0].isMaster }
        let masterFirst = random.next() % 3 != 0
        switch roll {
        case 0..<25:
            let n = (masterFirst ? pick(liveMasters) : nil) ?? Int(random.next() % UInt64(nodes.count))
            return .killNode(n, restartAfter: random.next() % 5 == 0 ? nil : random.value(in: 1_000...25_000))
        case 25..<35:
            return .killSentinel(Int(random.next() % UInt64(sentinels.count)), restartAfter: random.value(in: 200...15_000),
                                 midActions: random.next() % 2 == 0)
        case 35..<40:
            let flags: SimulatedFailures = random.next() % 2 == 0 ? .crashAfterElection : .crashAfterPromotion
            return .armSimulatedFailure(Int(random.next() % UInt64(sentinels.count)), flags,
                                        restartAfter: random.value(in: 200...10_000))
        case 40..<52:
            let p = (masterFirst ? pick(liveMasters).map { SimProcess.node($0) } : nil) ?? pick(allProcesses)
            return p.map { .pause($0, duration: random.value(in: 300...8_000)) }
        case 52..<67:
            var group = randomGroup()
            if masterFirst, let m = pick(liveMasters), !group.contains(.node(m)) { group = (group + [.node(m)]).sorted() }
            return .isolate(group, duration: random.value(in: 1_000...20_000))
        case 67..<75:
            let all = allProcesses
            guard let a = pick(all), let b = pick(all.filter { $0 != a }) else { return nil }
            return .cut(a, b, duration: random.value(in: 1_000...20_000))
        case 75..<85:
            guard let p = pick(allProcesses) else { return nil }
            return .flaky(p, randomFlakiness(), duration: random.value(in: 2_000...20_000))
        case 85..<93:
            let by = random.value(in: 3_000...120_000) * (random.next() % 2 == 0 ? 1 : -1)
            return .clockJump(Int(random.next() % UInt64(sentinels.count)), by: by)
        case 93..<98:
            return pick(sentinels.indices.filter { sentinels[$0].alive }).map { .operatorFailover([$0]) }
        default:
            // Two operators at once, on two sentinels.
            let live = sentinels.indices.filter { sentinels[$0].alive }
            guard let a = pick(live), let b = pick(live.filter { $0 != a }) else { return nil }
            return .operatorFailover([a, b])
        }
    }

    private func randomCalmFault() -> SimFault? {
        let replicas = Array(1..<nodes.count)
        let roll = random.next() % 100
        switch roll {
        case 0..<15:
            guard let n = pick(replicas) else { return nil }
            return .killNode(n, restartAfter: random.value(in: 1_000...25_000))
        case 15..<30:
            return .killSentinel(Int(random.next() % UInt64(sentinels.count)), restartAfter: random.value(in: 200...15_000),
                                 midActions: random.next() % 2 == 0)
        case 30..<45:
            let candidates = allProcesses.filter { $0 != .node(0) }
            return pick(candidates).map { .pause($0, duration: random.value(in: 300...8_000)) }
        case 45..<65:
            let group = randomGroup(), all = allProcesses
            return keepsMasterReachable { $0.isolate(group, among: all) } ? .isolate(group, duration: random.value(in: 1_000...20_000)) : nil
        case 65..<75:
            let all = allProcesses
            guard let a = pick(all), let b = pick(all.filter { $0 != a }) else { return nil }
            return keepsMasterReachable { $0.cut(a, b) } ? .cut(a, b, duration: random.value(in: 1_000...20_000)) : nil
        case 75..<88:
            guard let p = pick(allProcesses.filter { $0 != .node(0) }) else { return nil }
            let flakiness = randomFlakiness()
            return keepsMasterReachable { $0.setFlakiness(p, flakiness) }
                ? .flaky(p, flakiness, duration: random.value(in: 2_000...20_000)) : nil
        default:
            let by = random.value(in: 3_000...120_000) * (random.next() % 2 == 0 ? 1 : -1)
            return .clockJump(Int(random.next() % UInt64(sentinels.count)), by: by)
        }
    }

    private func randomGroup() -> [SimProcess] {
        var pool = allProcesses
        let size = 1 + Int(random.next() % UInt64(max(1, pool.count / 2)))
        var group: [SimProcess] = []
        for _ in 0..<size {
            let i = Int(random.next() % UInt64(pool.count))
            group.append(pool.remove(at: i))
        }
        return group.sorted()
    }

    private func randomFlakiness() -> SimFlakiness {
        let losses = [0.0, 0.05, 0.2, 0.5]
        let delays: [Int64] = [0, 50, 200, 600]
        var f = SimFlakiness(loss: losses[Int(random.next() % 4)], maxExtraDelay: delays[Int(random.next() % 4)])
        if f.loss == 0, f.maxExtraDelay == 0 { f.loss = 0.1 }
        return f
    }

    /// Calm rule: after `change`, a majority of sentinels still reach node 0 over clean links.
    private func keepsMasterReachable(_ change: (inout SimNetwork) -> Void) -> Bool {
        var trial = network
        change(&trial)
        let master = SimProcess.node(0)
        let clean = trial.flakiness(of: master)
        guard clean.loss == 0, clean.maxExtraDelay == 0 else { return false }
        let good = sentinels.indices.filter { s in
            let f = trial.flakiness(of: .sentinel(s))
            return !trial.isCut(.sentinel(s), master) && f.loss == 0 && f.maxExtraDelay == 0
        }
        return good.count >= scenario.majority
    }

    // MARK: Injecting and healing

    func inject(_ fault: SimFault) {
        faultLog.add("t=\(now) \(fault)")
        switch fault {
        case .killNode(let n, let restartAfter):
            killNode(n)
            if let restartAfter {
                schedule(.heal(.restartNode(n, incarnation: nodes[n].incarnation)), at: now + restartAfter)
            }
        case .killSentinel(let s, let restartAfter, let midActions):
            guard sentinels[s].alive else { return }
            if midActions {
                sentinels[s].crashInNextActions = true
                pendingCrashRestart[s] = restartAfter
            } else {
                killSentinel(s, restartAfter: restartAfter)
            }
        case .pause(let p, let duration):
            guard isRunning(p), !isPaused(p) else { return }
            switch p {
            case .sentinel(let s): sentinels[s].paused = true
            case .node(let n): nodes[n].paused = true
            }
            schedule(.heal(.resume(p, incarnation: incarnation(of: p))), at: now + duration)
        case .isolate(let group, let duration):
            let pairs = network.isolate(group, among: allProcesses)
            schedule(.heal(.uncut(pairs)), at: now + duration)
        case .cut(let a, let b, let duration):
            network.cut(a, b)
            schedule(.heal(.uncut([(a, b)])), at: now + duration)
        case .flaky(let p, let flakiness, let duration):
            network.setFlakiness(p, flakiness)
            schedule(.heal(.unflaky(p)), at: now + duration)
        case .clockJump(let s, let by):
            sentinels[s].wallOffset += by
        case .armSimulatedFailure(let s, let flags, let restartAfter):
            guard sentinels[s].alive else { return }
            sentinels[s].core.simulatedFailures = flags
            simulatedCrashRestart[s] = restartAfter
        case .operatorFailover(let targets):
            for s in targets where sentinels[s].alive && !sentinels[s].paused {
                switch sentinels[s].core.failover(masterName: Self.masterName, now: now) {
                case .success(let actions):
                    note(s, "SENTINEL FAILOVER accepted")
                    perform(s, actions, before: nil, operatorCall: true)
                case .failure(let error):
                    note(s, "SENTINEL FAILOVER refused: \(error.message)")
                }
            }
        }
    }

    func apply(_ heal: SimHeal) {
        switch heal {
        case .restartNode(let n, let inc):
            if nodes[n].incarnation == inc { restartNode(n) }
        case .restartSentinel(let s, let inc):
            if sentinels[s].incarnation == inc { restartSentinel(s) }
        case .resume(let p, let inc):
            if isRunning(p), isPaused(p), incarnation(of: p) == inc {
                faultLog.add("t=\(now) resume \(p)")
                resume(p)
            }
        case .uncut(let pairs):
            for (a, b) in pairs { network.heal(a, b) }
        case .unflaky(let p):
            network.setFlakiness(p, SimFlakiness())
        }
    }

    /// The quiet period: every fault healed now.
    func beginQuiet() {
        inChaos = false
        faultLog.add("t=\(now) QUIET: all faults healed")
        network.healAll()
        pendingCrashRestart.removeAll()
        simulatedCrashRestart.removeAll()
        for n in nodes.indices {
            if !nodes[n].alive { restartNode(n) } else if nodes[n].paused { resume(.node(n)) }
        }
        for s in sentinels.indices {
            sentinels[s].crashInNextActions = false
            sentinels[s].core.simulatedFailures = []
            if !sentinels[s].alive { restartSentinel(s) } else if sentinels[s].paused { resume(.sentinel(s)) }
        }
    }
}

extension SimNetwork {
    /// Cuts every member of `group` off from every other process; returns the pairs cut.
    @discardableResult
    mutating func isolate(_ group: [SimProcess], among all: [SimProcess]) -> [(SimProcess, SimProcess)] {
        var pairs: [(SimProcess, SimProcess)] = []
        for a in group {
            for b in all where !group.contains(b) {
                cut(a, b)
                pairs.append((a, b))
            }
        }
        return pairs
    }
}
