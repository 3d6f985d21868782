// ReplicaTransfer: receiving and loading the snapshot of a full sync (Redis's
// readSyncBulkPayload). `RDBPayloadFramer` says which bytes are payload; they
// are collected in memory, decoded with `SnapshotCodec.read` over a
// `MemorySource` (on a helper thread when big), and only a fully decoded
// snapshot replaces `databases`.
//
// Invariants: the old data set stays untouched until the new one is
// complete — a broken transfer or a corrupt payload logs why, keeps the old
// data and reconnects. While loading, the link reads nothing (bytes after the
// payload are the command stream and wait in the socket / buffer).
//
// With `repl-diskless-load disabled` (the default) a decoded payload is also
// stored as the snapshot file before it is installed, so a restarted replica
// can continue from it with a partial resync (ReplicaRestart.swift); a running
// BGSAVE is cancelled first so its older data cannot be renamed over it.

import Foundation
import RESP
import Keyspace
import RDB
import EventLoop
import Replication

/// Payloads at least this big are decoded on a helper thread.
private let threadedLoadThreshold = 4 * 1024 * 1024

extension Server {
    /// Frames buffered transfer bytes. Returns true when it made progress and
    /// the caller should continue, false when it needs more input or stopped.
    func processTransferInput(_ link: MasterLink) -> Bool {
        guard var framer = link.framer else { return false }
        let step: (event: RDBPayloadFramer.Event, consumed: Int)?
        do {
            step = try link.readBuffer.withReadableBytes { bytes throws(RDBPayloadError) in try framer.next(bytes) }
        } catch let error as RDBPayloadError {
            applyHandshake(link, link.handshake.handle(.payloadFailed(error.logLine)))
            return false
        } catch {
            return false
        }
        link.framer = framer
        guard let (event, consumed) = step else { return false }
        switch event {
        case .keepalive:
            link.readBuffer.consume(consumed)
        case .begin(let length):
            link.readBuffer.consume(consumed)
            log(length.startLogLine(diskless: config.replDisklessLoad != "disabled"))
            if case .exact(let n) = length { link.payload.reserveCapacity(Int(min(n, 64 * 1024 * 1024))) }
        case .payload(let n):
            link.readBuffer.withReadableBytes { link.payload.append(contentsOf: UnsafeRawBufferPointer(rebasing: $0[0..<n])) }
            link.readBuffer.consume(consumed)
        case .end:
            link.readBuffer.consume(consumed)
            loadPayload(link)
            return false
        }
        return true
    }

    /// Decodes the received snapshot, inline or on a helper thread.
    private func loadPayload(_ link: MasterLink) {
        link.isLoading = true
        loop.setInterest(fd: link.fd, [])
        log(TransferLog.loadingDB)
        let payload = link.payload
        link.payload = []
        let count = databases.count
        let storePath = config.replDisklessLoad == "disabled" ? snapshotPath : nil
        if storePath != nil, persistence.backgroundSaveInProgress {
            logger.notice("Replica is about to load the RDB file received from the master, but there is a pending RDB child running. Killing it and removing its temp file to avoid any race")
            cancelBackgroundSave()
        }
        if payload.count < threadedLoadThreshold {
            finishLoad(link, Server.decodeAndStore(payload, databaseCount: count, storePath: storePath))
            return
        }
        let handle = loop.handle
        let server = LoopBound(value: self)
        let boundLink = LoopBound(value: link)
        Thread.detachNewThread {
            let outcome = Server.decodeAndStore(payload, databaseCount: count, storePath: storePath)
            handle.execute { server.value.finishLoad(boundLink.value, outcome) }
        }
    }

    /// Decodes a whole snapshot and, when it decoded and `storePath` is set,
    /// stores the payload there. A failure to store is only reported (the
    /// data set is still installed). Runs on any thread: touches no server state.
    static func decodeAndStore(_ payload: Bytes, databaseCount: Int,
                               storePath: String?) -> (decoded: Result<[Database], RDBError>, storeError: String?) {
        let decoded = decodeSnapshot(payload, databaseCount: databaseCount)
        guard case .success = decoded, let storePath else { return (decoded, nil) }
        do throws(PersistenceError) {
            try storeSyncPayload(payload, path: storePath)
            return (decoded, nil)
        } catch {
            return (decoded, error.description)
        }
    }

    /// Decodes a whole snapshot. Runs on any thread: touches no server state.
    /// Expired keys are kept: a replica waits for its master's DELs.
    static func decodeSnapshot(_ payload: Bytes, databaseCount: Int) -> Result<[Database], RDBError> {
        var reader = RDBReader(source: MemorySource(payload), verifyChecksum: true)
        do {
            return .success(try SnapshotCodec.read(&reader, databaseCount: databaseCount, dropExpiredBefore: nil).databases)
        } catch {
            return .failure(error)
        }
    }

    /// Installs a decoded snapshot (or reports why it could not be), then
    /// lets the handshake start streaming.
    private func finishLoad(_ link: MasterLink, _ result: (decoded: Result<[Database], RDBError>, storeError: String?)) {
        link.isLoading = false
        let outcome = result.decoded
        if let storeError = result.storeError { logger.warning(storeError) }
        guard replicaSide.link === link else { return }  // REPLICAOF changed meanwhile
        let usedEOFMark: Bool
        if case .untilMark = link.framer?.length { usedEOFMark = true } else { usedEOFMark = false }
        switch outcome {
        case .failure(let error):
            var actions = link.handshake.handle(.payloadFailed(TransferLog.loadFailed("\(error)")))
            actions.insert(.log(.notice("MASTER <-> REPLICA sync: the old data set is kept")), at: min(1, actions.count))
            applyHandshake(link, actions)
        case .success(var loaded):
            // Redis's replicationAttachToNewMaster: our replicas must resync with us too.
            disconnectOwnReplicas()
            replicationStream.freeBacklog()
            log(TransferLog.flushingOldData)
            for i in databases.indices { touchAllWatchers(database: i) }
            var keys = 0
            for i in loaded.indices {
                loaded[i].expiresOnAccess = false
                keys += loaded[i].count
            }
            if loaded.count == databases.count { databases = loaded }
            logger.notice("Done loading RDB, keys loaded: \(keys), keys expired: 0.")
            loop.setInterest(fd: link.fd, .readable)
            applyHandshake(link, link.handshake.handle(.payloadLoaded(usedEOFMark: usedEOFMark)))
        }
    }

    /// Closes every replica connected to this node (Redis's disconnectSlaves).
    func disconnectOwnReplicas() {
        for client in clients.values where client.kind == .replica { close(client) }
    }
}
