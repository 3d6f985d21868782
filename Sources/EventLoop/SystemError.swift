// SystemError.swift: the one error type of the EventLoop module, a failed
// syscall named by what we were doing plus the errno it left.
// Invariant: `errno` is a positive errno value; `description` never allocates
// more than the message and never crashes for unknown values.

import CVigilSys

/// A failed system call: what was being attempted and the errno it returned.
///
/// `description` reads like Redis's log lines, e.g. `bind: Address already in use`.
public struct SystemError: Error, CustomStringConvertible, Sendable, Equatable {
    /// What was being attempted, e.g. `"bind"` or `"connect 10.0.0.1:6379"`.
    public let operation: String
    /// The errno value the call left (`ECONNREFUSED`, `EADDRINUSE`, ...).
    public let errno: Int32

    /// Creates an error for `operation` failing with `errno`.
    public init(operation: String, errno: Int32) {
        self.operation = operation
        self.errno = errno
    }

    /// The system's text for `errno`, e.g. `"Connection refused"`.
    public var message: String {
        withUnsafeTemporaryAllocation(of: CChar.self, capacity: 256) { buffer in
            guard let base = buffer.baseAddress else { return "errno \(errno)" }
            vigil_strerror(errno, base, buffer.count)
            return String(cString: base)
        }
    }

    /// `"operation: message"`, e.g. `"bind: Address already in use"`.
    public var description: String { "\(operation): \(message)" }

    /// Captures the calling thread's current errno.
    @usableFromInline
    static func current(_ operation: String) -> SystemError {
        SystemError(operation: operation, errno: vigil_errno())
    }
}
