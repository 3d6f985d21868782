// Connection.swift — one blocking connection to a server: send a command,
// read the next reply. This is hiredis's redisCommand for vigil-cli.
//
// Invariants: received bytes wait in a `ValueStream` (RESP) until a whole
// reply is there. After any error the connection is unusable and the owner
// drops it (the descriptor is closed on deinit).

import RESP

/// Why talking to the server failed, worded like hiredis's `errstr`.
public enum ConnectionError: Error, Equatable, Sendable, CustomStringConvertible {
    /// Connecting failed: "Connection refused", "Name or service not known", ...
    case connect(reason: String)
    /// The server closed the connection (EOF while waiting for a reply).
    case closed
    /// A read or write failed with this errno.
    case io(errno: Int32)
    /// The server sent bytes that are not RESP ("Protocol error: ...").
    case protocolError(String)

    public var description: String {
        switch self {
        case .connect(let reason): return reason
        case .closed: return "Server closed the connection"
        case .io(let code): return Sys.errorText(code)
        case .protocolError(let message): return message
        }
    }
}

/// A blocking connection to one server (also used by SentinelCLI).
public final class Connection {
    private let fd: Int32
    private var incoming = ValueStream()

    private init(fd: Int32) { self.fd = fd }

    deinit { Sys.closeDescriptor(fd) }

    /// Connects to `host:port`.
    public static func open(host: String, port: Int) throws(ConnectionError) -> Connection {
        switch Sys.connectTCP(host: host, port: port) {
        case .success(let fd): return Connection(fd: fd)
        case .failure(let error): throw error
        }
    }

    /// Sends one command (a RESP array of bulk strings).
    public func send(_ arguments: [Bytes]) throws(ConnectionError) {
        if let code = Sys.sendAll(fd, encodeCommand(arguments)) { throw .io(errno: code) }
    }

    /// Blocks until the next complete reply has arrived and returns it.
    public func readReply() throws(ConnectionError) -> RESPValue {
        while true {
            if let reply = try nextBuffered() { return reply }
            switch Sys.receive(fd, into: &incoming.received) {
            case .success(0): throw .closed
            case .success: continue
            case .failure(let failure): throw .io(errno: failure.code)
            }
        }
    }

    /// Sends a command and reads its reply (the connect-time AUTH/SELECT/HELLO).
    public func call(_ arguments: [String]) throws(ConnectionError) -> RESPValue {
        try send(arguments.map { Array($0.utf8) })
        return try readReply()
    }

    private func nextBuffered() throws(ConnectionError) -> RESPValue? {
        do { return try incoming.next() } catch { throw .protocolError(error.message) }
    }
}
