// NodeAddress.swift — where a data node or a sentinel listens.
//
// Invariants: `host` is what the cluster announces (an IPv4 literal for every
// cluster the drill builds); the description is `host:port`, the shape Redis
// uses in events and INFO.

/// A `host:port` pair.
public struct NodeAddress: Hashable, Sendable, Comparable, CustomStringConvertible {
    /// The host (an IPv4 literal such as "127.0.0.1").
    public var host: String
    /// The TCP port.
    public var port: Int

    /// Creates an address.
    public init(host: String, port: Int) {
        self.host = host
        self.port = port
    }

    /// Parses `host:port`; nil when there is no port.
    public init?(_ text: String) {
        guard let colon = text.lastIndex(of: ":"), let port = Int(text[text.index(after: colon)...]),
              port > 0, port < 65536 else { return nil }
        self.init(host: String(text[..<colon]), port: port)
    }

    /// `host:port`.
    public var description: String { "\(host):\(port)" }

    public static func < (a: NodeAddress, b: NodeAddress) -> Bool {
        (a.host, a.port) < (b.host, b.port)
    }
}
