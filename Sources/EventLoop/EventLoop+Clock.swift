// EventLoop+Clock.swift: the clocks. Only the shell reads them; pure modules
// get `now` passed in. Monotonic time drives timers; wall-clock time is for
// display and for values Redis reports in unix time.

import CVigilSys

extension EventLoop {
    /// Milliseconds on CLOCK_MONOTONIC (arbitrary origin, never goes back).
    public var monotonicMilliseconds: Int64 {
        vigil_monotonic_nanoseconds() / 1_000_000
    }

    /// Milliseconds since the Unix epoch (CLOCK_REALTIME; may jump).
    public static func wallClockMilliseconds() -> Int64 {
        vigil_realtime_nanoseconds() / 1_000_000
    }

    /// Microseconds since the Unix epoch (CLOCK_REALTIME; may jump).
    public static func wallClockMicroseconds() -> Int64 {
        vigil_realtime_nanoseconds() / 1_000
    }

    /// Milliseconds on CLOCK_MONOTONIC, for code without a loop at hand
    /// (helper threads, tests). Same clock as `monotonicMilliseconds`.
    public static func monotonicMillisecondsNow() -> Int64 {
        vigil_monotonic_nanoseconds() / 1_000_000
    }
}
