// RealMasterTranscriptTests.swift — bytes captured from a real redis-server
// 7.0.15 master (repl-diskless-sync yes) answering a replica's handshake:
// +PONG, +OK, +OK, +FULLRESYNC, the "$EOF:" snapshot, then — after the
// replica's first ACK — the command stream. The whole replica pipeline
// (LineReader → ReplicaHandshake → RDBPayloadFramer → ReplicationStream)
// must read it, however the reads are split.

import Testing
import Replication
import RESP

/// Decodes the hex lines of a fixture.
func hexBytes(_ lines: [String]) -> Bytes {
    let digits = Array(lines.joined().utf8)
    func nibble(_ c: UInt8) -> UInt8 { c <= 57 ? c - 48 : c - 87 }
    return stride(from: 0, to: digits.count - 1, by: 2).map { nibble(digits[$0]) << 4 | nibble(digits[$0 + 1]) }
}

let capturedHandshakeAndSnapshot = hexBytes([
    "2b504f4e470d0a2b4f4b0d0a2b4f4b0d0a2b46554c4c524553594e432063353363393861306564323431613938343037",
    "37653433343633396333373765663830373334313820300d0a24454f463a666135626232626230306362333363363065",
    "646434343438633132386163313030646333373430660d0a524544495330303130fa0972656469732d76657206372e30",
    "2e3135fa0a72656469732d62697473c040fa056374696d65c2071d066bfa08757365642d6d656dc290fd0f00fa0e7265",
    "706c2d73747265616d2d6462c000fa077265706c2d696428633533633938613065643234316139383430373765343334",
    "36333963333737656638303733343138fa0b7265706c2d6f6666736574c000fa08616f662d62617365c000fe00fb0100",
    "00086772656574696e670568656c6c6ffe02fb010000016b0176ff9bd677319604f7bb66613562623262623030636233",
    "336336306564643434343863313238616331303064633337343066",
])

/// What the master streamed after the ACK: its keepalive ping, then "SET k v" in db 2.
let capturedStream = hexBytes([
    "2a310d0a24340d0a70696e670d0a2a320d0a24360d0a53454c4543540d0a24310d0a320d0a2a330d0a24330d0a736574",
    "0d0a24310d0a6b0d0a24310d0a760d0a",
])

/// A replica link driver in miniature: feeds bytes in `chunkSize` pieces.
struct MiniReplicaLink {
    var handshake = ReplicaHandshake(configuration: .init(listeningPort: 7000))
    var framer: RDBPayloadFramer?
    var buffer = Bytes()
    var sent: [String] = []
    var snapshot = Bytes()
    var stream = ReplicationStream(history: ReplicationHistory(replID: .zero), backlogSize: 1 << 20)
    var streaming = false

    mutating func perform(_ actions: [ReplicaHandshake.Action]) {
        for action in actions {
            switch action {
            case .send(let args): sent.append(args.map(text).joined(separator: " "))
            case .expectPayload: framer = RDBPayloadFramer()
            case .startStreaming(let id, let offset):
                stream.finishFullSync(replID: id ?? .zero, offset: offset)
                streaming = true
            default: break
            }
        }
    }

    mutating func receive(_ bytes: Bytes) throws {
        buffer += bytes
        while !buffer.isEmpty {
            if streaming {
                stream.feedFromMaster(buffer)   // a real driver feeds applied commands only
                buffer = []
            } else if var f = framer {
                guard let (event, n) = try f.next(buffer) else { framer = f; return }
                framer = f
                if case .payload = event { snapshot += buffer[0..<n] }
                buffer.removeFirst(n)
                if event == .end {
                    framer = nil
                    perform(handshake.handle(.payloadLoaded(usedEOFMark: f.usesEOFMark)))
                }
            } else {
                guard let (line, n) = try LineReader.next(buffer) else { return }
                buffer.removeFirst(n)
                perform(handshake.handle(.reply(text(line))))
            }
        }
    }
}

@Test("a real Redis 7.0.15 master's diskless full sync is understood", arguments: [1, 2, 7, 40, 41, 1000])
func realDisklessFullSync(chunkSize: Int) throws {
    var link = MiniReplicaLink()
    link.perform(link.handshake.handle(.connected))
    let all = capturedHandshakeAndSnapshot + capturedStream
    for start in stride(from: 0, to: all.count, by: chunkSize) {
        try link.receive(Array(all[start..<min(start + chunkSize, all.count)]))
    }
    #expect(link.sent == [
        "PING", "REPLCONF listening-port 7000", "REPLCONF capa eof capa psync2", "PSYNC ? -1", "REPLCONF ACK 0",
    ])
    #expect(link.handshake.state == .connected)
    #expect(link.snapshot.starts(with: b("REDIS0010")))
    #expect(link.snapshot.count == 363 - 120 - 40)      // total - handshake/preamble lines - mark
    #expect(link.snapshot.dropLast(8).last == 0xFF)     // RDB EOF opcode, then the CRC64
    #expect(link.stream.history.replID.description == "c53c98a0ed241a984077e434639c377ef8073418")
    #expect(link.stream.history.masterReplOffset == Int64(capturedStream.count))
    #expect(link.stream.backlog?.firstByteOffset == 1)
}
