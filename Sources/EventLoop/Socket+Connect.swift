// Socket+Connect.swift: non-blocking outbound TCP connections (replicas to
// masters, sentinels to instances).
//
// Protocol: `connect` returns at once with a socket whose connection is in
// progress. Register it for writability; when the handler fires (writable or
// hangup), `connectResult(fd:)` says whether it succeeded (SO_ERROR).
// Only numeric addresses and "localhost" are accepted: resolving names would
// block the loop.

import CVigilSys
import Glibc

extension Socket {
    /// Starts a non-blocking TCP connection to `host:port` (numeric IPv4/IPv6
    /// or `localhost`). Throws for a bad address or an immediate failure.
    public static func connect(host: String, port: Int) throws(SystemError) -> Int32 {
        var (storage, length) = try parse(host: host, port: port, for: "connect")
        let fd = vigil_stream_socket(Int32(storage.ss_family))
        guard fd >= 0 else { throw SystemError.current("socket") }
        let result = withUnsafeMutablePointer(to: &storage) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { Glibc.connect(fd, $0, length) }
        }
        if result == 0 { return fd }
        let error = vigil_errno()
        // EINTR: the connection goes on in the background, like EINPROGRESS.
        if error == EINPROGRESS || error == EINTR { return fd }
        Glibc.close(fd)
        throw SystemError(operation: "connect \(host):\(port)", errno: error)
    }

    /// After a connecting socket became writable (or hung up): nil if the
    /// connection is established, otherwise why it failed (SO_ERROR, e.g.
    /// ECONNREFUSED).
    public static func connectResult(fd: Int32) -> SystemError? {
        var error: Int32 = 0
        guard vigil_socket_error(fd, &error) == 0 else { return SystemError.current("getsockopt SO_ERROR") }
        return error == 0 ? nil : SystemError(operation: "connect", errno: error)
    }
}
