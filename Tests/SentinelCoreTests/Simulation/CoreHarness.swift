// CoreHarness: one SentinelCore in a tiny scripted world, for the focused
// scenario tests (SentinelCore*Tests.swift). The harness ticks the core every
// 100 ms and answers its PINGs and INFOs the way the test says: which
// addresses answer PING and how, and what INFO text each node returns.
// Everything the core did is kept in `log`, so a test can ask "was +sdown
// emitted, and when?".
//
// The cluster: master 10.0.0.1:6379, replicas 10.0.0.2/3:6379, peers
// 10.0.1.2…:26379 (all known from the config file); this sentinel is 10.0.1.1.

import SentinelCore

struct CoreHarness {
    static let myID = String(repeating: "a", count: 40)
    static let master = InstanceAddress(host: "10.0.0.1", port: 6379)
    static let replicas = [InstanceAddress(host: "10.0.0.2", port: 6379), InstanceAddress(host: "10.0.0.3", port: 6379)]
    static let peerIDs = ["b", "c", "d", "e", "f", "1", "2"].map { String(repeating: $0, count: 40) }
    static func peerAddress(_ i: Int) -> InstanceAddress { InstanceAddress(host: "10.0.1.\(i + 2)", port: 26379) }
    static let runIDs = ["1", "2", "3", "4"].map { String(repeating: $0, count: 40) }

    var core: SentinelCore
    var now: Int64 = 0
    let peerCount: Int
    /// What each address answers to PING; absent = no answer.
    var pingAnswers: [InstanceAddress: PingReply] = [:]
    /// What each node answers to INFO; absent = no answer.
    var infoTexts: [InstanceAddress: String] = [:]
    /// Every (time, action) the core produced.
    var log: [(time: Int64, action: SentinelAction)] = []

    init(peers: Int = 2, quorum: Int = 2, downAfter: Int64 = 5_000, failoverTimeout: Int64 = 60_000,
         knownReplicas: Bool = true, timings: SentinelTimings = SentinelTimings()) {
        peerCount = peers
        var monitor = MasterFileConfig(name: "mymaster", host: Self.master.host, port: Self.master.port, quorum: quorum,
                                       downAfterMilliseconds: downAfter, failoverTimeout: failoverTimeout)
        if knownReplicas { monitor.knownReplicas = Self.replicas.map { .init(host: $0.host, port: $0.port) } }
        monitor.knownSentinels = (0..<peers).map {
            .init(host: Self.peerAddress($0).host, port: Self.peerAddress($0).port, runID: Self.peerIDs[$0])
        }
        core = SentinelCore(config: SentinelFileConfig(myID: Self.myID, masters: [monitor]), myID: Self.myID,
                            port: 26379, timings: timings, seed: 42, now: 0)
    }

    var record: MasterRecord { core.masters[0] }

    // MARK: Driving

    /// Feeds one input now; returns (and logs) the actions.
    @discardableResult
    mutating func feed(_ input: SentinelInput) -> [SentinelAction] {
        let actions = core.handle(input, now: now)
        respond(to: actions)
        return actions
    }

    /// Logs actions and answers PING / INFO requests at once, as configured.
    mutating func respond(to actions: [SentinelAction]) {
        for action in actions {
            log.append((now, action))
            guard case .send(let address, let request) = action else { continue }
            switch request {
            case .ping:
                if let answer = pingAnswers[address] { feed(.pingReply(address, answer)) }
            case .info, .replicaOf:
                if let text = infoTexts[address] { feed(.infoReply(address, text)) }
            case .publishHello, .askMasterState, .pauseWrites, .unpause:
                break
            }
        }
    }

    /// Connects every link and makes every node and peer answer PING.
    mutating func connectAll() {
        for address in [Self.master] + Self.replicas + (0..<peerCount).map(Self.peerAddress) {
            pingAnswers[address] = .available(isPong: true)
            feed(.linkUp(address))
        }
    }

    /// Ticks every 100 ms until `ms` from now.
    mutating func run(for ms: Int64) {
        let end = now + ms
        while now + 100 <= end {
            now += 100
            feed(.tick(wallClock: nil))
        }
        now = end
    }

    /// Ticks until `condition` holds or `ms` pass; true when it held.
    mutating func run(upTo ms: Int64, until condition: (CoreHarness) -> Bool) -> Bool {
        let end = now + ms
        while now + 100 <= end {
            now += 100
            feed(.tick(wallClock: nil))
            if condition(self) { return true }
        }
        return condition(self)
    }

    // MARK: Reading the log

    /// Times at which an event named `name` was emitted.
    func times(of name: String) -> [Int64] {
        log.compactMap { entry in
            if case .event(let e) = entry.action, e.name == name { return entry.time }
            return nil
        }
    }

    func emitted(_ name: String) -> Bool { !times(of: name).isEmpty }

    /// Requests sent to `address` (all of them, or since `time`).
    func requests(to address: InstanceAddress, since time: Int64 = 0) -> [InstanceRequest] {
        requests(to: address, fromLogIndex: log.firstIndex { $0.time >= time } ?? log.count)
    }

    /// Requests sent to `address` from log entry `index` on (`log.count` taken earlier marks "from now").
    func requests(to address: InstanceAddress, fromLogIndex index: Int) -> [InstanceRequest] {
        log[min(index, log.count)...].compactMap { entry in
            if case .send(let a, let r) = entry.action, a == address { return r }
            return nil
        }
    }

    // MARK: INFO texts (Redis 7.0 shape)

    static func masterInfo(runID: String = runIDs[0], offset: Int64 = 1_000,
                           replicas: [(InstanceAddress, Int64)] = []) -> String {
        var lines = ["# Server", "redis_version:7.0.15", "run_id:\(runID)", "", "# Replication", "role:master",
                     "connected_slaves:\(replicas.count)"]
        for (i, (address, off)) in replicas.enumerated() {
            lines.append("slave\(i):ip=\(address.host),port=\(address.port),state=online,offset=\(off),lag=0")
        }
        lines += ["master_replid:\(runID)", "master_repl_offset:\(offset)"]
        return lines.joined(separator: "\r\n") + "\r\n"
    }

    static func replicaInfo(runID: String, master: InstanceAddress = master, linkUp: Bool = true,
                            downSinceSeconds: Int = 0, priority: Int = 100, offset: Int64 = 1_000) -> String {
        var lines = ["# Server", "redis_version:7.0.15", "run_id:\(runID)", "", "# Replication", "role:slave",
                     "master_host:\(master.host)", "master_port:\(master.port)",
                     "master_link_status:\(linkUp ? "up" : "down")", "slave_repl_offset:\(offset)"]
        if !linkUp { lines.append("master_link_down_since_seconds:\(downSinceSeconds)") }
        lines += ["slave_priority:\(priority)", "slave_read_only:1", "connected_slaves:0", "master_repl_offset:\(offset)"]
        return lines.joined(separator: "\r\n") + "\r\n"
    }

    /// A healthy cluster: the master lists both replicas, which follow it.
    mutating func healthyCluster(offsets: [Int64] = [1_000, 1_000], priorities: [Int] = [100, 100]) {
        infoTexts[Self.master] = Self.masterInfo(replicas: zip(Self.replicas, offsets).map { ($0, $1) })
        for (i, replica) in Self.replicas.enumerated() {
            infoTexts[replica] = Self.replicaInfo(runID: Self.runIDs[i + 1], priority: priorities[i], offset: offsets[i])
        }
    }

    /// A hello payload as peer `i` would publish it.
    static func hello(fromPeer i: Int, currentEpoch: UInt64 = 0, master: InstanceAddress = master,
                      configEpoch: UInt64 = 0) -> String {
        let peer = peerAddress(i)
        return "\(peer.host),\(peer.port),\(peerIDs[i]),\(currentEpoch),mymaster,\(master.host),\(master.port),\(configEpoch)"
    }
}
