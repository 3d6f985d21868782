// ClientIO: moving bytes between sockets and clients. Reads feed the request
// parser; each complete request is dispatched in order; replies accumulate in
// the client's buffer and are written once per read batch (or before the loop
// sleeps, for output produced on behalf of other clients: pub/sub, wake-ups).
//
// Backpressure: EPOLLOUT is armed only after a write would block and disarmed
// once drained; a client whose pending output passes
// `client-output-buffer-limit` is disconnected instead of growing memory.

import RESP
import EventLoop

extension Server {
    func handleEvents(_ client: Client, readable: Bool, writable: Bool, hangup: Bool) {
        if client.isClosed { return }
        if writable { flush(client) }
        if readable || hangup { readFromSocket(client) }
    }

    /// Reads what is available and processes complete requests.
    private func readFromSocket(_ client: Client) {
        switch client.readBuffer.readFrom(fd: client.fd) {
        case .bytes(let n):
            stats.netInputBytes += n
        case .wouldBlock:
            return
        case .closed:
            close(client)
            return
        case .error(let e):
            logger.verbose("Reading from client: \(e)")
            close(client)
            return
        }
        if client.readBuffer.readableCount > hot.queryBufferLimit {
            logger.warning("Closing client that reached max query buffer length: id=\(client.id) addr=\(client.address)")
            close(client)
            return
        }
        processInput(client)
        absorbKeyspaceLogs()
        if !client.isClosed { flush(client) }
    }

    /// Parses and runs every complete request buffered for `client`, stopping when it blocks, pauses or closes.
    func processInput(_ client: Client) {
        while !client.isClosed, client.blocked == nil, !client.pausedOn, !client.closeAfterReply {
            let parsed: (args: [Bytes], consumed: Int)?
            do {
                parsed = try client.readBuffer.withReadableBytes { bytes throws(ProtocolError) in
                    try client.parser.next(bytes)
                }
            } catch let error as ProtocolError {
                protocolError(client, error)
                return
            } catch {
                protocolError(client, ProtocolError(message: "Protocol error: \(error)"))
                return
            }
            guard let (args, consumed) = parsed else { return }
            if args.isEmpty {
                client.readBuffer.consume(consumed)
                continue
            }
            if pause != nil, let spec = commands.lookup(args[0]), mustPause(client, spec) {
                client.pausedOn = true
                pausedClients.append(client.id)
                return
            }
            client.readBuffer.consume(consumed)
            execute(client, args: args)
        }
    }

    private func protocolError(_ client: Client, _ error: ProtocolError) {
        logger.verbose("Protocol error (\(error.message)) from client: id=\(client.id) addr=\(client.address)")
        client.reply.error("ERR " + error.message)
        client.closeAfterReply = true
        flush(client)
    }

    /// Queues `client` to be flushed before the loop sleeps (for output written
    /// outside its own command: pub/sub, timers, replies completed later).
    public func scheduleFlush(_ client: Client) {
        guard !client.flushQueued, !client.isClosed else { return }
        client.flushQueued = true
        pendingFlush.append(client)
    }

    /// Writes as much pending output as the socket takes; arms or disarms writability.
    func flush(_ client: Client) {
        if client.isClosed { return }
        while client.pendingOutput > 0 {
            let result = client.reply.bytes.withUnsafeBytes { all in
                Socket.write(fd: client.fd, UnsafeRawBufferPointer(rebasing: all[client.replyOffset...]))
            }
            switch result {
            case .bytes(let n):
                client.replyOffset += n
                stats.netOutputBytes += n
            case .wouldBlock:
                if !client.waitingForWritable {
                    client.waitingForWritable = true
                    loop.setInterest(fd: client.fd, [.readable, .writable])
                }
                enforceOutputLimits(client)
                return
            case .error:
                close(client)
                return
            }
        }
        client.reply.bytes.removeAll(keepingCapacity: client.reply.bytes.capacity <= 64 * 1024)
        client.replyOffset = 0
        client.softLimitSince = nil
        if client.waitingForWritable {
            client.waitingForWritable = false
            loop.setInterest(fd: client.fd, .readable)
        }
        if client.closeAfterReply { close(client) }
    }

    /// Disconnects a client whose pending output exceeds its class's hard limit,
    /// or its soft limit for longer than the soft seconds.
    func enforceOutputLimits(_ client: Client) {
        let limits = hot.outputLimit(for: effectiveKind(client))
        let pending = client.pendingOutput
        var exceeded = limits.hard > 0 && pending > limits.hard
        if !exceeded, limits.soft > 0, pending > limits.soft {
            let t = loop.monotonicMilliseconds
            if let since = client.softLimitSince {
                exceeded = t - since >= Int64(limits.softSeconds) * 1000
            } else {
                client.softLimitSince = t
            }
        } else if !exceeded {
            client.softLimitSince = nil
        }
        if exceeded {
            logger.warning("Client id=\(client.id) addr=\(client.address) scheduled to be closed ASAP for overcoming of output buffer limits.")
            close(client)
        }
    }

    /// Runs before every epoll_wait: serve keys made ready, flush output produced for other clients.
    func beforeSleep() {
        absorbKeyspaceLogs()
        if !readyKeys.isEmpty { serveBlockedClients() }
        while !pendingFlush.isEmpty {
            let batch = pendingFlush
            pendingFlush.removeAll(keepingCapacity: true)
            for client in batch {
                client.flushQueued = false
                flush(client)
            }
        }
    }
}
