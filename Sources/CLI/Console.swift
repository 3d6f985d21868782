// Console.swift — vigil-cli's standard output and error streams.
//
// Invariants: stdout is buffered and flushed after every reply and before
// any prompt or stderr text, so interleaving on a terminal (and in a pipe
// read line by line) is the order things happened. stderr is unbuffered.

import RESP

/// Buffered stdout plus unbuffered stderr.
final class Console {
    private var pending = Bytes()

    /// Queues bytes for stdout.
    func write(_ bytes: Bytes) { pending += bytes }

    /// Queues text for stdout.
    func write(_ text: String) { pending += Array(text.utf8) }

    /// Writes what is queued for stdout.
    func flush() {
        guard !pending.isEmpty else { return }
        Sys.writeAll(1, pending)
        pending.removeAll(keepingCapacity: true)
    }

    /// Writes `line` and a newline to stderr (after flushing stdout).
    func error(_ line: String) {
        flush()
        Sys.writeAll(2, Array((line + "\n").utf8))
    }
}
