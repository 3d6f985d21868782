// InstanceAddress: where a monitored node or a peer sentinel listens — a host
// (IP or, with resolve-hostnames, a name) and a TCP port. Value type; two
// addresses are the same instance when host and port are equal as written,
// as Redis compares them (sentinelAddrEqualsHostname aside).

/// The network address of a node or sentinel.
public struct InstanceAddress: Hashable, Sendable, Comparable, CustomStringConvertible {
    public var host: String
    public var port: Int

    public init(host: String, port: Int) {
        self.host = host
        self.port = port
    }

    /// `host:port`, the name Redis gives a replica instance.
    public var description: String { "\(host):\(port)" }

    public static func < (a: InstanceAddress, b: InstanceAddress) -> Bool {
        a.host == b.host ? a.port < b.port : a.host < b.host
    }
}
