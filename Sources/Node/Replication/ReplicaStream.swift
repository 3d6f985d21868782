// ReplicaStream: the streaming phase of a replica. The link's socket becomes
// a `Client` of kind `.master`; its bytes are parsed and executed like any
// client's (Dispatch drops the replies), and every applied byte is counted
// into the replication offset and proxied verbatim to this node's own
// replicas (`feedFromMaster` + `sendToReplicas`, chained replication).
//
// Invariants (Redis 7.0's commandProcessed): bytes are counted only up to the
// end of the last command executed outside a MULTI, so a transaction enters
// the offset and the sub-replicas' stream whole, when its EXEC is applied.
// `REPLCONF GETACK` is answered with the offset *before* that command. When
// the master client closes, the node keeps its history as the cached master
// (PSYNC id offset+1 on the next attempt); bytes of an unfinished
// transaction are dropped with it.

import RESP
import EventLoop
import Replication

extension Server {
    /// Turns the link into the master client. `fullSync` is the +FULLRESYNC
    /// (id, offset) after a loaded snapshot; nil after +CONTINUE (then
    /// `newReplID` is the master's id when it changed).
    func startStreaming(on link: MasterLink, fullSync: (replID: ReplicationID?, offset: Int64)?, newReplID: ReplicationID?) {
        guard replicaSide.link === link else { return }
        replicaSide.link = nil
        var database = 0
        if let fullSync {
            if let id = fullSync.replID {
                replicationStream.finishFullSync(replID: id, offset: fullSync.offset)
                replicaSide.masterIsPreSync = false
            } else {
                // Legacy SYNC: no id, no offsets; stream from a fresh history.
                replicationStream.finishFullSync(replID: .random(using: &rng), offset: 0)
                replicaSide.masterIsPreSync = true
            }
        } else {
            database = replicaSide.cachedMasterDB ?? 0
            let cached = CachedMaster(replID: replicationStream.history.replID, offset: replicationStream.history.masterReplOffset)
            if let line = replicationStream.finishPartialSync(newID: newReplID, cached: cached) {
                log(line)
                disconnectOwnReplicas()
            }
            replicaSide.cachedMasterDB = nil
        }
        let peer = Socket.peerAddress(fd: link.fd) ?? Socket.PeerAddress(ip: link.target.host, port: link.target.port)
        let client = Client(id: nextClientID, fd: link.fd, peer: peer,
                            localAddress: Socket.localAddress(fd: link.fd)?.description ?? "",
                            now: now, authenticated: true, maxBulkLength: config.int("proto-max-bulk-len"))
        nextClientID += 1
        client.kind = .master
        client.databaseIndex = database
        link.readBuffer.withReadableBytes { client.readBuffer.append($0) }
        link.readBuffer.removeAll()
        do {
            try loop.register(fd: link.fd, interest: .readable) { [unowned self, unowned client] readable, writable, hangup in
                self.handleMasterEvents(client, readable: readable, writable: writable, hangup: hangup)
            }
        } catch {
            logger.warning("Error registering the master link: \(error)")
            Socket.close(fd: link.fd)
            return
        }
        clients[client.id] = client
        if Int(link.fd) >= clientsByFD.count {
            clientsByFD.append(contentsOf: repeatElement(nil, count: Int(link.fd) - clientsByFD.count + 64))
        }
        clientsByFD[Int(link.fd)] = client
        if !link.pendingOutput.isEmpty {
            client.reply.raw(link.pendingOutput)
            scheduleFlush(client)
        }
        replicaSide.masterClient = client
        replicaSide.masterLastIO = loop.monotonicMilliseconds
        replicaSide.heldStream = []
        replicaSide.downSince = 0
        if !client.readBuffer.isEmpty { processMasterStream(client) }
    }

    // MARK: Reading the stream

    private func handleMasterEvents(_ client: Client, readable: Bool, writable: Bool, hangup: Bool) {
        if client.isClosed { return }
        if writable { flush(client) }
        guard readable || hangup, !client.isClosed else { return }
        switch client.readBuffer.readFrom(fd: client.fd, maxBytes: 64 * 1024) {
        case .bytes(let n):
            stats.netInputBytes += n
            replicaSide.masterLastIO = loop.monotonicMilliseconds
        case .wouldBlock:
            return
        case .closed, .error:
            close(client)
            return
        }
        processMasterStream(client)
        absorbKeyspaceLogs()
        if !client.isClosed { flush(client) }
    }

    /// Executes every complete command buffered from the master and counts
    /// the applied bytes into the offset.
    func processMasterStream(_ client: Client) {
        var position = 0
        // End of the last command applied outside a transaction in this batch
        // (nil: a MULTI opened earlier is still open; its bytes are held until EXEC).
        var applied: Int? = nil
        var protocolFailure: String?
        while !client.isClosed {
            let parsed: (args: [Bytes], consumed: Int)?
            do {
                parsed = try client.readBuffer.withReadableBytes { all throws(ProtocolError) in
                    try client.parser.next(UnsafeRawBufferPointer(rebasing: all[position...]))
                }
            } catch let error as ProtocolError {
                protocolFailure = error.message
                break
            } catch {
                protocolFailure = "\(error)"
                break
            }
            guard let (args, consumed) = parsed else { break }
            let start = position
            position += consumed
            if !args.isEmpty {
                if client.transaction == nil, isGetAck(args) {
                    let before = replicationStream.history.masterReplOffset + Int64(replicaSide.heldStream.count + start)
                    sendAck(client, offset: before)
                } else {
                    execute(client, args: args)
                }
            }
            if client.transaction == nil { applied = position }
        }
        if position > 0 {
            let batch = client.readBuffer.withReadableBytes { Bytes(UnsafeRawBufferPointer(rebasing: $0[0..<position])) }
            client.readBuffer.consume(position)
            if replicaSide.heldStream.isEmpty, applied == position {
                applyFromMaster(batch)
            } else if let applied {
                // Held bytes (an earlier, now finished transaction) plus this batch up to
                // the last command outside a transaction count as applied; the rest waits.
                replicaSide.heldStream += batch[0..<applied]
                applyFromMaster(replicaSide.heldStream)
                replicaSide.heldStream = Array(batch[applied...])
            } else {
                replicaSide.heldStream += batch
            }
            if client.isClosed { replicaSide.heldStream = [] }
        }
        if let protocolFailure, !client.isClosed {
            var shown: [UInt8] = []
            client.readBuffer.withReadableBytes { appendQuoted(Array($0.prefix(128)), to: &shown) }
            logger.warning("Protocol error (\(protocolFailure)) from client: \(clientInfoLine(client)). Query buffer during protocol error: \(String(decoding: shown, as: UTF8.self)). Closing the master link.")
            close(client)
        }
    }

    /// Counts applied master bytes into the offset and proxies them to our replicas.
    private func applyFromMaster(_ bytes: Bytes) {
        if let out = replicationStream.feedFromMaster(bytes) { sendToReplicas(out) }
    }

    private func isGetAck(_ args: [Bytes]) -> Bool {
        args.count >= 2 && asciiEqualsIgnoringCase(args[0], "replconf") && asciiEqualsIgnoringCase(args[1], "getack")
    }

    /// Queues `REPLCONF ACK <offset>` to the master (Redis's replicationSendAck).
    func sendAck(_ client: Client, offset: Int64) {
        client.reply.raw(Server.encodeCommand([Array("REPLCONF".utf8), Array("ACK".utf8), Array(String(offset).utf8)]))
        scheduleFlush(client)
    }

    /// The applied offset (Redis's master->reploff; the cached one when the link is down).
    var replicaAppliedOffset: Int64 {
        replicaSide.masterClient != nil || replicaSide.cachedMasterDB != nil ? replicationStream.history.masterReplOffset : 0
    }

    /// The read offset (Redis's read_reploff): applied plus bytes buffered but not yet applied.
    var replicaReadOffset: Int64 {
        guard let client = replicaSide.masterClient else { return replicaAppliedOffset }
        return replicationStream.history.masterReplOffset + Int64(replicaSide.heldStream.count + client.readBuffer.readableCount)
    }

    // MARK: Losing the master

    /// Called by `close` for a `.master` client: cache it for a partial resync
    /// (Redis's replicationCacheMaster + replicationHandleMasterDisconnection).
    func masterClientClosed(_ client: Client) {
        guard replicaSide.masterClient === client else { return }
        replicaSide.masterClient = nil
        replicaSide.heldStream = []
        logger.notice("Connection with master lost.")
        if !replicaSide.masterIsPreSync {
            logger.notice("Caching the disconnected master state.")
            replicaSide.cachedMasterDB = client.databaseIndex
        }
        replicaSide.downSince = now
    }
}
