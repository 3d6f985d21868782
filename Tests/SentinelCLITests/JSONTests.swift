// JSONTests.swift — the tiny JSON writer and the `status --json` shape.

import CLI
import Foundation
import Testing

@testable import SentinelCLI

@Suite struct JSONTests {
    @Test func stringsAreEscaped() {
        #expect(JSONValue.string("a\"b\\c\nd\u{1}é").text == #""a\"b\\c\nd\u0001é""#)
    }

    @Test func objectsKeepKeyOrder() {
        let value = JSONValue.object([("z", .integer(1)), ("a", .array([.bool(true), .null])), ("m", .double(.nan))])
        #expect(value.text == #"{"z":1,"a":[true,null],"m":null}"#)
    }

    /// The parsed `status --json` document; `eventsSupported: false` mimics a
    /// real redis-sentinel, which has no SENTINEL EVENTS.
    private func statusDocument(eventsSupported: Bool = true) throws -> [String: Any] {
        let sentinel = eventsSupported
            ? Fixture.sentinel()
            : Fixture.sentinel(events: .error("ERR unknown subcommand 'EVENTS'. Try SENTINEL HELP."))
        let report = try StatusCollector(sentinel: sentinel, address: "127.0.0.1:26379").collect(master: nil)
        let data = Data(statusJSON(report).text.utf8)
        return try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
    }

    @Test func statusDocumentHasSentinelAndMasters() throws {
        let document = try statusDocument()
        let sentinel = try #require(document["sentinel"] as? [String: Any])
        #expect(sentinel["address"] as? String == "127.0.0.1:26379")
        #expect(sentinel["myid"] as? String == "ae36bb173a8bb3d81cb6f2e3a227783805a91f6f")
        #expect(sentinel["tilt"] as? Bool == false)

        let masters = try #require(document["masters"] as? [[String: Any]])
        let master = try #require(masters.first)
        #expect(Set(master.keys) == [
            "name", "address", "flags", "state", "failoverState", "configEpoch", "quorum", "numOtherSentinels",
            "masterReplOffset", "ckquorum", "replicas", "sentinels", "events",
        ])
        #expect(master["name"] as? String == "mymaster")
        #expect(master["address"] as? String == "127.0.0.1:17302")
        #expect(master["flags"] as? [String] == ["master"])
        #expect(master["state"] as? String == "ok")
        #expect(master["configEpoch"] as? Int == 1)
        #expect(master["quorum"] as? Int == 2)
        #expect(master["failoverState"] is NSNull)
        let ckquorum = try #require(master["ckquorum"] as? [String: Any])
        #expect(ckquorum["ok"] as? Bool == true)
        #expect((ckquorum["message"] as? String)?.hasPrefix("OK 3 usable Sentinels") == true)
    }

    @Test func statusDocumentListsReplicasSentinelsAndEvents() throws {
        let master = try #require((try statusDocument()["masters"] as? [[String: Any]])?.first)
        let replica = try #require((master["replicas"] as? [[String: Any]])?.first)
        #expect(replica["address"] as? String == "127.0.0.1:17301")
        #expect(replica["masterLinkStatus"] as? String == "ok")
        #expect(replica["replOffset"] as? Int == 827)
        #expect(replica["lagBytes"] as? Int == 173)
        #expect(replica["priority"] as? Int == 100)
        #expect(replica["lastOkPingReplyMs"] as? Int == 492)

        let sentinels = try #require(master["sentinels"] as? [[String: Any]])
        #expect(sentinels.map { $0["address"] as? String } == ["127.0.0.1:27302", "127.0.0.1:27303"])
        #expect(sentinels.first?["runid"] as? String == Fixture.peerB)
        #expect(sentinels.first?["votedLeader"] as? String == "?")
        #expect(sentinels.first?["votedLeaderEpoch"] as? Int == 0)
        #expect(sentinels.first?["lastHelloMessageMs"] as? Int == 1530)

        let events = try #require(master["events"] as? [[String: Any]])
        #expect(events.count == Fixture.leaderEvents.count)
        #expect(events[3]["event"] as? String == "+sdown")
        #expect(events[3]["payload"] as? String == "master mymaster 127.0.0.1 17301")
        #expect(events[3]["unixMs"] as? Int == Int(Fixture.t0))
    }

    @Test func sentinelWithoutEventsGivesAnEmptyList() throws {
        let master = try #require((try statusDocument(eventsSupported: false)["masters"] as? [[String: Any]])?.first)
        #expect((master["events"] as? [Any])?.isEmpty == true)
    }
}
