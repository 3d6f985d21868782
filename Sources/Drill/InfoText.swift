// InfoText.swift — INFO's `field:value` lines, and the replication view of a
// node the drill judges convergence by.
//
// Invariants: pure; section headers ("# Replication") and blank lines are
// skipped; a line without ':' is ignored; unknown roles read as nil.

/// The `field:value` pairs of an INFO reply.
public func parseInfo(_ text: String) -> [String: String] {
    var fields: [String: String] = [:]
    for rawLine in text.split(whereSeparator: { $0 == "\n" || $0 == "\r\n" }) {
        let line = rawLine.hasSuffix("\r") ? rawLine.dropLast() : rawLine[...]
        if line.isEmpty || line.hasPrefix("#") { continue }
        guard let colon = line.firstIndex(of: ":") else { continue }
        fields[String(line[..<colon])] = String(line[line.index(after: colon)...])
    }
    return fields
}

/// What a node says about its replication role (INFO replication).
public enum ReplicationRole: Equatable, Sendable {
    /// `role:master` with this many connected replicas.
    case master(connectedReplicas: Int)
    /// `role:slave` following `master`, the link up or not.
    case replica(of: NodeAddress, linkUp: Bool)

    /// Reads `role`, `master_host`, `master_port`, `master_link_status`, `connected_slaves`.
    public init?(info fields: [String: String]) {
        switch fields["role"] {
        case "master":
            self = .master(connectedReplicas: fields["connected_slaves"].flatMap { Int($0) } ?? 0)
        case "slave":
            guard let host = fields["master_host"], let port = fields["master_port"].flatMap({ Int($0) }) else { return nil }
            self = .replica(of: NodeAddress(host: host, port: port), linkUp: fields["master_link_status"] == "up")
        default:
            return nil
        }
    }
}
