// Support for the interop tests against a real redis-server 7.0: locating
// the binaries, running a throwaway server on a unix socket in a temporary
// directory (TCP disabled with --port 0), and a minimal RESP client so values
// are compared byte-exactly (redis-cli output would be lossy for binary data).
// Every server started is terminated and reaped in `stop()` / deinit.

import Foundation
import RDB
#if canImport(Glibc)
import Glibc
#endif

enum RedisBinaries {
    /// Path of an executable named `name` on PATH (or the usual places).
    static func find(_ name: String) -> String? {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? ""
        let dirs = path.split(separator: ":").map(String.init) + ["/usr/bin", "/usr/local/bin"]
        return dirs.map { $0 + "/" + name }.first { FileManager.default.isExecutableFile(atPath: $0) }
    }

    static let server = find("redis-server")

    /// True when a redis-server 7.x is installed (CI installs it via scripts/test).
    static let available: Bool = {
        guard let server else { return false }
        let p = Process()
        p.executableURL = URL(fileURLWithPath: server)
        p.arguments = ["--version"]
        let pipe = Pipe()
        p.standardOutput = pipe
        do { try p.run() } catch { return false }
        p.waitUntilExit()
        let out = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        return out.contains("v=7.")
    }()
}

struct InteropError: Error, CustomStringConvertible {
    let description: String
}

/// A redis-server in its own temporary directory, reachable on a unix socket.
final class RedisServer {
    let dir: String
    let process = Process()
    var socketPath: String { dir + "/r.sock" }
    var rdbPath: String { dir + "/dump.rdb" }

    /// Makes the directory; put an RDB at `rdbPath` before `start()` to load it.
    init() throws {
        // Unix socket paths are limited to ~100 bytes: prefer the short /tmp.
        let base = FileManager.default.fileExists(atPath: "/tmp") ? "/tmp" : FileManager.default.temporaryDirectory.path
        dir = base + "/vigil-rdb-interop-\(getpid())-\(UInt32.random(in: 0 ... .max))"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
    }

    func start(extra: [String] = []) throws -> RESPTestClient {
        guard let server = RedisBinaries.server else { throw InteropError(description: "redis-server not found") }
        process.executableURL = URL(fileURLWithPath: server)
        process.arguments = ["--port", "0", "--unixsocket", socketPath, "--dir", dir, "--dbfilename", "dump.rdb",
                             "--save", "", "--appendonly", "no", "--daemonize", "no", "--enable-debug-command", "yes",
                             "--logfile", dir + "/redis.log"] + extra
        try process.run()
        // Poll until the socket accepts a PING (bounded; never a bare sleep).
        let deadline = Date().addingTimeInterval(10)
        while Date() < deadline {
            if !process.isRunning { throw InteropError(description: "redis-server exited: \(log())") }
            if let c = RESPTestClient(socketPath: socketPath), (try? c.call("PING")) == .simple("PONG") { return c }
            usleep(20_000)
        }
        throw InteropError(description: "redis-server did not start: \(log())")
    }

    func log() -> String {
        (try? String(contentsOfFile: dir + "/redis.log", encoding: .utf8)) ?? ""
    }

    /// Kills the server (SIGKILL: children spawned from test threads inherit
    /// a signal mask that blocks SIGTERM) and reaps it.
    func stop() {
        if process.isRunning {
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
        }
        try? FileManager.default.removeItem(atPath: dir)
    }

    deinit { stop() }
}

/// A RESP reply.
indirect enum RESPReply: Equatable {
    case simple(String), error(String), integer(Int64), bulk([UInt8]?), array([RESPReply]?)

    var bytes: [UInt8]? { if case .bulk(let b) = self { return b } else { return nil } }
    var items: [RESPReply] { if case .array(let a?) = self { return a } else { return [] } }
    var integer: Int64? { if case .integer(let i) = self { return i } else { return nil } }
}

/// A blocking RESP2 client over a unix socket, for tests only.
final class RESPTestClient {
    private let fd: Int32
    private var buffer: [UInt8] = []

    init?(socketPath: String) {
        fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { return nil }
        var addr = sockaddr_un()
        addr.sun_family = sa_family_t(AF_UNIX)
        let path = Array(socketPath.utf8)
        guard path.count < MemoryLayout.size(ofValue: addr.sun_path) else { close(fd); return nil }
        withUnsafeMutableBytes(of: &addr.sun_path) { raw in
            for (i, c) in path.enumerated() { raw[i] = c }
        }
        let ok = withUnsafePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) == 0
            }
        }
        guard ok else { close(fd); return nil }
    }

    deinit { close(fd) }

    @discardableResult
    func call(_ args: String...) throws -> RESPReply { try call(args.map { Array($0.utf8) }) }

    @discardableResult
    func call(_ args: [[UInt8]]) throws -> RESPReply {
        var out = Array("*\(args.count)\r\n".utf8)
        for a in args { out += Array("$\(a.count)\r\n".utf8) + a + [13, 10] }
        var sent = 0
        while sent < out.count {
            let n = out[sent...].withUnsafeBytes { send(fd, $0.baseAddress, $0.count, 0) }
            guard n > 0 else { throw InteropError(description: "send failed") }
            sent += n
        }
        while true {
            var i = 0
            if let reply = parse(&i) {
                buffer.removeFirst(i)
                if case .error(let e) = reply { throw InteropError(description: "redis error: \(e)") }
                return reply
            }
            var chunk = [UInt8](repeating: 0, count: 65536)
            let n = chunk.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            guard n > 0 else { throw InteropError(description: "connection closed") }
            buffer += chunk[..<n]
        }
    }

    /// Parses one reply at `i`, or nil if incomplete.
    private func parse(_ i: inout Int) -> RESPReply? {
        guard i < buffer.count else { return nil }
        let kind = buffer[i]
        guard let lineEnd = (i ..< buffer.count - 1).first(where: { buffer[$0] == 13 && buffer[$0 + 1] == 10 }) else { return nil }
        let line = String(decoding: buffer[(i + 1) ..< lineEnd], as: UTF8.self)
        var j = lineEnd + 2
        let result: RESPReply
        switch kind {
        case UInt8(ascii: "+"): result = .simple(line)
        case UInt8(ascii: "-"): result = .error(line)
        case UInt8(ascii: ":"): result = .integer(Int64(line) ?? 0)
        case UInt8(ascii: "$"):
            let n = Int(line) ?? -1
            if n < 0 { result = .bulk(nil); break }
            guard buffer.count >= j + n + 2 else { return nil }
            result = .bulk(Array(buffer[j ..< j + n]))
            j += n + 2
        default:
            let n = Int(line) ?? -1
            if n < 0 { result = .array(nil); break }
            var items: [RESPReply] = []
            for _ in 0 ..< n {
                guard let item = parse(&j) else { return nil }
                items.append(item)
            }
            result = .array(items)
        }
        i = j
        return result
    }
}
