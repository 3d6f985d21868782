// SentinelEventRecord.swift — one entry of Vigil's `SENTINEL EVENTS name count`
// reply: [unix-ms integer, master-name bulk, event-name bulk, payload bulk],
// oldest first. The event name and payload are exactly what Redis publishes
// ("+odown", "master mymaster 127.0.0.1 6379 #quorum 2/2").
//
// Invariant: decoding skips entries that do not have this shape rather than
// failing the whole status report.

import RESP

/// One event the sentinel recorded.
struct SentinelEventRecord: Equatable, Sendable {
    /// When it happened, milliseconds since the Unix epoch.
    var unixMs: Int64
    /// The master it concerns.
    var master: String
    /// "+sdown", "+switch-master", ...
    var name: String
    /// The event's text as published on its pub/sub channel.
    var payload: String
}

/// Decodes a SENTINEL EVENTS reply; nil when it is not an array (an error
/// reply from a sentinel that lacks the command).
func decodeEvents(_ reply: RESPValue) -> [SentinelEventRecord]? {
    guard let items = reply.elements else { return nil }
    return items.compactMap { item in
        guard let parts = item.elements, parts.count == 4,
              let time = parts[0].int,
              let master = parts[1].string, let name = parts[2].string, let payload = parts[3].string
        else { return nil }
        return SentinelEventRecord(unixMs: time, master: master, name: name, payload: payload)
    }
}
