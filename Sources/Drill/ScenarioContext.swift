// ScenarioContext.swift — the shell around one drill run: brings the
// cluster up (or checks the attached one), starts the event recorder and the
// writers, lets each scenario script its faults through small helpers
// (act, fault, waitForFailover, waitConverged), then stops the load, takes
// the final snapshot, looks the acknowledged writes up and cleans up.
//
//   setUp ─▶ recorder + writers ─▶ warm-up ─▶ scenario steps ─▶ tail
//        ─▶ stop writers ─▶ final snapshot + lookups ─▶ stop recorder ─▶ tearDown
//
// Invariants: every step the drill takes is recorded as a DrillAction at
// the instant just before it is taken; waits are bounded by the cluster's
// timers (failover: down-after + failover-timeout + 5 s; convergence:
// 2 × failover-timeout + down-after + 10 s) and a missed wait becomes a note,
// never a hang; tearDown always runs (own cluster: everything SIGKILLed;
// attached cluster: every stopped node resumed, every dead member restarted).

import Foundation
import Glibc

/// One drill run in progress.
final class ScenarioContext {
    let scenario: Scenario
    let options: DrillOptions
    let control: ClusterControl
    let progress: (String) -> Void
    var observations: Observations
    private let recorder = EventRecorder()
    private var writer: Writer?
    private var splitBrainWriter: Writer?

    /// down-after-milliseconds in force.
    var downAfter: Int { max(control.layout.downAfterMilliseconds, 100) }
    /// failover-timeout in force.
    var failoverTimeout: Int { max(control.layout.failoverTimeoutMilliseconds, 1000) }
    /// The longest wait for a failover.
    var failoverWait: Int { downAfter + failoverTimeout + 5000 }
    /// The longest wait for convergence.
    var settleWait: Int { 2 * failoverTimeout + downAfter + 10_000 }

    var layout: ClusterLayout { control.layout }

    init(scenario: Scenario, options: DrillOptions, control: ClusterControl, progress: @escaping (String) -> Void) {
        self.scenario = scenario
        self.options = options
        self.control = control
        self.progress = progress
        let first = control.layout.nodes.first ?? NodeAddress(host: "127.0.0.1", port: 0)
        self.observations = Observations(scenario: scenario, backend: options.backend, attached: !control.owned,
                                         layout: control.layout, originalMaster: first)
    }

    // MARK: - Steps for scenarios

    /// Takes a step (`perform`, timed from just before it) and records it; returns its time.
    @discardableResult
    func act(_ kind: DrillAction.Kind, _ text: String, _ perform: () -> Void = {}) -> Int64 {
        let now = MonotonicClock.now()
        perform()
        observations.actions.append(DrillAction(time: now, kind: kind, text: text))
        progress((kind == .fault ? "FAULT: " : "") + text)
        return now
    }

    /// Injects a fault (`perform`) and records it; returns its index in `faults`.
    @discardableResult
    func fault(_ label: String, _ text: String, _ perform: () -> Void) -> Int {
        let time = act(.fault, text, perform)
        observations.faults.append(Fault(label: label, time: time))
        return observations.faults.count - 1
    }

    /// Notes something that went wrong while driving the drill.
    func note(_ text: String) {
        observations.notes.append(text)
        progress("note: " + text)
    }

    /// The master every live sentinel names.
    func sentinelMaster() -> NodeAddress? {
        var named: Set<NodeAddress> = []
        for sentinel in layout.sentinelPorts where control.isRunning(.sentinel(sentinel)) {
            guard let master = Probe.sentinelMaster(NodeAddress(host: layout.host, port: sentinel), name: layout.masterName) else { return nil }
            named.insert(master)
        }
        return named.count == 1 ? named.first : nil
    }

    /// Waits until the failover away from `old` is complete as clients see it:
    /// every live sentinel names the same new master and that node says
    /// role:master (a restarted sentinel with a stale config may still name an
    /// old replica for a while); returns it.
    func waitForFailover(from old: NodeAddress) -> NodeAddress? {
        var found: NodeAddress?
        let done = waitUntil(timeoutMilliseconds: failoverWait) {
            guard let master = sentinelMaster(), master != old,
                  case .success(let fields) = Probe.info(master, "replication"),
                  case .master = ReplicationRole(info: fields) else { return false }
            found = master
            return true
        }
        if !done { note("the sentinels did not agree on a new master within \(failoverWait / 1000) s of the fault") }
        return found
    }

    /// Waits until the cluster converged; returns when it was first seen so.
    func waitConverged(_ what: String) -> Int64? {
        var settled: Int64?
        var last = ClusterSnapshot(time: 0, nodes: [], sentinels: [])
        _ = waitUntil(timeoutMilliseconds: settleWait, interval: 100) {
            last = Probe.snapshot(control)
            if last.convergedMaster != nil { settled = last.time }
            return settled != nil
        }
        if let settled {
            progress("converged \(what): \(last.convergedMaster.map(String.init(describing:)) ?? "?") is master, every node follows it")
            return settled
        }
        note("the cluster did not converge \(what) within \(settleWait / 1000) s: " + last.problems.joined(separator: "; "))
        return nil
    }

    /// Starts a member again, noting a failure instead of throwing.
    func restart(_ member: ClusterLayout.Member) {
        do {
            try control.start(member)
        } catch {
            note("restarting \(member) failed: \(error)")
        }
    }

    /// The cluster member listening on `address`.
    func node(_ address: NodeAddress) -> ClusterLayout.Member { .node(address.port) }

    /// Label of a sentinel ("s1" …).
    func label(sentinel port: Int) -> String {
        "s\((layout.sentinelPorts.firstIndex(of: port) ?? 0) + 1)"
    }

    /// "pid 123" or "not running".
    func pidText(_ member: ClusterLayout.Member) -> String {
        control.pid(member).map { "pid \($0)" } ?? "no pid"
    }

    // MARK: - The run

    /// Runs the scenario and returns what was observed.
    func run() throws(DrillFailure) -> Observations {
        defer { tearDown() }
        try setUp()
        guard let master = sentinelMaster() else { throw DrillFailure("the sentinels do not agree on a master") }
        observations.originalMaster = master
        recorder.start(layout.sentinels)
        if !recorder.waitSubscribed(layout.sentinels, timeoutMilliseconds: 5000) {
            throw DrillFailure("could not PSUBSCRIBE to every sentinel")
        }
        if !control.owned { clearOldKeys(on: master) }
        let main = Writer(name: "writer", keyPrefix: "drill:", target: .viaSentinels(layout.sentinels, masterName: layout.masterName),
                          intervalMicroseconds: options.writeIntervalMicroseconds)
        writer = main
        main.start()
        if scenario == .pauseMaster {
            let split = Writer(name: "split-brain writer", keyPrefix: "drill:split:", target: .direct(master),
                               intervalMicroseconds: options.writeIntervalMicroseconds * 2)
            splitBrainWriter = split
            split.start()
        }
        guard waitUntil(timeoutMilliseconds: 10_000, { main.ackCount > 0 }) else {
            throw DrillFailure("the writer got no write acknowledged within 10 s")
        }
        progress("writing; warm-up \(options.warmupMilliseconds) ms")
        MonotonicClock.sleep(milliseconds: Int64(options.warmupMilliseconds))

        switch scenario {
        case .killMaster: killMaster()
        case .pauseMaster: pauseMaster()
        case .killReplica: killReplica()
        case .loseSentinels: loseSentinels()
        case .switchover: switchover()
        }

        MonotonicClock.sleep(milliseconds: Int64(options.tailMilliseconds))
        observations.writer = main.stop()
        writer = nil
        if let split = splitBrainWriter {
            observations.splitBrainWriter = split.stop()
            splitBrainWriter = nil
        }
        progress("writes stopped; checking the final state")
        observations.final = Probe.snapshot(control)
        let readFrom = observations.final.convergedMaster ?? observations.final.sentinelMaster
        observations.lost = Probe.lookUp(observations.writer.acks, prefix: observations.writer.keyPrefix, on: readFrom)
        if let split = observations.splitBrainWriter {
            observations.splitBrainLost = Probe.lookUp(split.acks, prefix: split.keyPrefix, on: readFrom)
        }
        MonotonicClock.sleep(milliseconds: 200)
        observations.events = recorder.stop()
        return observations
    }

    private func setUp() throws(DrillFailure) {
        if control.owned {
            progress("starting \(options.backend.displayName) cluster in \(layout.directory): nodes \(layout.nodePorts.map(String.init).joined(separator: " ")), sentinels \(layout.sentinelPorts.map(String.init).joined(separator: " "))")
            try control.writeFiles()
            for port in layout.nodePorts { try control.start(.node(port)) }
            let replicas = layout.nodes.dropFirst()
            let linked = waitUntil(timeoutMilliseconds: 30_000, interval: 100) {
                replicas.allSatisfy { address in
                    if case .success(let fields) = Probe.info(address, "replication"),
                       case .replica(_, true) = ReplicationRole(info: fields) { return true }
                    return false
                }
            }
            if !linked { throw DrillFailure("the replicas did not sync within 30 s (see \(layout.directory)/node-*.log)") }
            for port in layout.sentinelPorts { try control.start(.sentinel(port)) }
            let discovered = waitUntil(timeoutMilliseconds: 60_000, interval: 200) {
                Probe.sentinelsDiscovered(layout, replicas: layout.nodePorts.count - 1)
            }
            if !discovered { throw DrillFailure("the sentinels did not discover every replica and each other within 60 s (see \(layout.directory)/sentinel-*.log)") }
        } else {
            progress("attaching to the cluster in \(layout.directory)")
            for member in layout.members where !control.isRunning(member) {
                throw DrillFailure("\(member) is not running (start the cluster with scripts/cluster up)")
            }
            if let first = layout.sentinels.first, let fields = Probe.sentinelMasterFields(first, name: layout.masterName) {
                control.layout.downAfterMilliseconds = fields["down-after-milliseconds"].flatMap { Int($0) } ?? 30_000
                control.layout.failoverTimeoutMilliseconds = fields["failover-timeout"].flatMap { Int($0) } ?? 180_000
                observations.layout = control.layout
            }
            let snapshot = Probe.snapshot(control)
            if snapshot.convergedMaster == nil {
                throw DrillFailure("the attached cluster is not in a steady state: " + snapshot.problems.joined(separator: "; "))
            }
        }
    }

    private func tearDown() {
        if let writer { _ = writer.stop() }
        if let splitBrainWriter { _ = splitBrainWriter.stop() }
        _ = recorder.stop()
        if control.owned {
            control.stopAll()
            progress("stopped the cluster")
        } else {
            for port in layout.nodePorts { control.send(SIGCONT, to: .node(port)) }
            let dead = layout.members.filter { !control.isRunning($0) }
            for member in dead {
                progress("restarting \(member) of the attached cluster")
                try? control.start(member)
            }
        }
    }

    /// Removes `drill:*` keys a previous drill left in an attached cluster.
    private func clearOldKeys(on master: NodeAddress) {
        guard let client = try? DrillClient.connect(master, timeoutMilliseconds: 1000) else { return }
        var cursor = "0"
        repeat {
            guard let reply = try? client.call(["SCAN", cursor, "MATCH", "drill:*", "COUNT", "1000"], timeoutMilliseconds: 5000),
                  let parts = reply.elements, parts.count == 2, let next = parts[0].text, let keys = parts[1].elements else { return }
            let names = keys.compactMap(\.text)
            if !names.isEmpty { _ = try? client.call(["DEL"] + names, timeoutMilliseconds: 5000) }
            cursor = next
        } while cursor != "0"
    }
}
