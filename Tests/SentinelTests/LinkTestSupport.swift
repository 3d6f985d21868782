// LinkTestSupport: what the InstanceLink tests run against — an in-process
// Vigil server (node or sentinel mode) on an ephemeral loopback port, a raw
// scripted peer that answers with chosen bytes, and a loop runner with a
// watchdog so no test can hang. Each helper closes what it opened in `finish()`.

import Glibc
import Testing
import Config
import EventLoop
import Node
@testable import Sentinel

/// Runs `loop` until something stops it; false (and a recorded issue) if `timeoutMilliseconds` passed first.
@discardableResult
func runLoop(_ loop: EventLoop, timeoutMilliseconds: Int64 = 5000,
             sourceLocation: SourceLocation = #_sourceLocation) -> Bool {
    var timedOut = false
    let watchdog = loop.schedule(afterMilliseconds: timeoutMilliseconds) { [unowned loop] in
        timedOut = true
        loop.stop()
    }
    loop.run()
    loop.cancel(watchdog)
    #expect(!timedOut, "loop did not stop within \(timeoutMilliseconds) ms", sourceLocation: sourceLocation)
    return !timedOut
}

/// A started Vigil server on 127.0.0.1, ephemeral port, no snapshots.
final class TestServer {
    let server: Server
    var loop: EventLoop { server.loop }
    var port: Int { server.boundPort }

    init(mode: ConfigMode = .server, options: [String] = []) throws {
        let config = try ConfigStore.load(arguments: ["--port", "0", "--bind", "127.0.0.1", "--save", ""] + options,
                                          mode: mode)
        server = try Server(config: config, logger: Logger(path: "/dev/null", level: .nothing))
        try server.start()
    }

    /// A link to this server.
    func link(_ kind: InstanceLink.Kind = .command, name: String? = nil, auth: LinkAuth? = nil,
              onStateChange: @escaping (Bool, String?) -> Void = { _, _ in },
              onMessage: @escaping ([UInt8], [UInt8]) -> Void = { _, _ in }) -> InstanceLink {
        InstanceLink(loop: loop, host: "127.0.0.1", port: port, kind: kind, clientName: name, auth: auth,
                     onStateChange: onStateChange, onMessage: onMessage)
    }

    /// Closes every client and listener and releases the loop.
    func finish() {
        for client in Array(server.clients.values) { server.close(client) }
        server.shutdown()
        loop.close()
    }
}

/// A loopback listener that writes `greeting` to each connection on accept,
/// and `response` once it has read the connection's first bytes, then
/// closes that connection if `closeAfterResponse`.
final class ScriptedPeer {
    let loop: EventLoop
    let listener: Int32
    let greeting: [UInt8]
    let response: [UInt8]
    let closeAfterResponse: Bool
    private var open: Set<Int32> = []

    init(loop: EventLoop, greeting: String = "", response: String = "", closeAfterResponse: Bool = false) throws {
        self.loop = loop
        self.greeting = Array(greeting.utf8)
        self.response = Array(response.utf8)
        self.closeAfterResponse = closeAfterResponse
        listener = try Socket.listen(host: "127.0.0.1", port: 0, backlog: 16)
        try loop.register(fd: listener, interest: .readable) { [unowned self] _, _, _ in self.acceptAll() }
    }

    var port: Int { Socket.localPort(fd: listener) ?? 0 }

    private func acceptAll() {
        while let (fd, _) = try? Socket.accept(listener: listener) {
            open.insert(fd)
            write(fd, greeting)
            try? loop.register(fd: fd, interest: .readable) { [unowned self] _, _, _ in self.serve(fd) }
        }
    }

    private func serve(_ fd: Int32) {
        var scratch = [UInt8](repeating: 0, count: 4096)
        let result = scratch.withUnsafeMutableBytes { Socket.read(fd: fd, into: $0) }
        guard case .bytes = result else { drop(fd); return }
        write(fd, response)
        if closeAfterResponse { drop(fd) }
    }

    private func write(_ fd: Int32, _ bytes: [UInt8]) {
        guard !bytes.isEmpty else { return }
        _ = bytes.withUnsafeBytes { Socket.write(fd: fd, $0) }
    }

    private func drop(_ fd: Int32) {
        loop.unregister(fd: fd)
        Socket.close(fd: fd)
        open.remove(fd)
    }

    func finish() {
        for fd in open { drop(fd) }
        loop.unregister(fd: listener)
        Socket.close(fd: listener)
    }
}

/// A loopback port with nothing listening (bound once, then closed).
func unusedPort() throws -> Int {
    let fd = try Socket.listen(host: "127.0.0.1", port: 0, backlog: 1)
    defer { Socket.close(fd: fd) }
    return Socket.localPort(fd: fd) ?? 1
}

/// Command arguments from text.
func words(_ text: String...) -> [[UInt8]] { text.map { Array($0.utf8) } }
