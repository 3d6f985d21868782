// InstanceFields.swift — one entry of SENTINEL MASTER(S)/REPLICAS/SENTINELS:
// the field/value list Redis builds in addReplySentinelRedisInstance.
//
// Invariants: pairs keep the sentinel's order; a field named twice answers
// with its first value. RESP2 sends a flat array of bulk strings
// (name, value, name, value, ...); RESP3 a map. Both decode here; integer
// values are kept as their decimal text so every field reads the same way.

import RESP

/// The ordered field/value pairs describing one monitored instance.
struct InstanceFields: Equatable, Sendable {
    /// The pairs in reply order.
    var pairs: [(name: String, value: String)]

    /// Builds fields from literal pairs (tests, canned replies).
    init(_ pairs: [(String, String)]) {
        self.pairs = pairs.map { (name: $0.0, value: $0.1) }
    }

    /// Decodes a flat RESP2 array or a RESP3 map; nil when `reply` is neither
    /// or the flat array has an odd length.
    init?(reply: RESPValue) {
        var decoded: [(name: String, value: String)] = []
        switch reply.withoutAttributes {
        case .map(let entries):
            for entry in entries {
                guard let name = fieldText(entry.key), let value = fieldText(entry.value) else { return nil }
                decoded.append((name: name, value: value))
            }
        case .array(let items):
            guard items.count % 2 == 0 else { return nil }
            var index = 0
            while index < items.count {
                guard let name = fieldText(items[index]), let value = fieldText(items[index + 1]) else { return nil }
                decoded.append((name: name, value: value))
                index += 2
            }
        default:
            return nil
        }
        pairs = decoded
    }

    /// The value of `name`, or nil when the sentinel did not send it.
    subscript(name: String) -> String? {
        pairs.first { $0.name == name }?.value
    }

    /// The value of `name` as an integer, or nil when absent or not a number.
    func integer(_ name: String) -> Int64? {
        self[name].flatMap { Int64($0) }
    }

    /// The comma-separated `flags` field split into words ("s_down,master").
    var flags: [String] {
        (self["flags"] ?? "").split(separator: ",").map(String.init)
    }

    /// "ip:port" from the `ip` and `port` fields ("?" for a missing part).
    var address: String {
        let host = self["ip"] ?? "?"
        guard let port = self["port"].flatMap({ Int($0) }) else { return "\(host):?" }
        return formatAddress(host: host, port: port)
    }

    static func == (a: InstanceFields, b: InstanceFields) -> Bool {
        a.pairs.elementsEqual(b.pairs) { $0.name == $1.name && $0.value == $1.value }
    }
}

/// The text of a string-ish or integer reply element.
private func fieldText(_ value: RESPValue) -> String? {
    if case .integer(let number) = value.withoutAttributes { return String(number) }
    if case .null = value.withoutAttributes { return "" }
    return value.string
}

/// Decodes a list of instances (SENTINEL MASTERS, REPLICAS, SENTINELS);
/// malformed entries are skipped, a non-array reply gives nil.
func decodeInstanceList(_ reply: RESPValue) -> [InstanceFields]? {
    guard let items = reply.elements else { return nil }
    return items.compactMap { InstanceFields(reply: $0) }
}
