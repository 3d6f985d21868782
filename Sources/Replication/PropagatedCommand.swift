// PropagatedCommand.swift — the argument vectors of the deterministic
// rewrites a Redis 7.0 master propagates instead of the command it ran, so
// replicas reach the same state regardless of time, randomness or float
// formatting. Feed the result to `StreamFeeder.append(db:args:to:)`.
//
// Invariants: names are spelled exactly as Redis 7.0's shared objects —
// upper case (DEL, PEXPIREAT, KEEPTTL …) except `ping`, `left` and `right`,
// which Redis spells in lower case; numbers are decimal without padding.
// Each function documents which commands use it.

import RESP

/// Builders for the argument vectors of propagated rewrites.
public enum PropagatedCommand {
    /// `MULTI` (opens a wrapped multi-op propagation).
    public static let multi: [Bytes] = [ascii("MULTI")]
    /// `EXEC`.
    public static let exec: [Bytes] = [ascii("EXEC")]
    /// `ping` (the master's replication keepalive; Redis's shared.ping is lower case).
    public static let ping: [Bytes] = [ascii("ping")]

    /// `REPLCONF GETACK *`: asks every replica to ACK now (fed into the
    /// stream when a WAIT blocks).
    public static let getAck: [Bytes] = [ascii("REPLCONF"), ascii("GETACK"), ascii("*")]

    /// `SELECT db`.
    public static func select(_ db: Int) -> [Bytes] { [ascii("SELECT"), ascii(String(db))] }

    /// `DEL key…`: an expired key deleted by the master (lazyfree-lazy-expire
    /// no), GETDEL, EXPIRE/SET … with a time already in the past.
    public static func del(_ keys: Bytes...) -> [Bytes] { [ascii("DEL")] + keys }
    /// `DEL` for an array of keys.
    public static func del(keys: [Bytes]) -> [Bytes] { [ascii("DEL")] + keys }

    /// `UNLINK key…`: the same deletions with lazyfree-lazy-expire yes.
    public static func unlink(keys: [Bytes]) -> [Bytes] { [ascii("UNLINK")] + keys }

    /// `PEXPIREAT key ms`: EXPIRE, PEXPIRE, EXPIREAT, GETEX EX/PX/EXAT/PXAT.
    public static func pexpireAt(key: Bytes, unixMs: Int64) -> [Bytes] {
        [ascii("PEXPIREAT"), key, ascii(String(unixMs))]
    }

    /// `PERSIST key`: GETEX PERSIST.
    public static func persist(key: Bytes) -> [Bytes] { [ascii("PERSIST"), key] }

    /// `SET key value PXAT ms`: SET with EX/PX/EXAT, SETEX, PSETEX.
    public static func setPXAT(key: Bytes, value: Bytes, unixMs: Int64) -> [Bytes] {
        [ascii("SET"), key, value, ascii("PXAT"), ascii(String(unixMs))]
    }

    /// `SET key value KEEPTTL`: INCRBYFLOAT (the formatted result).
    public static func setKeepTTL(key: Bytes, value: Bytes) -> [Bytes] {
        [ascii("SET"), key, value, ascii("KEEPTTL")]
    }

    /// `HSET key field value`: HINCRBYFLOAT (the formatted result).
    public static func hset(key: Bytes, field: Bytes, value: Bytes) -> [Bytes] {
        [ascii("HSET"), key, field, value]
    }

    /// `SREM key member…`: SPOP (the members actually popped).
    public static func srem(key: Bytes, members: [Bytes]) -> [Bytes] { [ascii("SREM"), key] + members }

    /// SPOP with a count removing many members is propagated as several SREMs
    /// of at most `batchSize` members each (Redis 7.0 batches by 1024).
    public static func sremBatches(key: Bytes, members: [Bytes], batchSize: Int = 1024) -> [[Bytes]] {
        let size = max(1, batchSize)
        return stride(from: 0, to: members.count, by: size).map {
            srem(key: key, members: Array(members[$0..<min($0 + size, members.count)]))
        }
    }

    /// `LPOP key [count]`: BLPOP, and LMPOP/BLMPOP LEFT (with the count).
    public static func lpop(key: Bytes, count: Int? = nil) -> [Bytes] { pop("LPOP", key, count) }

    /// `RPOP key [count]`: BRPOP, and LMPOP/BLMPOP RIGHT (with the count).
    public static func rpop(key: Bytes, count: Int? = nil) -> [Bytes] { pop("RPOP", key, count) }

    /// `ZPOPMIN key [count]`: BZPOPMIN, ZMPOP/BZMPOP MIN.
    public static func zpopmin(key: Bytes, count: Int? = nil) -> [Bytes] { pop("ZPOPMIN", key, count) }

    /// `ZPOPMAX key [count]`: BZPOPMAX, ZMPOP/BZMPOP MAX.
    public static func zpopmax(key: Bytes, count: Int? = nil) -> [Bytes] { pop("ZPOPMAX", key, count) }

    /// The end of a list a move takes from or pushes to.
    public enum ListEnd: Sendable {
        case left, right
        // Redis's shared.left / shared.right are lower case.
        var word: Bytes { self == .left ? ascii("left") : ascii("right") }
    }

    /// `LMOVE source destination left|right left|right`: BLMOVE.
    public static func lmove(source: Bytes, destination: Bytes, from: ListEnd, to: ListEnd) -> [Bytes] {
        [ascii("LMOVE"), source, destination, from.word, to.word]
    }

    /// `RPOPLPUSH source destination`: BRPOPLPUSH.
    public static func rpoplpush(source: Bytes, destination: Bytes) -> [Bytes] {
        [ascii("RPOPLPUSH"), source, destination]
    }

    private static func pop(_ name: String, _ key: Bytes, _ count: Int?) -> [Bytes] {
        var args = [ascii(name), key]
        if let count { args.append(ascii(String(count))) }
        return args
    }
}

@inline(__always)
func ascii(_ s: String) -> Bytes { Array(s.utf8) }
