// ReplyText.swift — reading the few reply shapes the drill needs out of a
// RESPValue: text, arrays of text, flat key/value lists (SENTINEL MASTER).
//
// Invariants: pure; anything of an unexpected shape reads as nil, never traps.

import RESP

extension RESPValue {
    /// The text of a simple string, bulk string or verbatim string.
    public var text: String? {
        switch self {
        case .simple(let s): return s
        case .bulk(let b): return String(decoding: b, as: UTF8.self)
        case .verbatim(_, let b): return String(decoding: b, as: UTF8.self)
        default: return nil
        }
    }

    /// The elements of an array, set or push.
    public var elements: [RESPValue]? {
        switch self {
        case .array(let items), .set(let items), .push(let items): return items
        default: return nil
        }
    }

    /// A flat `[k1, v1, k2, v2 …]` reply (or a RESP3 map) as a dictionary of text.
    public var fields: [String: String]? {
        if case .map(let pairs) = self {
            var result: [String: String] = [:]
            for pair in pairs { if let k = pair.key.text { result[k] = pair.value.text ?? "" } }
            return result
        }
        guard let items = elements, items.count % 2 == 0 else { return nil }
        var result: [String: String] = [:]
        var index = 0
        while index < items.count {
            if let key = items[index].text { result[key] = items[index + 1].text ?? "" }
            index += 2
        }
        return result
    }

    /// `[host, port]` (GET-MASTER-ADDR-BY-NAME) as an address.
    public var address: NodeAddress? {
        guard let items = elements, items.count == 2, let host = items[0].text,
              let portText = items[1].text, let port = Int(portText) else { return nil }
        return NodeAddress(host: host, port: port)
    }
}
