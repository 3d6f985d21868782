// DrillClient.swift — a tiny blocking RESP client with timeouts, the way
// failover-aware client libraries talk to nodes and sentinels: every connect
// and every reply has a deadline, so a stopped (SIGSTOP) or dead server costs
// a bounded wait, never a hang.
//
// Invariants: the socket is non-blocking and close-on-exec; waits use poll
// with the remaining time to the deadline. `incoming` (RESP's ValueStream)
// holds received bytes from a frame boundary on. A timeout while reading keeps the partial
// reply buffered (a subscriber may simply read again); any other error makes
// the client unusable and its owner drops it. The descriptor closes on deinit.

import Glibc
import RESP

/// Why a call to a server failed.
public enum DrillClientError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The address could not be reached (refused, unreachable, bad host).
    case connect(String)
    /// No reply before the deadline.
    case timeout
    /// The server closed the connection.
    case closed
    /// A socket call failed with this errno.
    case io(Int32)
    /// The server sent bytes that are not RESP.
    case protocolError(String)

    public var description: String {
        switch self {
        case .connect(let reason): return "connect failed: \(reason)"
        case .timeout: return "timed out"
        case .closed: return "connection closed"
        case .io(let code): return String(cString: strerror(code))
        case .protocolError(let text): return "protocol error: \(text)"
        }
    }
}

/// One connection to a node or a sentinel.
public final class DrillClient {
    /// The server this client talks to.
    public let address: NodeAddress
    private let fd: Int32
    private var incoming = ValueStream()

    private init(fd: Int32, address: NodeAddress) {
        self.fd = fd
        self.address = address
    }

    deinit { close(fd) }

    /// Connects within `timeoutMilliseconds`. Only IPv4 literals and
    /// "localhost" are accepted as hosts (what the drill's clusters announce).
    public static func connect(_ address: NodeAddress, timeoutMilliseconds: Int) throws(DrillClientError) -> DrillClient {
        var sin = sockaddr_in()
        sin.sin_family = sa_family_t(AF_INET)
        sin.sin_port = in_port_t(UInt16(truncatingIfNeeded: address.port).bigEndian)
        let host = address.host == "localhost" ? "127.0.0.1" : address.host
        guard inet_pton(AF_INET, host, &sin.sin_addr) == 1 else { throw .connect("not an IPv4 address: \(host)") }
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue) | Int32(SOCK_NONBLOCK.rawValue), 0)
        guard fd >= 0 else { throw .io(errno) }
        let client = DrillClient(fd: fd, address: address)
        let status = withUnsafePointer(to: &sin) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                Glibc.connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        if status != 0 {
            guard errno == EINPROGRESS else { throw .connect(String(cString: strerror(errno))) }
            guard try client.wait(for: Int16(POLLOUT), until: deadline(after: timeoutMilliseconds)) else {
                throw .connect("timed out")
            }
            var soError: Int32 = 0
            var length = socklen_t(MemoryLayout<Int32>.size)
            getsockopt(fd, SOL_SOCKET, SO_ERROR, &soError, &length)
            if soError != 0 { throw .connect(String(cString: strerror(soError))) }
        }
        var one: Int32 = 1
        setsockopt(fd, Int32(IPPROTO_TCP), TCP_NODELAY, &one, socklen_t(MemoryLayout<Int32>.size))
        return client
    }

    /// Sends a command and waits at most `timeoutMilliseconds` for its reply.
    public func call(_ arguments: [String], timeoutMilliseconds: Int) throws(DrillClientError) -> RESPValue {
        let limit = deadline(after: timeoutMilliseconds)
        try send(arguments, until: limit)
        return try readReply(until: limit)
    }

    /// Sends several commands at once and reads all their replies (pipelining).
    public func pipeline(_ commands: [[String]], timeoutMilliseconds: Int) throws(DrillClientError) -> [RESPValue] {
        let limit = deadline(after: timeoutMilliseconds)
        var bytes = Bytes()
        for command in commands { bytes += encodeCommand(command) }
        try sendBytes(bytes, until: limit)
        var replies: [RESPValue] = []
        replies.reserveCapacity(commands.count)
        for _ in commands { replies.append(try readReply(until: limit)) }
        return replies
    }

    /// Sends one command without reading a reply.
    public func send(_ arguments: [String], timeoutMilliseconds: Int) throws(DrillClientError) {
        try send(arguments, until: deadline(after: timeoutMilliseconds))
    }

    /// Waits at most `timeoutMilliseconds` for the next reply or push.
    public func read(timeoutMilliseconds: Int) throws(DrillClientError) -> RESPValue {
        try readReply(until: deadline(after: timeoutMilliseconds))
    }

    // MARK: - I/O

    private func send(_ arguments: [String], until limit: Int64) throws(DrillClientError) {
        try sendBytes(encodeCommand(arguments), until: limit)
    }

    private func sendBytes(_ bytes: Bytes, until limit: Int64) throws(DrillClientError) {
        var sent = 0
        while sent < bytes.count {
            let n = bytes.withUnsafeBytes { buffer in
                Glibc.send(fd, buffer.baseAddress.map { $0 + sent }, buffer.count - sent, Int32(MSG_NOSIGNAL))
            }
            if n > 0 { sent += n; continue }
            if n < 0 && errno == EINTR { continue }
            if n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK) {
                guard try wait(for: Int16(POLLOUT), until: limit) else { throw .timeout }
                continue
            }
            throw .io(errno)
        }
    }

    private func readReply(until limit: Int64) throws(DrillClientError) -> RESPValue {
        while true {
            if let reply = try nextBuffered() { return reply }
            guard try wait(for: Int16(POLLIN), until: limit) else { throw .timeout }
            try receive()
        }
    }

    private func receive() throws(DrillClientError) {
        let chunk = 16 * 1024
        let base = incoming.received.count
        incoming.received.append(contentsOf: repeatElement(0, count: chunk))
        while true {
            let n = incoming.received.withUnsafeMutableBytes { buffer in
                recv(fd, buffer.baseAddress.map { $0 + base }, chunk, 0)
            }
            let code = errno
            incoming.received.removeLast(chunk - max(n, 0))
            if n > 0 { return }
            if n == 0 { throw .closed }
            if code == EINTR { incoming.received.append(contentsOf: repeatElement(0, count: chunk)); continue }
            if code == EAGAIN || code == EWOULDBLOCK { return }
            throw .io(code)
        }
    }

    /// Waits until `fd` is ready for `events`; false when the deadline passed.
    private func wait(for events: Int16, until limit: Int64) throws(DrillClientError) -> Bool {
        while true {
            let remaining = (limit - MonotonicClock.now()) / 1_000_000
            if remaining <= 0 { return false }
            var entry = pollfd(fd: fd, events: events, revents: 0)
            let n = poll(&entry, 1, Int32(min(remaining, Int64(Int32.max))))
            if n > 0 { return true }
            if n == 0 { return false }
            if errno != EINTR { throw .io(errno) }
        }
    }

    private func nextBuffered() throws(DrillClientError) -> RESPValue? {
        do { return try incoming.next() } catch { throw .protocolError(error.message) }
    }
}

/// The monotonic instant `milliseconds` from now.
private func deadline(after milliseconds: Int) -> Int64 {
    MonotonicClock.now() + Int64(milliseconds) * 1_000_000
}
