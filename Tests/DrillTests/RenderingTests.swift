// RenderingTests.swift — the report as a timeline, a table, JSON and SVG.

import Drill
import Foundation
import Testing
#if canImport(FoundationXML)
import FoundationXML
#endif

@Suite struct RenderingTests {
    let report = DrillReport(killMasterObservations())

    @Test func theSameEventFromSeveralSentinelsIsOneTimelineLine() {
        let sdown = report.timeline.filter { $0.text.hasPrefix("+sdown") }
        #expect(sdown.count == 1)
        #expect(sdown.first?.source == "s1 s2 s3" && sdown.first?.time == 300 * ms)
        #expect(report.timeline.first { $0.text.hasPrefix("+switch-master") }?.source == "s1 s2")
    }

    @Test func collapsingKeepsRepeatsFromOneSentinelApart() {
        let events = [
            SentinelEventRecord(time: 0, sentinel: s1, channel: "+sdown", message: "m"),
            SentinelEventRecord(time: 5 * ms, sentinel: s1, channel: "+sdown", message: "m"),
            SentinelEventRecord(time: 6 * ms, sentinel: s2, channel: "+sdown", message: "m"),
            SentinelEventRecord(time: 2000 * ms, sentinel: s3, channel: "+sdown", message: "m"),
        ]
        let groups = collapseEvents(events)
        #expect(groups.map(\.sentinels) == [[s1, s2], [s1], [s3]])
    }

    @Test func theTimelineIsRelativeToTheFaultAndSorted() {
        #expect(report.timeline.map(\.time) == report.timeline.map(\.time).sorted())
        let faultEntry = report.timeline.first { $0.kind == .fault }
        #expect(faultEntry?.time == 0 && faultEntry?.text == "SIGKILL master 127.0.0.1:7000 (pid 42)")
        #expect(report.timeline.contains { $0.kind == .writer && $0.text == "last ack before the gap: drill:100 on 127.0.0.1:7000" && $0.time == -10 * ms })
        #expect(report.timeline.contains { $0.kind == .writer && $0.text == "first ack after the gap (0.610 s): drill:101 on 127.0.0.1:7001" })
        #expect(report.timeline.contains { $0.text == "switches to 127.0.0.1:7001 (found via the sentinels)" })
    }

    @Test func theTableShowsTheWindowTheLossesTheFinalStateAndTheVerdict() {
        let text = report.text
        for line in [
            "== kill-master · Vigil · own cluster in /tmp/drill test (down-after 1000 ms, failover-timeout 10000 ms)",
            "     +0.300  s1 s2 s3  +sdown master mymaster 127.0.0.1 7000",
            "     +0.000  drill     FAULT: SIGKILL master 127.0.0.1:7000 (pid 42)",
            "unavailable    0.610 s around SIGKILL master (-0.010 → +0.600)",
            "writes         241 acknowledged, 7 failed attempts (connect failed 5, timed out 2)",
            "lost           0 of 241 acknowledged writes missing on the final master",
            "final master   127.0.0.1:7001 (3 of 3 sentinels name it)",
            "127.0.0.1:7000  replica of 127.0.0.1:7001, link up",
            "old master     killed (SIGKILL), restarted with its config after the failover; now a replica of 127.0.0.1:7001 (link up)",
            "PASS  the sentinels fail over — +switch-master to 127.0.0.1:7001 at +0.550 s",
            "verdict: PASS",
        ] {
            #expect(text.contains(line), "missing: \(line)\n\(text)")
        }
    }

    @Test func aFailedCheckFailsTheVerdictAndTheSummary() {
        let failed = DrillReport(killMasterObservations(lost: [5, 6]))
        #expect(!failed.passed)
        #expect(failed.text.contains("FAIL  no acknowledged write lost — 2 of 241 acknowledged writes missing (drill:5, drill:6)"))
        #expect(failed.text.hasSuffix("verdict: FAIL\n"))
        let summary = drillSummary([report, failed])
        #expect(summary.contains("kill-master      PASS     0.610 s      0/241"))
        #expect(summary.contains("kill-master      FAIL     0.610 s      2/241"))
        #expect(summary.hasSuffix("overall: FAIL\n"))
    }

    @Test func jsonHasTheStableKeysAndParses() throws {
        let text = report.json.prettyText
        let parsed = try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
        #expect(parsed["scenario"] as? String == "kill-master")
        #expect(parsed["passed"] as? Bool == true)
        let faults = try #require(parsed["faults"] as? [[String: Any]])
        #expect(faults.first?["unavailable_ms"] as? Int == 610)
        #expect(faults.first?["writes_resumed"] as? Bool == true)
        let writes = try #require(parsed["writes"] as? [String: Any])
        #expect(writes["acknowledged"] as? Int == 241 && writes["lost"] as? Int == 0)
        let final = try #require(parsed["final"] as? [String: Any])
        #expect(final["master"] as? String == "127.0.0.1:7001" && final["converged"] as? Bool == true)
        let nodes = try #require(final["nodes"] as? [[String: Any]])
        #expect(nodes.first?["follows"] as? String == "127.0.0.1:7001" && nodes.first?["link_up"] as? Bool == true)
        let checks = try #require(parsed["checks"] as? [[String: Any]])
        #expect(checks.allSatisfy { $0["outcome"] as? String == "pass" })
        let all = try #require(try JSONSerialization.jsonObject(with: Data(drillJSON([report]).text.utf8)) as? [String: Any])
        #expect((all["scenarios"] as? [Any])?.count == 1)
    }

    @Test func jsonEscapesQuotesBackslashesAndControlCharacters() {
        #expect(JSON.string("a\"b\\c\nd\u{1}").text == "\"a\\\"b\\\\c\\nd\\u0001\"")
        #expect(JSON.object([("k", .array([.int(1), .null, .bool(false)]))]).text == "{\"k\":[1,null,false]}")
        #expect(JSON.double(.infinity).text == "null")
    }

    @Test func theSVGIsWellFormedAndDrawsBarsGapsAndMarkers() throws {
        let svg = report.svg
        #expect(svg.hasPrefix("<?xml"))
        #expect(svg.contains("fill=\"#d62728\" fill-opacity=\"0.10\""))          // the unavailability window
        #expect(svg.contains(">unavailable 0.610 s</text>"))
        #expect(svg.contains("FAULT SIGKILL master :7000</text>"))                   // pid left out of the label
        #expect(svg.contains("+switch-master :7000 → :7001 [s1 s2]</text>"))
        #expect(!svg.contains("+vote-for-leader"))                                   // chatter stays in the table only
        #expect(svg.components(separatedBy: "fill=\"#1f77b4\"/>").count - 1 >= 20)  // bars (and the legend swatch)
        let parser = XMLParser(data: Data(svg.utf8))
        #expect(parser.parse(), "\(parser.parserError.map(String.init(describing:)) ?? "")")
    }

    @Test func acknowledgedWritesLaterLostAreDrawnInRed() {
        #expect(!report.svg.contains("#b2182b"))
        let lossy = DrillReport(killMasterObservations(backend: .redis, lost: Array(5...40)))
        #expect(lossy.lostBuckets.counts.reduce(0, +) == 36)
        #expect(lossy.svg.contains("fill=\"#b2182b\"/>"))
        #expect(lossy.svg.contains(">acknowledged, then lost</text>"))
    }

    @Test func svgTextIsEscaped() throws {
        var o = killMasterObservations()
        o.actions.append(DrillAction(time: fault + 100 * ms, kind: .step, text: "a <b> & \"c\""))
        let svg = DrillReport(o).svg
        #expect(svg.contains("a &lt;b&gt; &amp; &quot;c&quot;"))
        #expect(XMLParser(data: Data(svg.utf8)).parse())
    }

    @Test func crowdedLabelsArePushedApartButStayInOrder() {
        var o = killMasterObservations()
        for i in 0..<30 {
            o.actions.append(DrillAction(time: fault + Int64(700 + i) * ms, kind: .step, text: "step \(i)"))
        }
        let svg = DrillReport(o).svg
        let xs = svg.components(separatedBy: "transform=\"rotate(-90 ").dropFirst().compactMap { Double($0.prefix { $0 != " " }) }
        #expect(xs.count >= 30)
        #expect(zip(xs, xs.dropFirst()).allSatisfy { $1 - $0 >= 11.9 })
        #expect((xs.last ?? 0) <= 1100)
    }

    @Test(arguments: [
        ("+sdown master mymaster 127.0.0.1 6379", "+sdown master :6379"),
        ("+switch-master mymaster 127.0.0.1 6379 127.0.0.1 6380", "+switch-master :6379 → :6380"),
        ("+convert-to-slave slave 127.0.0.1:6379 127.0.0.1 6379 @ mymaster 127.0.0.1 6380", "+convert-to-slave replica :6379"),
        ("+odown master mymaster 127.0.0.1 6379 #quorum 2/2", "+odown master :6379 #quorum 2/2"),
        ("+new-epoch 3", "+new-epoch 3"),
    ])
    func eventLabelsAreShortened(_ text: String, _ label: String) {
        #expect(shortEventLabel(text) == label)
    }

    @Test func logLinesLoseTheirPrefix() {
        #expect(logMessage("123:S 25 Nov 2026 00:57:15.050 * Full resync from master: abc:0") == "Full resync from master: abc:0")
        #expect(logMessage("no prefix") == "no prefix")
    }
}
