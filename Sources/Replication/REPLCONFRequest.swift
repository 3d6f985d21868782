// REPLCONFRequest.swift — parsing `REPLCONF <option> <value> …` as a Redis
// 7.0 master does (replconfCommand), into a value the registry applies.
//
// Rules: the arguments after REPLCONF come in pairs (else a syntax error).
// Options are applied in order. `ack` and `getack` end processing at once and
// are never replied to (the replica's stream must not receive replies);
// everything else replies +OK at the end, or the first error — options before
// the error stay applied, as in Redis. Unknown `capa` values are ignored
// (capabilities are advisory).

import RESP

/// What a replica can handle.
public struct ReplicaCapabilities: OptionSet, Hashable, Sendable {
    public let rawValue: UInt8
    public init(rawValue: UInt8) { self.rawValue = rawValue }
    /// Can receive a diskless "$EOF:<mark>" snapshot.
    public static let eof = ReplicaCapabilities(rawValue: 1)
    /// Understands "+CONTINUE <new id>" (PSYNC2).
    public static let psync2 = ReplicaCapabilities(rawValue: 2)
}

/// One applied REPLCONF option.
public enum REPLCONFOption: Equatable, Sendable {
    /// listening-port: the port the replica serves clients on (INFO shows it).
    case listeningPort(Int)
    /// ip-address: the address the replica announces (replica-announce-ip).
    case ipAddress(String)
    /// capa: a capability the replica supports.
    case capability(ReplicaCapabilities)
    /// rdb-only 0|1: the connection wants the snapshot only, no stream.
    case rdbOnly(Bool)
    /// rdb-filter-only "functions" | "": snapshot filter (redis-cli --functions-rdb).
    case rdbFilterOnly(includeFunctions: Bool)
}

/// `REPLCONF ACK <offset>`: what a replica sends after loading an
/// EOF-marked snapshot, every second, and when the master asks with GETACK
/// (Redis answers GETACK with the offset BEFORE the GETACK command itself,
/// because the master client's offset advances only after a command ran).
public func replconfAck(offset: Int64) -> [Bytes] {
    [Array("REPLCONF".utf8), Array("ACK".utf8), Array(String(offset).utf8)]
}

/// A parsed REPLCONF command.
public enum REPLCONFRequest: Equatable, Sendable {
    /// `REPLCONF ACK <offset>`: the replica has applied up to `offset` (nil when
    /// unparsable: Redis then ignores it). No reply.
    case ack(Int64?)
    /// `REPLCONF GETACK *`: the master asks this (replica) node to ACK now. No reply.
    case getAck
    /// Handshake options to apply in order, then reply `-<error>` (the full
    /// error text, "ERR …") or +OK when `error` is nil.
    case options([REPLCONFOption], error: String?)

    /// Parses the arguments AFTER the command name.
    public init(arguments args: [Bytes]) {
        guard args.count % 2 == 0 else {
            self = .options([], error: "ERR syntax error")
            return
        }
        var options: [REPLCONFOption] = []
        var j = 0
        while j < args.count {
            let name = String(decoding: args[j], as: UTF8.self).lowercased()
            let value = args[j + 1]
            switch name {
            case "listening-port":
                guard let port = parseInt64(value), let p = Int(exactly: port) else {
                    self = .options(options, error: "ERR value is not an integer or out of range")
                    return
                }
                options.append(.listeningPort(p))
            case "ip-address":
                // NET_HOST_STR_LEN is 256 including the terminator.
                guard value.count < 256 else {
                    self = .options(options, error: "ERR REPLCONF ip-address provided by replica instance is too long: \(value.count) bytes")
                    return
                }
                options.append(.ipAddress(String(decoding: value, as: UTF8.self)))
            case "capa":
                switch String(decoding: value, as: UTF8.self).lowercased() {
                case "eof": options.append(.capability(.eof))
                case "psync2": options.append(.capability(.psync2))
                default: break
                }
            case "ack":
                self = .ack(parseInt64(value))
                return
            case "getack":
                self = .getAck
                return
            case "rdb-only":
                guard let v = parseInt64(value) else {
                    self = .options(options, error: "ERR value is not an integer or out of range")
                    return
                }
                guard v == 0 || v == 1 else {
                    self = .options(options, error: "ERR value is out of range, must be between 0 and 1")
                    return
                }
                options.append(.rdbOnly(v == 1))
            case "rdb-filter-only":
                let words = String(decoding: value, as: UTF8.self).split(separator: " ", omittingEmptySubsequences: true)
                var functions = false
                for w in words {
                    guard w.lowercased() == "functions" else {
                        self = .options(options, error: "ERR Unsupported rdb-filter-only option: \(w)")
                        return
                    }
                    functions = true
                }
                options.append(.rdbFilterOnly(includeFunctions: functions))
            default:
                self = .options(options, error: "ERR Unrecognized REPLCONF option: \(String(decoding: args[j], as: UTF8.self))")
                return
            }
            j += 2
        }
        self = .options(options, error: nil)
    }
}
