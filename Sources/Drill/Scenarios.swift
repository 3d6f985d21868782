// Scenarios.swift — the steps of each drill, in the words of the timeline.
// Each runs after the warm-up with the writers going, and returns once the
// cluster has converged again (or a bounded wait ran out — noted).
//
//   kill-master     SIGKILL master ─▶ failover ─▶ restart it with its config ─▶ converged
//   pause-master    SIGSTOP master ─▶ failover ─▶ the new master takes writes ─▶ SIGCONT (split brain) ─▶ converged
//   kill-replica    SIGKILL replica ─▶ keep writing ─▶ restart it ─▶ converged; resync kind from INFO stats + its log
//   lose-sentinels  kill 1 sentinel ─▶ SIGKILL master ─▶ failover ─▶ restart it ─▶ converged
//                   kill 1 more ─▶ SIGKILL master ─▶ watch: NO failover ─▶ restart sentinels ─▶ failover ─▶ restart it ─▶ converged
//   switchover      SENTINEL FAILOVER ─▶ failover ─▶ converged
//
// Invariants: a stopped master is always resumed (SIGCONT) before returning;
// every restart uses the member's config file as it is on disk.

import Foundation
import Glibc
import RESP

extension ScenarioContext {
    func killMaster() {
        let master = observations.originalMaster
        let member = node(master)
        let pid = control.pid(member)
        let index = fault("SIGKILL master", "SIGKILL master \(master) (\(pidText(member)))") { control.signal(SIGKILL, pid: pid) }
        control.waitGone(pid)
        _ = waitForFailover(from: master)
        act(.recovery, "restart \(master) with its original config")
        restart(member)
        observations.originalMasterHistory = "killed (SIGKILL), restarted with its config after the failover"
        observations.faults[index].settled = waitConverged("after the restart")
    }

    func pauseMaster() {
        let master = observations.originalMaster
        let member = node(master)
        let pid = control.pid(member)
        let index = fault("SIGSTOP master", "SIGSTOP master \(master) (\(pidText(member))); a second writer stays connected to it") {
            control.signal(SIGSTOP, pid: pid)
        }
        if let promoted = waitForFailover(from: master) {
            progress("\(promoted) promoted; letting it take writes while \(master) is still stopped")
            MonotonicClock.sleep(milliseconds: Int64(max(1000, downAfter)))
        }
        act(.recovery, "SIGCONT \(master): the old master resumes, still believing it is master (split brain)") {
            control.signal(SIGCONT, pid: pid)
        }
        observations.originalMasterHistory = "stopped (SIGSTOP) through the failover, then resumed (SIGCONT)"
        observations.faults[index].settled = waitConverged("after SIGCONT")
    }

    func killReplica() {
        let master = observations.originalMaster
        guard let replica = layout.nodes.first(where: { $0 != master }) else {
            note("no replica to kill")
            return
        }
        let member = node(replica)
        let before = syncCounters(master)
        let logOffset = fileSize(layout.logPath(member))
        let pid = control.pid(member)
        let index = fault("SIGKILL replica", "SIGKILL replica \(replica) (\(pidText(member)))") { control.signal(SIGKILL, pid: pid) }
        control.waitGone(pid)
        let downtime = max(2000, 2 * downAfter + 500)
        progress("writing for \(downtime) ms without the replica")
        MonotonicClock.sleep(milliseconds: Int64(downtime))
        act(.recovery, "restart replica \(replica) with its config")
        restart(member)
        observations.faults[index].settled = waitConverged("after the restart")
        let after = syncCounters(master)
        let lines = readLog(layout.logPath(member), from: logOffset).filter { line in
            let lower = line.lowercased()
            return lower.contains("resync") || lower.contains("resynchronization")
        }
        observations.resync = ResyncObservation(fullSyncs: after.full - before.full, partialSyncs: after.partial - before.partial,
                                                logLines: lines.map(logMessage))
        observations.originalMasterHistory = "not touched (a replica was killed)"
    }

    func loseSentinels() {
        let ports = layout.sentinelPorts
        let spare = ports.count - layout.quorum          // sentinels that may die with a failover still possible
        guard spare >= 1, ports.count >= 3 else {
            note("lose-sentinels needs at least 3 sentinels")
            return
        }
        // Phase 1: only `spare` sentinels dead — the rest must still fail over.
        let firstDead = Array(ports.suffix(spare))
        for port in firstDead {
            act(.step, "SIGKILL sentinel \(label(sentinel: port)) (:\(port)); \(ports.count - spare) of \(ports.count) left")
            control.kill9(.sentinel(port))
        }
        MonotonicClock.sleep(milliseconds: 300)
        let master = observations.originalMaster
        let masterPid = control.pid(node(master))
        let first = fault("SIGKILL master", "SIGKILL master \(master) (\(pidText(node(master)))) with \(ports.count - spare) of \(ports.count) sentinels alive") {
            control.signal(SIGKILL, pid: masterPid)
        }
        control.waitGone(masterPid)
        let promoted = waitForFailover(from: master)
        act(.recovery, "restart \(master) with its config")
        restart(node(master))
        observations.originalMasterHistory = "killed (SIGKILL) with \(ports.count - spare) of \(ports.count) sentinels alive, restarted after the failover"
        observations.faults[first].settled = waitConverged("after phase 1")

        // Phase 2: one more sentinel dead — a minority is left; it must not fail over.
        guard let secondMaster = promoted ?? sentinelMaster() else {
            note("phase 2 skipped: no master after phase 1")
            return
        }
        let secondDead = Array(ports.dropLast(spare).suffix(1))
        for port in secondDead {
            act(.step, "SIGKILL sentinel \(label(sentinel: port)) (:\(port)); \(ports.count - spare - 1) of \(ports.count) left")
            control.kill9(.sentinel(port))
        }
        MonotonicClock.sleep(milliseconds: 300)
        let secondPid = control.pid(node(secondMaster))
        let second = fault("SIGKILL master (minority)", "SIGKILL master \(secondMaster) (\(pidText(node(secondMaster)))) with \(ports.count - spare - 1) of \(ports.count) sentinels alive: must NOT fail over") {
            control.signal(SIGKILL, pid: secondPid)
        }
        let start = observations.faults[second].time
        control.waitGone(secondPid)
        let watch = max(2500, 2 * downAfter + 1000)
        progress("watching \(watch) ms for a failover that must not happen")
        MonotonicClock.sleep(milliseconds: Int64(watch))
        let snapshot = Probe.snapshot(control)
        let dead = firstDead + secondDead
        let end = act(.recovery, "restart sentinels " + dead.map { label(sentinel: $0) }.sorted().joined(separator: " ") + ": a majority again, they may fail over now")
        observations.noFailoverWindow = NoFailoverWindow(start: start, end: end, master: secondMaster, snapshot: snapshot)
        for port in dead { restart(.sentinel(port)) }
        _ = waitForFailover(from: secondMaster)
        act(.recovery, "restart \(secondMaster) with its config")
        restart(node(secondMaster))
        observations.faults[second].settled = waitConverged("after phase 2")
    }

    func switchover() {
        let master = observations.originalMaster
        guard let sentinel = layout.sentinelPorts.first(where: { control.isRunning(.sentinel($0)) }) else {
            note("no sentinel running")
            return
        }
        var reply: Result<RESPValue, DrillClientError> = .failure(.closed)
        let index = fault("SENTINEL FAILOVER", "SENTINEL FAILOVER \(layout.masterName) via \(label(sentinel: sentinel)) (:\(sentinel)) under write load") {
            reply = Probe.call(NodeAddress(host: layout.host, port: sentinel), ["SENTINEL", "FAILOVER", layout.masterName], timeoutMilliseconds: 5000)
        }
        switch reply {
        case .success(.error(let text)): note("SENTINEL FAILOVER answered \(text)")
        case .success: break
        case .failure(let error): note("SENTINEL FAILOVER failed: \(error)")
        }
        _ = waitForFailover(from: master)
        observations.originalMasterHistory = "demoted by SENTINEL FAILOVER"
        observations.faults[index].settled = waitConverged("after the switchover")
    }

    // MARK: - Helpers

    /// The master's full and partial resync counters (INFO stats).
    private func syncCounters(_ master: NodeAddress) -> (full: Int, partial: Int) {
        guard case .success(let fields) = Probe.info(master, "stats") else { return (0, 0) }
        return (fields["sync_full"].flatMap { Int($0) } ?? 0, fields["sync_partial_ok"].flatMap { Int($0) } ?? 0)
    }
}

/// The size of a file (0 when missing).
func fileSize(_ path: String) -> UInt64 {
    ((try? FileManager.default.attributesOfItem(atPath: path))?[.size] as? NSNumber)?.uint64Value ?? 0
}

/// The lines of a log from a byte offset on.
func readLog(_ path: String, from offset: UInt64) -> [String] {
    guard let handle = FileHandle(forReadingAtPath: path) else { return [] }
    defer { try? handle.close() }
    let size = fileSize(path)
    try? handle.seek(toOffset: offset <= size ? offset : 0)
    let data = (try? handle.readToEnd()) ?? Data()
    return String(decoding: data, as: UTF8.self).split(separator: "\n").map(String.init)
}

/// A Redis-shaped log line without its `pid:R 25 Nov 2026 00:57:15.050 * ` prefix.
public func logMessage(_ line: String) -> String {
    for marker in [" * ", " # ", " - ", " . "] {
        if let range = line.firstRange(of: marker) { return String(line[range.upperBound...]) }
    }
    return line
}
