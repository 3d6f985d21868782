// WriteStatistics.swift — what the acknowledged writes say: the longest gap
// between two acks around a fault (the write-unavailability window), and the
// writes per 100 ms the SVG draws as bars.
//
// The unavailability window of a fault injected at F and settled at S is the
// longest interval between two consecutive acks (a, b) with b ≥ F and a ≤ S,
// i.e. the longest silence that overlaps [F, S]. The silence after the last
// ack, up to the writer's stop, counts too: when it is the longest the window
// is open (writes never resumed).
//
// Invariants: pure; ack times are ascending (one writer records them in order).

/// A silence between two acknowledged writes.
public struct WriteGap: Equatable, Sendable {
    /// The last ack before the silence (nil: there was none).
    public var before: Ack?
    /// The first ack after it (nil: writes never resumed).
    public var after: Ack?
    /// Start of the silence.
    public var start: Int64
    /// End of the silence (the writer's stop when `after` is nil).
    public var end: Int64

    /// Creates a gap.
    public init(before: Ack?, after: Ack?, start: Int64, end: Int64) {
        self.before = before
        self.after = after
        self.start = start
        self.end = end
    }

    /// Its length in nanoseconds.
    public var duration: Int64 { end - start }
    /// True when writes never resumed.
    public var isOpen: Bool { after == nil }
}

/// The write-unavailability window around a fault (see the file header).
public func unavailabilityWindow(acks: [Ack], faultTime: Int64, settled: Int64?, writerStopped: Int64) -> WriteGap? {
    let until = settled ?? writerStopped
    var best: WriteGap?
    var previous: Ack?
    for ack in acks {
        defer { previous = ack }
        guard let before = previous, ack.time >= faultTime, before.time <= until else { continue }
        let gap = WriteGap(before: before, after: ack, start: before.time, end: ack.time)
        if gap.duration > (best?.duration ?? -1) { best = gap }
    }
    // The silence after the last ack, up to the writer's stop, when it overlaps the window.
    let lastTime = acks.last?.time ?? Int64.min
    if lastTime <= until && writerStopped >= faultTime {
        let before = acks.last
        let gap = WriteGap(before: before, after: nil, start: before?.time ?? faultTime, end: max(writerStopped, faultTime))
        if gap.duration > (best?.duration ?? -1) { best = gap }
    }
    return best
}

/// Acks per 100 ms bucket, bucket 0 starting at `origin`.
public struct WriteBuckets: Equatable, Sendable {
    /// Index of the first bucket (negative: before the origin).
    public var firstIndex: Int
    /// Counts per bucket, from `firstIndex` on.
    public var counts: [Int]

    /// Creates buckets.
    public init(firstIndex: Int, counts: [Int]) {
        self.firstIndex = firstIndex
        self.counts = counts
    }

    /// The bucket length.
    public static let width: Int64 = 100_000_000

    /// Counts `times` into 100 ms buckets relative to `origin`, covering `range` (relative ns).
    public init(times: [Int64], origin: Int64, covering range: ClosedRange<Int64>) {
        let first = floorDivide(range.lowerBound, Self.width)
        let last = floorDivide(range.upperBound, Self.width)
        var counts = [Int](repeating: 0, count: max(0, last - first + 1))
        for time in times {
            let index = floorDivide(time - origin, Self.width) - first
            if index >= 0 && index < counts.count { counts[index] += 1 }
        }
        self.init(firstIndex: first, counts: counts)
    }

    /// The count of bucket `index` (0 outside the covered range).
    public func count(at index: Int) -> Int {
        let offset = index - firstIndex
        return offset >= 0 && offset < counts.count ? counts[offset] : 0
    }
}

/// Division rounding towards minus infinity.
func floorDivide(_ a: Int64, _ b: Int64) -> Int {
    let q = a / b
    return Int((a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q)
}
