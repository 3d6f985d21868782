// InstanceLink: an asynchronous outbound RESP connection from the sentinel
// to an instance (a master, a replica or another sentinel) on the sentinel's
// EventLoop — what Redis's instanceLink keeps in its hiredis contexts: the
// command link (PING, INFO, votes…) and the pub/sub link (hello messages).
//
// One connection attempt (one `connect()`):
//
//   idle ──connect()──▶ connecting ──SO_ERROR 0──▶ connected
//    ▲                    │ refused, timeout, error     │ EOF, error, bad reply,
//    │                    ▼                             │ output limit, close()
//    └──── (reported) ── ended ◀────────────────────────┘
//
// Invariants:
// - Everything runs on the loop thread. The socket exists only while
//   connecting or connected; `release()` unregisters it, closes it (exactly
//   once), cancels the connect timer, and no I/O follows.
// - `attempt` changes at every connect(); fd handlers and timers carry the
//   attempt they were made for and do nothing for any other.
// - Replies match commands first-in first-out. The link's own commands (AUTH,
//   CLIENT SETNAME, SUBSCRIBE) are queued first and their replies (errors
//   included) never reach a user callback. On a pub/sub link, "message" and
//   "pmessage" arrays go to `onMessage` and match no command.
// - When an attempt ends, each pending callback gets `.failure(.disconnected)`
//   in send order, then `onStateChange(false, reason)` fires: exactly once per
//   attempt, always after its `onStateChange(true, nil)` if that came. Endings
//   met while handling loop events, and `close()`, report at once; endings met
//   inside `connect()` or `send()` (immediate connect failure, output limit)
//   report from a 0 ms timer, so no callback runs inside those calls, and
//   `connect()` does nothing until that report is out. A link deallocated
//   mid-attempt closes its socket silently (no callbacks). I/O code is in
//   InstanceLink+IO.swift.

import RESP
import EventLoop

/// An asynchronous, pipelined RESP client connection driven by an `EventLoop`.
public final class InstanceLink {
    /// What the link is for.
    public enum Kind: Sendable {
        /// Commands and their replies.
        case command
        /// Subscribed to `helloChannel`; messages go to `onMessage`.
        case pubsub
    }

    /// The channel sentinels announce themselves on.
    public static let helloChannel = "__sentinel__:hello"

    enum Phase { case idle, connecting, connected, ending }

    /// A command awaiting its reply: the user's callback, or one of the link's own.
    enum Pending {
        case user((LinkReply) -> Void)
        case internalCommand
    }

    /// The instance's host (numeric IPv4/IPv6 or localhost: no name lookups on the loop).
    public let host: String
    /// The instance's TCP port.
    public let port: Int
    /// Command or pub/sub link.
    public let kind: Kind
    /// Sent as `CLIENT SETNAME` on connect (its reply is ignored), nil = not sent.
    public let clientName: String?
    /// Sent as `AUTH` first on connect (its reply is ignored), nil = not sent.
    public let auth: LinkAuth?
    /// How long a TCP connect may take before the attempt ends.
    public let connectTimeoutMilliseconds: Int64
    /// Unsent output above this many bytes ends the connection (a stuck peer).
    public var outputLimitBytes = 32 << 20
    /// A reply (or buffered unparsed input) above this many bytes ends the connection (read at `connect()`).
    public var replyLimitBytes = 32 << 20

    /// True from the established connect until the attempt ends.
    public internal(set) var isConnected = false
    /// Commands sent and not yet answered, the link's own included.
    public var pendingCount: Int { pending.count - pendingHead }
    /// True when `connect()` would start an attempt (no attempt running or awaiting its report).
    public var isIdle: Bool { phase == .idle }

    let loop: EventLoop
    let onStateChange: (Bool, String?) -> Void
    let onMessage: (_ channel: [UInt8], _ payload: [UInt8]) -> Void

    var phase = Phase.idle
    var attempt: UInt64 = 0
    var fd: Int32 = -1
    /// The connect timeout while connecting; the deferred report while ending.
    var timer: EventLoop.TimerID?
    var input = ReadBuffer(initialCapacity: 4096)
    var parser = ValueParser()
    var output = ReplyBuffer()
    /// Bytes of `output` already written.
    var outputOffset = 0
    var waitingForWritable = false
    var pending: [Pending] = []
    var pendingHead = 0
    /// While ending: what the deferred report will deliver.
    var endingReport: (callbacks: [(LinkReply) -> Void], reason: String)?

    /// Creates an idle link; nothing happens until `connect()`.
    /// - Parameters:
    ///   - onStateChange: `(true, nil)` when a connection is established;
    ///     `(false, reason)` once when an attempt ends, whether it connected or not.
    ///   - onMessage: pub/sub links: each message's channel and payload.
    public init(loop: EventLoop, host: String, port: Int, kind: Kind, clientName: String?, auth: LinkAuth?,
                connectTimeoutMilliseconds: Int64 = 1000,
                onStateChange: @escaping (Bool, String?) -> Void,
                onMessage: @escaping (_ channel: [UInt8], _ payload: [UInt8]) -> Void = { _, _ in }) {
        self.loop = loop
        self.host = host
        self.port = port
        self.kind = kind
        self.clientName = clientName
        self.auth = auth
        self.connectTimeoutMilliseconds = connectTimeoutMilliseconds
        self.onStateChange = onStateChange
        self.onMessage = onMessage
    }

    deinit {
        if let timer { loop.cancel(timer) }
        if fd >= 0 {
            loop.unregister(fd: fd)
            Socket.close(fd: fd)
        }
    }

    // MARK: Public API

    /// Starts a non-blocking connection attempt; does nothing unless `isIdle`.
    /// The link's own commands are queued at once, so commands sent while
    /// connecting follow them.
    public func connect() {
        guard phase == .idle else { return }
        attempt &+= 1
        let current = attempt
        input.removeAll()
        parser = ValueParser(maxBulkLength: replyLimitBytes)
        phase = .connecting
        let socket: Int32
        do {
            socket = try Socket.connect(host: host, port: port)
        } catch {
            endLater(error.description)
            return
        }
        fd = socket
        Socket.setNoDelay(fd: socket)
        do {
            try loop.register(fd: socket, interest: .writable) { [weak self] readable, writable, hangup in
                self?.handleEvents(current, readable: readable, writable: writable, hangup: hangup)
            }
        } catch {
            endLater(error.description)
            return
        }
        timer = loop.schedule(afterMilliseconds: connectTimeoutMilliseconds) { [weak self] in
            self?.connectTimedOut(current)
        }
        queueOwnCommands()
    }

    /// Sends a command (pipelined; replies arrive in send order). Allowed while
    /// connecting. On an idle or ending link the callback gets
    /// `.failure(.disconnected)` from a 0 ms timer. On a pub/sub link send only
    /// commands with exactly one reply. `arguments` must not be empty.
    public func send(_ arguments: [[UInt8]], reply: @escaping (LinkReply) -> Void) {
        precondition(!arguments.isEmpty, "InstanceLink.send with no arguments")
        guard phase == .connecting || phase == .connected else {
            loop.schedule(afterMilliseconds: 0) { reply(.failure(.disconnected)) }
            return
        }
        enqueue(arguments, .user(reply))
        if output.bytes.count - outputOffset > outputLimitBytes {
            endLater("output buffer limit of \(outputLimitBytes) bytes reached")
            return
        }
        if phase == .connected { armWritable() }
    }

    /// Ends the current attempt now: closes the socket, fails every pending
    /// callback, then reports `(false, reason)`. Does nothing on an idle link;
    /// on an ending link delivers its report now.
    public func close(reason: String = "closed by sentinel") {
        switch phase {
        case .idle:
            return
        case .ending:
            if let timer { loop.cancel(timer) }
            timer = nil
            phase = .idle
            if let report = endingReport {
                endingReport = nil
                deliver(report.callbacks, reason: report.reason)
            }
        case .connecting, .connected:
            end(reason)
        }
    }

    // MARK: Ending

    /// Ends the attempt and reports it now (from loop events and close()).
    func end(_ reason: String) {
        let callbacks = release()
        phase = .idle
        deliver(callbacks, reason: reason)
    }

    /// Ends the attempt now and reports it from a 0 ms timer (from connect() and send()).
    func endLater(_ reason: String) {
        let callbacks = release()
        phase = .ending
        endingReport = (callbacks, reason)
        let current = attempt
        timer = loop.schedule(afterMilliseconds: 0) { [weak self] in
            guard let self, self.attempt == current, self.phase == .ending else { return }
            self.timer = nil
            self.close()
        }
    }

    /// Frees the socket, timer and buffers; returns the user callbacks still pending, in send order.
    func release() -> [(LinkReply) -> Void] {
        if let timer { loop.cancel(timer) }
        timer = nil
        if fd >= 0 {
            loop.unregister(fd: fd)
            Socket.close(fd: fd)
            fd = -1
        }
        isConnected = false
        waitingForWritable = false
        input.removeAll()
        output.bytes.removeAll()
        outputOffset = 0
        var callbacks: [(LinkReply) -> Void] = []
        for entry in pending[pendingHead...] {
            if case .user(let callback) = entry { callbacks.append(callback) }
        }
        pending.removeAll()
        pendingHead = 0
        return callbacks
    }

    private func deliver(_ callbacks: [(LinkReply) -> Void], reason: String) {
        for callback in callbacks { callback(.failure(.disconnected)) }
        onStateChange(false, reason)
    }

    private func connectTimedOut(_ current: UInt64) {
        guard current == attempt, phase == .connecting else { return }
        timer = nil
        end("connect to \(host):\(port) timed out after \(connectTimeoutMilliseconds) ms")
    }

    // MARK: Queueing

    /// AUTH, CLIENT SETNAME and (pub/sub links) SUBSCRIBE, whose replies are dropped.
    private func queueOwnCommands() {
        if let auth { enqueue(auth.arguments, .internalCommand) }
        if let clientName {
            enqueue([Array("CLIENT".utf8), Array("SETNAME".utf8), Array(clientName.utf8)], .internalCommand)
        }
        if kind == .pubsub {
            enqueue([Array("SUBSCRIBE".utf8), Array(InstanceLink.helloChannel.utf8)], .internalCommand)
        }
    }

    /// Appends a command to the output and its reply slot to the queue.
    func enqueue(_ arguments: [[UInt8]], _ entry: Pending) {
        output.arrayHeader(arguments.count)
        for argument in arguments { output.bulk(argument) }
        pending.append(entry)
    }
}
