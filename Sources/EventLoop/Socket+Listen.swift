// Socket+Listen.swift: listening sockets and accept, following Redis's
// `bind` rules (server.c listenToPort, anet.c _anetTcpServer):
//   1. A leading "-" marks an optional address: if it cannot be bound because
//      the address does not exist here, the caller skips it
//      (`shouldSkip(_:host:)`).
//   2. "*" is every IPv4 address, "::*" every IPv6 address; an address with
//      ':' is IPv6 and is bound IPV6_V6ONLY, so "*" and "::*" can share a port.
//   3. SO_REUSEADDR, so a restart does not wait out TIME_WAIT.
// Invariant: on any failure the half-made socket is closed before throwing.

import CVigilSys
import Glibc

extension Socket {
    /// Creates a non-blocking listening TCP socket on `host:port`.
    ///
    /// `host` is a numeric IPv4/IPv6 address, `localhost`, `*` (all IPv4) or
    /// `::*` (all IPv6), optionally prefixed by `-` (optional address, see
    /// `shouldSkip(_:host:)`). Port 0 picks an ephemeral port (`localPort(fd:)`).
    public static func listen(host: String, port: Int, backlog: Int32) throws(SystemError) -> Int32 {
        let address = host.hasPrefix("-") ? String(host.dropFirst()) : host
        var (storage, length) = try parse(host: address, port: port, for: "bind")
        let family = Int32(storage.ss_family)
        let fd = vigil_stream_socket(family)
        guard fd >= 0 else { throw SystemError.current("socket") }
        do throws(SystemError) {
            if family == AF_INET6 {
                guard vigil_set_int_option(fd, Int32(IPPROTO_IPV6), IPV6_V6ONLY, 1) == 0 else {
                    throw SystemError.current("setsockopt IPV6_V6ONLY")
                }
            }
            guard vigil_set_int_option(fd, SOL_SOCKET, SO_REUSEADDR, 1) == 0 else {
                throw SystemError.current("setsockopt SO_REUSEADDR")
            }
            let bound = withUnsafeMutablePointer(to: &storage) { pointer in
                pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { Glibc.bind(fd, $0, length) }
            }
            guard bound == 0 else { throw SystemError.current("bind") }
            guard Glibc.listen(fd, backlog) == 0 else { throw SystemError.current("listen") }
        } catch {
            Glibc.close(fd)
            throw error
        }
        return fd
    }

    /// Whether a failed `listen(host:…)` should be skipped rather than abort
    /// start-up, as Redis does: an optional ("-"-prefixed) address that is not
    /// available here, or an address family / protocol this host lacks.
    public static func shouldSkip(_ error: SystemError, host: String) -> Bool {
        if error.errno == EADDRNOTAVAIL && host.hasPrefix("-") { return true }
        return [ENOPROTOOPT, EPROTONOSUPPORT, ESOCKTNOSUPPORT, EPFNOSUPPORT, EAFNOSUPPORT].contains(error.errno)
    }

    /// Accepts one pending connection (accept4, SOCK_NONBLOCK | SOCK_CLOEXEC).
    /// Returns nil when none is pending (EAGAIN). Connections that died
    /// before being accepted (ECONNABORTED) are skipped. Other failures (e.g.
    /// EMFILE) throw; the listener stays readable, so the caller should log
    /// and return rather than loop.
    public static func accept(listener: Int32) throws(SystemError) -> (fd: Int32, peer: PeerAddress)? {
        while true {
            var storage = sockaddr_storage()
            var length = socklen_t(0)
            let fd = vigil_accept(listener, &storage, &length)
            if fd >= 0 {
                let peer = format(storage, length: length) ?? PeerAddress(ip: "?", port: 0)
                return (fd, peer)
            }
            let error = vigil_errno()
            switch error {
            case EINTR, ECONNABORTED:
                continue
            case EAGAIN, EWOULDBLOCK:
                return nil
            default:
                throw SystemError(operation: "accept", errno: error)
            }
        }
    }
}
