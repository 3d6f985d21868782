// SentinelDaemon: the sentinel's imperative shell. It owns the pure
// `SentinelCore` and does what the core cannot: a 100 ms timer, links to
// every instance (SentinelDaemon+Links), requests and reply classification
// (+Requests), events to the log, to pub/sub and to the history
// (+Events), and durable config rewrites (+Persistence). Client-facing
// commands (SENTINEL, INFO, ROLE, PUBLISH) are in SentinelCommands*.swift on
// top of Node's `Server` in sentinel mode.
//
// Invariants: everything runs on the loop thread; every core input goes
// through `feed`, and every action list is applied in order by `apply`, so a
// `persistConfig` is on disk before any later action (a vote's reply) leaves.

import Glibc
import RESP
import Config
import EventLoop
import Node
import SentinelCore

/// The running sentinel.
public final class SentinelDaemon {
    public let server: Server
    public internal(set) var core: SentinelCore
    /// The configuration as loaded; rewritten with the core's state on persist.
    var config: ConfigStore
    var logger: Logger { server.logger }
    var loop: EventLoop { server.loop }
    /// Links by instance address.
    var links: [InstanceAddress: InstanceLinks] = [:]
    /// Recent events, oldest first (SENTINEL EVENTS, `sentinel status`).
    var history = EventHistory(capacity: 1000)
    var tickTimer: EventLoop.TimerID?
    /// Applying actions; feeds arriving meanwhile are queued (a reply callback can fire during apply).
    var isApplying = false
    var queuedInputs: [SentinelInput] = []

    /// Creates the daemon around a sentinel-mode server.
    public init(server: Server, core: SentinelCore, config: ConfigStore) {
        self.server = server
        self.core = core
        self.config = config
    }

    /// Monotonic milliseconds, the core's clock.
    var now: Int64 { loop.monotonicMilliseconds }

    /// Registers the commands and the timer, persists the (possibly new) id, and connects.
    public func start() {
        registerCommands()
        server.beforeShutdown = { [unowned self] in self.persistNow() }
        persistNow()
        for master in core.masters {
            logger.warning("+monitor master \(master.name) \(master.address.host) \(master.address.port) quorum \(master.quorum)")
        }
        tickTimer = loop.scheduleRepeating(everyMilliseconds: 100) { [unowned self] in self.tick() }
        syncLinks()
    }

    func tick() {
        feed(.tick(wallClock: EventLoop.wallClockMilliseconds()))
        syncLinks()
    }

    /// Hands one input to the core and performs its actions.
    func feed(_ input: SentinelInput) {
        if isApplying {
            queuedInputs.append(input)
            return
        }
        apply(core.handle(input, now: now))
        while !queuedInputs.isEmpty {
            let next = queuedInputs.removeFirst()
            apply(core.handle(next, now: now))
        }
    }

    /// Performs actions in order.
    func apply(_ actions: [SentinelAction]) {
        isApplying = true
        defer { isApplying = false }
        for action in actions {
            switch action {
            case .send(let address, let request): perform(request, on: address)
            case .event(let event): record(event)
            case .persistConfig: persistNow()
            case .resetLink(let address): links[address]?.reset(reason: "stale link: PING unanswered")
            case .simulatedCrash:
                logger.warning("Simulated failure: exiting now (SENTINEL SIMULATE-FAILURE)")
                exit(99)
            }
        }
    }

    /// Runs a core operation that returns actions (operator commands) and applies them.
    func applyNow(_ actions: [SentinelAction]) {
        if isApplying { preconditionFailure("re-entrant apply") }
        apply(actions)
        // Inputs queued by callbacks during apply.
        while !queuedInputs.isEmpty {
            let next = queuedInputs.removeFirst()
            apply(core.handle(next, now: now))
        }
    }
}
