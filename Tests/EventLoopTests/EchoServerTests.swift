// EchoServerTests.swift: a small echo server and several clients on one
// loop over real 127.0.0.1 sockets: accept, non-blocking connect, partial
// writes with EPOLLOUT armed only while output is pending, ReadBuffer input.

import Glibc
import Testing
@testable import EventLoop

/// Echoes every byte back; output that does not fit is queued and flushed on writability.
final class EchoServer {
    let loop: EventLoop
    let listener: Int32
    var pending: [Int32: [UInt8]] = [:]
    var inputs: [Int32: ReadBuffer] = [:]
    var peers: [Socket.PeerAddress] = []

    init(loop: EventLoop) throws {
        self.loop = loop
        listener = try Socket.listen(host: "127.0.0.1", port: 0, backlog: 128)
        try loop.register(fd: listener, interest: .readable) { [unowned self] _, _, _ in self.acceptAll() }
    }

    var port: Int { Socket.localPort(fd: listener) ?? 0 }

    func acceptAll() {
        while let accepted = try? Socket.accept(listener: listener) {
            Socket.setNoDelay(fd: accepted.fd)
            Socket.setKeepAlive(fd: accepted.fd, intervalSeconds: 300)
            peers.append(accepted.peer)
            inputs[accepted.fd] = ReadBuffer(initialCapacity: 1024)
            pending[accepted.fd] = []
            try? loop.register(fd: accepted.fd, interest: .readable) { [unowned self] readable, writable, hangup in
                self.service(accepted.fd, readable: readable, writable: writable, hangup: hangup)
            }
        }
    }

    func service(_ fd: Int32, readable: Bool, writable: Bool, hangup: Bool) {
        if readable || hangup {
            guard var input = inputs[fd] else { return }
            switch input.readFrom(fd: fd) {
            case .bytes:
                input.withReadableBytes { pending[fd, default: []].append(contentsOf: $0) }
                input.consume(input.readableCount)
                inputs[fd] = input
            case .wouldBlock:
                break
            case .closed, .error:
                drop(fd)
                return
            }
        }
        flush(fd)
    }

    func flush(_ fd: Int32) {
        guard var output = pending[fd], !output.isEmpty else {
            loop.setInterest(fd: fd, .readable)
            return
        }
        let result = output.withUnsafeBytes { Socket.write(fd: fd, $0) }
        switch result {
        case .bytes(let n):
            output.removeFirst(n)
        case .wouldBlock:
            break
        case .error:
            drop(fd)
            return
        }
        pending[fd] = output
        loop.setInterest(fd: fd, output.isEmpty ? .readable : [.readable, .writable])
    }

    func drop(_ fd: Int32) {
        loop.unregister(fd: fd)
        Socket.close(fd: fd)
        pending[fd] = nil
        inputs[fd] = nil
    }

    func shutdown() {
        for fd in Array(pending.keys) { drop(fd) }
        loop.unregister(fd: listener)
        Socket.close(fd: listener)
    }
}

/// Sends a payload once connected and collects the echo.
final class EchoClient {
    let loop: EventLoop
    let fd: Int32
    let payload: [UInt8]
    var sent = 0
    var received: [UInt8] = []
    var connectError: SystemError?
    var connected = false
    let onDone: () -> Void

    init(loop: EventLoop, port: Int, payload: [UInt8], onDone: @escaping () -> Void) throws {
        self.loop = loop
        self.payload = payload
        self.onDone = onDone
        fd = try Socket.connect(host: "127.0.0.1", port: port)
        try loop.register(fd: fd, interest: [.readable, .writable]) { [unowned self] readable, writable, hangup in
            self.service(readable: readable, writable: writable, hangup: hangup)
        }
    }

    var isDone: Bool { received.count == payload.count }

    func service(readable: Bool, writable: Bool, hangup: Bool) {
        if !connected && (writable || hangup) {
            if let error = Socket.connectResult(fd: fd) {
                connectError = error
                loop.unregister(fd: fd)
                onDone()
                return
            }
            connected = true
        }
        if writable && sent < payload.count {
            let result = payload.withUnsafeBytes { raw in
                Socket.write(fd: fd, UnsafeRawBufferPointer(rebasing: raw[sent...]))
            }
            if case .bytes(let n) = result { sent += n }
            if sent == payload.count { loop.setInterest(fd: fd, .readable) }
        }
        if readable {
            var chunk = [UInt8](repeating: 0, count: 8192)
            let result = chunk.withUnsafeMutableBytes { Socket.read(fd: fd, into: $0) }
            switch result {
            case .bytes(let n):
                received.append(contentsOf: chunk[..<n])
                if isDone { onDone() }
            case .wouldBlock:
                break
            case .closed, .error:
                loop.unregister(fd: fd)
                onDone()
            }
        }
    }

    func close() {
        loop.unregister(fd: fd)
        Socket.close(fd: fd)
    }
}

@Suite struct EchoServerTests {
    @Test(arguments: [1, 5])
    func everyClientGetsItsOwnBytesBack(clientCount: Int) throws {
        let loop = try EventLoop()
        defer { loop.close() }
        let server = try EchoServer(loop: loop)
        var clients: [EchoClient] = []
        var finished = 0
        for index in 0..<clientCount {
            // Different sizes and offsets so crossed streams would show.
            let payload = Pattern.bytes(count: 50_000 + index * 7_919, startingAt: index * 13)
            clients.append(try EchoClient(loop: loop, port: server.port, payload: payload) { [unowned loop] in
                finished += 1
                if finished == clientCount { loop.stop() }
            })
        }
        runLoop(loop)
        for client in clients {
            #expect(client.connectError == nil)
            #expect(client.received == client.payload)
            client.close()
        }
        #expect(server.peers.count == clientCount)
        #expect(server.peers.allSatisfy { $0.ip == "127.0.0.1" && $0.isLoopback && !$0.isUnix && $0.port > 0 })
        server.shutdown()
        #expect(loop.registeredCount == 0)
    }
}
