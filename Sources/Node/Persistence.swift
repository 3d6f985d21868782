// Persistence: RDB snapshots on disk — SAVE, BGSAVE (a helper thread writes
// an O(1) copy-on-write snapshot while the loop keeps serving), `save`
// rules in the cron, save on shutdown, and loading at start-up.
//
// Crash safety: a snapshot is written to a temp file in the same directory,
// fsync'ed, renamed over the old file, and the directory is fsync'ed; a crash
// at any moment leaves either the old or the new complete file.

import Foundation
import Glibc
import RESP
import Keyspace
import RDB
import EventLoop

/// Snapshot bookkeeping (INFO persistence).
struct PersistenceState {
    /// Unix ms of the last successful save (start-up time until then, as Redis).
    var lastSave: Int64 = 0
    var lastBackgroundSaveOK = true
    var backgroundSaveInProgress = false
    var backgroundSaveStartedAt: Int64 = 0
    var lastBackgroundSaveSeconds = -1
    /// `dirty` when the running background save took its snapshot.
    var dirtyAtSnapshot = 0
    /// BGSAVE SCHEDULE asked for another save after the current one.
    var scheduled = false
    /// Unix ms of the last background save attempt (for the retry delay after a failure).
    var lastAttempt: Int64 = 0
}

/// Wraps a loop-thread object so a completion closure can carry it across threads.
/// Invariant: `value` is only dereferenced on the loop thread.
struct LoopBound<T: AnyObject>: @unchecked Sendable {
    let value: T
}

/// Why a snapshot could not be written or read.
struct PersistenceError: Error, CustomStringConvertible {
    let description: String
}

extension Server {
    /// The snapshot file, relative to `dir` (the process's working directory).
    var snapshotPath: String { config.string("dbfilename") }

    /// Unix ms of the last successful save.
    var lastSaveTime: Int64 { persistence.lastSave }

    // MARK: Writing

    /// Writes `databases` to `path` crash-safely. Runs on any thread: touches no server state.
    static func writeSnapshot(_ databases: [Database], path: String, compress: Bool, checksum: Bool) throws(PersistenceError) -> Int {
        let directory = path.contains("/") ? String(path[..<(path.lastIndex(of: "/") ?? path.endIndex)]) : "."
        let temp = "\(directory)/temp-\(getpid())-\(UInt32.random(in: 0...UInt32.max)).rdb"
        let fd = open(temp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard fd >= 0 else {
            throw PersistenceError(description: "Failed opening the temp RDB file \(temp) (in server root dir \(currentDirectory())) for saving: \(String(cString: strerror(errno)))")
        }
        var written = 0
        do {
            var writer = RDBWriter(sink: FileDescriptorSink(fd: fd, fsyncOnFinish: true), compress: compress, checksum: checksum)
            try SnapshotCodec.write(databases, to: &writer,
                                    ctime: EventLoop.wallClockMilliseconds() / 1000,
                                    usedMemory: Int64(MemoryUsage.heapBytes()))
            written = writer.bytesWritten
            var sink = try writer.finish()
            try sink.finish()
        } catch {
            Glibc.close(fd)
            unlink(temp)
            throw PersistenceError(description: "Write error saving DB on disk: \(error)")
        }
        Glibc.close(fd)
        guard rename(temp, path) == 0 else {
            let reason = String(cString: strerror(errno))
            unlink(temp)
            throw PersistenceError(description: "Error moving temp DB file \(temp) on the final destination \(path) (in server root dir \(currentDirectory())): \(reason)")
        }
        let dirfd = open(directory, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        if dirfd >= 0 {
            fsync(dirfd)
            Glibc.close(dirfd)
        }
        return written
    }

    static func currentDirectory() -> String {
        var buffer = [CChar](repeating: 0, count: 4096)
        guard getcwd(&buffer, 4096) != nil else { return "?" }
        return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    /// SAVE: a synchronous snapshot on the loop thread.
    func saveNow() throws(PersistenceError) {
        if persistence.backgroundSaveInProgress {
            throw PersistenceError(description: "Background save already in progress")
        }
        _ = try Server.writeSnapshot(databases, path: snapshotPath,
                                     compress: config.bool("rdbcompression"), checksum: config.bool("rdbchecksum"))
        dirty = 0
        persistence.lastSave = now
        persistence.lastBackgroundSaveOK = true
        logger.notice("DB saved on disk")
    }

    /// BGSAVE: snapshot the keyspace (O(1), copy-on-write) and write it on a helper thread.
    /// Returns false if a background save is already running.
    @discardableResult
    func startBackgroundSave() -> Bool {
        guard !persistence.backgroundSaveInProgress else { return false }
        let snapshot = databases
        let path = snapshotPath
        let compress = config.bool("rdbcompression"), checksum = config.bool("rdbchecksum")
        persistence.backgroundSaveInProgress = true
        persistence.backgroundSaveStartedAt = loop.monotonicMilliseconds
        persistence.dirtyAtSnapshot = dirty
        persistence.lastAttempt = now
        logger.notice("Background saving started")
        let handle = loop.handle
        let server = LoopBound(value: self)
        Thread.detachNewThread {
            let outcome: Result<Int, PersistenceError>
            do throws(PersistenceError) {
                outcome = .success(try Server.writeSnapshot(snapshot, path: path, compress: compress, checksum: checksum))
            } catch {
                outcome = .failure(error)
            }
            handle.execute { server.value.finishBackgroundSave(outcome) }
        }
        return true
    }

    private func finishBackgroundSave(_ outcome: Result<Int, PersistenceError>) {
        persistence.backgroundSaveInProgress = false
        persistence.lastBackgroundSaveSeconds = Int((loop.monotonicMilliseconds - persistence.backgroundSaveStartedAt) / 1000)
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
        if persistence.scheduled {
            persistence.scheduled = false
            startBackgroundSave()
        }
    }

    /// Cron: start a background save when a `save` rule is satisfied (and not
    /// within 5 s of a failed attempt, Redis's CONFIG_BGSAVE_RETRY_DELAY).
    func checkSaveRules() {
        guard !persistence.backgroundSaveInProgress, dirty > 0 else { return }
        let now = self.now
        if !persistence.lastBackgroundSaveOK, now - persistence.lastAttempt < 5000 { return }
        for rule in config.saveRules where dirty >= rule.changes && now - persistence.lastSave >= Int64(rule.seconds) * 1000 {
            logger.notice("\(rule.changes) changes in \(rule.seconds) seconds. Saving...")
            startBackgroundSave()
            return
        }
    }

    /// Writes are refused (-MISCONF) when the last background save failed and saving is configured.
    var refusesWritesAfterSaveError: Bool {
        !persistence.lastBackgroundSaveOK && config.bool("stop-writes-on-bgsave-error") && !config.saveRules.isEmpty
    }

    /// Before exiting: save if asked (or, when not told, if save rules exist). Returns a failure to report, if any.
    func prepareShutdown(save: Bool?) -> String? {
        let shouldSave = save ?? !config.saveRules.isEmpty
        guard shouldSave else { return nil }
        logger.notice("Saving the final RDB snapshot before exiting.")
        do throws(PersistenceError) {
            try waitForBackgroundSaveThenSave()
        } catch {
            logger.warning("Error trying to save the DB, can't exit.")
            return error.description
        }
        return nil
    }

    private func waitForBackgroundSaveThenSave() throws(PersistenceError) {
        // A running BGSAVE writes an older snapshot: write a fresh one synchronously after it.
        persistence.backgroundSaveInProgress = false
        _ = try Server.writeSnapshot(databases, path: snapshotPath,
                                     compress: config.bool("rdbcompression"), checksum: config.bool("rdbchecksum"))
        dirty = 0
        persistence.lastSave = now
        logger.notice("DB saved on disk")
    }

    // MARK: Loading

    /// Loads the snapshot file if there is one. A corrupt or unreadable file stops start-up (and is left untouched).
    func loadDataAtStartup() throws(PersistenceError) {
        persistence.lastSave = now
        let fd = open(snapshotPath, O_RDONLY | O_CLOEXEC)
        if fd < 0 {
            if errno == ENOENT { return }
            throw PersistenceError(description: "Fatal error loading the DB: \(String(cString: strerror(errno))). Exiting.")
        }
        defer { Glibc.close(fd) }
        let start = loop.monotonicMilliseconds
        var reader = RDBReader(source: FileDescriptorSource(fd: fd), verifyChecksum: config.bool("rdbchecksum"))
        do {
            let loaded = try SnapshotCodec.read(&reader, databaseCount: databases.count, dropExpiredBefore: now)
            databases = loaded.databases
        } catch {
            throw PersistenceError(description: "Fatal error loading the DB \(snapshotPath): \(error). The file is left untouched. Exiting.")
        }
        let keys = databases.reduce(0) { $0 + $1.count }
        let seconds = Double(loop.monotonicMilliseconds - start) / 1000
        logger.notice("DB loaded from disk: \(String(format: "%.3f", seconds)) seconds (\(keys) keys)")
    }

    /// DEBUG RELOAD: save, empty the keyspace, load the file back.
    func reloadFromDisk() throws(PersistenceError) {
        try saveNow()
        for i in databases.indices { databases[i] = Database() }
        try loadDataAtStartup()
    }
}
