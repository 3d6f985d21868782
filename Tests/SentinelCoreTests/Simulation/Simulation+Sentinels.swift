// The simulated sentinel shell: what the real shell does around a core.
//
//   1. Ticks every ~100 ms (±15 ms jitter) with the wall clock.
//   2. Keeps one link per address the core knows; reconnects a down link
//      once a second; reports connects and failures as linkUp / linkDown
//      (a connection to a stopped process completes when it runs again).
//      A connection to a process that died is noticed at once when the
//      network between them works (RST), else only when the core resets it.
//   3. Performs actions in order. `persistConfig` saves `fileConfig()`,
//      round-tripped through the file format. A sentinel armed to crash
//      part-way dies after a random prefix of a persisting action list.
//   4. Answers peers: PING, PUBLISH of a hello (fed to the core) and
//      is-master-down-by-addr (actions performed, persistence first, then
//      the reply).
//   5. If the core holds a record at an address whose link is up but the
//      record says disconnected (a record created after the link came up),
//      linkUp is reported again.

import Config
import SentinelCore

extension Simulation {
    // MARK: Ticks and inputs

    func tick(_ s: Int, incarnation: Int) {
        guard sentinels[s].alive, sentinels[s].incarnation == incarnation else { return }
        feed(s, .tick(wallClock: now + sentinels[s].wallOffset))
        guard sentinels[s].alive, sentinels[s].incarnation == incarnation else { return }
        var due: [InstanceAddress] = []
        for (address, link) in sentinels[s].links {
            if case .down(let retryAt) = link.state, retryAt <= now { due.append(address) }
        }
        if due.count > 1 { due.sort() }   // dictionary order is not deterministic
        for address in due { connect(s, address) }
        schedule(.tick(sentinel: s, incarnation: incarnation), at: now + 100 + random.value(in: -15...15))
    }

    /// Feeds one input to a sentinel's core and performs the actions.
    func feed(_ s: Int, _ input: SentinelInput) {
        let before = sentinels[s].core.masters.first?.failover
        let actions = sentinels[s].core.handle(input, now: now)
        // Only hellos and INFO replies add, move or re-create records (rule 5).
        let mayChangeRecords: Bool
        switch input {
        case .hello, .infoReply: mayChangeRecords = true
        case .tick, .linkUp, .linkDown, .pingReply, .masterStateReply, .writesPaused: mayChangeRecords = false
        }
        perform(s, actions, before: before, operatorCall: false, syncLinks: mayChangeRecords)
    }

    /// Performs `actions` in order; false when the sentinel crashed part-way.
    @discardableResult
    func perform(_ s: Int, _ actions: [SentinelAction], before: FailoverProgress?, operatorCall: Bool,
                 syncLinks resync: Bool = true) -> Bool {
        let incarnation = sentinels[s].incarnation
        var cut = actions.count
        if sentinels[s].crashInNextActions, actions.contains(.persistConfig) {
            sentinels[s].crashInNextActions = false
            cut = Int(random.next() % UInt64(actions.count + 1))
            if cut == actions.count { pendingCrashRestart[s] = nil }
        }
        for (i, action) in actions.enumerated() {
            if i == cut {
                let restart = pendingCrashRestart.removeValue(forKey: s) ?? 1_000
                note(s, "CRASH after \(i) of \(actions.count) actions")
                killSentinel(s, restartAfter: restart)
                return false
            }
            switch action {
            case .send(let address, let request):
                if case .replicaOf(nil) = request {
                    invariants.promotionSent(by: sentinels[s].myID, failover: sentinels[s].core.masters.first?.failover,
                                             target: address, now: now)
                }
                switch request {
                case .replicaOf, .pauseWrites, .unpause: note(s, "send \(address) \(request)")
                case .ping, .info, .publishHello, .askMasterState: break
                }
                send(s, address, request)
            case .event(let event):
                observe(s, event, before: before, operatorCall: operatorCall)
            case .persistConfig:
                persist(s)
            case .resetLink(let address):
                if let link = sentinels[s].links[address] {
                    schedule(.linkClosed(sentinel: s, incarnation: incarnation, address: address, connID: link.connID), at: now)
                }
            case .simulatedCrash:
                note(s, "SIMULATED CRASH")
                killSentinel(s, restartAfter: simulatedCrashRestart.removeValue(forKey: s) ?? 1_000)
                return false
            }
        }
        if resync { syncLinks(s) }
        return true
    }

    private func observe(_ s: Int, _ event: SentinelEvent, before: FailoverProgress?, operatorCall: Bool) {
        if event.level != .debug { note(s, event.logText) }
        let id = sentinels[s].myID
        switch event.name {
        case "+vote-for-leader":
            invariants.voteCast(voter: id, payload: event.payload, now: now)
        case "+elected-leader":
            let core = sentinels[s].core
            let inElection = before.map { $0.stage == .waitStart } ?? false
            let epoch = inElection ? (before?.epoch ?? 0) : (core.masters.first?.failover?.epoch ?? core.currentEpoch)
            let forced = operatorCall || (inElection ? (before?.isForced ?? false) : (core.masters.first?.failover?.isForced ?? false))
            invariants.leaderElected(id, epoch: epoch, forced: forced, now: now)
        case "+switch-master":
            invariants.masterSwitched(by: id, payload: event.payload, now: now)
        default:
            break
        }
    }

    func note(_ s: Int, _ line: String) {
        sentinels[s].transcript.add("t=\(now) \(line)")
    }

    /// persistConfig: the file as the shell would write and a restart read it.
    private func persist(_ s: Int) {
        let config = sentinels[s].core.fileConfig()
        var lines: [ConfigLine] = []
        for (i, text) in config.lines().enumerated() {
            guard let words = try? ConfigTokenizer.split(text) else {
                invariants.record("t=\(now) persisted line does not tokenize: \(text)")
                return
            }
            lines.append(ConfigLine(source: .file("sentinel.conf"), number: i + 1, text: text, words: words))
        }
        do {
            let parsed = try SentinelFileConfig.parse(lines)
            if parsed != config { invariants.record("t=\(now) persisted config does not read back: \(config.lines())") }
            sentinels[s].persisted = parsed
        } catch {
            invariants.record("t=\(now) persisted config does not parse: \(error) \(config.lines())")
        }
    }

    // MARK: Links

    /// Opens links to new addresses, drops links to forgotten ones, re-reports linkUp (rule 5).
    /// One pass over the core's records, in their (deterministic) order.
    func syncLinks(_ s: Int) {
        guard sentinels[s].alive else { return }
        var desired = 0
        var reannounce: [InstanceAddress] = []
        func visit(_ address: InstanceAddress, connected: Bool) {
            desired += 1
            guard let link = sentinels[s].links[address] else {
                connect(s, address)
                return
            }
            if case .up = link.state, !connected, !reannounce.contains(address) { reannounce.append(address) }
        }
        for m in sentinels[s].core.masters {
            visit(m.address, connected: m.node.link.isConnected)
            for r in m.replicas { visit(r.address, connected: r.node.link.isConnected) }
            for p in m.sentinels where p.address != sentinels[s].address { visit(p.address, connected: p.link.isConnected) }
        }
        if sentinels[s].links.count > desired {
            let wanted = Set(sentinels[s].desiredAddresses())
            for address in sentinels[s].links.keys.sorted() where !wanted.contains(address) {
                sentinels[s].links[address] = nil
            }
        }
        for address in reannounce {
            guard let connID = sentinels[s].links[address]?.connID else { continue }
            schedule(.connectResult(sentinel: s, incarnation: sentinels[s].incarnation, address: address, connID: connID), at: now)
        }
    }

    func connect(_ s: Int, _ address: InstanceAddress) {
        let connID = nextConnID
        nextConnID += 1
        sentinels[s].links[address] = SimLink(state: .connecting, connID: connID)
        var delay: Int64 = 1_000
        if let target = processAt[address], !network.isCut(.sentinel(s), target) {
            delay = network.latency(.sentinel(s), target, random: &random)
        }
        schedule(.connectResult(sentinel: s, incarnation: sentinels[s].incarnation, address: address, connID: connID),
                 at: now + delay)
    }

    func connectResult(_ s: Int, incarnation: Int, address: InstanceAddress, connID: Int) {
        guard sentinels[s].alive, sentinels[s].incarnation == incarnation,
              let link = sentinels[s].links[address], link.connID == connID else { return }
        if case .up = link.state {
            // Rule 5: a record created after the link came up learns it is connected.
            feed(s, .linkUp(address))
            return
        }
        guard link.state == .connecting else { return }
        if let target = processAt[address], isRunning(target), isPaused(target), !network.isCut(.sentinel(s), target) {
            // The kernel accepted the connection; the handshake waits for the process to run again.
            schedule(.connectResult(sentinel: s, incarnation: incarnation, address: address, connID: connID), at: now + 100)
            return
        }
        if let target = processAt[address], isRunning(target), !network.isCut(.sentinel(s), target) {
            let targetIncarnation = self.incarnation(of: target)
            sentinels[s].links[address]?.state = .up(targetIncarnation: targetIncarnation)
            feed(s, .linkUp(address))
        } else {
            sentinels[s].links[address]?.state = .down(retryAt: now + 1_000)
            feed(s, .linkDown(address))
        }
    }

    func linkClosed(_ s: Int, incarnation: Int, address: InstanceAddress, connID: Int) {
        guard sentinels[s].alive, sentinels[s].incarnation == incarnation,
              let link = sentinels[s].links[address], link.connID == connID else { return }
        sentinels[s].links[address]?.state = .down(retryAt: now + 100)
        sentinels[s].links[address]?.connID = 0
        feed(s, .linkDown(address))
    }

    /// A request on the link to `address`; dropped when the link is not up.
    func send(_ s: Int, _ address: InstanceAddress, _ request: InstanceRequest) {
        guard let link = sentinels[s].links[address], case .up(let targetIncarnation) = link.state,
              let target = processAt[address] else { return }
        let from = SimProcess.sentinel(s)
        guard isRunning(target), incarnation(of: target) == targetIncarnation else {
            if !network.isCut(from, target) {
                schedule(.linkClosed(sentinel: s, incarnation: sentinels[s].incarnation, address: address, connID: link.connID),
                         at: now + network.latency(from, target, random: &random))
            }
            return
        }
        guard let at = network.route(from: from, to: target, now: now, random: &random) else { return }
        schedule(.request(from: s, fromIncarnation: sentinels[s].incarnation, connID: link.connID, to: target,
                          toIncarnation: targetIncarnation, address: address, request: request), at: at)
    }

    /// Sends `input` from process `from` to sentinel `s` over its link to `address`.
    func reply(from: SimProcess, to s: Int, incarnation: Int, connID: Int, address: InstanceAddress, _ input: SentinelInput) {
        guard let at = network.route(from: from, to: .sentinel(s), now: now, random: &random) else { return }
        schedule(.input(sentinel: s, incarnation: incarnation, connID: connID, address: address, input: input), at: at)
    }

    func deliverRequest(from s: Int, fromIncarnation: Int, connID: Int, to target: SimProcess, toIncarnation: Int,
                        address: InstanceAddress, request: InstanceRequest) {
        guard isRunning(target), incarnation(of: target) == toIncarnation else { return }
        switch target {
        case .node(let n):
            nodeRequest(n, from: s, incarnation: fromIncarnation, connID: connID, request)
        case .sentinel(let p):
            peerRequest(p, from: s, incarnation: fromIncarnation, connID: connID, address: address, request)
        }
    }

    /// Rule 4: a sentinel answering another.
    private func peerRequest(_ p: Int, from s: Int, incarnation: Int, connID: Int, address: InstanceAddress,
                             _ request: InstanceRequest) {
        switch request {
        case .ping:
            reply(from: .sentinel(p), to: s, incarnation: incarnation, connID: connID, address: address,
                  .pingReply(address, .available(isPong: true)))
        case .publishHello(let ip, let rest):
            feed(p, .hello("\(ip ?? sentinels[s].address.host),\(rest)"))
        case .askMasterState(let name, let master, let epoch, let candidate):
            let before = sentinels[p].core.masters.first?.failover
            let (answer, actions) = sentinels[p].core.isMasterDownByAddr(host: master.host, port: master.port, epoch: epoch,
                                                                         candidate: candidate ?? "*", now: now)
            guard perform(p, actions, before: before, operatorCall: false, syncLinks: false) else { return }
            reply(from: .sentinel(p), to: s, incarnation: incarnation, connID: connID, address: address,
                  .masterStateReply(from: address, masterName: name, answer))
        case .info, .replicaOf, .pauseWrites, .unpause:
            break
        }
    }

    // MARK: Process lifecycle

    func killSentinel(_ s: Int, restartAfter: Int64?) {
        guard sentinels[s].alive else { return }
        sentinels[s].alive = false
        sentinels[s].paused = false
        sentinels[s].crashInNextActions = false
        sentinels[s].links = [:]
        held[.sentinel(s)] = nil
        note(s, "killed")
        closeConnections(to: .sentinel(s), address: sentinels[s].address)
        if let restartAfter {
            schedule(.heal(.restartSentinel(s, incarnation: sentinels[s].incarnation)), at: now + restartAfter)
        }
    }

    func restartSentinel(_ s: Int) {
        guard !sentinels[s].alive else { return }
        sentinels[s].alive = true
        sentinels[s].incarnation += 1
        sentinels[s].core = SentinelCore(config: sentinels[s].persisted, myID: sentinels[s].myID,
                                         port: sentinels[s].address.port, timings: timings, seed: random.next(), now: now)
        note(s, "restarted (epoch \(sentinels[s].core.currentEpoch))")
        invariants.restarted(sentinels[s].myID, leaderEpoch: sentinels[s].core.masters.first?.leaderEpoch ?? 0,
                             currentEpoch: sentinels[s].core.currentEpoch, now: now)
        syncLinks(s)
        schedule(.tick(sentinel: s, incarnation: sentinels[s].incarnation), at: now + random.value(in: 1...100))
    }

    /// Connections to a dead process: peers that can reach it see them close.
    func closeConnections(to process: SimProcess, address: InstanceAddress) {
        for t in sentinels.indices where sentinels[t].alive {
            guard let link = sentinels[t].links[address], case .up = link.state,
                  !network.isCut(.sentinel(t), process) else { continue }
            schedule(.linkClosed(sentinel: t, incarnation: sentinels[t].incarnation, address: address, connID: link.connID),
                     at: now + network.latency(.sentinel(t), process, random: &random))
        }
    }
}
