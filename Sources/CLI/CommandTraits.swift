// CommandTraits.swift — what vigil-cli must know about a command before
// sending it (redis-cli's cliSendCommand and repl special cases):
//
//   1. Some replies are text meant to be read as is (INFO, CLIENT LIST,
//      LATENCY DOCTOR, ...): they are printed raw even on a terminal.
//   2. MONITOR and SUBSCRIBE/PSUBSCRIBE/SSUBSCRIBE switch to streaming:
//      every message is printed until the connection ends.
//   3. SHUTDOWN succeeds when the server closes the connection.
//   4. AUTH and ACL SETUSER lines carry passwords and stay out of history.

import RESP

/// How a command's replies are consumed.
public enum CommandMode: Equatable, Sendable {
    /// One reply per send.
    case normal
    /// MONITOR: an endless stream of status lines.
    case monitor
    /// SUBSCRIBE and friends: messages until an error reply.
    case subscribe
    /// SHUTDOWN: a closed connection is the expected answer.
    case shutdown
}

/// Classification of one command line (arguments after any repeat prefix).
public struct CommandTraits: Equatable, Sendable {
    /// The command name, lowercased.
    public let name: String
    /// Print replies with the raw formatter and no reply delimiter (rule 1).
    public let printsRawText: Bool
    /// How replies are consumed (rules 2 and 3).
    public let mode: CommandMode

    /// Classifies `arguments` (at least the command name).
    public init(_ arguments: [Bytes]) {
        let words = arguments.prefix(2).map { String(decoding: $0, as: UTF8.self).lowercased() }
        let name = words.first ?? ""
        let sub = words.count > 1 ? words[1] : ""
        let argc = arguments.count
        self.name = name
        switch name {
        case "info", "lolwut": printsRawText = true
        case "debug": printsRawText = argc >= 2 && (sub == "htstats" || sub == "htstats-key")
        case "memory": printsRawText = argc >= 2 && (sub == "malloc-stats" || sub == "doctor")
        case "cluster": printsRawText = argc == 2 && (sub == "nodes" || sub == "info")
        case "client": printsRawText = argc >= 2 && (sub == "list" || sub == "info")
        case "latency": printsRawText = (argc == 3 && sub == "graph") || (argc == 2 && sub == "doctor")
        case "proxy": printsRawText = argc >= 2 && sub == "info"
        default: printsRawText = false
        }
        switch name {
        case "monitor": mode = .monitor
        case "subscribe", "psubscribe", "ssubscribe": mode = .subscribe
        case "shutdown": mode = .shutdown
        default: mode = .normal
        }
    }
}

/// Rule 4: true when a typed line must not be saved in the history.
public func isSecretLine(_ arguments: [Bytes]) -> Bool {
    let words = arguments.prefix(2).map { String(decoding: $0, as: UTF8.self).lowercased() }
    guard let first = words.first else { return false }
    return first == "auth" || (first == "acl" && words.count > 1 && words[1] == "setuser")
}
