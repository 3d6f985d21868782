// WriteStatisticsTests.swift — the unavailability window and the 100 ms buckets.

import Drill
import Testing

@Suite struct WriteStatisticsTests {
    @Test func theWindowIsTheSilenceSpanningTheFault() throws {
        let all = acks(from: -1000, to: -10, on: n0, firstSeq: 1) + acks(from: 600, to: 2000, on: n1, firstSeq: 100)
        let gap = try #require(unavailabilityWindow(acks: all, faultTime: fault, settled: fault + 900 * ms, writerStopped: fault + 2001 * ms))
        #expect(gap.start == fault - 10 * ms && gap.end == fault + 600 * ms)
        #expect(gap.before?.node == n0 && gap.after?.node == n1 && !gap.isOpen)
        #expect(gap.duration == 610 * ms)
    }

    @Test func aLongerSilenceAfterTheFaultButBeforeSettlingCounts() throws {
        let all = acks(from: -500, to: 0, on: n0, firstSeq: 1) + acks(from: 20, to: 100, on: n0, firstSeq: 60)
            + acks(from: 1100, to: 1500, on: n1, firstSeq: 90)
        let gap = try #require(unavailabilityWindow(acks: all, faultTime: fault, settled: fault + 1200 * ms, writerStopped: fault + 1500 * ms))
        #expect(gap.start == fault + 100 * ms && gap.end == fault + 1100 * ms)
    }

    @Test func aSilenceStartingBeforeSettlingCountsWhereverItEnds() throws {
        let all = acks(from: -100, to: 0, on: n0, firstSeq: 1) + acks(from: 50, to: 100, on: n0, firstSeq: 20)
            + acks(from: 3000, to: 3100, on: n0, firstSeq: 40)
        let gap = try #require(unavailabilityWindow(acks: all, faultTime: fault, settled: fault + 200 * ms, writerStopped: fault + 3100 * ms))
        #expect(gap.end == fault + 3000 * ms)  // this silence starts before settling: it overlaps
        let settledLater = try #require(unavailabilityWindow(acks: all.filter { $0.time <= fault + 100 * ms }, faultTime: fault,
                                                             settled: fault + 200 * ms, writerStopped: fault + 101 * ms))
        #expect(settledLater.duration == 50 * ms && !settledLater.isOpen)
    }

    @Test func writesThatNeverResumeGiveAnOpenWindowToTheWritersStop() throws {
        let all = acks(from: -500, to: 5, on: n0, firstSeq: 1)
        let gap = try #require(unavailabilityWindow(acks: all, faultTime: fault, settled: nil, writerStopped: fault + 4000 * ms))
        #expect(gap.isOpen && gap.start == all.last?.time && gap.end == fault + 4000 * ms)
        let none = try #require(unavailabilityWindow(acks: [], faultTime: fault, settled: nil, writerStopped: fault + 10 * ms))
        #expect(none.isOpen && none.before == nil && none.duration == 10 * ms)
    }

    @Test func bucketsCountAcksPer100msOnBothSidesOfTheOrigin() {
        let times = [-250, -150, -101, -100, -1, 0, 99, 100, 350].map { fault + Int64($0) * ms }
        let buckets = WriteBuckets(times: times, origin: fault, covering: (-300 * ms)...(399 * ms))
        #expect(buckets.firstIndex == -3)
        #expect(buckets.counts == [1, 2, 2, 2, 1, 0, 1])
        #expect(buckets.count(at: -2) == 2 && buckets.count(at: 3) == 1 && buckets.count(at: 9) == 0)
    }

    @Test(arguments: [(0, "+0.000"), (1_234_567_000, "+1.235"), (-20_000_000, "-0.020"), (-1_999_600_000, "-2.000")] as [(Int64, String)])
    func secondsAreSignedWithMilliseconds(_ nanoseconds: Int64, _ text: String) {
        #expect(formatSeconds(nanoseconds) == text)
    }
}
