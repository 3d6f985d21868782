// ReplicaRestart: what lets a restarted replica continue with a partial
// resync, as Redis 7.0 does (rdbPopulateSaveInfo, readSyncBulkPayload's
// disk load, loadDataFromDisk + replicationCacheMasterUsingMyself):
//
//  1. A replica's snapshots (SAVE, BGSAVE, save rules, SHUTDOWN) carry the
//     AUX fields repl-id / repl-offset / repl-stream-db: the id of the history
//     it replicates, its applied offset, and the database selected in the
//     master's stream (`replicationSaveInfo`).
//  2. With `repl-diskless-load disabled` (the default) the payload of a full
//     sync is stored as the snapshot file (temp file + fsync + rename) once it
//     decoded, so even with `save ""` the replica has a dump that carries the
//     master's id and the offset of that sync (`storeSyncPayload`).
//  3. At start-up, a node configured with `replicaof` that loads a dump with
//     those fields adopts them as its history (backlog starting there) and as
//     its cached master, so its first handshake sends PSYNC <id> <offset+1>
//     (`adoptReplicationInfo`).
//
// Invariant: the fields are only ever written next to the dataset they
// describe — a snapshot taken on the loop together with the offset, or the
// master's own snapshot received in a sync — so an adopted offset always
// matches the loaded data. A master writes none (its restart starts a new
// history, as before).

import Glibc
import RESP
import Replication

extension Server {
    /// The replication AUX fields for a snapshot taken now: set while this
    /// node is a replica streaming from (or caching) a master, nil otherwise.
    func replicationSaveInfo() -> ReplicationAuxFields? {
        guard replicaSide.isReplica, !replicaSide.masterIsPreSync else { return nil }
        let db: Int
        if let master = replicaSide.masterClient {
            db = master.databaseIndex
        } else if let cached = replicaSide.cachedMasterDB {
            db = cached
        } else {
            return nil
        }
        let history = replicationStream.history
        return ReplicationAuxFields(streamDB: db, replicationID: history.replID.description, offset: history.masterReplOffset)
    }

    /// Stores a full sync's payload (a complete RDB) as the snapshot file at
    /// `path`, crash-safely. Runs on any thread: touches no server state.
    static func storeSyncPayload(_ payload: Bytes, path: String) throws(PersistenceError) {
        let directory = directory(of: path)
        let temp = "\(directory)/temp-\(getpid())-\(UInt32.random(in: 0...UInt32.max)).rdb"
        let fd = open(temp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard fd >= 0 else {
            throw PersistenceError(description: "Unable to open the temp file \(temp) to store the MASTER <-> REPLICA sync payload: \(String(cString: strerror(errno)))")
        }
        let failure: String? = payload.withUnsafeBytes { raw -> String? in
            var done = 0
            while done < raw.count {
                let n = Glibc.write(fd, raw.baseAddress.map { $0 + done }, raw.count - done)
                if n < 0 {
                    if errno == EINTR { continue }
                    return String(cString: strerror(errno))
                }
                done += n
            }
            return fsync(fd) == 0 ? nil : String(cString: strerror(errno))
        }
        Glibc.close(fd)
        if let failure {
            unlink(temp)
            throw PersistenceError(description: "Write error storing the MASTER <-> REPLICA sync payload on disk: \(failure)")
        }
        guard rename(temp, path) == 0 else {
            let reason = String(cString: strerror(errno))
            unlink(temp)
            throw PersistenceError(description: "Failed trying to rename the temp DB into \(path) in MASTER <-> REPLICA synchronization: \(reason)")
        }
        let dirfd = open(directory, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        if dirfd >= 0 {
            _ = fsync(dirfd)
            Glibc.close(dirfd)
        }
    }

    /// The replication AUX fields of a loaded dump, when all three are present and valid.
    static func replicationInfo(aux: [String: Bytes]) -> ReplicationAuxFields? {
        func text(_ key: String) -> String? { aux[key].map { String(decoding: $0, as: UTF8.self) } }
        guard let id = text("repl-id"), ReplicationID(id) != nil,
              let offset = text("repl-offset").flatMap({ Int64($0) }), offset >= 0,
              let db = text("repl-stream-db").flatMap({ Int($0) }), db >= 0 else { return nil }
        return ReplicationAuxFields(streamDB: db, replicationID: id, offset: offset)
    }

    /// Start-up, after the dump is installed: a replica adopts the dump's
    /// replication id/offset as its history and cached master (Redis's
    /// replicationCacheMasterUsingMyself), then connects to its master.
    func adoptReplicationInfo(_ info: ReplicationAuxFields?) {
        guard replicaSide.isReplica else { return }
        if let info, let id = ReplicationID(info.replicationID), info.streamDB < databases.count {
            replicationStream.restore(history: ReplicationHistory(replID: id, masterReplOffset: info.offset))
            replicationStream.createBacklogIfNeeded()
            log(ReplicationHistory.demotionLogLine)
            replicaSide.cachedMasterDB = info.streamDB
        }
        connectToMaster()
    }

    /// Stops a running BGSAVE and removes its temp file (Redis's killRDBChild):
    /// its older data must not be renamed over a newer snapshot.
    func cancelBackgroundSave() {
        guard let job = persistence.job else { return }
        job.cancel()
        unlink(job.tempPath)
        persistence.job = nil
    }
}
