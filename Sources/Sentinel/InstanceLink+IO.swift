// InstanceLink+IO: the link's socket work — finishing the non-blocking
// connect, writing pending output (EPOLLOUT armed only while some is left),
// reading and parsing replies incrementally, and matching them to commands.
//
// Invariants: these run only from the link's fd handler for the current
// attempt, so `fd` is open; after every call out to user code (a reply
// callback, onStateChange, onMessage) the attempt is re-checked, because that
// code may have closed or restarted the link. Outside input never crashes:
// a malformed reply, an oversized one, or a reply nobody asked for ends the
// connection with a reason.

import RESP
import EventLoop

extension InstanceLink {
    func handleEvents(_ current: UInt64, readable: Bool, writable: Bool, hangup: Bool) {
        guard current == attempt else { return }
        switch phase {
        case .connecting:
            finishConnect(current)
        case .connected:
            if writable {
                flush()
                guard current == attempt, phase == .connected else { return }
            }
            if readable || hangup { readAvailable(current) }
        case .idle, .ending:
            return
        }
    }

    /// The connecting socket became writable or hung up: established, or failed (SO_ERROR).
    private func finishConnect(_ current: UInt64) {
        if let error = Socket.connectResult(fd: fd) {
            end(error.description)
            return
        }
        if let timer { loop.cancel(timer) }
        timer = nil
        phase = .connected
        isConnected = true
        waitingForWritable = false
        loop.setInterest(fd: fd, .readable)
        onStateChange(true, nil)
        guard current == attempt, phase == .connected else { return }
        flush()
    }

    /// Asks for writability while output is pending (the write happens on the next loop turn, batching pipelined sends).
    func armWritable() {
        guard !waitingForWritable, output.bytes.count > outputOffset else { return }
        waitingForWritable = true
        loop.setInterest(fd: fd, [.readable, .writable])
    }

    /// Writes as much output as the socket takes.
    private func flush() {
        while outputOffset < output.bytes.count {
            let offset = outputOffset
            let result = output.bytes.withUnsafeBytes { all in
                Socket.write(fd: fd, UnsafeRawBufferPointer(rebasing: all[offset...]))
            }
            switch result {
            case .bytes(let n):
                outputOffset += n
            case .wouldBlock:
                armWritable()
                return
            case .error(let error):
                end(error.description)
                return
            }
        }
        output.bytes.removeAll(keepingCapacity: output.bytes.capacity <= 64 * 1024)
        outputOffset = 0
        if waitingForWritable {
            waitingForWritable = false
            loop.setInterest(fd: fd, .readable)
        }
    }

    /// Reads once, then handles every complete reply buffered.
    private func readAvailable(_ current: UInt64) {
        switch input.readFrom(fd: fd, maxBytes: 64 * 1024) {
        case .bytes:
            break
        case .wouldBlock:
            return
        case .closed:
            end("connection closed by \(host):\(port)")
            return
        case .error(let error):
            end(error.description)
            return
        }
        while current == attempt, phase == .connected {
            let parsed: (value: RESPValue, consumed: Int)?
            do {
                parsed = try input.withReadableBytes { bytes throws(ProtocolError) in try parser.next(bytes) }
            } catch let error as ProtocolError {
                end(error.message)
                return
            } catch {
                end("Protocol error: \(error)")
                return
            }
            guard let (value, consumed) = parsed else { break }
            input.consume(consumed)
            handleReply(value)
        }
        if current == attempt, phase == .connected, input.readableCount > replyLimitBytes {
            end("reply larger than \(replyLimitBytes) bytes")
        }
    }

    /// Routes one reply: a pub/sub message, else the oldest pending command's answer.
    private func handleReply(_ value: RESPValue) {
        if kind == .pubsub, let (channel, payload) = InstanceLink.pubsubMessage(value) {
            onMessage(channel, payload)
            return
        }
        guard pendingHead < pending.count else {
            // A pub/sub link may see stray confirmations; a command link must not see unasked replies.
            if kind == .command { end("reply received with no command pending") }
            return
        }
        let entry = pending[pendingHead]
        pending[pendingHead] = .internalCommand
        pendingHead += 1
        if pendingHead == pending.count {
            pending.removeAll(keepingCapacity: true)
            pendingHead = 0
        } else if pendingHead >= 1024, pendingHead * 2 >= pending.count {
            pending.removeFirst(pendingHead)
            pendingHead = 0
        }
        if case .user(let callback) = entry { callback(.value(value)) }
    }

    /// (channel, payload) of a `message` ([message, channel, payload]) or
    /// `pmessage` ([pmessage, pattern, channel, payload]) array or push.
    static func pubsubMessage(_ value: RESPValue) -> (channel: [UInt8], payload: [UInt8])? {
        guard let elements = value.elements, let first = elements.first?.bytes else { return nil }
        if elements.count == 3, first == Array("message".utf8),
           let channel = elements[1].bytes, let payload = elements[2].bytes {
            return (channel, payload)
        }
        if elements.count == 4, first == Array("pmessage".utf8),
           let channel = elements[2].bytes, let payload = elements[3].bytes {
            return (channel, payload)
        }
        return nil
    }
}
