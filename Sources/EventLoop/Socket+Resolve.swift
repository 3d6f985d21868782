// Socket.resolve: a host name to a numeric address with getaddrinfo — what
// the sentinel needs for `resolve-hostnames yes`. It blocks, as Redis's
// anetResolve does; callers use it only when a link is (re)created.

import Glibc

extension Socket {
    /// The first IPv4 (preferred) or IPv6 address of `host` as text, or nil when it does not resolve.
    public static func resolve(host: String) -> String? {
        var hints = addrinfo()
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        hints.ai_family = AF_UNSPEC
        var result: UnsafeMutablePointer<addrinfo>?
        guard getaddrinfo(host, nil, &hints, &result) == 0, let first = result else { return nil }
        defer { freeaddrinfo(first) }
        var best: String?
        var node: UnsafeMutablePointer<addrinfo>? = first
        while let current = node {
            if let address = current.pointee.ai_addr,
               let text = format(address.withMemoryRebound(to: sockaddr_storage.self, capacity: 1) { $0.pointee },
                                 length: current.pointee.ai_addrlen)?.ip {
                if current.pointee.ai_family == AF_INET { return text }
                best = best ?? text
            }
            node = current.pointee.ai_next
        }
        return best
    }
}
