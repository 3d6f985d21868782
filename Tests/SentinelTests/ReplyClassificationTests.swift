// How the daemon turns instance replies into core inputs, and the bounded
// event history.

import Testing
import RESP
import SentinelCore
@testable import Sentinel

@Suite struct ReplyClassificationTests {
    @Test(arguments: [
        (RESPValue.simple("PONG"), PingReply.available(isPong: true)),
        (.error("LOADING Redis is loading the dataset in memory"), .available(isPong: false)),
        (.error("MASTERDOWN Link with MASTER is down and replica-serve-stale-data is set to 'no'."), .available(isPong: false)),
        (.error("BUSY Redis is busy running a script."), .busy),
        (.error("NOAUTH Authentication required."), .other),
        (.bulk(Array("PONG".utf8)), .other),
        (.integer(1), .other),
    ])
    func pingRepliesAreClassifiedAsRedisDoes(_ value: RESPValue, _ expected: PingReply) {
        #expect(SentinelDaemon.classifyPing(value) == expected)
    }

    @Test func aWellFormedVoteReplyIsParsed() {
        let value = RESPValue.array([.integer(1), .bulk(Array("abc".utf8)), .integer(7)])
        #expect(SentinelDaemon.parseMasterState(value) == MasterStateReply(isDown: true, leader: "abc", leaderEpoch: 7))
    }

    @Test(arguments: [
        RESPValue.array([.integer(1), .bulk(Array("abc".utf8))]),
        .array([.bulk(Array("1".utf8)), .bulk(Array("abc".utf8)), .integer(7)]),
        .array([.integer(1), .integer(2), .integer(7)]),
        .array([.integer(1), .bulk(Array("abc".utf8)), .integer(-1)]),
        .error("ERR unknown command"),
        .null,
        .array([.integer(0), .bulk(Array(repeating: 97, count: 100_000)), .integer(1)]),
    ])
    func aMalformedVoteReplyIsRejected(_ value: RESPValue) {
        #expect(SentinelDaemon.parseMasterState(value) == nil)
    }

    @Test func theHistoryKeepsTheNewestEventsInOrder() {
        var history = EventHistory(capacity: 3)
        for i in 0..<5 {
            history.append(RecordedEvent(time: Int64(i), event: SentinelEvent(.notice, "+e\(i)", masterName: nil, payload: "")))
        }
        #expect(history.all.map(\.time) == [2, 3, 4])
    }
}
