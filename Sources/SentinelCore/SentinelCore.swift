// SentinelCore: the whole decision logic of a sentinel as a pure state
// machine (DESIGN §3) — `handle(input, now:) -> [SentinelAction]`. No
// sockets, no clock, no randomness but an injected seed: the shell feeds
// ticks, link changes, replies and hellos, and performs the actions.
//
// Protocol and rules follow Redis 7.0's sentinel.c; where Vigil departs from
// it (fast promotion polling, +switch-master at promotion, quick conversion of
// a restarted old master, coordinated switchover, randomized retries) the
// rule says so. The pieces live in the SentinelCore+*.swift files:
//   +Periodic  the 100 ms tick: TILT, PING/INFO/hello, SDOWN/ODOWN, asking peers
//   +Info      what an INFO reply changes (discovery, roles, reconfiguration)
//   +Hello     hello messages (peer discovery, epochs, newer configurations)
//   +Election  votes and leader counting
//   +Failover  the failover state machine and the master switch
//   +Operator  SENTINEL commands that change state
//   +Config    the persisted configuration
//
// Time: `now` is a monotonic millisecond clock chosen by the shell; ticks may
// also carry the wall clock so clock jumps enter TILT as in Redis.

/// A sentinel's state and decisions.
public struct SentinelCore: Sendable {
    /// This sentinel's id (40 hex characters).
    public let myID: String
    /// The highest epoch seen or started.
    public internal(set) var currentEpoch: UInt64
    /// Monitored masters, in configuration order.
    public internal(set) var masters: [MasterRecord] = []
    public var timings: SentinelTimings
    /// The address and port announced in hellos (nil IP: the shell uses the link's local address).
    public var announceIP: String?
    public var announcePort: Int
    /// announce-port was configured (persisted) rather than taken from the listening port.
    public var announcePortIsExplicit = false
    /// Settings persisted but not interpreted by the core.
    public var resolveHostnames = false
    public var announceHostnames = false
    public var denyScriptsReconfig = true
    public var sentinelUser: String?
    public var sentinelPass: String?
    /// TILT mode: monitoring continues, acting is suspended.
    public internal(set) var tiltSince: Int64?
    /// SENTINEL SIMULATE-FAILURE flags.
    public var simulatedFailures: SimulatedFailures = []
    var lastTick: Int64?
    var lastWallClock: Int64?
    var random: SeededRandom
    /// Actions produced by the current `handle` call.
    var output: [SentinelAction] = []

    /// Creates a core from the parsed `sentinel …` configuration.
    /// - Parameters:
    ///   - myID: the configured id, or a fresh one the shell generated.
    ///   - port: the sentinel's listening port (announced unless announce-port is set).
    public init(config: SentinelFileConfig, myID: String, port: Int, timings: SentinelTimings = SentinelTimings(),
                seed: UInt64, now: Int64) {
        self.myID = myID
        self.currentEpoch = config.currentEpoch
        self.timings = timings
        self.random = SeededRandom(seed: seed)
        self.announceIP = config.announceIP
        self.announcePort = (config.announcePort ?? 0) > 0 ? (config.announcePort ?? port) : port
        self.announcePortIsExplicit = (config.announcePort ?? 0) > 0
        self.resolveHostnames = config.resolveHostnames
        self.announceHostnames = config.announceHostnames
        self.denyScriptsReconfig = config.denyScriptsReconfig
        self.sentinelUser = config.sentinelUser
        self.sentinelPass = config.sentinelPass
        for m in config.masters {
            var record = MasterRecord(name: m.name, address: InstanceAddress(host: m.host, port: m.port), quorum: m.quorum,
                                      downAfter: m.downAfterMilliseconds, failoverTimeout: m.failoverTimeout,
                                      parallelSyncs: m.parallelSyncs, configEpoch: m.configEpoch,
                                      leaderEpoch: m.leaderEpoch, now: now)
            record.authPass = m.authPass
            record.authUser = m.authUser
            record.rebootDownAfter = m.masterRebootDownAfterPeriod
            record.renamedCommands = m.renamedCommands
            for r in m.knownReplicas {
                let address = InstanceAddress(host: r.host, port: r.port)
                if address != record.address, record.replicaIndex(address) == nil {
                    record.replicas.append(ReplicaRecord(address: address, now: now))
                }
            }
            for s in m.knownSentinels where s.runID != myID && record.sentinelIndex(runID: s.runID) == nil {
                record.sentinels.append(PeerSentinel(address: InstanceAddress(host: s.host, port: s.port), runID: s.runID, now: now))
            }
            masters.append(record)
        }
    }

    /// Feeds one input; returns the actions to perform, in order.
    public mutating func handle(_ input: SentinelInput, now: Int64) -> [SentinelAction] {
        switch input {
        case .tick(let wallClock): tick(now: now, wallClock: wallClock)
        case .linkUp(let address): linkChanged(address, up: true, now: now)
        case .linkDown(let address): linkChanged(address, up: false, now: now)
        case .pingReply(let address, let reply): pingAnswered(address, reply, now: now)
        case .infoReply(let address, let text): infoReceived(address, text: text, now: now)
        case .masterStateReply(let from, let name, let reply): masterStateReceived(from: from, masterName: name, reply, now: now)
        case .hello(let payload): helloReceived(payload, now: now)
        case .writesPaused(let address, let offset): writesPaused(address, masterOffset: offset, now: now)
        }
        return drain()
    }

    /// Whether the core is in TILT mode.
    public var isTilted: Bool { tiltSince != nil }

    /// Index of the master named `name` (case-sensitive, as Redis).
    public func masterIndex(named name: String) -> Int? {
        masters.firstIndex { $0.name == name }
    }

    // MARK: Output helpers

    mutating func emit(_ event: SentinelEvent) { output.append(.event(event)) }

    mutating func send(_ address: InstanceAddress, _ request: InstanceRequest) {
        output.append(.send(address, request))
    }

    mutating func persist() {
        if output.last != .persistConfig { output.append(.persistConfig) }
    }

    mutating func drain() -> [SentinelAction] {
        defer { output.removeAll(keepingCapacity: true) }
        return output
    }

    // MARK: Links and PING replies

    mutating func linkChanged(_ address: InstanceAddress, up: Bool, now: Int64) {
        forEachLink(of: address) { link in
            if up { link.connected(now: now) } else { link.disconnected(now: now) }
        }
        // Requests in flight died with the link: INFO may be sent again at once.
        for m in masters.indices {
            if masters[m].address == address { masters[m].node.lastInfoSent = nil }
            for r in masters[m].replicas.indices where masters[m].replicas[r].address == address {
                masters[m].replicas[r].node.lastInfoSent = nil
            }
        }
    }

    mutating func pingAnswered(_ address: InstanceAddress, _ reply: PingReply, now: Int64) {
        forEachLink(of: address) { link in link.pingAnswered(reply, now: now) }
        // A PONG (not LOADING) ends the reboot grace of a master (SRI_MASTER_REBOOT).
        if case .available(isPong: true) = reply {
            for m in masters.indices where masters[m].address == address { masters[m].node.rebootSince = nil }
        }
    }

    /// Applies `body` to the link state of every record at `address`.
    mutating func forEachLink(of address: InstanceAddress, _ body: (inout LinkHealth) -> Void) {
        for m in masters.indices {
            if masters[m].address == address { body(&masters[m].node.link) }
            for r in masters[m].replicas.indices where masters[m].replicas[r].address == address {
                body(&masters[m].replicas[r].node.link)
            }
            for s in masters[m].sentinels.indices where masters[m].sentinels[s].address == address {
                body(&masters[m].sentinels[s].link)
            }
        }
    }
}

/// SENTINEL SIMULATE-FAILURE flags.
public struct SimulatedFailures: OptionSet, Sendable {
    public let rawValue: Int
    public init(rawValue: Int) { self.rawValue = rawValue }
    public static let crashAfterElection = SimulatedFailures(rawValue: 1)
    public static let crashAfterPromotion = SimulatedFailures(rawValue: 2)
}
