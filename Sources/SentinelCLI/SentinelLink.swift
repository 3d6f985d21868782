// SentinelLink.swift — the conversation with one sentinel: a blocking
// `Connection` from the CLI module, AUTH on connect, and transport errors
// mapped to `SentinelCLIFailure`.
//
// Invariants: error *replies* are returned as `.error` values for the caller
// to judge; only transport failures throw. After a throw the link is dead and
// the owner drops it.

import CLI
import RESP

/// Anything that can answer SENTINEL commands (a live link, or canned
/// replies in tests).
protocol SentinelCalling: AnyObject {
    /// Sends one command and returns its reply.
    func call(_ arguments: [String]) throws(SentinelCLIFailure) -> RESPValue
}

/// A live connection to a sentinel.
final class SentinelLink: SentinelCalling {
    private let connection: Connection
    private let address: String

    private init(connection: Connection, address: String) {
        self.connection = connection
        self.address = address
    }

    /// Connects to the sentinel in `options` and authenticates when a
    /// password was given (AUTH user pass with --user).
    static func connect(_ options: SentinelCLIOptions) throws(SentinelCLIFailure) -> SentinelLink {
        let connection: Connection
        do {
            connection = try Connection.open(host: options.host, port: options.port)
        } catch {
            throw .unreachable(address: options.address, reason: error.description)
        }
        let link = SentinelLink(connection: connection, address: options.address)
        if let password = options.password {
            let auth = options.user.map { ["AUTH", $0, password] } ?? ["AUTH", password]
            if case .error(let text) = try link.call(auth) { throw .authFailed(text) }
        }
        return link
    }

    func call(_ arguments: [String]) throws(SentinelCLIFailure) -> RESPValue {
        do {
            return try connection.call(arguments)
        } catch {
            throw .lostConnection(address: address, reason: error.description)
        }
    }
}
