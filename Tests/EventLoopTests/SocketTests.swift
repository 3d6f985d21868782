// SocketTests.swift: socket helpers against the real kernel: refused
// connects, listen errors and their messages, peer addresses, and a large
// transfer that hits EAGAIN and resumes on writability.

import Glibc
import Testing
@testable import EventLoop

@Suite struct SocketTests {
    @Test func connectingToAClosedPortReportsConnectionRefused() throws {
        // Find a free port, then close it again.
        let probe = try Socket.listen(host: "127.0.0.1", port: 0, backlog: 1)
        let port = try #require(Socket.localPort(fd: probe))
        Socket.close(fd: probe)

        let loop = try EventLoop()
        defer { loop.close() }
        var outcome: SystemError?
        let fd: Int32
        do {
            fd = try Socket.connect(host: "127.0.0.1", port: port)
        } catch {
            // Loopback may refuse synchronously; that is the same answer.
            #expect(error.errno == ECONNREFUSED)
            return
        }
        try loop.register(fd: fd, interest: .writable) { [unowned loop] _, writable, hangup in
            #expect(writable || hangup)
            outcome = Socket.connectResult(fd: fd)
            loop.unregister(fd: fd)
            loop.stop()
        }
        runLoop(loop)
        Socket.close(fd: fd)
        #expect(outcome?.errno == ECONNREFUSED)
        #expect(outcome?.description == "connect: Connection refused")
    }

    @Test func bindingATakenPortFailsWithAddressInUse() throws {
        let first = try Socket.listen(host: "127.0.0.1", port: 0, backlog: 16)
        defer { Socket.close(fd: first) }
        let port = try #require(Socket.localPort(fd: first))
        let error = try #require(throws: SystemError.self) {
            _ = try Socket.listen(host: "127.0.0.1", port: port, backlog: 16)
        }
        #expect(error.errno == EADDRINUSE)
        #expect(error.description == "bind: Address already in use")
        #expect(!Socket.shouldSkip(error, host: "-127.0.0.1"))
    }

    @Test(arguments: ["example.com", "", "1.2.3", "::g", "127.0.0.1:80"])
    func nonNumericHostsAreRejectedWithAnExplanation(host: String) {
        let error = #expect(throws: SystemError.self) {
            _ = try Socket.listen(host: host, port: 0, backlog: 1)
        }
        #expect(error?.errno == EINVAL)
        #expect(error?.description.contains("numeric IPv4/IPv6") == true)
        #expect(throws: SystemError.self) { _ = try Socket.connect(host: host, port: 1) }
    }

    @Test(arguments: [-1, 65536])
    func outOfRangePortsAreRejected(port: Int) {
        #expect(throws: SystemError.self) { _ = try Socket.listen(host: "127.0.0.1", port: port, backlog: 1) }
        #expect(throws: SystemError.self) { _ = try Socket.connect(host: "127.0.0.1", port: port) }
    }

    @Test(arguments: ["127.0.0.1", "-127.0.0.1", "localhost", "*", "::1", "-::*"])
    func bindAddressesInRedisSyntaxListen(host: String) throws {
        let fd: Int32
        do {
            fd = try Socket.listen(host: host, port: 0, backlog: 8)
        } catch {
            // Hosts without IPv6 skip the IPv6 forms, exactly as Redis would.
            #expect(host.contains(":") && Socket.shouldSkip(error, host: host))
            return
        }
        #expect((Socket.localPort(fd: fd) ?? 0) > 0)
        Socket.close(fd: fd)
    }

    @Test func acceptReturnsNilWhenNothingIsPendingAndReportsThePeer() throws {
        let listener = try Socket.listen(host: "127.0.0.1", port: 0, backlog: 8)
        defer { Socket.close(fd: listener) }
        #expect(try Socket.accept(listener: listener) == nil)
        let port = try #require(Socket.localPort(fd: listener))
        let client = try Socket.connect(host: "127.0.0.1", port: port)
        defer { Socket.close(fd: client) }

        let loop = try EventLoop()
        defer { loop.close() }
        var accepted: (fd: Int32, peer: Socket.PeerAddress)?
        try loop.register(fd: listener, interest: .readable) { [unowned loop] _, _, _ in
            accepted = try? Socket.accept(listener: listener)
            loop.stop()
        }
        runLoop(loop)
        loop.unregister(fd: listener)
        let connection = try #require(accepted)
        defer { Socket.close(fd: connection.fd) }
        #expect(connection.peer.ip == "127.0.0.1")
        #expect(connection.peer.port == Socket.localPort(fd: client))
        #expect(connection.peer.description == "127.0.0.1:\(connection.peer.port)")
        #expect(Socket.peerAddress(fd: connection.fd) == connection.peer)
    }

    @Test func peerAddressFormatting() {
        #expect(Socket.PeerAddress(ip: "::1", port: 6379).description == "[::1]:6379")
        #expect(Socket.PeerAddress(ip: "::1", port: 6379).isLoopback)
        #expect(Socket.PeerAddress(ip: "127.8.9.1", port: 1).isLoopback)
        #expect(!Socket.PeerAddress(ip: "10.0.0.1", port: 1).isLoopback)
        #expect(!Socket.PeerAddress(ip: "/tmp/redis.sock", port: 0, isUnix: true).isLoopback)
    }

    @Test func aLargeWriteHitsEAGAINAndResumesOnWritability() throws {
        let loop = try EventLoop()
        defer { loop.close() }
        let listener = try Socket.listen(host: "127.0.0.1", port: 0, backlog: 8)
        let port = try #require(Socket.localPort(fd: listener))
        let writer = try Socket.connect(host: "127.0.0.1", port: port)

        let total = 8 * 1024 * 1024
        var written = 0
        var wouldBlockCount = 0
        var writableWakeUps = 0
        var reader: Int32 = -1
        var input = ReadBuffer()
        var receivedTotal = 0
        var patternOK = true

        // The reader starts ignoring input, so the writer must fill the socket buffers.
        try loop.register(fd: listener, interest: .readable) { [unowned loop] _, _, _ in
            guard let accepted = try? Socket.accept(listener: listener) else { return }
            reader = accepted.fd
            try? loop.register(fd: reader, interest: []) { _, _, _ in
                while true {
                    switch input.readFrom(fd: reader, maxBytes: 64 * 1024) {
                    case .bytes:
                        input.withReadableBytes { patternOK = patternOK && Pattern.matches($0, at: receivedTotal) }
                        receivedTotal += input.readableCount
                        input.consume(input.readableCount)
                        if receivedTotal == total { loop.stop() }
                    case .wouldBlock, .closed, .error:
                        return
                    }
                }
            }
        }
        try loop.register(fd: writer, interest: .writable) { [unowned loop] _, writable, hangup in
            #expect(!hangup)
            guard writable else { return }
            writableWakeUps += 1
            Pattern.block.withUnsafeBytes { block in
                while written < total {
                    let phase = written % block.count
                    let chunk = UnsafeRawBufferPointer(rebasing: block[phase..<min(block.count, phase + total - written)])
                    switch Socket.write(fd: writer, chunk) {
                    case .bytes(let n):
                        written += n
                    case .wouldBlock:
                        wouldBlockCount += 1
                        if reader >= 0 { loop.setInterest(fd: reader, .readable) }  // now let it drain
                        return  // writable interest stays armed: we are called again when there is room
                    case .error(let error):
                        Issue.record("write failed: \(error)")
                        loop.stop()
                        return
                    }
                }
                loop.setInterest(fd: writer, [])  // drained: disarm EPOLLOUT
            }
        }
        runLoop(loop, timeoutMilliseconds: 20_000)
        #expect(written == total)
        #expect(receivedTotal == total)
        #expect(patternOK)
        #expect(wouldBlockCount >= 1)
        #expect(writableWakeUps >= 2)
        for fd in [listener, writer, reader] where fd >= 0 {
            loop.unregister(fd: fd)
            Socket.close(fd: fd)
        }
        #expect(loop.registeredCount == 0)
    }
}
