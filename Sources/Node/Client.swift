// Client: the server-side state of one connection — its buffers, parser,
// selected database, transaction, subscriptions and blocking state.
// Owned by the loop thread; referenced by id from other structures
// (pub/sub, blocking queues, watched keys) so a closed client leaves no dangling references.

import RESP
import EventLoop

/// What kind of peer a connection is (CLIENT KILL TYPE, output-buffer limit classes).
public enum ClientKind: Sendable {
    case normal, pubsub, replica, master

    /// The word CLIENT LIST / KILL use.
    public var word: String {
        switch self {
        case .normal: "normal"
        case .pubsub: "pubsub"
        case .replica: "replica"
        case .master: "master"
        }
    }
}

/// CLIENT REPLY mode.
public enum ReplyMode: Sendable { case on, off, skipNext, skipThis }

/// A queued MULTI transaction.
public struct Transaction {
    /// Commands queued so far, as their argument vectors.
    public var queued: [[Bytes]] = []
    /// A queue-time error happened: EXEC answers EXECABORT.
    public var aborted = false
}

/// A client blocked on keys.
public struct BlockedState {
    public let args: [Bytes]
    public let keys: [Bytes]
    public let databaseIndex: Int
    public let timeoutReply: BlockTimeoutReply
    public var timer: EventLoop.TimerID?
}

/// One connected client.
public final class Client {
    public let id: Int
    public let fd: Int32
    public let peer: Socket.PeerAddress
    /// Local "ip:port" of the listener it came in on.
    public let localAddress: String
    public var name: Bytes = []
    public var libraryName = ""
    public var libraryVersion = ""

    var readBuffer = ReadBuffer()
    var parser: RequestParser
    /// Pending output.
    public var reply = ReplyBuffer()
    /// Bytes of `reply.bytes` already written to the socket.
    var replyOffset = 0
    /// True while waiting for EPOLLOUT.
    var waitingForWritable = false
    /// True while queued in the server's pending-flush list.
    var flushQueued = false
    /// Set when the client must be closed once its output is flushed (QUIT, protocol error).
    var closeAfterReply = false
    /// Set once closed; late events for it are ignored.
    var isClosed = false

    public var databaseIndex = 0
    public var authenticated: Bool
    public var kind: ClientKind = .normal
    public var transaction: Transaction?
    /// A watched key was modified: the next EXEC fails.
    public var watchInvalidated = false
    /// Watched (database, key) pairs.
    public var watchedKeys: [(Int, Bytes)] = []
    public var channels = Set<Bytes>()
    public var patterns = Set<Bytes>()
    public var blocked: BlockedState?
    /// Set while commands from this client are held back by CLIENT PAUSE.
    public var pausedOn = false
    public var replyMode: ReplyMode = .on
    public var isMonitor = false

    /// Unix ms of connection and of the last command.
    public let createdAt: Int64
    public var lastInteraction: Int64
    /// Monotonic ms when the output first exceeded the soft limit (nil = under it).
    var softLimitSince: Int64?
    /// Name of the last command run, for CLIENT LIST.
    public var lastCommand = "NULL"

    /// Number of channel + pattern subscriptions.
    public var subscriptionCount: Int { channels.count + patterns.count }

    init(id: Int, fd: Int32, peer: Socket.PeerAddress, localAddress: String, now: Int64,
         authenticated: Bool, maxBulkLength: Int) {
        self.id = id
        self.fd = fd
        self.peer = peer
        self.localAddress = localAddress
        self.createdAt = now
        self.lastInteraction = now
        self.authenticated = authenticated
        self.parser = RequestParser(maxBulkLength: maxBulkLength)
        self.parser.requireAuthLimits = !authenticated
    }

    /// Bytes of output not yet written.
    var pendingOutput: Int { reply.bytes.count - replyOffset }

    /// "ip:port" of the peer.
    public var address: String { "\(peer.ip):\(peer.port)" }
}
