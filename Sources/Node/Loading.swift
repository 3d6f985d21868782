// Loading: reading the snapshot file at start-up (and for DEBUG RELOAD).
//
// A file of up to 2 MB loads on the loop thread before the server serves
// anyone: Redis also only answers clients (with -LOADING) between 2 MB chunks
// of a load, so a small file is never observable half-loaded, and a corrupt
// one stops start-up before the "port=" line. A larger file loads on a helper
// thread into fresh databases while the loop already serves: INFO shows
// `loading:1` and the loading_* fields, commands without the `loading` flag
// get -LOADING (Dispatch), SHUTDOWN saves nothing. When the helper is done the
// loop swaps the loaded databases in (O(1)) and `loading:0`; if the file is
// corrupt the loop logs why and stops the server (exit status 1) — the file is
// never modified by loading.
//
// Invariants: while `persistence.isLoading`, the live databases are the empty
// ones created at start (no write command can run), and no save starts; the
// helper thread touches no server state — it reports through a
// `LoadingProgress` (atomics) and one `loop.handle.execute` at the end.
//
// A node configured as a replica keeps expired keys (its master sends the
// DELs) and adopts the dump's repl-id/repl-offset (ReplicaRestart.swift).

import Foundation
import Glibc
import Synchronization
import RESP
import Keyspace
import RDB
import EventLoop

/// Progress of a load running on a helper thread, read by INFO on the loop.
final class LoadingProgress: Sendable {
    /// Bytes of the file consumed so far.
    let loadedBytes = Atomic<Int>(0)
    /// Keys stored so far.
    let keysLoaded = Atomic<Int>(0)
    /// The used-mem AUX field of the file (memory of the server that wrote it), 0 until read.
    let rdbUsedMemory = Atomic<Int>(0)
}

/// A start-up load in progress.
struct LoadingState {
    /// Unix ms when loading began.
    let startedAt: Int64
    /// Size of the file.
    let totalBytes: Int
    let progress: LoadingProgress
}

/// What loading a snapshot file produced.
struct LoadOutcome: Sendable {
    let databases: [Database]
    let keysLoaded: Int
    let keysExpired: Int
    /// AUX fields of interest: redis-ver, ctime (unix s), used-mem.
    let version: String?
    let ctime: Int64?
    let usedMemory: Int?
    /// repl-id/repl-offset/repl-stream-db, when the file has all three (a replica's dump).
    let replication: ReplicationAuxFields?
    let seconds: Double
}

extension CommandError {
    /// A command refused while a dataset is being loaded (Redis's shared.loadingerr).
    static let loading = CommandError("LOADING Redis is loading the dataset in memory")
}

extension Server {
    /// Files up to this size load before the server serves anyone (Redis's
    /// loading-process-events-interval-bytes default).
    static var synchronousLoadLimit: Int { 2 << 20 }

    /// True when start-up loading failed; the process should exit with status 1.
    public var startupFailed: Bool { persistence.loadFailure != nil }

    /// Loads the snapshot file at start-up if there is one: a small file now
    /// (a corrupt or unreadable one throws and stops start-up), a large one on
    /// a helper thread (see the file header). Call after `start()`, before `run()`.
    func loadDataAtStartup() throws(PersistenceError) {
        guard mode == .node else { return }   // a sentinel has no dataset
        persistence.lastSave = now
        removeStaleTempFiles()
        let path = snapshotPath
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        if fd < 0 {
            if errno == ENOENT { return }
            throw PersistenceError(description: "Fatal error loading the DB: \(String(cString: strerror(errno))). Exiting.")
        }
        // The replica link opened by start() has sent nothing yet (the loop has
        // not run): drop it, and reconnect once the dump is in, offering the
        // dump's replication id/offset as cached master (ReplicaRestart.swift).
        if let link = replicaSide.link { dropLink(link) }
        var st = stat()
        let size = fstat(fd, &st) == 0 ? Int(st.st_size) : 0
        let checksum = config.bool("rdbchecksum"), count = databases.count, startedAt = now
        let expireBefore: Int64? = replicaSide.isReplica ? nil : startedAt
        if size <= Server.synchronousLoadLimit {
            defer { Glibc.close(fd) }
            let outcome = try Server.loadSnapshot(fd: fd, path: path, verifyChecksum: checksum, databaseCount: count,
                                                  now: expireBefore, progress: nil)
            install(outcome)
            adoptReplicationInfo(outcome.replication)
            return
        }
        let progress = LoadingProgress()
        persistence.loading = LoadingState(startedAt: startedAt, totalBytes: size, progress: progress)
        persistence.isLoading = true
        logger.notice("Loading RDB in the background (\(size) bytes); commands get -LOADING until it is done")
        let handle = loop.handle
        let server = LoopBound(value: self)
        Thread.detachNewThread {
            let result: Result<LoadOutcome, PersistenceError>
            do throws(PersistenceError) {
                result = .success(try Server.loadSnapshot(fd: fd, path: path, verifyChecksum: checksum,
                                                          databaseCount: count, now: expireBefore, progress: progress))
            } catch {
                result = .failure(error)
            }
            Glibc.close(fd)
            handle.execute { server.value.finishLoading(result) }
        }
    }

    /// Reads a whole snapshot from `fd` into fresh databases. Runs on any
    /// thread: touches no server state. Keys expired at `now` are dropped
    /// (nil: kept, as a replica does — its master sends the DELs).
    static func loadSnapshot(fd: Int32, path: String, verifyChecksum: Bool, databaseCount: Int, now: Int64?,
                             progress: LoadingProgress?) throws(PersistenceError) -> LoadOutcome {
        let started = EventLoop.wallClockMilliseconds()
        var reader = RDBReader(source: FileDescriptorSource(fd: fd), verifyChecksum: verifyChecksum)
        let loaded: SnapshotCodec.Loaded
        do {
            loaded = try SnapshotCodec.load(&reader, databaseCount: databaseCount, dropExpiredBefore: now,
                                            progress: progress.map { p in
                                                { bytes, keys in
                                                    p.loadedBytes.store(bytes, ordering: .relaxed)
                                                    p.keysLoaded.store(keys, ordering: .relaxed)
                                                }
                                            },
                                            onAux: progress.map { p in
                                                { key, value in
                                                    if key == "used-mem", let n = Int(String(decoding: value, as: UTF8.self)) {
                                                        p.rdbUsedMemory.store(n, ordering: .relaxed)
                                                    }
                                                }
                                            })
        } catch {
            throw PersistenceError(description: "Fatal error loading the DB \(path): \(error). The file is left untouched. Exiting.")
        }
        func aux(_ key: String) -> String? { loaded.aux[key].map { String(decoding: $0, as: UTF8.self) } }
        return LoadOutcome(databases: loaded.databases, keysLoaded: loaded.keysLoaded, keysExpired: loaded.keysExpired,
                           version: aux("redis-ver"), ctime: aux("ctime").flatMap { Int64($0) },
                           usedMemory: aux("used-mem").flatMap { Int($0) },
                           replication: Server.replicationInfo(aux: loaded.aux),
                           seconds: Double(EventLoop.wallClockMilliseconds() - started) / 1000)
    }

    /// Loop: the helper thread is done — swap the databases in, or stop the server.
    func finishLoading(_ result: Result<LoadOutcome, PersistenceError>) {
        persistence.loading = nil
        persistence.isLoading = false
        switch result {
        case .success(let outcome):
            install(outcome)
            adoptReplicationInfo(outcome.replication)
        case .failure(let error):
            logger.warning(error.description)
            persistence.loadFailure = error.description
            shutdown()
        }
    }

    /// Makes a loaded dataset the live one, keeping each database's settings.
    private func install(_ outcome: LoadOutcome) {
        var loaded = outcome.databases
        for i in loaded.indices where i < databases.count {
            loaded[i].expiresOnAccess = databases[i].expiresOnAccess
        }
        databases = loaded
        // The dataset changed under any WATCH taken meanwhile (as FLUSHALL would).
        for i in databases.indices { touchAllWatchers(database: i) }
        persistence.lastLoadKeysLoaded = outcome.keysLoaded
        persistence.lastLoadKeysExpired = outcome.keysExpired
        if let version = outcome.version { logger.notice("Loading RDB produced by version \(version)") }
        if let ctime = outcome.ctime { logger.notice("RDB age \(max(0, now / 1000 - ctime)) seconds") }
        if let used = outcome.usedMemory {
            logger.notice("RDB memory usage when created \(formatFixed(Double(used) / 1024 / 1024, digits: 2)) Mb")
        }
        logger.notice("Done loading RDB, keys loaded: \(outcome.keysLoaded), keys expired: \(outcome.keysExpired).")
        logger.notice("DB loaded from disk: \(formatFixed(outcome.seconds, digits: 3)) seconds")
    }

    /// DEBUG RELOAD: save, then load the file back synchronously.
    func reloadFromDisk() throws(PersistenceError) {
        guard !persistence.isLoading else {
            throw PersistenceError(description: "the dataset is still being loaded")
        }
        try saveNow()
        let fd = open(snapshotPath, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else {
            throw PersistenceError(description: "Fatal error loading the DB: \(String(cString: strerror(errno)))")
        }
        defer { Glibc.close(fd) }
        install(try Server.loadSnapshot(fd: fd, path: snapshotPath, verifyChecksum: config.bool("rdbchecksum"),
                                        databaseCount: databases.count, now: now, progress: nil))
    }

    /// The loading_* INFO fields (Redis 7.0's formulas: ETA from the average rate so far).
    func loadingInfoLines(_ loading: LoadingState, now: Int64) -> [String] {
        let loaded = loading.progress.loadedBytes.load(ordering: .relaxed)
        let total = max(loading.totalBytes, 1)
        let elapsed = now / 1000 - loading.startedAt / 1000
        let remaining = max(0, loading.totalBytes - loaded)
        let eta = elapsed == 0 || loaded == 0 ? 1 : Int(elapsed) * remaining / loaded
        return [
            "loading_start_time:\(loading.startedAt / 1000)",
            "loading_total_bytes:\(loading.totalBytes)",
            "loading_rdb_used_mem:\(loading.progress.rdbUsedMemory.load(ordering: .relaxed))",
            "loading_loaded_bytes:\(loaded)",
            "loading_loaded_perc:\(formatFixed(Double(loaded) * 100 / Double(total), digits: 2))",
            "loading_eta_seconds:\(eta)",
        ]
    }
}
