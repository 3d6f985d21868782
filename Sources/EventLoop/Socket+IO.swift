// Socket+IO.swift: non-blocking read and write, the per-event hot path.
//
// Invariants: EINTR is retried; EAGAIN becomes `.wouldBlock`; writes never
// raise SIGPIPE (MSG_NOSIGNAL on sockets; non-sockets fall back to write(2),
// where the loop's SIG_IGN covers it).

import CVigilSys
import Glibc

extension Socket {
    /// Reads once into `buffer`. An empty buffer reads nothing and returns `.bytes(0)`.
    @inlinable
    public static func read(fd: Int32, into buffer: UnsafeMutableRawBufferPointer) -> ReadResult {
        guard let base = buffer.baseAddress, buffer.count > 0 else { return .bytes(0) }
        while true {
            let count = Glibc.read(fd, base, buffer.count)
            if count > 0 { return .bytes(count) }
            if count == 0 { return .closed }
            let error = Glibc.errno
            if error == EINTR { continue }
            if error == EAGAIN || error == EWOULDBLOCK { return .wouldBlock }
            return .error(SystemError(operation: "read", errno: error))
        }
    }

    /// Writes once from `bytes`; may write fewer bytes than offered.
    @inlinable
    public static func write(fd: Int32, _ bytes: UnsafeRawBufferPointer) -> WriteResult {
        guard let base = bytes.baseAddress, bytes.count > 0 else { return .bytes(0) }
        var useSend = true
        while true {
            let count = useSend
                ? Glibc.send(fd, base, bytes.count, VIGIL_MSG_NOSIGNAL)
                : Glibc.write(fd, base, bytes.count)
            if count >= 0 { return .bytes(count) }
            let error = Glibc.errno
            if error == EINTR { continue }
            if error == EAGAIN || error == EWOULDBLOCK { return .wouldBlock }
            if error == ENOTSOCK && useSend {
                useSend = false
                continue
            }
            return .error(SystemError(operation: "write", errno: error))
        }
    }
}
