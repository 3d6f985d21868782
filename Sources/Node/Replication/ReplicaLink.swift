// ReplicaLink: the replica's connection to its master before streaming —
// the non-blocking connect, the handshake (driven by the pure
// `ReplicaHandshake`), and the actions it asks for. The snapshot transfer is
// in ReplicaTransfer.swift, the streaming phase in ReplicaStream.swift.
//
// Invariants: a `MasterLink` is live only while it is `replicaSide.link`;
// every event handler first checks that, so late events for a dropped link
// do nothing. The link's socket is closed exactly once: by `dropLink`, or it
// is handed to the master client (which then owns it) when streaming starts.

import RESP
import Config
import EventLoop
import Replication

/// One connection attempt to the master (Redis's repl_transfer_s and friends).
final class MasterLink {
    /// The socket; owned by the link until streaming starts.
    let fd: Int32
    /// The master being connected to.
    let target: ReplicaOf
    /// The handshake state machine of this attempt.
    var handshake: ReplicaHandshake
    /// Bytes read and not yet consumed.
    var readBuffer = ReadBuffer()
    /// Bytes waiting for the socket to accept them.
    var pendingOutput: Bytes = []
    /// The snapshot framer, from +FULLRESYNC on.
    var framer: RDBPayloadFramer?
    /// Snapshot bytes received so far.
    var payload: Bytes = []
    /// Monotonic ms of the last I/O (repl-timeout).
    var lastIO: Int64
    /// Monotonic ms when the snapshot transfer started.
    var transferStartedAt: Int64 = 0
    /// The snapshot is being loaded: input is not processed meanwhile.
    var isLoading = false

    init(fd: Int32, target: ReplicaOf, handshake: ReplicaHandshake, now: Int64) {
        self.fd = fd
        self.target = target
        self.handshake = handshake
        self.lastIO = now
    }
}

extension Server {
    // MARK: Connecting

    /// Starts a connection attempt to the configured master (Redis's
    /// connectWithMaster). Does nothing when not a replica, already linked, or
    /// while the start-up snapshot is still loading (the cron retries).
    func connectToMaster() {
        guard let target = replicaSide.target, replicaSide.link == nil, replicaSide.masterClient == nil else { return }
        // A start-up load still running would later replace what a sync installs.
        guard !persistence.isLoading else { return }
        let fd: Int32
        do {
            fd = try Socket.connect(host: target.host, port: target.port)
        } catch {
            logger.warning("Unable to connect to MASTER: \(error.message)")
            return
        }
        Socket.setNoDelay(fd: fd)
        let keepalive = config.int("tcp-keepalive")
        if keepalive > 0 { Socket.setKeepAlive(fd: fd, intervalSeconds: keepalive) }
        let link = MasterLink(fd: fd, target: target, handshake: ReplicaHandshake(configuration: handshakeConfiguration()),
                              now: loop.monotonicMilliseconds)
        do {
            try loop.register(fd: fd, interest: .writable) { [unowned self, unowned link] readable, writable, hangup in
                self.handleLinkEvents(link, readable: readable, writable: writable, hangup: hangup)
            }
        } catch {
            Socket.close(fd: fd)
            logger.warning("Unable to connect to MASTER: \(error.message)")
            return
        }
        replicaSide.link = link
        log(TransferLog.syncStarted)
    }

    /// What this replica announces and offers in the handshake.
    private func handshakeConfiguration() -> ReplicaHandshake.Configuration {
        let announcePort = config.replicaAnnouncePort
        var cached: CachedMaster?
        if replicaSide.cachedMasterDB != nil {
            cached = CachedMaster(replID: replicationStream.history.replID, offset: replicationStream.history.masterReplOffset)
        }
        return ReplicaHandshake.Configuration(
            listeningPort: announcePort > 0 ? announcePort : boundPort,
            announceIP: config.replicaAnnounceIP,
            masterUser: config.masterUser.map { Array($0.utf8) },
            masterAuth: config.masterAuth.map { Array($0.utf8) },
            cachedMaster: cached,
            failoverInProgress: masterSide.failover.phase == .inProgress)  // FAILOVER (Failover.swift)
    }

    /// Closes the link's socket and forgets the attempt (Redis's cancelReplicationHandshake).
    func dropLink(_ link: MasterLink) {
        guard replicaSide.link === link else { return }
        replicaSide.link = nil
        loop.unregister(fd: link.fd)
        Socket.close(fd: link.fd)
        link.payload = []
    }

    // MARK: Events

    private func handleLinkEvents(_ link: MasterLink, readable: Bool, writable: Bool, hangup: Bool) {
        guard replicaSide.link === link else { return }
        if link.handshake.state == .connecting {
            if let error = Socket.connectResult(fd: link.fd) {
                applyHandshake(link, link.handshake.handle(.connectFailed(error.message)))
                return
            }
            loop.setInterest(fd: link.fd, .readable)
            link.lastIO = loop.monotonicMilliseconds
            applyHandshake(link, link.handshake.handle(.connected))
            return
        }
        if writable { flushLink(link) }
        if (readable || hangup) && replicaSide.link === link && !link.isLoading { readLink(link) }
    }

    private func readLink(_ link: MasterLink) {
        switch link.readBuffer.readFrom(fd: link.fd, maxBytes: 256 * 1024) {
        case .bytes(let n):
            stats.netInputBytes += n
            link.lastIO = loop.monotonicMilliseconds
        case .wouldBlock:
            return
        case .closed:
            linkReadFailed(link, link.handshake.state == .transfer ? "connection lost" : "Success")
            return
        case .error(let e):
            linkReadFailed(link, e.message)
            return
        }
        processLinkInput(link)
    }

    private func linkReadFailed(_ link: MasterLink, _ reason: String) {
        if link.handshake.state == .transfer, link.framer?.length == nil {
            log(TransferLog.readErrorBeforePreamble(reason))
            applyHandshake(link, [.fail(.transferFailed(reason))])
            return
        }
        applyHandshake(link, link.handshake.handle(.readFailed(reason)))
    }

    /// Consumes buffered handshake replies and snapshot bytes.
    func processLinkInput(_ link: MasterLink) {
        while replicaSide.link === link, !link.isLoading {
            if link.handshake.state == .transfer {
                if !processTransferInput(link) { return }
                continue
            }
            guard link.handshake.isInHandshake else { return }
            let found: (line: Bytes, consumed: Int)?
            do {
                found = try link.readBuffer.withReadableBytes { bytes throws(LineTooLongError) in
                    try LineReader.next(bytes, maxLength: 64 * 1024)
                }
            } catch {
                log(.warning("Bad protocol from MASTER: reply longer than \(64 * 1024) bytes"))
                applyHandshake(link, [.fail(.protocolViolation("reply too long"))])
                return
            }
            guard let (line, consumed) = found else { return }
            link.readBuffer.consume(consumed)
            applyHandshake(link, link.handshake.handle(.reply(String(decoding: line, as: UTF8.self))))
        }
    }

    // MARK: Output

    /// Sends bytes to the master: through the master client once streaming,
    /// else straight on the link's socket.
    private func sendToMaster(_ link: MasterLink, _ bytes: Bytes) {
        if let client = replicaSide.masterClient, client.fd == link.fd {
            client.reply.raw(bytes)
            scheduleFlush(client)
            return
        }
        guard replicaSide.link === link else { return }
        link.pendingOutput += bytes
        flushLink(link)
    }

    private func flushLink(_ link: MasterLink) {
        while !link.pendingOutput.isEmpty {
            let result = link.pendingOutput.withUnsafeBytes { Socket.write(fd: link.fd, $0) }
            switch result {
            case .bytes(let n):
                stats.netOutputBytes += n
                link.pendingOutput.removeFirst(n)
            case .wouldBlock:
                loop.setInterest(fd: link.fd, [.readable, .writable])
                return
            case .error(let e):
                linkReadFailed(link, e.message)
                return
            }
        }
        if link.handshake.state != .connecting { loop.setInterest(fd: link.fd, link.isLoading ? [] : .readable) }
    }

    // MARK: Actions

    /// Carries out what the handshake asked for, in order.
    func applyHandshake(_ link: MasterLink, _ actions: [ReplicaHandshake.Action]) {
        for action in actions {
            switch action {
            case .log(let line):
                log(line)
            case .send(let args):
                sendToMaster(link, Server.encodeCommand(args))
            case .sendRaw(let bytes):
                sendToMaster(link, bytes)
            case .fullResync:
                discardCachedMaster()
                replicaSide.masterIsPreSync = false
            case .expectPayload:
                link.framer = RDBPayloadFramer()
                link.payload = []
                link.transferStartedAt = loop.monotonicMilliseconds
                link.lastIO = link.transferStartedAt
            case .partialResync(let newID):
                startStreaming(on: link, fullSync: nil, newReplID: newID)
            case .startStreaming(let replID, let offset):
                startStreaming(on: link, fullSync: (replID, offset), newReplID: nil)
            case .clearFailoverState:
                clearFailoverState()  // FAILOVER (Failover.swift)
            case .abortFailover(let reason):
                failLink(link, reconnectNow: false)
                abortFailover(reason)  // FAILOVER (Failover.swift): master again, unpaused
            case .fail(let failure):
                failLink(link, reconnectNow: failure.reconnectsImmediately)
            }
        }
    }

    /// Gives up the current attempt; reconnects at once or leaves it to the cron.
    func failLink(_ link: MasterLink, reconnectNow: Bool) {
        guard replicaSide.link === link else { return }
        dropLink(link)
        if reconnectNow, let target = replicaSide.target {
            log(TransferLog.reconnecting(host: target.host, port: target.port))
            connectToMaster()
        }
    }

    /// Forgets the cached master (Redis's replicationDiscardCachedMaster).
    func discardCachedMaster() {
        guard replicaSide.cachedMasterDB != nil else { return }
        logger.notice("Discarding previously cached master state.")
        replicaSide.cachedMasterDB = nil
    }

    /// Writes a replication log line at its level.
    func log(_ line: ReplicationLogLine) {
        switch line.level {
        case .debug: logger.debug(line.text)
        case .verbose: logger.verbose(line.text)
        case .notice: logger.notice(line.text)
        case .warning: logger.warning(line.text)
        }
    }

    /// A command as a RESP multibulk.
    static func encodeCommand(_ args: [Bytes]) -> Bytes {
        var out = ReplyBuffer()
        out.arrayHeader(args.count)
        for arg in args { out.bulk(arg) }
        return out.bytes
    }
}
