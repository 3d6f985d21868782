// InstanceLink against real loopback sockets on a running EventLoop: a Vigil
// server in node or sentinel mode, and scripted peers for the failures.
// Checks FIFO replies with the link's own commands hidden, AUTH first,
// pub/sub hello delivery (from PUBLISH and from Server.publish in a timer),
// close-and-reconnect, refused and timed-out connects, the output limit, and
// that malformed, truncated or unasked-for replies end the link with a reason.

import Glibc
import Testing
import RESP
import EventLoop
import Node
@testable import Sentinel

@Suite struct InstanceLinkTests {
    @Test func repliesComeBackInSendOrderAndTheLinksOwnCommandsStayHidden() throws {
        let s = try TestServer()
        defer { s.finish() }
        var states: [Bool] = []
        let link = s.link(name: "sentinel-1-cmd", onStateChange: { up, _ in states.append(up) })
        link.connect()
        let commands = [words("SET", "k", "v"), words("GET", "k"), words("NOSUCH", "x"),
                        words("CLIENT", "GETNAME"), words("PING")]
        var replies: [LinkReply] = []
        for command in commands {   // sent while still connecting: queued behind CLIENT SETNAME
            link.send(command) { reply in
                replies.append(reply)
                if replies.count == commands.count { s.loop.stop() }
            }
        }
        #expect(link.pendingCount == commands.count + 1)
        runLoop(s.loop)
        #expect(replies == [
            .value(.simple("OK")), .value(.bulk(Array("v".utf8))),
            .value(.error("ERR unknown command 'NOSUCH', with args beginning with: 'x' ")),
            .value(.bulk(Array("sentinel-1-cmd".utf8))), .value(.simple("PONG")),
        ])
        #expect(states == [true])
        #expect(link.isConnected && link.pendingCount == 0)
        link.close()
        #expect(states == [true, false])
        #expect(!link.isConnected && link.isIdle)
    }

    @Test func authIsSentFirstAndItsReplyIsHidden() throws {
        let s = try TestServer(options: ["--requirepass", "secret"])
        defer { s.finish() }
        let cases: [(LinkAuth?, RESPValue)] = [
            (LinkAuth(password: "secret"), .simple("PONG")),
            (LinkAuth(user: "default", password: "secret"), .simple("PONG")),
            (LinkAuth(password: "wrong"), .error("NOAUTH Authentication required.")),
            (nil, .error("NOAUTH Authentication required.")),
        ]
        var results: [RESPValue?] = Array(repeating: nil, count: cases.count)
        var answered = 0
        var links: [InstanceLink] = []
        for (i, (auth, _)) in cases.enumerated() {
            let link = s.link(name: "probe", auth: auth)
            links.append(link)
            link.connect()
            link.send(words("PING")) { reply in
                results[i] = reply.value
                answered += 1
                if answered == cases.count { s.loop.stop() }
            }
        }
        runLoop(s.loop)
        #expect(results == cases.map(\.1))
        for link in links { link.close() }
    }

    @Test func aPubSubLinkDeliversHelloMessagesPublishedByAnotherLink() throws {
        let s = try TestServer()
        defer { s.finish() }
        var messages: [([UInt8], [UInt8])] = []
        let subscriber = s.link(.pubsub, name: "sentinel-1-pubsub", onMessage: { channel, payload in
            messages.append((channel, payload))
            s.loop.stop()
        })
        let publisher = s.link()
        subscriber.connect()
        publisher.connect()
        // Publish until the subscription is in place (PUBLISH then counts one receiver).
        func publish() {
            publisher.send(words("PUBLISH", InstanceLink.helloChannel, "127.0.0.1,26379,abc,0")) { reply in
                if reply.value?.int == 0 { s.loop.schedule(afterMilliseconds: 5) { publish() } }
            }
        }
        publish()
        runLoop(s.loop)
        #expect(messages.count == 1)
        #expect(messages.first?.0 == Array(InstanceLink.helloChannel.utf8))
        #expect(messages.first?.1 == Array("127.0.0.1,26379,abc,0".utf8))
        #expect(subscriber.pendingCount == 0)
        subscriber.close()
        publisher.close()
    }

    @Test func serverPublishFromATimerReachesASubscriberOfASentinel() throws {
        let s = try TestServer(mode: .sentinel)
        defer { s.finish() }
        var payloads: [[UInt8]] = []
        let subscriber = s.link(.pubsub, name: "peer", onMessage: { _, payload in
            payloads.append(payload)
            s.loop.stop()
        })
        subscriber.connect()
        var unknown: RESPValue?
        let probe = s.link()
        probe.connect()
        probe.send(words("GET", "x")) { unknown = $0.value }
        let ticker = s.loop.scheduleRepeating(everyMilliseconds: 5) {
            s.server.publish(channel: Array(InstanceLink.helloChannel.utf8), message: Array("from-timer".utf8))
        }
        runLoop(s.loop)
        s.loop.cancel(ticker)
        #expect(payloads == [Array("from-timer".utf8)])
        #expect(unknown == .error("ERR unknown command 'GET', with args beginning with: 'x' "))
        subscriber.close()
        probe.close()
    }

    @Test func closeFailsPendingCallbacksAtOnceAndTheLinkReconnects() throws {
        let s = try TestServer()
        defer { s.finish() }
        var states: [(Bool, String?)] = []
        var firstPing: LinkReply?
        var secondPing: LinkReply?
        var link: InstanceLink?
        link = s.link(onStateChange: { up, reason in
            states.append((up, reason))
            guard up, let link else { return }
            if states.count == 1 {
                link.send(words("PING")) { firstPing = $0 }
                link.close(reason: "test closed it")
                #expect(firstPing == .failure(.disconnected))
                #expect(states.count == 2 && link.isIdle)
                link.connect()
            } else {
                link.send(words("PING")) { reply in
                    secondPing = reply
                    s.loop.stop()
                }
            }
        })
        link?.connect()
        runLoop(s.loop)
        #expect(states.map(\.0) == [true, false, true])
        #expect(states[1].1 == "test closed it")
        #expect(secondPing == .value(.simple("PONG")))
        link?.close()
        link = nil
    }

    @Test func aRefusedConnectReportsDownOnceWithTheReason() throws {
        let loop = try EventLoop()
        defer { loop.close() }
        var states: [(Bool, String?)] = []
        let link = InstanceLink(loop: loop, host: "127.0.0.1", port: try unusedPort(), kind: .command,
                                clientName: "x", auth: nil, onStateChange: { up, reason in
            states.append((up, reason))
            loop.schedule(afterMilliseconds: 30) { loop.stop() }   // time for a duplicate to show up
        })
        link.connect()
        var reply: LinkReply?
        link.send(words("PING")) { reply = $0 }
        #expect(reply == nil)   // never called inside send()
        runLoop(loop)
        #expect(states.count == 1)
        #expect(states.first?.0 == false)
        #expect(states.first?.1?.contains("Connection refused") == true)
        #expect(reply == .failure(.disconnected))
        #expect(link.isIdle && !link.isConnected)
    }

    @Test func aConnectThatNeverCompletesTimesOut() throws {
        let loop = try EventLoop()
        defer { loop.close() }
        // A listener whose accept queue is full drops further SYNs, so connects hang.
        let listener = try Socket.listen(host: "127.0.0.1", port: 0, backlog: 0)
        let port = Socket.localPort(fd: listener) ?? 0
        var fillers: [Int32] = []
        defer {
            for fd in fillers { Socket.close(fd: fd) }
            Socket.close(fd: listener)
        }
        for _ in 0..<3 { fillers.append(try Socket.connect(host: "127.0.0.1", port: port)) }
        loop.schedule(afterMilliseconds: 50) { loop.stop() }
        loop.run()

        var states: [(Bool, String?)] = []
        let link = InstanceLink(loop: loop, host: "127.0.0.1", port: port, kind: .command, clientName: nil, auth: nil,
                                connectTimeoutMilliseconds: 150, onStateChange: { up, reason in
            states.append((up, reason))
            loop.stop()
        })
        let started = loop.monotonicMilliseconds
        link.connect()
        var reply: LinkReply?
        link.send(words("PING")) { reply = $0 }
        runLoop(loop)
        #expect(loop.monotonicMilliseconds - started >= 150)
        #expect(states.count == 1 && states.first?.0 == false)
        #expect(states.first?.1?.contains("timed out after 150 ms") == true)
        #expect(reply == .failure(.disconnected))
    }

    @Test(arguments: [
        ("@nonsense\r\n", false, "Protocol error"),
        ("$10\r\nabc", true, "connection closed by 127.0.0.1:"),
        ("*2\r\n:1\r\n", true, "connection closed by 127.0.0.1:"),
    ])
    func aBadOrTruncatedReplyEndsTheLinkWithAReason(response: String, close: Bool, reason: String) throws {
        let loop = try EventLoop()
        defer { loop.close() }
        let peer = try ScriptedPeer(loop: loop, response: response, closeAfterResponse: close)
        defer { peer.finish() }
        var states: [(Bool, String?)] = []
        let link = InstanceLink(loop: loop, host: "127.0.0.1", port: peer.port, kind: .command, clientName: nil,
                                auth: nil, onStateChange: { up, why in
            states.append((up, why))
            if !up { loop.stop() }
        })
        link.connect()
        var reply: LinkReply?
        link.send(words("PING")) { reply = $0 }
        runLoop(loop)
        #expect(states.map(\.0) == [true, false])
        #expect(states.last?.1?.contains(reason) == true, "\(String(describing: states.last?.1))")
        #expect(reply == .failure(.disconnected))
    }

    @Test func aReplyNobodyAskedForEndsACommandLink() throws {
        let loop = try EventLoop()
        defer { loop.close() }
        let peer = try ScriptedPeer(loop: loop, greeting: "+OK\r\n")
        defer { peer.finish() }
        var reason: String?
        let link = InstanceLink(loop: loop, host: "127.0.0.1", port: peer.port, kind: .command, clientName: nil,
                                auth: nil, onStateChange: { up, why in
            if !up { reason = why; loop.stop() }
        })
        link.connect()
        runLoop(loop)
        #expect(reason == "reply received with no command pending")
    }

    @Test func outputPastTheLimitEndsTheLinkFromATimer() throws {
        let loop = try EventLoop()
        defer { loop.close() }
        let peer = try ScriptedPeer(loop: loop)
        defer { peer.finish() }
        var states: [(Bool, String?)] = []
        let link = InstanceLink(loop: loop, host: "127.0.0.1", port: peer.port, kind: .command, clientName: nil,
                                auth: nil, onStateChange: { up, why in
            states.append((up, why))
            loop.stop()
        })
        link.outputLimitBytes = 100
        link.connect()
        var replies: [LinkReply] = []
        link.send(words("SET", "k", "v")) { replies.append($0) }
        link.send([Array("SET".utf8), Array("k".utf8), [UInt8](repeating: 0x61, count: 200)]) { replies.append($0) }
        #expect(replies.isEmpty && states.isEmpty && !link.isIdle)
        link.connect()   // ignored until the ending is reported
        runLoop(loop)
        #expect(replies == [.failure(.disconnected), .failure(.disconnected)])
        #expect(states.count == 1 && states.first?.1 == "output buffer limit of 100 bytes reached")
        #expect(link.isIdle)
    }

    @Test func sendingOnAnIdleLinkFailsFromATimer() throws {
        let loop = try EventLoop()
        defer { loop.close() }
        let link = InstanceLink(loop: loop, host: "127.0.0.1", port: 1, kind: .command, clientName: nil, auth: nil,
                                onStateChange: { _, _ in Issue.record("no attempt was made") })
        var reply: LinkReply?
        link.send(words("PING")) { reply = $0; loop.stop() }
        #expect(reply == nil)
        runLoop(loop)
        #expect(reply == .failure(.disconnected))
        link.close()   // idle: nothing to report
    }

    @Test(arguments: [
        (RESPValue.array([.bulk(Array("message".utf8)), .bulk([1]), .bulk([2])]), true),
        (.push([.bulk(Array("pmessage".utf8)), .bulk([9]), .bulk([1]), .bulk([2])]), true),
        (.array([.bulk(Array("subscribe".utf8)), .bulk([1]), .integer(1)]), false),
        (.array([.bulk(Array("message".utf8)), .bulk([1])]), false),
        (.simple("message"), false),
    ])
    func onlyMessageFramesCountAsPubSubMessages(value: RESPValue, isMessage: Bool) {
        let message = InstanceLink.pubsubMessage(value)
        #expect((message != nil) == isMessage)
        if let message { #expect(message.channel == [1] && message.payload == [2]) }
    }
}
