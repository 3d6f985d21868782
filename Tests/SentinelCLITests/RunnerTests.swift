// RunnerTests.swift — what each verb prints and which exit code it returns,
// against canned replies, plus a real connection attempt to a closed port.

import Glibc
import RESP
import Testing
@testable import SentinelCLI

@Suite struct RunnerTests {
    private func run(_ verb: SentinelVerb, json: Bool = false, sentinel: CannedSentinel = Fixture.sentinel())
        -> (code: Int32, out: String, err: String)
    {
        let captured = CapturedOutput()
        var options = SentinelCLIOptions()
        options.json = json
        var runner = SentinelVerbRunner(options: options, connect: { () throws(SentinelCLIFailure) -> SentinelCalling in
            sentinel
        }, output: captured.sink)
        runner.renderer.timeZone = .gmt
        let code = runner.run(verb)
        return (code, captured.out, captured.err)
    }

    @Test func statusAsksTheDocumentedCommands() {
        let sentinel = Fixture.sentinel()
        #expect(run(.status(master: nil), sentinel: sentinel).code == 0)
        #expect(sentinel.calls.map { $0.joined(separator: " ") } == [
            "SENTINEL MASTERS", "SENTINEL MYID", "INFO sentinel",
            "SENTINEL INFO-CACHE mymaster", "SENTINEL REPLICAS mymaster", "SENTINEL SENTINELS mymaster",
            "SENTINEL CKQUORUM mymaster", "SENTINEL EVENTS mymaster 50",
        ])
    }

    @Test func statusOfANamedMasterUsesSentinelMaster() {
        let sentinel = Fixture.sentinel()
        let result = run(.status(master: "mymaster"), sentinel: sentinel)
        #expect(result.code == 0)
        #expect(sentinel.calls.first == ["SENTINEL", "MASTER", "mymaster"])
        #expect(result.out.contains("Master mymaster"))
    }

    @Test func unknownMasterExits3WithTheSentinelsError() {
        let result = run(.status(master: "nope"))
        #expect(result.code == 3)
        #expect(result.err == "ERR No such master with that name\n")
        #expect(result.out.isEmpty)
    }

    @Test func errorToMastersExits1() {
        let sentinel = CannedSentinel(["SENTINEL MASTERS": .error("ERR unknown command 'SENTINEL'")])
        let result = run(.status(master: nil), sentinel: sentinel)
        #expect(result.code == 1)
        #expect(result.err == "ERR unknown command 'SENTINEL'\n")
    }

    @Test func noauthExits1() {
        let sentinel = CannedSentinel(["SENTINEL MASTERS": .error("NOAUTH Authentication required.")])
        #expect(run(.status(master: nil), sentinel: sentinel).code == 1)
    }

    @Test func realRedisSentinelWithoutEventsHasNoTimeline() {
        let sentinel = Fixture.sentinel(events: .error("ERR unknown subcommand 'EVENTS'. Try SENTINEL HELP."))
        let result = run(.status(master: nil), sentinel: sentinel)
        #expect(result.code == 0)
        #expect(!result.out.contains("failover ("))
        #expect(!result.out.contains("Events"))
        #expect(result.err.isEmpty)
    }

    @Test func failoverPrintsOK() {
        #expect(run(.failover(master: "mymaster")) == (0, "OK\n", ""))
        #expect(run(.failover(master: "mymaster"), json: true) == (0, #"{"ok":true,"reply":"OK"}"# + "\n", ""))
    }

    @Test func failoverErrorGoesToStderr() {
        let sentinel = CannedSentinel(["SENTINEL FAILOVER mymaster": .error("INPROG Failover already in progress")])
        #expect(run(.failover(master: "mymaster"), sentinel: sentinel) == (1, "", "INPROG Failover already in progress\n"))
        #expect(run(.failover(master: "nope")).code == 3)
    }

    @Test func ckquorumExitsZeroOnlyForOK() {
        let ok = run(.ckquorum(master: "mymaster"))
        #expect(ok.code == 0)
        #expect(ok.out == "OK 3 usable Sentinels. Quorum and failover authorization can be reached\n")
        let refusal = "NOQUORUM 1 usable Sentinels. Not enough available Sentinels to reach the specified quorum for this master"
        let sentinel = CannedSentinel(["SENTINEL CKQUORUM mymaster": .error(refusal)])
        #expect(run(.ckquorum(master: "mymaster"), sentinel: sentinel) == (1, refusal + "\n", ""))
        #expect(run(.ckquorum(master: "nope")).code == 3)
    }

    @Test func resetPrintsTheCount() {
        #expect(run(.reset(pattern: "*")) == (0, "1\n", ""))
        #expect(run(.reset(pattern: "*"), json: true) == (0, #"{"reset":1}"# + "\n", ""))
    }

    @Test func unreachableSentinelExits1WithTheReason() throws {
        let port = try closedPort()
        var options = SentinelCLIOptions()
        options.port = port
        do {
            _ = try SentinelLink.connect(options)
            Issue.record("connected to a closed port")
        } catch {
            #expect(error == .unreachable(address: "127.0.0.1:\(port)", reason: "Connection refused"))
            #expect(error.message == "Could not connect to sentinel at 127.0.0.1:\(port): Connection refused")
            #expect(error.exitCode == 1)
        }
        #expect(runSentinelCLI(arguments: ["status", "-p", String(port)]) == 1)
    }
}

/// A loopback port nothing listens on: bound, read back, closed.
private func closedPort() throws -> Int {
    let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    try #require(fd >= 0)
    defer { close(fd) }
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_addr.s_addr = UInt32(0x7F00_0001).bigEndian
    address.sin_port = 0
    var length = socklen_t(MemoryLayout<sockaddr_in>.size)
    let bound = withUnsafeMutablePointer(to: &address) { pointer in
        pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { raw in
            bind(fd, raw, length) == 0 && getsockname(fd, raw, &length) == 0
        }
    }
    try #require(bound)
    return Int(UInt16(bigEndian: address.sin_port))
}
