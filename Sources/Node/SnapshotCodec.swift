// SnapshotCodec: the glue between the keyspace and the RDB module's neutral
// vocabulary — writing databases through an RDBWriter and building values
// from RDB records. Pure over its sink/source; files are Persistence's job.

import RESP
import Keyspace
import RDB

enum SnapshotCodec {
    /// Writes every database of `databases` (a copy-on-write snapshot) to `writer`.
    static func write<Sink: ByteSink>(_ databases: [Database], to writer: inout RDBWriter<Sink>,
                                      ctime: Int64, usedMemory: Int64) throws(RDBError) {
        try writer.writeHeader()
        try writer.writeStandardAux(ctime: ctime, usedMemory: usedMemory)
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
            }
        }
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
        _ = try reader.readHeader()
        var databases = Array(repeating: Database(), count: databaseCount)
        var aux: [String: Bytes] = [:]
        var current = 0
        while true {
            switch try reader.next() {
            case .aux(let key, let value):
                aux[key] = value
            case .selectDB(let index):
                guard index >= 0, index < databaseCount else {
                    throw RDBError(.corrupt, offset: reader.bytesRead,
                                   "FATAL: Data file was created with a Redis server configured to handle more than \(databaseCount) databases. Exiting")
                }
                current = index
            case .resizeDB:
                continue
            case .entry(let key, let value, let expireAt, _, _):
                if let now, let expireAt, expireAt <= now { continue }
                databases[current].set(key, SnapshotCodec.value(from: value))
                if let expireAt { databases[current].setExpire(key, at: expireAt) }
            case .function:
                throw RDBError(.unsupported, offset: reader.bytesRead, "Functions are not supported by Vigil")
            case .end:
                for i in databases.indices {
                    databases[i].modifiedKeys.removeAll()
                }
                return (databases, aux)
            }
        }
    }
}
