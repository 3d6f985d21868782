// SnapshotCodec: the glue between the keyspace and the RDB module's neutral
// vocabulary — writing databases through an RDBWriter and building values
// from RDB records. Pure over its sink/source; files are Persistence's job.
//
// Both directions report progress every `progressInterval` keys through an
// optional callback (INFO's current_save_keys_processed and loading_loaded_bytes
// while a helper thread saves or loads); the write callback may throw to
// abandon a save (a BGSAVE cancelled by SHUTDOWN).

import RESP
import Keyspace
import RDB

enum SnapshotCodec {
    /// Keys between two progress reports.
    static var progressInterval: Int { 1024 }

    /// What loading a whole RDB stream produced.
    struct Loaded {
        /// Fresh databases (empty logs), `databaseCount` of them.
        var databases: [Database]
        /// AUX fields (redis-ver, ctime, used-mem …).
        var aux: [String: Bytes]
        /// Keys stored.
        var keysLoaded = 0
        /// Keys skipped because they had already expired.
        var keysExpired = 0
    }

    /// Writes every database of `databases` (a copy-on-write snapshot) to `writer`.
    /// `progress` receives the number of keys written so far, every `progressInterval` keys.
    /// `replication`: the repl-stream-db/repl-id/repl-offset AUX fields (a snapshot for a full sync).
    static func write<Sink: ByteSink>(_ databases: [Database], to writer: inout RDBWriter<Sink>,
                                      ctime: Int64, usedMemory: Int64,
                                      progress: ((Int) throws(RDBError) -> Void)? = nil,
                                      replication: ReplicationAuxFields? = nil) throws(RDBError) {
        try writer.writeHeader()
        try writer.writeStandardAux(ctime: ctime, usedMemory: usedMemory,
                                    replication: replication.map { ($0.streamDB, $0.replicationID, $0.offset) })
        var written = 0
        for (index, db) in databases.enumerated() where db.count > 0 {
            try writer.selectDB(index, keys: db.count, expires: db.volatileCount)
            let expires = db.expires
            for (key, value) in db.main {
                let expireAt = expires.isEmpty ? nil : expires[key]
                switch value {
                case .string(let s):
                    try writer.writeString(key: key, value: s, expireAtMs: expireAt)
                case .list(let l):
                    try writer.writeList(key: key, elements: l, count: l.count, expireAtMs: expireAt)
                case .set(let s):
                    try writer.writeSet(key: key, members: s.lazy.map { $0.key }, count: s.count, expireAtMs: expireAt)
                case .hash(let h):
                    try writer.writeHash(key: key, fields: h.lazy.map { ($0.key, $0.value) }, count: h.count, expireAtMs: expireAt)
                case .zset(let z):
                    try writer.writeSortedSet(key: key, entries: z.members.lazy.map { ($0.member, $0.score) }, count: z.count, expireAtMs: expireAt)
                }
                written += 1
                if let progress, written % progressInterval == 0 { try progress(written) }
            }
        }
        if let progress { try progress(written) }
    }

    /// Builds a keyspace value from a decoded RDB value.
    static func value(from rdb: RDBValue) -> Value {
        switch rdb {
        case .string(let s):
            return .string(s)
        case .list(let elements):
            var list = Deque<Bytes>()
            list.reserveCapacity(elements.count)
            for e in elements { list.append(e) }
            return .list(list)
        case .set(let members):
            var set = HashTable<Void>(minimumCapacity: members.count)
            for m in members { set[m] = () }
            return .set(set)
        case .hash(let pairs):
            var hash = HashTable<Bytes>(minimumCapacity: pairs.count)
            for (f, v) in pairs { hash[f] = v }
            return .hash(hash)
        case .sortedSet(let entries):
            var zset = SortedSet()
            for (m, s) in entries { zset.insert(m, score: s) }
            return .zset(zset)
        }
    }

    /// Reads a whole RDB stream into fresh databases. Expired keys are dropped
    /// when `dropExpiredBefore` is given (a master loading its file), as Redis.
    static func read<Source: ByteSource>(_ reader: inout RDBReader<Source>, databaseCount: Int,
                                         dropExpiredBefore now: Int64?) throws(RDBError) -> (databases: [Database], aux: [String: Bytes]) {
        let loaded = try load(&reader, databaseCount: databaseCount, dropExpiredBefore: now)
        return (loaded.databases, loaded.aux)
    }

    /// `read` with counts, `progress(bytesRead, keysLoaded)` every
    /// `progressInterval` keys, and `onAux` for each AUX field as it is read.
    /// A RESIZEDB hint presizes the database's tables (bounded by the bytes
    /// left in the input, which an honest file needs at least 3 of per key, so
    /// a lying header cannot make us allocate much).
    static func load<Source: ByteSource>(_ reader: inout RDBReader<Source>, databaseCount: Int,
                                         dropExpiredBefore now: Int64?,
                                         progress: ((_ bytesRead: Int, _ keysLoaded: Int) -> Void)? = nil,
                                         onAux: ((_ key: String, _ value: Bytes) -> Void)? = nil) throws(RDBError) -> Loaded {
        _ = try reader.readHeader()
        var loaded = Loaded(databases: Array(repeating: Database(), count: databaseCount), aux: [:])
        var current = 0
        var seen = 0
        while true {
            switch try reader.next() {
            case .aux(let key, let value):
                loaded.aux[key] = value
                onAux?(key, value)
            case .selectDB(let index):
                guard index >= 0, index < databaseCount else {
                    throw RDBError(.corrupt, offset: reader.bytesRead,
                                   "FATAL: Data file was created with a Redis server configured to handle more than \(databaseCount) databases. Exiting")
                }
                current = index
            case .resizeDB(let keys, let expires):
                if let left = reader.source.remainingBytes {
                    let bound = left / 3
                    loaded.databases[current].reserveCapacity(keys: min(keys, bound), expires: min(expires, keys, bound))
                }
            case .entry(let key, let value, let expireAt, _, _):
                seen += 1
                if let progress, seen % progressInterval == 0 { progress(reader.bytesRead, loaded.keysLoaded) }
                if let now, let expireAt, expireAt <= now {
                    loaded.keysExpired += 1
                    continue
                }
                loaded.databases[current].load(key, SnapshotCodec.value(from: value), expireAt: expireAt)
                loaded.keysLoaded += 1
            case .function:
                throw RDBError(.unsupported, offset: reader.bytesRead, "Functions are not supported by Vigil")
            case .end:
                progress?(reader.bytesRead, loaded.keysLoaded)
                return loaded
            }
        }
    }
}
