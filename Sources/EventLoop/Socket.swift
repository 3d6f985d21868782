// Socket.swift: thin non-blocking socket helpers, the namespace and its
// result types. Listening, connecting and I/O live in Socket+*.swift.
//
// Invariants: every descriptor these helpers create is non-blocking and
// close-on-exec; no helper crashes or blocks on outside input; failures are
// `SystemError`s naming the call, the address where useful, and the errno.

import CVigilSys
import Glibc

/// Non-blocking TCP socket helpers used by the loop's handlers.
public enum Socket {
    /// Outcome of a non-blocking read.
    public enum ReadResult: Sendable, Equatable {
        /// This many bytes (> 0, or 0 only for an empty destination) were read.
        case bytes(Int)
        /// Nothing to read now; wait for readability.
        case wouldBlock
        /// The peer closed its side (read returned 0).
        case closed
        /// The read failed (e.g. ECONNRESET).
        case error(SystemError)
    }

    /// Outcome of a non-blocking write.
    public enum WriteResult: Sendable, Equatable {
        /// This many bytes were written (possibly fewer than offered).
        case bytes(Int)
        /// The send buffer is full; arm writable interest and retry.
        case wouldBlock
        /// The write failed (EPIPE, ECONNRESET, ...).
        case error(SystemError)
    }

    /// The remote end of an accepted connection.
    public struct PeerAddress: Sendable, Hashable, CustomStringConvertible {
        /// Numeric IPv4/IPv6 address, or the socket path for a unix socket ("" if unnamed).
        public let ip: String
        /// TCP port; 0 for unix sockets.
        public let port: Int
        /// True for a unix-domain peer.
        public let isUnix: Bool

        /// Creates a peer address (mostly for tests).
        public init(ip: String, port: Int, isUnix: Bool = false) {
            self.ip = ip
            self.port = port
            self.isUnix = isUnix
        }

        /// True for an IP loopback peer (127.0.0.0/8, ::1, or IPv4-mapped
        /// 127.x). Unix-socket peers are not IP and report false; Redis's
        /// protected mode treats them as local too, so check `isUnix` as well.
        public var isLoopback: Bool {
            guard !isUnix else { return false }
            return ip.hasPrefix("127.") || ip == "::1" || ip.hasPrefix("::ffff:127.")
        }

        /// `ip:port`, with IPv6 in brackets (`[::1]:6379`) as Redis prints it;
        /// for unix sockets `path:0`, as Redis's CLIENT LIST does.
        public var description: String {
            !isUnix && ip.contains(":") ? "[\(ip)]:\(port)" : "\(ip):\(port)"
        }
    }

    /// Closes `fd`. Never retried on EINTR (on Linux the fd is gone anyway).
    public static func close(fd: Int32) {
        _ = Glibc.close(fd)
    }

    /// Sets TCP_NODELAY (no Nagle delay on small replies). Errors are ignored:
    /// they only happen for non-TCP sockets, where the option is meaningless.
    public static func setNoDelay(fd: Int32) {
        _ = vigil_set_int_option(fd, Int32(IPPROTO_TCP), TCP_NODELAY, 1)
    }

    /// Enables TCP keepalive like Redis's `tcp-keepalive`: first probe after
    /// `intervalSeconds` idle, then 3 probes `intervalSeconds / 3` apart.
    /// 0 just sets SO_KEEPALIVE with system timings. Errors are ignored.
    public static func setKeepAlive(fd: Int32, intervalSeconds: Int) {
        _ = vigil_set_keepalive(fd, Int32(clamping: intervalSeconds))
    }

    /// The local port `fd` is bound to (useful after listening on port 0).
    public static func localPort(fd: Int32) -> Int? {
        var storage = sockaddr_storage()
        var length = socklen_t(MemoryLayout<sockaddr_storage>.size)
        let result = withUnsafeMutablePointer(to: &storage) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        guard result == 0 else { return nil }
        return format(storage, length: length)?.port
    }

    /// The local address of a bound or connected socket (CLIENT LIST's laddr).
    public static func localAddress(fd: Int32) -> PeerAddress? {
        var storage = sockaddr_storage()
        var length = socklen_t(MemoryLayout<sockaddr_storage>.size)
        let result = withUnsafeMutablePointer(to: &storage) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        guard result == 0 else { return nil }
        return format(storage, length: length)
    }

    /// The peer's address, for a connected socket.
    public static func peerAddress(fd: Int32) -> PeerAddress? {
        var storage = sockaddr_storage()
        var length = socklen_t(MemoryLayout<sockaddr_storage>.size)
        let result = withUnsafeMutablePointer(to: &storage) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { getpeername(fd, $0, &length) }
        }
        guard result == 0 else { return nil }
        return format(storage, length: length)
    }

    // MARK: - address helpers

    /// Parses a numeric host (see `vigil_parse_address`) or throws EINVAL with
    /// a message saying what is accepted.
    static func parse(host: String, port: Int, for operation: String) throws(SystemError) -> (sockaddr_storage, socklen_t) {
        guard (0...65535).contains(port) else {
            throw SystemError(operation: "\(operation) \(host):\(port): port must be 0-65535", errno: EINVAL)
        }
        var storage = sockaddr_storage()
        var length = socklen_t(0)
        let family = vigil_parse_address(host, Int32(port), &storage, &length)
        guard family >= 0 else {
            throw SystemError(
                operation: "\(operation) \(host): expected a numeric IPv4/IPv6 address, localhost, * or ::*",
                errno: EINVAL)
        }
        return (storage, length)
    }

    static func format(_ storage: sockaddr_storage, length: socklen_t) -> PeerAddress? {
        var storage = storage
        return withUnsafeTemporaryAllocation(of: CChar.self, capacity: 128) { text -> PeerAddress? in
            guard let base = text.baseAddress else { return nil }
            var port: Int32 = 0
            let family = vigil_format_address(&storage, length, base, text.count, &port)
            guard family >= 0 else { return nil }
            return PeerAddress(ip: String(cString: base), port: Int(port), isUnix: family == AF_UNIX)
        }
    }
}
