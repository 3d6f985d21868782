// MonotonicClock.swift — the drill's one time source: CLOCK_MONOTONIC in
// nanoseconds, and sleeping. Every recorded instant (acks, sentinel events,
// drill actions) comes from here so they can be compared with each other.
//
// Invariants: readings never go backwards; sleeping resumes after signals.

import Glibc

/// Monotonic time, in nanoseconds since an arbitrary origin.
public enum MonotonicClock {
    /// The current reading.
    public static func now() -> Int64 {
        var spec = timespec()
        clock_gettime(CLOCK_MONOTONIC, &spec)
        return Int64(spec.tv_sec) * 1_000_000_000 + Int64(spec.tv_nsec)
    }

    /// Blocks the calling thread for `milliseconds`.
    public static func sleep(milliseconds: Int64) {
        sleep(nanoseconds: milliseconds * 1_000_000)
    }

    /// Blocks the calling thread for `nanoseconds`.
    public static func sleep(nanoseconds: Int64) {
        guard nanoseconds > 0 else { return }
        var request = timespec(tv_sec: Int(nanoseconds / 1_000_000_000), tv_nsec: Int(nanoseconds % 1_000_000_000))
        var remaining = timespec()
        while nanosleep(&request, &remaining) != 0 && errno == EINTR { request = remaining }
    }
}
