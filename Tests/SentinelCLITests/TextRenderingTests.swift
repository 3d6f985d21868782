// TextRenderingTests.swift — the human-readable status output, from canned
// replies, with a fixed time zone.

import Foundation
import Testing
@testable import SentinelCLI

@Suite struct TextRenderingTests {
    private func report(_ sentinel: CannedSentinel = Fixture.sentinel()) throws -> StatusReport {
        try StatusCollector(sentinel: sentinel, address: "127.0.0.1:26379").collect(master: nil)
    }

    private let renderer = StatusTextRenderer(useColor: false, timeZone: .gmt)

    @Test func fullStatusAfterAFailover() throws {
        let text = renderer.render(try report())
        #expect(text == expectedStatus)
    }

    @Test func failoverInProgressShowsItsStage() throws {
        let text = renderer.render(try report(Fixture.sentinel(master: Fixture.failingOverPairs)))
        #expect(text.contains("  state         failover-in-progress (wait_start)\n"))
    }

    @Test func colourWrapsOnlyTheStateWord() throws {
        let text = StatusTextRenderer(useColor: true, timeZone: .gmt).render(try report())
        #expect(text.contains("  state         \u{1B}[32mok\u{1B}[0m\n"))
        #expect(text.filter { $0 == "\u{1B}" }.count == 2)
    }

    @Test func quorumFailureShowsTheSentinelsText() throws {
        let sentinel = Fixture.sentinel()
        sentinel.replies["SENTINEL CKQUORUM mymaster"] = .error("NOQUORUM 1 usable Sentinels. Not enough available Sentinels to reach the specified quorum for this master")
        let text = renderer.render(try report(sentinel))
        #expect(text.contains("  ckquorum      NOQUORUM 1 usable Sentinels. Not enough"))
    }

    @Test func unknownOffsetsPrintADash() throws {
        let sentinel = Fixture.sentinel()
        sentinel.replies["SENTINEL INFO-CACHE mymaster"] = .error("ERR unknown subcommand 'INFO-CACHE'")
        let text = renderer.render(try report(sentinel))
        #expect(text.contains("    127.0.0.1:17301  slave  ok    827     -    100       492ms\n"))
    }

    @Test func noMastersSaysSo() throws {
        let sentinel = Fixture.sentinel()
        sentinel.replies["SENTINEL MASTERS"] = .array([])
        #expect(renderer.render(try report(sentinel)).hasSuffix("\nNo masters monitored.\n"))
    }

    @Test func tableColumnsAlignAndLinesHaveNoTrailingBlanks() {
        let table = TextTable(header: ["A", "BB", "C"], rows: [["long cell", "x", ""], ["y"]])
        #expect(table.lines(indent: "  ") == ["  A          BB  C", "  long cell  x", "  y"])
    }

    @Test func localTimeUsesTheGivenZone() {
        #expect(formatLocalTime(unixMs: Fixture.t0, timeZone: .gmt) == "2026-11-25 00:44:13.626")
        let plusTwo = TimeZone(secondsFromGMT: 7200) ?? .gmt
        #expect(formatLocalTime(unixMs: 5, timeZone: plusTwo) == "1970-01-01 02:00:00.005")
    }
}

private let expectedStatus = """
Sentinel  127.0.0.1:26379
myid      ae36bb173a8bb3d81cb6f2e3a227783805a91f6f
tilt      no

Master mymaster
  address       127.0.0.1:17302
  state         ok
  flags         master
  config-epoch  1
  quorum        2
  ckquorum      reachable: 3 usable sentinels, quorum 2 OK
  sentinels     2 others
  replicas      1

  Replicas (1)
    ADDRESS          FLAGS  LINK  OFFSET  LAG  PRIORITY  LAST-OK-PING
    127.0.0.1:17301  slave  ok    827     173  100       492ms

  Sentinels (2)
    ADDRESS          RUNID     LAST-HELLO  VOTED-LEADER  VOTED-EPOCH
    127.0.0.1:27302  1f0da87b  1530ms      ?             0
    127.0.0.1:27303  323e4f2d  1530ms      ?             0

  Last failover (from 2026-11-25 00:44:13.626)
    +0.000s  +sdown                        master mymaster 127.0.0.1 17301
    +0.067s  +odown                        master mymaster 127.0.0.1 17301 #quorum 2/2
    +0.067s  +new-epoch                    1
    +0.067s  +try-failover                 master mymaster 127.0.0.1 17301
    +0.070s  +vote-for-leader              323e4f2de145baee0ee938c02be263cf39a9fe50 1
    +0.142s  +elected-leader               master mymaster 127.0.0.1 17301
    +0.142s  +failover-state-select-slave  master mymaster 127.0.0.1 17301
    +0.194s  +selected-slave               slave 127.0.0.1:17302 127.0.0.1 17302 @ mymaster 127.0.0.1 17301
    +1.079s  +promoted-slave               slave 127.0.0.1:17302 127.0.0.1 17302 @ mymaster 127.0.0.1 17301
    +1.144s  +failover-end                 master mymaster 127.0.0.1 17301
    +1.144s  +switch-master                mymaster 127.0.0.1 17301 127.0.0.1 17302
    +1.144s  +slave                        slave 127.0.0.1:17301 127.0.0.1 17301 @ mymaster 127.0.0.1 17302

"""
