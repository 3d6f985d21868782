// ReplicaHandshake.swift — the replica side of connecting to a master, as a
// pure state machine (Redis's syncWithMaster + slaveTryPartialResynchronization):
// events in (connect result, reply lines, timeouts, snapshot outcome),
// actions out (commands to send, log lines, "start streaming").
//
//   connecting ──connected──▶ PING ──▶ receivePingReply
//        │                                │ +PONG / -NOAUTH / -NOPERM / -ERR operation not permitted
//        │                                ▼ (pipelined:) [AUTH [user] pass] REPLCONF listening-port p
//        │                                  [REPLCONF ip-address ip] REPLCONF capa eof capa psync2
//        │            receiveAuthReply ──▶ receivePortReply ──▶ receiveIPReply ──▶ receiveCapaReply
//        │                                                                            │ PSYNC id off+1 | PSYNC ? -1
//        │                                                                            ▼
//        │                                                                   receivePSYNCReply
//        │         +CONTINUE [id] ──▶ connected (stream continues from the cached master)
//        │         +FULLRESYNC id off ─┐
//        │         -ERR / other ─▶ SYNC┴─▶ transfer ──payloadLoaded──▶ connected
//        │         -NOMASTERLINK / -LOADING / no reply ─▶ failed (try later)
//        └── any error or timeout ─▶ failed
//
// One value handles one connection attempt; after `failed` the driver closes
// the socket and starts a new attempt with a fresh value (and the cached
// master it still has). Replies are whole lines without "\r\n" (read them with
// `LineReader`); an empty line is a keepalive only while waiting for the PSYNC
// reply — elsewhere Redis takes it as a (non-error) reply, and so do we.
//
// Invariants: no I/O, no clock; every log text is Redis 7.0.15's.

import RESP

/// The replica's handshake with its master for one connection attempt.
public struct ReplicaHandshake: Sendable {
    /// What the replica announces and offers.
    public struct Configuration: Equatable, Sendable {
        /// The port sent with REPLCONF listening-port (replica-announce-port, else port).
        public var listeningPort: Int
        /// replica-announce-ip, sent with REPLCONF ip-address when set.
        public var announceIP: String?
        /// masteruser, sent as AUTH's first argument when masterauth is set.
        public var masterUser: Bytes?
        /// masterauth; AUTH is sent only when set.
        public var masterAuth: Bytes?
        /// The master we were streaming from, to ask for a partial resync.
        public var cachedMaster: CachedMaster?
        /// A coordinated failover is handing mastership to this replica's
        /// target: PSYNC carries "FAILOVER".
        public var failoverInProgress: Bool

        /// Creates a configuration.
        public init(listeningPort: Int, announceIP: String? = nil, masterUser: Bytes? = nil,
                    masterAuth: Bytes? = nil, cachedMaster: CachedMaster? = nil, failoverInProgress: Bool = false) {
            self.listeningPort = listeningPort
            self.announceIP = announceIP
            self.masterUser = masterUser
            self.masterAuth = masterAuth
            self.cachedMaster = cachedMaster
            self.failoverInProgress = failoverInProgress
        }
    }

    /// Where the attempt is.
    public enum State: Equatable, Sendable {
        case connecting
        case receivePingReply
        case receiveAuthReply
        case receivePortReply
        case receiveIPReply
        case receiveCapaReply
        case receivePSYNCReply
        /// Receiving the snapshot (frame it with RDBPayloadFramer).
        case transfer
        /// Streaming: the link is now the master client.
        case connected
        /// The attempt is over; close the link.
        case failed
    }

    /// Something that happened on the link.
    public enum Event: Equatable, Sendable {
        /// The non-blocking connect completed.
        case connected
        /// The connect failed (errno text).
        case connectFailed(String)
        /// One reply line, without its "\r\n".
        case reply(String)
        /// The link failed or closed while waiting for a reply (errno text;
        /// Redis prints "Success" for a plain EOF).
        case readFailed(String)
        /// The snapshot was received and loaded; `usedEOFMark` when it came in
        /// the "$EOF:" form (the master then waits for our first ACK).
        case payloadLoaded(usedEOFMark: Bool)
        /// Receiving or loading the snapshot failed; `line` says why.
        case payloadFailed(ReplicationLogLine)
        /// repl-timeout seconds passed without I/O on the link.
        case timeout
    }

    /// What the driver must do, in order.
    public enum Action: Equatable, Sendable {
        /// Write a line to the log.
        case log(ReplicationLogLine)
        /// Send a command (multibulk-encode `args`).
        case send([Bytes])
        /// Send these exact bytes (the legacy inline "SYNC\r\n").
        case sendRaw(Bytes)
        /// The master will send a snapshot starting a new history `replID`
        /// at `offset`; nil/-1 when unknown (legacy SYNC, malformed reply: the
        /// master client then starts without an offset and sends no ACKs).
        case fullResync(replID: ReplicationID?, offset: Int64)
        /// Frame the following bytes with a fresh RDBPayloadFramer.
        case expectPayload
        /// +CONTINUE: turn the cached master back into the live master client
        /// on this link (its reploff continues); when `newReplID` is set, pass
        /// it to `ReplicationStream.finishPartialSync` (the master may have
        /// been promoted and changed id).
        case partialResync(newReplID: ReplicationID?)
        /// The snapshot is loaded: create the master client on this link with
        /// reploff `offset` and history `replID` (`ReplicationStream.finishFullSync`).
        case startStreaming(replID: ReplicationID?, offset: Int64)
        /// The coordinated failover reached its target: clear its state.
        case clearFailoverState
        /// The failover target refused: abort the failover (become master again).
        case abortFailover(String)
        /// Give up this attempt: close the link, reconnect later.
        case fail(HandshakeFailure)
    }

    /// The configuration of this attempt.
    public let configuration: Configuration
    /// The current state.
    public private(set) var state: State = .connecting
    /// From +FULLRESYNC, until the snapshot is loaded.
    private var fullResyncID: ReplicationID?
    private var fullResyncOffset: Int64 = -1

    /// A new attempt; the driver has just started a non-blocking connect.
    public init(configuration: Configuration) {
        self.configuration = configuration
    }

    /// True in the states ROLE reports as "handshake".
    public var isInHandshake: Bool {
        switch state {
        case .receivePingReply, .receiveAuthReply, .receivePortReply, .receiveIPReply, .receiveCapaReply, .receivePSYNCReply:
            return true
        case .connecting, .transfer, .connected, .failed:
            return false
        }
    }

    /// The replica state word of ROLE: connect, connecting, handshake, sync, connected.
    public var roleStateWord: String {
        switch state {
        case .connecting: return "connecting"
        case .receivePingReply, .receiveAuthReply, .receivePortReply, .receiveIPReply, .receiveCapaReply, .receivePSYNCReply:
            return "handshake"
        case .transfer: return "sync"
        case .connected: return "connected"
        case .failed: return "connect"
        }
    }

    /// Advances the machine. Events that make no sense in the current state
    /// (a reply while connecting, anything after the end) are ignored.
    public mutating func handle(_ event: Event) -> [Action] {
        switch (state, event) {
        case (.connected, _), (.failed, _):
            return []
        case (_, .timeout):
            if state == .transfer {
                return fail(.transferTimeout, .warning("Timeout receiving bulk data from MASTER... If the problem persists try to set the 'repl-timeout' parameter in redis.conf to a larger value."))
            }
            return fail(.handshakeTimeout, .warning("Timeout connecting to the MASTER..."))
        case (.connecting, .connected):
            state = .receivePingReply
            return [.log(.notice("Non blocking connect for SYNC fired the event.")), .send([ascii("PING")])]
        case (.connecting, .connectFailed(let reason)), (.connecting, .readFailed(let reason)):
            return fail(.connectError(reason), .warning("Error condition on socket for SYNC: \(reason)"))
        case (.receivePSYNCReply, .readFailed(let reason)):
            return psyncTryLater(reason, [
                .log(.warning("Failed to read response from the server: \(reason)")),
                .log(.warning("Master did not reply to PSYNC, will try later")),
            ])
        case (.transfer, .readFailed(let reason)):
            return fail(.transferFailed(reason), TransferLog.readError(reason))
        case (_, .readFailed(let reason)):
            var actions: [Action] = [
                .log(.warning("Failed to read response from the server: \(reason)")),
                .log(.warning("Master did not respond to command during SYNC handshake")),
            ]
            state = .failed
            actions.append(.fail(.noResponse(reason)))
            return actions
        case (.receivePingReply, .reply(let line)):
            return pingReply(line)
        case (.receiveAuthReply, .reply(let line)):
            if line.hasPrefix("-") {
                return fail(.authRejected(line), .warning("Unable to AUTH to MASTER: \(line)"))
            }
            state = .receivePortReply
            return []
        case (.receivePortReply, .reply(let line)):
            state = configuration.announceIP != nil ? .receiveIPReply : .receiveCapaReply
            return line.hasPrefix("-") ? [.log(.notice("(Non critical) Master does not understand REPLCONF listening-port: \(line)"))] : []
        case (.receiveIPReply, .reply(let line)):
            state = .receiveCapaReply
            return line.hasPrefix("-") ? [.log(.notice("(Non critical) Master does not understand REPLCONF ip-address: \(line)"))] : []
        case (.receiveCapaReply, .reply(let line)):
            var actions: [Action] = line.hasPrefix("-") ? [.log(.notice("(Non critical) Master does not understand REPLCONF capa: \(line)"))] : []
            actions += sendPSYNC()
            return actions
        case (.receivePSYNCReply, .reply(let line)):
            return psyncReply(line)
        case (.transfer, .payloadLoaded(let usedEOFMark)):
            state = .connected
            var actions: [Action] = [
                .startStreaming(replID: fullResyncID, offset: fullResyncOffset),
                .log(.notice("MASTER <-> REPLICA sync: Finished with success")),
            ]
            if usedEOFMark {
                actions.append(.send(replconfAck(offset: fullResyncOffset)))
            }
            return actions
        case (.transfer, .payloadFailed(let line)):
            return fail(.transferFailed(line.text), line)
        case (.connecting, _), (.receivePingReply, _), (.receiveAuthReply, _), (.receivePortReply, _),
             (.receiveIPReply, _), (.receiveCapaReply, _), (.receivePSYNCReply, _), (.transfer, _):
            return []
        }
    }

    // MARK: Steps

    private mutating func pingReply(_ line: String) -> [Action] {
        let accepted = line.hasPrefix("+") || line.hasPrefix("-NOAUTH") || line.hasPrefix("-NOPERM")
            || line.hasPrefix("-ERR operation not permitted")
        guard accepted else {
            return fail(.pingRejected(line), .warning("Error reply to PING from master: '\(line)'"))
        }
        var actions: [Action] = [.log(.notice("Master replied to PING, replication can continue..."))]
        if let auth = configuration.masterAuth {
            var args = [ascii("AUTH")]
            if let user = configuration.masterUser { args.append(user) }
            args.append(auth)
            actions.append(.send(args))
        }
        actions.append(.send([ascii("REPLCONF"), ascii("listening-port"), ascii(String(configuration.listeningPort))]))
        if let ip = configuration.announceIP {
            actions.append(.send([ascii("REPLCONF"), ascii("ip-address"), ascii(ip)]))
        }
        actions.append(.send([ascii("REPLCONF"), ascii("capa"), ascii("eof"), ascii("capa"), ascii("psync2")]))
        state = configuration.masterAuth != nil ? .receiveAuthReply : .receivePortReply
        return actions
    }

    private mutating func sendPSYNC() -> [Action] {
        var actions: [Action] = []
        var args = [ascii("PSYNC")]
        if let cached = configuration.cachedMaster {
            let offset = String(cached.offset + 1)
            actions.append(.log(.notice("Trying a partial resynchronization (request \(cached.replID):\(offset)).")))
            args += [cached.replID.bytes, ascii(offset)]
        } else {
            actions.append(.log(.notice("Partial resynchronization not possible (no cached master)")))
            args += [ascii("?"), ascii("-1")]
        }
        if configuration.failoverInProgress { args.append(ascii("FAILOVER")) }
        actions.append(.send(args))
        state = .receivePSYNCReply
        return actions
    }

    private mutating func psyncReply(_ line: String) -> [Action] {
        if line.isEmpty { return [] }  // keepalive before the reply
        switch PSYNCReply(line: line) {
        case .fullResync(let id, let offset):
            var actions: [Action]
            if let id {
                actions = [.log(.notice("Full resync from master: \(id):\(offset)"))]
            } else {
                actions = [.log(.warning("Master replied with wrong +FULLRESYNC syntax."))]
            }
            if configuration.failoverInProgress { actions.append(.clearFailoverState) }
            fullResyncID = id
            fullResyncOffset = id == nil ? -1 : offset
            state = .transfer
            actions += [.fullResync(replID: id, offset: fullResyncOffset), .expectPayload]
            return actions
        case .continue(let newID):
            guard configuration.cachedMaster != nil else {
                return fail(.protocolViolation(line), .warning("Unexpected reply to PSYNC from master: \(line)"))
            }
            var actions: [Action] = [.log(.notice("Successful partial resynchronization with master.")), .partialResync(newReplID: newID)]
            if configuration.failoverInProgress { actions.append(.clearFailoverState) }
            actions.append(.log(.notice("MASTER <-> REPLICA sync: Master accepted a Partial Resynchronization.")))
            state = .connected
            return actions
        case .tryLater:
            return psyncTryLater(line, [.log(.notice("Master is currently unable to PSYNC but should be in the future: \(line)"))])
        case .notSupported(let isERR):
            var actions: [Action] = [isERR
                ? .log(.notice("Master does not support PSYNC or is in error state (reply: \(line))"))
                : .log(.warning("Unexpected reply to PSYNC from master: \(line)"))]
            if configuration.failoverInProgress {
                state = .failed
                actions.append(.abortFailover("Failover target rejected psync request"))
                return actions
            }
            fullResyncID = nil
            fullResyncOffset = -1
            state = .transfer
            actions += [
                .log(.notice("Retrying with SYNC...")),
                .sendRaw(ascii("SYNC\r\n")),
                .fullResync(replID: nil, offset: -1),
                .expectPayload,
            ]
            return actions
        }
    }

    private mutating func psyncTryLater(_ reason: String, _ logs: [Action]) -> [Action] {
        state = .failed
        if configuration.failoverInProgress {
            return logs + [.abortFailover("Failover target rejected psync request")]
        }
        return logs + [.fail(.tryLater(reason))]
    }

    private mutating func fail(_ failure: HandshakeFailure, _ line: ReplicationLogLine) -> [Action] {
        state = .failed
        return [.log(line), .fail(failure)]
    }
}
