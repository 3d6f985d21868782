// ReplicaHandshakeTests.swift — the replica's handshake as transcripts: each
// step is an event and the actions it must produce, rendered as text
// ("> …" sent, "* …"/"# …" logged at notice/warning). The expected commands
// and log lines are those a real redis-server 7.0.15 replica produced against
// a scripted master.

import Testing
import Replication
import RESP

/// One action as a line of a transcript.
func render(_ action: ReplicaHandshake.Action) -> String {
    switch action {
    case .log(let line): return line.description
    case .send(let args): return "> " + args.map(text).joined(separator: " ")
    case .sendRaw(let bytes): return "> raw " + text(bytes).debugDescription
    case .fullResync(let id, let offset): return "fullResync \(id.map(\.description) ?? "nil") \(offset)"
    case .expectPayload: return "expectPayload"
    case .partialResync(let id): return "partialResync \(id.map(\.description) ?? "nil")"
    case .startStreaming(let id, let offset): return "startStreaming \(id.map(\.description) ?? "nil") \(offset)"
    case .clearFailoverState: return "clearFailoverState"
    case .abortFailover(let reason): return "abortFailover: \(reason)"
    case .fail(let failure): return "fail \(failure)"
    }
}

/// Runs `steps` through `handshake`, checking each step's rendered actions.
func expectTranscript(_ handshake: inout ReplicaHandshake,
                      _ steps: [(ReplicaHandshake.Event, [String])],
                      sourceLocation: SourceLocation = #_sourceLocation) {
    for (i, (event, expected)) in steps.enumerated() {
        let actual = handshake.handle(event).map(render)
        #expect(actual == expected, "step \(i): \(event)", sourceLocation: sourceLocation)
    }
}

let masterID = "c9edef32e02d173ca019f96bcdc089167e39c2c7"
let newMasterID = "1111111111111111111111111111111111111111"

let connect: (ReplicaHandshake.Event, [String]) =
    (.connected, ["* Non blocking connect for SYNC fired the event.", "> PING"])

@Test func aFreshReplicaAsksForAFullResync() {
    var h = ReplicaHandshake(configuration: .init(listeningPort: 16402))
    expectTranscript(&h, [
        connect,
        (.reply("+PONG"), [
            "* Master replied to PING, replication can continue...",
            "> REPLCONF listening-port 16402",
            "> REPLCONF capa eof capa psync2",
        ]),
        (.reply("+OK"), []),
        (.reply("+OK"), ["* Partial resynchronization not possible (no cached master)", "> PSYNC ? -1"]),
        (.reply("+FULLRESYNC \(newMasterID) 5"), [
            "* Full resync from master: \(newMasterID):5",
            "fullResync \(newMasterID) 5",
            "expectPayload",
        ]),
    ])
    #expect(h.state == .transfer)
    #expect(h.roleStateWord == "sync")
    expectTranscript(&h, [
        (.payloadLoaded(usedEOFMark: false), ["startStreaming \(newMasterID) 5", "* MASTER <-> REPLICA sync: Finished with success"]),
    ])
    #expect(h.state == .connected)
}

@Test func authAnnouncedIpAndCachedMasterAreAllSent() {
    let cached = CachedMaster(replID: ReplicationID(masterID) ?? .zero, offset: 0)
    var h = ReplicaHandshake(configuration: .init(listeningPort: 16402, announceIP: "10.0.0.9",
                                                  masterUser: b("bob"), masterAuth: b("secret"), cachedMaster: cached))
    expectTranscript(&h, [
        connect,
        (.reply("+PONG"), [
            "* Master replied to PING, replication can continue...",
            "> AUTH bob secret",
            "> REPLCONF listening-port 16402",
            "> REPLCONF ip-address 10.0.0.9",
            "> REPLCONF capa eof capa psync2",
        ]),
        (.reply("+OK"), []),      // AUTH
        (.reply("+OK"), []),      // listening-port
        (.reply("+OK"), []),      // ip-address
        (.reply("+OK"), ["* Trying a partial resynchronization (request \(masterID):1).", "> PSYNC \(masterID) 1"]),
    ])
    #expect(h.isInHandshake)
    #expect(h.roleStateWord == "handshake")
}

@Test func authWithoutUserSendsOnlyThePassword() {
    var h = ReplicaHandshake(configuration: .init(listeningPort: 6380, masterAuth: b("pw")))
    _ = h.handle(.connected)
    #expect(h.handle(.reply("-NOAUTH Authentication required.")).map(render).contains("> AUTH pw"))
    #expect(h.state == .receiveAuthReply)
}

@Test func aPartialResyncContinuesFromTheCachedMaster() {
    let cached = CachedMaster(replID: ReplicationID(masterID) ?? .zero, offset: 150)
    var h = ReplicaHandshake(configuration: .init(listeningPort: 6380, cachedMaster: cached))
    expectTranscript(&h, [
        connect,
        (.reply("+PONG"), [
            "* Master replied to PING, replication can continue...",
            "> REPLCONF listening-port 6380",
            "> REPLCONF capa eof capa psync2",
        ]),
        (.reply("+OK"), []),
        (.reply("+OK"), ["* Trying a partial resynchronization (request \(masterID):151).", "> PSYNC \(masterID) 151"]),
        (.reply(""), []),         // keepalive newline before the reply
        (.reply("+CONTINUE \(newMasterID)"), [
            "* Successful partial resynchronization with master.",
            "partialResync \(newMasterID)",
            "* MASTER <-> REPLICA sync: Master accepted a Partial Resynchronization.",
        ]),
    ])
    #expect(h.state == .connected)
}

@Test func continueWithoutAnIdFromAnOldMaster() {
    let cached = CachedMaster(replID: ReplicationID(masterID) ?? .zero, offset: 9)
    var h = ReplicaHandshake(configuration: .init(listeningPort: 6380, cachedMaster: cached))
    for e: ReplicaHandshake.Event in [.connected, .reply("+PONG"), .reply("+OK"), .reply("+OK")] { _ = h.handle(e) }
    #expect(h.handle(.reply("+CONTINUE")).map(render).contains("partialResync nil"))
}

@Test func anErrorToPSYNCFallsBackToSYNC() {
    var h = ReplicaHandshake(configuration: .init(listeningPort: 16402))
    for e: ReplicaHandshake.Event in [.connected, .reply("+PONG"), .reply("+OK"), .reply("+OK")] { _ = h.handle(e) }
    expectTranscript(&h, [
        (.reply("-ERR unknown command"), [
            "* Master does not support PSYNC or is in error state (reply: -ERR unknown command)",
            "* Retrying with SYNC...",
            "> raw \"SYNC\\r\\n\"",
            "fullResync nil -1",
            "expectPayload",
        ]),
        // Redis 7.0.15 then reads the master's error as the payload preamble.
        (.payloadFailed(RDBPayloadError.masterError("ERR unknown command").logLine), [
            "# MASTER aborted replication with an error: ERR unknown command",
            "fail transferFailed(\"MASTER aborted replication with an error: ERR unknown command\")",
        ]),
    ])
}

@Test func anUnexpectedReplyToPSYNCAlsoFallsBackToSYNCButWarns() {
    var h = ReplicaHandshake(configuration: .init(listeningPort: 1))
    for e: ReplicaHandshake.Event in [.connected, .reply("+PONG"), .reply("+OK"), .reply("+OK")] { _ = h.handle(e) }
    let actions = h.handle(.reply("-NOAUTH Authentication required.")).map(render)
    #expect(actions.first == "# Unexpected reply to PSYNC from master: -NOAUTH Authentication required.")
    #expect(actions.contains("> raw \"SYNC\\r\\n\""))
}

@Test("a loading or unlinked master is retried later", arguments: ["-LOADING Redis is loading the dataset in memory", "-NOMASTERLINK Can't SYNC while not connected with my master"])
func transientPSYNCErrorsAreRetriedLater(reply: String) {
    var h = ReplicaHandshake(configuration: .init(listeningPort: 1))
    for e: ReplicaHandshake.Event in [.connected, .reply("+PONG"), .reply("+OK"), .reply("+OK")] { _ = h.handle(e) }
    expectTranscript(&h, [
        (.reply(reply), [
            "* Master is currently unable to PSYNC but should be in the future: \(reply)",
            "fail tryLater(\(reply.debugDescription))",
        ]),
    ])
    #expect(h.state == .failed)
    #expect(h.roleStateWord == "connect")
}

@Test func pingMayBeRefusedOnlyForAuthentication() {
    for accepted in ["+PONG", "-NOAUTH Authentication required.", "-NOPERM this user has no permissions", "-ERR operation not permitted"] {
        var h = ReplicaHandshake(configuration: .init(listeningPort: 1))
        _ = h.handle(.connected)
        #expect(h.handle(.reply(accepted)).first.map(render) == "* Master replied to PING, replication can continue...")
    }
    var h = ReplicaHandshake(configuration: .init(listeningPort: 1))
    expectTranscript(&h, [
        connect,
        (.reply("-ERR unknown command 'PING'"), [
            "# Error reply to PING from master: '-ERR unknown command 'PING''",
            "fail pingRejected(\"-ERR unknown command \\'PING\\'\")",
        ]),
    ])
}

@Test func aRefusedAuthEndsTheAttempt() {
    var h = ReplicaHandshake(configuration: .init(listeningPort: 1, masterAuth: b("wrong")))
    _ = h.handle(.connected)
    _ = h.handle(.reply("+PONG"))
    expectTranscript(&h, [
        (.reply("-WRONGPASS invalid username-password pair or user is disabled."), [
            "# Unable to AUTH to MASTER: -WRONGPASS invalid username-password pair or user is disabled.",
            "fail authRejected(\"-WRONGPASS invalid username-password pair or user is disabled.\")",
        ]),
        (.reply("+OK"), []),   // nothing happens after the end
    ])
}

@Test func replconfErrorsAreNotCritical() {
    var h = ReplicaHandshake(configuration: .init(listeningPort: 7, announceIP: "1.2.3.4"))
    _ = h.handle(.connected)
    _ = h.handle(.reply("+PONG"))
    expectTranscript(&h, [
        (.reply("-ERR Unrecognized REPLCONF option: listening-port"), ["* (Non critical) Master does not understand REPLCONF listening-port: -ERR Unrecognized REPLCONF option: listening-port"]),
        (.reply("-ERR nope"), ["* (Non critical) Master does not understand REPLCONF ip-address: -ERR nope"]),
        (.reply("-ERR nope"), [
            "* (Non critical) Master does not understand REPLCONF capa: -ERR nope",
            "* Partial resynchronization not possible (no cached master)",
            "> PSYNC ? -1",
        ]),
    ])
}

@Test func connectionFailuresUseRedisTexts() {
    var refused = ReplicaHandshake(configuration: .init(listeningPort: 1))
    expectTranscript(&refused, [
        (.connectFailed("Connection refused"), ["# Error condition on socket for SYNC: Connection refused", "fail connectError(\"Connection refused\")"]),
    ])
    // Redis 7.0.15 when the master closes the link during the handshake.
    var closed = ReplicaHandshake(configuration: .init(listeningPort: 1))
    expectTranscript(&closed, [
        connect,
        (.readFailed("Success"), [
            "# Failed to read response from the server: Success",
            "# Master did not respond to command during SYNC handshake",
            "fail noResponse(\"Success\")",
        ]),
    ])
    var noPSYNCReply = ReplicaHandshake(configuration: .init(listeningPort: 1))
    for e: ReplicaHandshake.Event in [.connected, .reply("+PONG"), .reply("+OK"), .reply("+OK")] { _ = noPSYNCReply.handle(e) }
    expectTranscript(&noPSYNCReply, [
        (.readFailed("Connection reset by peer"), [
            "# Failed to read response from the server: Connection reset by peer",
            "# Master did not reply to PSYNC, will try later",
            "fail tryLater(\"Connection reset by peer\")",
        ]),
    ])
}

@Test func timeoutsDependOnThePhase() {
    var connecting = ReplicaHandshake(configuration: .init(listeningPort: 1))
    expectTranscript(&connecting, [(.timeout, ["# Timeout connecting to the MASTER...", "fail handshakeTimeout"])])
    var transferring = ReplicaHandshake(configuration: .init(listeningPort: 1))
    for e: ReplicaHandshake.Event in [.connected, .reply("+PONG"), .reply("+OK"), .reply("+OK"), .reply("+FULLRESYNC \(masterID) 0")] {
        _ = transferring.handle(e)
    }
    expectTranscript(&transferring, [
        (.timeout, ["# Timeout receiving bulk data from MASTER... If the problem persists try to set the 'repl-timeout' parameter in redis.conf to a larger value.",
                    "fail transferTimeout"]),
    ])
    #expect(HandshakeFailure.transferTimeout.reconnectsImmediately)
    #expect(!HandshakeFailure.connectError("x").reconnectsImmediately)
}

@Test func aDisklessTransferIsAcknowledgedAtOnce() {
    var h = ReplicaHandshake(configuration: .init(listeningPort: 1))
    for e: ReplicaHandshake.Event in [.connected, .reply("+PONG"), .reply("+OK"), .reply("+OK"), .reply("+FULLRESYNC \(masterID) 4096")] {
        _ = h.handle(e)
    }
    expectTranscript(&h, [
        (.payloadLoaded(usedEOFMark: true), [
            "startStreaming \(masterID) 4096",
            "* MASTER <-> REPLICA sync: Finished with success",
            "> REPLCONF ACK 4096",
        ]),
    ])
}

@Test func aMalformedFullResyncStillTransfersWithoutAnOffset() {
    var h = ReplicaHandshake(configuration: .init(listeningPort: 1))
    for e: ReplicaHandshake.Event in [.connected, .reply("+PONG"), .reply("+OK"), .reply("+OK")] { _ = h.handle(e) }
    expectTranscript(&h, [
        (.reply("+FULLRESYNC abc 12"), ["# Master replied with wrong +FULLRESYNC syntax.", "fullResync nil -1", "expectPayload"]),
    ])
}

@Test func fullResyncOffsetsParseLikeStrtoll() {
    var h = ReplicaHandshake(configuration: .init(listeningPort: 1))
    for e: ReplicaHandshake.Event in [.connected, .reply("+PONG"), .reply("+OK"), .reply("+OK")] { _ = h.handle(e) }
    #expect(h.handle(.reply("+FULLRESYNC \(masterID) 77junk")).map(render).contains("fullResync \(masterID) 77"))
}

@Test func aFailoverTargetIsAskedWithFailoverAndAbortsWhenRefused() {
    var h = ReplicaHandshake(configuration: .init(listeningPort: 1, cachedMaster: CachedMaster(replID: id("a"), offset: 99),
                                                  failoverInProgress: true))
    for e: ReplicaHandshake.Event in [.connected, .reply("+PONG"), .reply("+OK")] { _ = h.handle(e) }
    expectTranscript(&h, [
        (.reply("+OK"), ["* Trying a partial resynchronization (request \(id("a")):100).", "> PSYNC \(id("a")) 100 FAILOVER"]),
        (.reply("-ERR PSYNC FAILOVER replid must match my replid."), [
            "* Master does not support PSYNC or is in error state (reply: -ERR PSYNC FAILOVER replid must match my replid.)",
            "abortFailover: Failover target rejected psync request",
        ]),
    ])
    var ok = ReplicaHandshake(configuration: .init(listeningPort: 1, cachedMaster: CachedMaster(replID: id("a"), offset: 99),
                                                   failoverInProgress: true))
    for e: ReplicaHandshake.Event in [.connected, .reply("+PONG"), .reply("+OK"), .reply("+OK")] { _ = ok.handle(e) }
    #expect(ok.handle(.reply("+CONTINUE \(id("a"))")).map(render) == [
        "* Successful partial resynchronization with master.",
        "partialResync \(id("a"))",
        "clearFailoverState",
        "* MASTER <-> REPLICA sync: Master accepted a Partial Resynchronization.",
    ])
}

@Test func continueWithoutACachedMasterIsAProtocolViolation() {
    var h = ReplicaHandshake(configuration: .init(listeningPort: 1))
    for e: ReplicaHandshake.Event in [.connected, .reply("+PONG"), .reply("+OK"), .reply("+OK")] { _ = h.handle(e) }
    expectTranscript(&h, [
        (.reply("+CONTINUE"), ["# Unexpected reply to PSYNC from master: +CONTINUE", "fail protocolViolation(\"+CONTINUE\")"]),
    ])
}
