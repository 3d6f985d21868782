// LoopTestSupport.swift: shared helpers for the EventLoop tests: running a
// loop with a watchdog (no test can hang), byte patterns, and pipes.
// Every helper that opens a descriptor documents who closes it.

import Glibc
import Testing
@testable import EventLoop

/// Runs `loop` until a handler stops it; if it is still running after
/// `timeoutMilliseconds`, stops it and records a test failure.
func runLoop(
    _ loop: EventLoop,
    timeoutMilliseconds: Int64 = 5000,
    sourceLocation: SourceLocation = #_sourceLocation
) {
    var timedOut = false
    let watchdog = loop.schedule(afterMilliseconds: timeoutMilliseconds) { [unowned loop] in
        timedOut = true
        loop.stop()
    }
    loop.run()
    loop.cancel(watchdog)
    #expect(!timedOut, "loop did not stop within \(timeoutMilliseconds) ms", sourceLocation: sourceLocation)
}

/// A pipe's (read, write) ends; the caller closes both.
func makePipe() -> (read: Int32, write: Int32) {
    var fds: [Int32] = [-1, -1]
    let result = fds.withUnsafeMutableBufferPointer { pipe($0.baseAddress) }
    precondition(result == 0, "pipe failed in test setup")
    return (fds[0], fds[1])
}

/// Writes all of `bytes` to a blocking fd (test setup only).
func writeAll(_ fd: Int32, _ bytes: [UInt8]) {
    bytes.withUnsafeBytes { raw in
        var offset = 0
        while offset < raw.count {
            let n = Glibc.write(fd, raw.baseAddress! + offset, raw.count - offset)
            precondition(n > 0, "write failed in test setup")
            offset += n
        }
    }
}

/// Deterministic test bytes: byte at absolute offset o is o % 251, so any
/// window can be checked against its position in the stream.
enum Pattern {
    static let period = 251
    /// A block whose length is a multiple of the period, so it can be sent repeatedly.
    static let block: [UInt8] = (0..<(period * 256)).map { UInt8($0 % period) }

    static func bytes(count: Int, startingAt offset: Int = 0) -> [UInt8] {
        (0..<count).map { UInt8((offset + $0) % period) }
    }

    /// Whether `window`, received at stream offset `offset`, matches the pattern.
    static func matches(_ window: UnsafeRawBufferPointer, at offset: Int) -> Bool {
        var checked = 0
        return block.withUnsafeBytes { reference in
            while checked < window.count {
                let phase = (offset + checked) % period
                let run = min(window.count - checked, reference.count - phase)
                if memcmp(window.baseAddress! + checked, reference.baseAddress! + phase, run) != 0 { return false }
                checked += run
            }
            return true
        }
    }
}
