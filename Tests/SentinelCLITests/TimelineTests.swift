// TimelineTests.swift — which events "Last failover" shows, and how times print.

import Testing
@testable import SentinelCLI

@Suite struct TimelineTests {
    @Test func leaderTimelineStartsAtTheMastersSdownBeforeTryFailover() throws {
        let timeline = try #require(FailoverTimeline(events: Fixture.leaderEvents))
        #expect(timeline.kind == .lastFailover)
        #expect(timeline.events.first?.name == "+sdown")
        #expect(timeline.events.last?.name == "+slave")
        #expect(timeline.events.count == Fixture.leaderEvents.count - 3)
    }

    @Test func observerTimelineStartsAtItsVoteBeforeSwitchMaster() throws {
        let timeline = try #require(FailoverTimeline(events: Fixture.observerEvents))
        #expect(timeline.kind == .lastFailover)
        #expect(timeline.events.map(\.name) == [
            "+new-epoch", "+vote-for-leader", "+sdown", "+odown", "+config-update-from",
            "+switch-master", "+slave", "+sdown",
        ])
    }

    @Test func onlyTheMostRecentFailoverIsShown() throws {
        let later = Fixture.observerEvents.map { event in
            SentinelEventRecord(unixMs: event.unixMs + 60_000, master: event.master, name: event.name, payload: event.payload)
        }
        let timeline = try #require(FailoverTimeline(events: Fixture.leaderEvents + later))
        #expect(timeline.events.first == later[1])
        #expect(timeline.events.count == later.count - 1)
    }

    @Test func replicaSdownDoesNotLeadIntoAFailover() throws {
        let events = [
            Fixture.event(-5000, "+sdown", "slave 127.0.0.1:17303 127.0.0.1 17303 @ mymaster 127.0.0.1 17301"),
            Fixture.event(0, "+try-failover", "master mymaster 127.0.0.1 17301"),
        ]
        #expect(try #require(FailoverTimeline(events: events)).events == [events[1]])
    }

    @Test func withoutAFailoverTheLastTwentyEventsAreShown() throws {
        let events = (0..<30).map { Fixture.event(Int64($0), "+sentinel", "sentinel \($0)") }
        let timeline = try #require(FailoverTimeline(events: events))
        #expect(timeline.kind == .recent)
        #expect(timeline.events == Array(events.suffix(20)))
    }

    @Test func noEventsNoTimeline() {
        #expect(FailoverTimeline(events: []) == nil)
    }

    @Test(arguments: [(Int64(0), "+0.000s"), (1234, "+1.234s"), (67, "+0.067s"), (61_005, "+61.005s"), (-20, "-0.020s")])
    func relativeTimesHaveMillisecondPrecision(ms: Int64, text: String) {
        #expect(relativeTime(ms: ms) == text)
    }
}
