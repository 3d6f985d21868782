// SentinelCLIFailure.swift — why a verb could not do its job, the message
// printed on stderr and the exit code it maps to.
//
// Exit codes: 1 unreachable / auth failed / lost connection / error reply /
// unexpected reply; 3 a master named on the command line is unknown
// (2, usage errors, is decided before anything runs).

/// A failure of a verb after its arguments were accepted.
enum SentinelCLIFailure: Error, Equatable, Sendable {
    /// Connecting failed ("Connection refused").
    case unreachable(address: String, reason: String)
    /// AUTH was refused, with the sentinel's error text.
    case authFailed(String)
    /// The connection broke mid-conversation.
    case lostConnection(address: String, reason: String)
    /// The sentinel answered with this error text.
    case errorReply(String)
    /// The sentinel does not know the master named on the command line.
    case unknownMaster(String)
    /// A reply that does not have the shape the command promises.
    case unexpectedReply(command: String)

    /// The line printed on stderr.
    var message: String {
        switch self {
        case .unreachable(let address, let reason): return "Could not connect to sentinel at \(address): \(reason)"
        case .authFailed(let text): return "AUTH failed: \(text)"
        case .lostConnection(let address, let reason): return "Lost connection to sentinel at \(address): \(reason)"
        case .errorReply(let text), .unknownMaster(let text): return text
        case .unexpectedReply(let command): return "Unexpected reply to \(command)"
        }
    }

    /// The process exit code.
    var exitCode: Int32 {
        switch self {
        case .unknownMaster: return 3
        case .unreachable, .authFailed, .lostConnection, .errorReply, .unexpectedReply: return 1
        }
    }

    /// `.unknownMaster` for Redis's "No such master with that name" error,
    /// `.errorReply` otherwise.
    static func fromErrorReply(_ text: String) -> SentinelCLIFailure {
        text.contains("No such master") ? .unknownMaster(text) : .errorReply(text)
    }
}
