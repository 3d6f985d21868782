// ReplicationLogLine.swift — a log line the replication core asks its driver
// to write, with Redis's level and exact text (log tooling greps for these).
//
// Invariants: `text` is the message only (no pid/role/timestamp prefix); the
// level is the one Redis 7.0 uses for the same message.

/// The level of a replication log line (Redis's LL_* levels).
public enum ReplicationLogLevel: Int, Sendable, Comparable {
    case debug, verbose, notice, warning

    public static func < (a: ReplicationLogLevel, b: ReplicationLogLevel) -> Bool { a.rawValue < b.rawValue }
}

/// One line for the server log.
public struct ReplicationLogLine: Equatable, Sendable, CustomStringConvertible {
    /// Redis's level for this message.
    public var level: ReplicationLogLevel
    /// The message text, exactly as Redis 7.0 words it.
    public var text: String

    /// Creates a log line.
    public init(_ level: ReplicationLogLevel, _ text: String) {
        self.level = level
        self.text = text
    }

    /// A notice-level line.
    public static func notice(_ text: String) -> ReplicationLogLine { ReplicationLogLine(.notice, text) }
    /// A warning-level line.
    public static func warning(_ text: String) -> ReplicationLogLine { ReplicationLogLine(.warning, text) }

    public var description: String {
        switch level {
        case .debug: return ". " + text
        case .verbose: return "- " + text
        case .notice: return "* " + text
        case .warning: return "# " + text
        }
    }
}
