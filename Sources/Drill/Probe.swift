// Probe.swift — one-shot questions to nodes and sentinels with short
// timeouts (a fresh connection each time): PING, INFO, ROLE,
// GET-MASTER-ADDR-BY-NAME, SENTINEL MASTER / REPLICAS / CKQUORUM, and the
// whole-cluster snapshot the drill judges convergence by.
//
// Invariants: never blocks longer than its timeouts; every failure is an
// absent answer (nil / false) or a worded error, never a trap.

import RESP

/// One-shot queries.
enum Probe {
    /// Connect and reply timeout of a probe.
    static let timeoutMilliseconds = 500

    /// Sends one command on a fresh connection.
    static func call(_ address: NodeAddress, _ arguments: [String], timeoutMilliseconds: Int = Probe.timeoutMilliseconds) -> Result<RESPValue, DrillClientError> {
        do throws(DrillClientError) {
            let client = try DrillClient.connect(address, timeoutMilliseconds: timeoutMilliseconds)
            return .success(try client.call(arguments, timeoutMilliseconds: timeoutMilliseconds))
        } catch {
            return .failure(error)
        }
    }

    /// True when the server answers PONG.
    static func ping(_ address: NodeAddress) -> Bool {
        if case .success(.simple("PONG")) = call(address, ["PING"]) { return true }
        return false
    }

    /// `INFO section` as fields, or why not.
    static func info(_ address: NodeAddress, _ section: String) -> Result<[String: String], DrillFailure> {
        switch call(address, ["INFO", section]) {
        case .success(let reply):
            if case .error(let text) = reply { return .failure(DrillFailure(text)) }
            guard let text = reply.text else { return .failure(DrillFailure("unexpected INFO reply")) }
            return .success(parseInfo(text))
        case .failure(let error):
            return .failure(DrillFailure(error.description))
        }
    }

    /// A sentinel's answer to GET-MASTER-ADDR-BY-NAME.
    static func sentinelMaster(_ sentinel: NodeAddress, name: String) -> NodeAddress? {
        guard case .success(let reply) = call(sentinel, ["SENTINEL", "GET-MASTER-ADDR-BY-NAME", name]) else { return nil }
        return reply.address
    }

    /// A sentinel's SENTINEL MASTER fields.
    static func sentinelMasterFields(_ sentinel: NodeAddress, name: String) -> [String: String]? {
        guard case .success(let reply) = call(sentinel, ["SENTINEL", "MASTER", name]) else { return nil }
        return reply.fields
    }

    /// Whether the sentinels are fully connected: every sentinel knows every
    /// replica (none disconnected) and every other sentinel, and CKQUORUM passes
    /// (what scripts/cluster waits for).
    static func sentinelsDiscovered(_ layout: ClusterLayout, replicas: Int) -> Bool {
        for sentinel in layout.sentinels {
            guard let fields = sentinelMasterFields(sentinel, name: layout.masterName),
                  fields["num-slaves"] == String(replicas),
                  fields["num-other-sentinels"] == String(layout.sentinels.count - 1),
                  case .success(let quorum) = call(sentinel, ["SENTINEL", "CKQUORUM", layout.masterName]),
                  quorum.text?.hasPrefix("OK") == true,
                  case .success(let list) = call(sentinel, ["SENTINEL", "REPLICAS", layout.masterName]),
                  let entries = list.elements else { return false }
            for entry in entries where (entry.fields?["flags"] ?? "").contains("disconnected") { return false }
        }
        return true
    }

    /// Every node's role and every sentinel's master, now.
    static func snapshot(_ control: ClusterControl) -> ClusterSnapshot {
        let layout = control.layout
        let nodes = layout.nodePorts.map { port -> NodeObservation in
            let address = NodeAddress(host: layout.host, port: port)
            guard control.isRunning(.node(port)) else { return NodeObservation(address: address, alive: false, role: nil) }
            switch info(address, "replication") {
            case .success(let fields): return NodeObservation(address: address, alive: true, role: ReplicationRole(info: fields))
            case .failure(let error): return NodeObservation(address: address, alive: true, role: nil, error: error.message)
            }
        }
        let sentinels = layout.sentinelPorts.map { port -> SentinelObservation in
            let address = NodeAddress(host: layout.host, port: port)
            let alive = control.isRunning(.sentinel(port))
            return SentinelObservation(address: address, alive: alive, master: alive ? sentinelMaster(address, name: layout.masterName) : nil)
        }
        return ClusterSnapshot(time: MonotonicClock.now(), nodes: nodes, sentinels: sentinels)
    }

    /// Looks every acknowledged key up on `master` (MGET in batches).
    static func lookUp(_ acks: [Ack], prefix: String, on master: NodeAddress?) -> LostWrites {
        guard let master else { return LostWrites(checked: acks.count, lost: [], error: "no master to read from") }
        let client: DrillClient
        do {
            client = try DrillClient.connect(master, timeoutMilliseconds: 1000)
        } catch {
            return LostWrites(checked: acks.count, lost: [], error: "\(master): \(error)")
        }
        var lost: [Int] = []
        var index = 0
        while index < acks.count {
            let batch = acks[index..<min(index + 500, acks.count)]
            index += batch.count
            let reply: RESPValue
            do {
                reply = try client.call(["MGET"] + batch.map { "\(prefix)\($0.seq)" }, timeoutMilliseconds: 5000)
            } catch {
                return LostWrites(checked: acks.count, lost: lost, error: "MGET on \(master): \(error)")
            }
            guard let values = reply.elements, values.count == batch.count else {
                return LostWrites(checked: acks.count, lost: lost, error: "MGET on \(master): unexpected reply")
            }
            for (ack, value) in zip(batch, values) where value.text != String(ack.seq) { lost.append(ack.seq) }
        }
        return LostWrites(checked: acks.count, lost: lost)
    }
}
