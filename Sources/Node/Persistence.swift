// Persistence: RDB snapshots on disk — SAVE, BGSAVE (a helper thread writes
// an O(1) copy-on-write snapshot while the loop keeps serving), `save` rules
// and scheduled saves in the cron, save on shutdown, INFO persistence.
// Loading at start-up is in Loading.swift. A replica's snapshots carry the
// repl-id/repl-offset/repl-stream-db AUX fields (ReplicaRestart.swift).
//
// Crash safety: a snapshot is written to a temp file `temp-<pid>-<n>.rdb` in
// the snapshot's directory, fsync'ed, renamed over the old file, and the
// directory is fsync'ed; a crash at any moment leaves either the old or the
// new complete file. A crash can leave the temp file behind (Redis leaves its
// temp-<pid>.rdb forever): start-up removes temp files of processes that no
// longer exist (`removeStaleTempFiles`), never those of a live process.
//
// Differences from Redis 7.0, by design: the BGSAVE "child" is a thread, so
// SHUTDOWN cancels it (Redis kills the child) and waits until it can no longer
// rename its file over the snapshot before writing its own; rdb_last_cow_size
// and current_cow_size count the keyspace table segments copied by writes
// during the save (what fork's page copies measure), not big values' copies.

import Foundation
import Glibc
import Synchronization
import RESP
import Keyspace
import RDB
import EventLoop

/// Snapshot bookkeeping (INFO persistence).
struct PersistenceState {
    /// Unix ms of the last successful save (start-up time until then, as Redis).
    var lastSave: Int64 = 0
    var lastBackgroundSaveOK = true
    /// The running background save, if any.
    var job: SnapshotJob?
    /// Unix ms when the running (or last) background save started.
    var backgroundSaveStartedAt: Int64 = 0
    /// Whole seconds the last background save took; -1 before the first.
    var lastBackgroundSaveSeconds = -1
    /// `dirty` when the running background save took its snapshot.
    var dirtyAtSnapshot = 0
    /// A background save to start as soon as none is running (Redis's rdb_bgsave_scheduled).
    var scheduled = false
    /// Unix ms of the last background save attempt (for the retry delay after a failure).
    var lastAttempt: Int64 = 0
    /// Saves started since start-up, SAVE and BGSAVE (INFO rdb_saves).
    var saves = 0
    /// Table bytes copied on write during the last background save (INFO rdb_last_cow_size).
    var lastCopyOnWriteBytes = 0
    /// Keys loaded / skipped as expired by the last load (INFO rdb_last_load_keys_*).
    var lastLoadKeysLoaded = 0
    var lastLoadKeysExpired = 0
    /// The start-up load running on a helper thread, if any (Loading.swift).
    var loading: LoadingState?
    /// `loading != nil`, kept as a plain flag for dispatch's per-command check.
    var isLoading = false
    /// Why start-up loading failed, once it has: the process then exits with status 1.
    var loadFailure: String?

    /// True while a BGSAVE is writing.
    var backgroundSaveInProgress: Bool { job != nil }
}

/// One background save, shared by the loop thread and its writer thread.
///
/// Invariant: once `cancel()` has returned, the writer either already renamed
/// its file over the snapshot or never will (the rename happens under the same
/// lock), so a synchronous save after it cannot be overwritten by older data.
///
/// The snapshot itself is handed to the writer through the job and taken out
/// of it (`takeSnapshot`), so the writer thread drops the last reference: the
/// old copies of segments the loop rewrote meanwhile are freed there, never on
/// the loop (freeing a million entries would be a stall).
final class SnapshotJob: Sendable {
    /// The temp file the writer fills.
    let tempPath: String
    /// Keys in the snapshot (INFO current_save_keys_total).
    let keysTotal: Int
    /// Keys written so far (INFO current_save_keys_processed).
    let keysProcessed = Atomic<Int>(0)
    private let phase = Mutex(Phase.writing)
    private let snapshot: Mutex<[Database]>

    private enum Phase { case writing, cancelled, committed }

    init(snapshot: [Database], tempPath: String) {
        self.snapshot = Mutex(snapshot)
        self.tempPath = tempPath
        self.keysTotal = snapshot.reduce(0) { $0 + $1.count }
    }

    /// Writer: the snapshot to write, leaving none in the job.
    func takeSnapshot() -> [Database] {
        snapshot.withLock { s in
            let taken = s
            s = []
            return taken
        }
    }

    /// True once the loop has cancelled the job.
    var isCancelled: Bool { phase.withLock { $0 == .cancelled } }

    /// Loop: stops the job (see the type's invariant).
    func cancel() {
        phase.withLock { if $0 == .writing { $0 = .cancelled } }
    }

    /// Writer: performs `rename` (returning its status) unless the job was cancelled.
    func commit(_ rename: () -> Int32) -> (committed: Bool, status: Int32) {
        phase.withLock { p in
            guard p == .writing else { return (false, 0) }
            p = .committed
            return (true, rename())
        }
    }
}

/// Wraps a loop-thread object so a completion closure can carry it across threads.
/// Invariant: `value` is only dereferenced on the loop thread.
struct LoopBound<T: AnyObject>: @unchecked Sendable {
    let value: T
}

/// Why a snapshot could not be written or read.
struct PersistenceError: Error, CustomStringConvertible {
    let description: String

    /// A background save stopped by SHUTDOWN (not a failure to report).
    static let cancelled = PersistenceError(description: "Background save cancelled")
}

extension Server {
    /// The snapshot file, relative to `dir` (the process's working directory).
    var snapshotPath: String { config.string("dbfilename") }

    /// Unix ms of the last successful save.
    var lastSaveTime: Int64 { persistence.lastSave }

    /// The directory holding `path` ("." for a bare file name).
    static func directory(of path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return "." }
        return slash == path.startIndex ? "/" : String(path[..<slash])
    }

    /// A temp file name in the snapshot's directory, unique in this process.
    func tempSnapshotPath() -> String {
        "\(Server.directory(of: snapshotPath))/temp-\(getpid())-\(persistence.saves).rdb"
    }

    // MARK: Writing

    /// Writes `databases` to `path` crash-safely through `temp`. Runs on any
    /// thread: touches no server state. With a `job`, reports progress to it,
    /// stops early when it is cancelled, and renames only if it was not.
    /// `replication`: the repl-* AUX fields of a replica's snapshot (ReplicaRestart.swift).
    static func writeSnapshot(_ databases: [Database], path: String, compress: Bool, checksum: Bool,
                              temp: String? = nil, job: SnapshotJob? = nil,
                              replication: ReplicationAuxFields? = nil) throws(PersistenceError) -> Int {
        let directory = directory(of: path)
        let temp = temp ?? "\(directory)/temp-\(getpid())-\(UInt32.random(in: 0...UInt32.max)).rdb"
        let fd = open(temp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard fd >= 0 else {
            throw PersistenceError(description: "Failed opening the temp RDB file \(temp) (in server root dir \(currentDirectory())) for saving: \(String(cString: strerror(errno)))")
        }
        var written = 0
        var report: ((Int) throws(RDBError) -> Void)? = nil
        if let job {
            report = { (keys: Int) throws(RDBError) -> Void in
                job.keysProcessed.store(keys, ordering: .relaxed)
                if job.isCancelled { throw RDBError(.io, offset: 0, "cancelled") }
            }
        }
        do {
            var writer = RDBWriter(sink: FileDescriptorSink(fd: fd, fsyncOnFinish: true), compress: compress, checksum: checksum)
            try SnapshotCodec.write(databases, to: &writer,
                                    ctime: EventLoop.wallClockMilliseconds() / 1000,
                                    usedMemory: Int64(MemoryUsage.heapBytes()),
                                    progress: report, replication: replication)
            written = writer.bytesWritten
            var sink = try writer.finish()
            try sink.finish()
        } catch {
            Glibc.close(fd)
            unlink(temp)
            if job?.isCancelled == true { throw .cancelled }
            throw PersistenceError(description: "Write error saving DB on disk: \(error)")
        }
        Glibc.close(fd)
        // 0, or the errno of a failed rename.
        let moveOver = { rename(temp, path) == 0 ? 0 : errno }
        let renameError: Int32
        if let job {
            let outcome = job.commit(moveOver)
            guard outcome.committed else {
                unlink(temp)
                throw .cancelled
            }
            renameError = outcome.status
        } else {
            renameError = moveOver()
        }
        guard renameError == 0 else {
            let reason = String(cString: strerror(renameError))
            unlink(temp)
            throw PersistenceError(description: "Error moving temp DB file \(temp) on the final destination \(path) (in server root dir \(currentDirectory())): \(reason)")
        }
        let dirfd = open(directory, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        if dirfd >= 0 {
            let synced = fsync(dirfd)
            let reason = String(cString: strerror(errno))
            Glibc.close(dirfd)
            if synced != 0 {
                throw PersistenceError(description: "Failed to fsync directory while saving DB: \(reason)")
            }
        }
        return written
    }

    static func currentDirectory() -> String {
        var buffer = [CChar](repeating: 0, count: 4096)
        guard getcwd(&buffer, 4096) != nil else { return "?" }
        return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    /// Bytes of keyspace table storage copied on write since the last reset (all databases).
    var copyOnWriteBytes: Int { databases.reduce(0) { $0 + $1.copyOnWriteBytes } }

    /// SAVE: a synchronous snapshot on the loop thread.
    func saveNow() throws(PersistenceError) {
        if persistence.backgroundSaveInProgress {
            throw PersistenceError(description: "Background save already in progress")
        }
        persistence.saves += 1
        _ = try Server.writeSnapshot(databases, path: snapshotPath,
                                     compress: config.bool("rdbcompression"), checksum: config.bool("rdbchecksum"),
                                     temp: tempSnapshotPath(), replication: replicationSaveInfo())
        dirty = 0
        persistence.lastSave = now
        persistence.lastBackgroundSaveOK = true
        logger.notice("DB saved on disk")
    }

    /// BGSAVE: snapshot the keyspace (O(1), copy-on-write) and write it on a helper thread.
    /// Returns false if a background save is already running (or a load is).
    @discardableResult
    func startBackgroundSave() -> Bool {
        guard !persistence.backgroundSaveInProgress, !persistence.isLoading else { return false }
        // Reset before taking the snapshot, so the reset itself copies nothing shared.
        for i in databases.indices { databases[i].resetCopyOnWriteBytes() }
        let path = snapshotPath
        let compress = config.bool("rdbcompression"), checksum = config.bool("rdbchecksum")
        let replication = replicationSaveInfo()
        persistence.saves += 1
        let job = SnapshotJob(snapshot: databases, tempPath: tempSnapshotPath())
        persistence.job = job
        persistence.backgroundSaveStartedAt = now
        persistence.dirtyAtSnapshot = dirty
        persistence.lastAttempt = now
        logger.notice("Background saving started")
        let handle = loop.handle
        let server = LoopBound(value: self)
        Thread.detachNewThread {
            let outcome = Server.writeBackgroundSnapshot(job, path: path, compress: compress, checksum: checksum,
                                                         replication: replication)
            handle.execute { server.value.finishBackgroundSave(job, outcome) }
        }
        return true
    }

    /// Writer thread: writes the job's snapshot; the snapshot is released
    /// here, on this thread, when the function returns.
    private static func writeBackgroundSnapshot(_ job: SnapshotJob, path: String, compress: Bool, checksum: Bool,
                                                replication: ReplicationAuxFields?) -> Result<Int, PersistenceError> {
        let snapshot = job.takeSnapshot()
        do throws(PersistenceError) {
            return .success(try writeSnapshot(snapshot, path: path, compress: compress, checksum: checksum,
                                              temp: job.tempPath, job: job, replication: replication))
        } catch {
            return .failure(error)
        }
    }

    private func finishBackgroundSave(_ job: SnapshotJob, _ outcome: Result<Int, PersistenceError>) {
        guard persistence.job === job else { return }   // cancelled: a synchronous save replaced it
        persistence.job = nil
        persistence.lastBackgroundSaveSeconds = Int(now / 1000 - persistence.backgroundSaveStartedAt / 1000)
        persistence.lastCopyOnWriteBytes = copyOnWriteBytes
        switch outcome {
        case .success:
            dirty = max(0, dirty - persistence.dirtyAtSnapshot)
            persistence.lastSave = now
            persistence.lastBackgroundSaveOK = true
            logger.notice("Background saving terminated with success")
        case .failure(let error):
            persistence.lastBackgroundSaveOK = false
            logger.warning(error.description)
            logger.warning("Background saving error")
        }
    }

    /// Cron: start a scheduled background save, or one a `save` rule asks for
    /// (Redis: more than `seconds` whole seconds since the last save and at
    /// least `changes` writes; not within 5 s of a failed attempt,
    /// CONFIG_BGSAVE_RETRY_DELAY).
    func checkSaveRules() {
        guard !persistence.backgroundSaveInProgress, !persistence.isLoading else { return }
        let nowSeconds = now / 1000
        let retryAllowed = persistence.lastBackgroundSaveOK || nowSeconds - persistence.lastAttempt / 1000 > 5
        if persistence.scheduled, retryAllowed {
            persistence.scheduled = false
            startBackgroundSave()
            return
        }
        guard dirty > 0, retryAllowed else { return }
        for rule in config.saveRules
        where dirty >= rule.changes && nowSeconds - persistence.lastSave / 1000 > Int64(rule.seconds) {
            logger.notice("\(rule.changes) changes in \(rule.seconds) seconds. Saving...")
            startBackgroundSave()
            return
        }
    }

    /// Writes are refused (-MISCONF) when the last background save failed and saving is configured.
    var refusesWritesAfterSaveError: Bool {
        !persistence.lastBackgroundSaveOK && config.bool("stop-writes-on-bgsave-error") && !config.saveRules.isEmpty
    }

    /// Before exiting (SHUTDOWN, SIGTERM), as Redis's finishShutdown: cancel a
    /// running BGSAVE, then save if asked (or, when not told, if save rules
    /// exist) — never while loading, which would overwrite the file with part
    /// of it. Returns a failure to report (the server must not exit), unless
    /// `force` (SHUTDOWN FORCE) says to exit anyway.
    func prepareShutdown(save: Bool?, force: Bool = false) -> String? {
        if persistence.job != nil {
            logger.warning("There is a background thread saving an .rdb. Cancelling it!")
            cancelBackgroundSave()
        }
        // A sentinel never saves (Redis forces NOSAVE in sentinel mode).
        let shouldSave = mode == .node && !persistence.isLoading && (save ?? !config.saveRules.isEmpty)
        guard shouldSave else { return nil }
        logger.notice("Saving the final RDB snapshot before exiting.")
        do throws(PersistenceError) {
            persistence.saves += 1
            _ = try Server.writeSnapshot(databases, path: snapshotPath,
                                         compress: config.bool("rdbcompression"), checksum: config.bool("rdbchecksum"),
                                         temp: tempSnapshotPath(), replication: replicationSaveInfo())
            dirty = 0
            persistence.lastSave = now
            logger.notice("DB saved on disk")
        } catch {
            if force {
                logger.warning(error.description)
                logger.warning("Error trying to save the DB. Exit anyway.")
                return nil
            }
            logger.warning("Error trying to save the DB, can't exit.")
            return error.description
        }
        return nil
    }

    /// Removes temp snapshot files (`temp-<pid>.rdb`, `temp-<pid>-<n>.rdb`) left
    /// in the snapshot's directory by processes that no longer exist — a crash
    /// during a save. A live process's file (another server sharing the
    /// directory) is never touched. (Servers in different PID namespaces
    /// sharing one directory would see each other as dead: don't do that.)
    func removeStaleTempFiles() {
        let directory = Server.directory(of: snapshotPath)
        guard let dir = opendir(directory) else { return }
        var stale: [String] = []
        while let entry = readdir(dir) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
            }
            guard let pid = Server.tempFilePID(name), pid != getpid() else { continue }
            if kill(pid, 0) != 0 && errno == ESRCH { stale.append(name) }
        }
        closedir(dir)
        for name in stale where unlink("\(directory)/\(name)") == 0 {
            logger.notice("Removed stale temp RDB file \(name) (its process is gone)")
        }
    }

    /// The pid in a temp snapshot file name, nil if `name` is not one.
    static func tempFilePID(_ name: String) -> pid_t? {
        guard name.hasPrefix("temp-"), name.hasSuffix(".rdb") else { return nil }
        let middle = name.dropFirst(5).dropLast(4)
        let parts = middle.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 1 || parts.count == 2,
              parts.allSatisfy({ !$0.isEmpty && $0.utf8.allSatisfy { $0 >= 0x30 && $0 <= 0x39 } }),
              let pid = pid_t(parts[0]), pid > 0 else { return nil }
        return pid
    }

    // MARK: INFO

    /// The "# Persistence" fields, in Redis 7.0's order (loading_* only while loading).
    func persistenceInfoLines() -> [String] {
        let now = self.now
        let job = persistence.job
        let cow = job != nil ? copyOnWriteBytes : 0
        let processed = job?.keysProcessed.load(ordering: .relaxed) ?? 0
        let total = job?.keysTotal ?? 0
        let percent = total > 0 ? Double(processed) * 100 / Double(total) : 0
        var lines = [
            "loading:\(persistence.isLoading ? 1 : 0)",
            "async_loading:0",
            "current_cow_peak:\(cow)",
            "current_cow_size:\(cow)",
            "current_cow_size_age:0",
            "current_fork_perc:\(formatFixed(percent, digits: 2))",
            "current_save_keys_processed:\(processed)",
            "current_save_keys_total:\(total)",
            "rdb_changes_since_last_save:\(dirty)",
            "rdb_bgsave_in_progress:\(job != nil ? 1 : 0)",
            "rdb_last_save_time:\(persistence.lastSave / 1000)",
            "rdb_last_bgsave_status:\(persistence.lastBackgroundSaveOK ? "ok" : "err")",
            "rdb_last_bgsave_time_sec:\(persistence.lastBackgroundSaveSeconds)",
            "rdb_current_bgsave_time_sec:\(job != nil ? now / 1000 - persistence.backgroundSaveStartedAt / 1000 : -1)",
            "rdb_saves:\(persistence.saves)",
            "rdb_last_cow_size:\(persistence.lastCopyOnWriteBytes)",
            "rdb_last_load_keys_expired:\(persistence.lastLoadKeysExpired)",
            "rdb_last_load_keys_loaded:\(persistence.lastLoadKeysLoaded)",
            "aof_enabled:0",
            "aof_rewrite_in_progress:0",
            "aof_rewrite_scheduled:0",
            "aof_last_rewrite_time_sec:-1",
            "aof_current_rewrite_time_sec:-1",
            "aof_last_bgrewrite_status:ok",
            "aof_rewrites:0",
            "aof_rewrites_consecutive_failures:0",
            "aof_last_write_status:ok",
            "aof_last_cow_size:0",
            "module_fork_in_progress:0",
            "module_fork_last_cow_size:0",
        ]
        if let loading = persistence.loading { lines += loadingInfoLines(loading, now: now) }
        return lines
    }
}

/// `value` with exactly `digits` decimals (printf "%.Nf").
func formatFixed(_ value: Double, digits: Int) -> String {
    String(format: "%.\(digits)f", value)
}
