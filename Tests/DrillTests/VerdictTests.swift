// VerdictTests.swift — which observations pass, fail, or are only noted.

import Drill
import Testing

@Suite struct VerdictTests {
    func outcome(_ checks: [Check], _ title: String) -> Check.Outcome? {
        checks.first { $0.title == title }?.outcome
    }

    @Test func aCleanFailoverPassesEveryCheck() {
        let checks = evaluateChecks(killMasterObservations())
        #expect(checks.allSatisfy { $0.outcome == .pass }, "\(checks)")
        #expect(checks.map(\.title) == ["the sentinels fail over", "every process runs at the end", "one master, every node follows it",
                                        "writes resume", "no acknowledged write lost"])
    }

    @Test func lostAcknowledgedWritesFailForVigilButAreANoteForRedisInKillMaster() {
        #expect(outcome(evaluateChecks(killMasterObservations(backend: .vigil, lost: [99])), "no acknowledged write lost") == .fail)
        let redis = evaluateChecks(killMasterObservations(backend: .redis, lost: [99]))
        #expect(outcome(redis, "no acknowledged write lost") == .note)
        #expect(redis.first { $0.title == "no acknowledged write lost" }?.detail.contains("drill:99") == true)
    }

    @Test func pauseMasterOnlyNotesSplitBrainLosses() {
        var o = killMasterObservations(lost: [3])
        o.scenario = .pauseMaster
        o.splitBrainWriter = WriterLog(name: "split-brain writer", keyPrefix: "drill:split:")
        o.splitBrainLost = LostWrites(checked: 10, lost: [7, 8])
        let checks = evaluateChecks(o)
        #expect(outcome(checks, "no acknowledged write lost") == .note)
        #expect(outcome(checks, "split-brain writes to the old master") == .note)
        #expect(!checks.contains { $0.outcome == .fail })
    }

    @Test func noSwitchMasterMeansNoFailover() {
        var o = killMasterObservations()
        o.events.removeAll { $0.channel == "+switch-master" }
        #expect(outcome(evaluateChecks(o), "the sentinels fail over") == .fail)
    }

    @Test func aNodeFollowingADeadMasterFails() {
        var o = killMasterObservations()
        o.final.nodes[0] = NodeObservation(address: n0, alive: false, role: nil)
        o.final.nodes[2].role = .replica(of: n0, linkUp: false)
        let checks = evaluateChecks(o)
        #expect(outcome(checks, "no node follows a dead master") == .fail)
        #expect(outcome(checks, "one master, every node follows it") == .fail)
        #expect(outcome(checks, "every process runs at the end") == .fail)
    }

    @Test func writesThatNeverResumeFail() {
        var o = killMasterObservations()
        o.writer.acks.removeAll { $0.time > fault }
        #expect(outcome(evaluateChecks(o), "writes resume") == .fail)
    }

    @Test func killReplicaFailsWhenTheMasterMovesOrAWriteIsLost() {
        var o = killMasterObservations()
        o.scenario = .killReplica
        #expect(outcome(evaluateChecks(o), "the master stays master") == .fail)
        o.events.removeAll { $0.channel == "+switch-master" }
        #expect(outcome(evaluateChecks(o), "the master stays master") == .pass)
        o.backend = .redis
        o.lost = LostWrites(checked: 10, lost: [1])
        #expect(outcome(evaluateChecks(o), "no acknowledged write lost") == .fail)
    }

    func loseSentinels(promotion: Bool, masterInWindow: Bool) -> Observations {
        var o = killMasterObservations()
        o.scenario = .loseSentinels
        let start = fault + 3000 * ms
        var snapshot = convergedSnapshot(master: n1)
        snapshot.sentinels[1].alive = false
        snapshot.sentinels[2].alive = false
        snapshot.sentinels[1].master = nil
        snapshot.sentinels[2].master = nil
        snapshot.nodes[1] = NodeObservation(address: n1, alive: false, role: nil)
        if masterInWindow { snapshot.nodes[2].role = .master(connectedReplicas: 0) }
        o.noFailoverWindow = NoFailoverWindow(start: start, end: start + 3000 * ms, master: n1, snapshot: snapshot)
        o.faults.append(Fault(label: "SIGKILL master (minority)", time: start, settled: start + 5000 * ms))
        o.writer.acks += acks(from: 8100, to: 8500, on: n2, firstSeq: 1000)
        o.writer.stoppedAt = fault + 8501 * ms
        if promotion {
            o.events.append(SentinelEventRecord(time: start + 1500 * ms, sentinel: s1, channel: "+promoted-slave",
                                                message: "slave 127.0.0.1:7002 127.0.0.1 7002 @ mymaster 127.0.0.1 7001"))
        }
        return o
    }

    @Test(arguments: [(false, false, Check.Outcome.pass), (true, false, .fail), (false, true, .fail)])
    func aMinorityOfSentinelsMustNotFailOver(_ promotion: Bool, _ masterInWindow: Bool, _ expected: Check.Outcome) {
        let checks = evaluateChecks(loseSentinels(promotion: promotion, masterInWindow: masterInWindow))
        #expect(outcome(checks, "no failover with 2 of 3 sentinels dead") == expected)
        #expect(outcome(checks, "the sentinels fail over") == .pass)
    }
}
