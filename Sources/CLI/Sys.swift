// Sys.swift — every system call vigil-cli makes, in one place: blocking TCP
// sockets, reading and writing file descriptors, terminal modes, sleeping,
// signals. The rest of the CLI module is plain logic over these functions.
//
// Invariants: nothing here aborts on a failed call; failures are returned as
// errno values (or nil) for the caller to word. Sockets are blocking and
// close-on-exec; writes use MSG_NOSIGNAL so a dead server is an EPIPE error,
// never a signal.

import EventLoop
import Glibc
import RESP

/// A failed call's errno.
struct Errno: Error, Equatable {
    let code: Int32
}

/// Thin wrappers over the C library, named by what vigil-cli uses them for.
enum Sys {
    /// The text the system gives for `code` ("Connection refused").
    static func errorText(_ code: Int32) -> String {
        SystemError(operation: "", errno: code).message
    }

    /// Opens a blocking TCP connection to `host:port`, trying every address
    /// the name resolves to (like hiredis). Returns the descriptor, or the
    /// reason as hiredis words it ("Connection refused", "Name or service not known").
    static func connectTCP(host: String, port: Int) -> Result<Int32, ConnectionError> {
        var hints = addrinfo()
        hints.ai_family = AF_UNSPEC
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        var list: UnsafeMutablePointer<addrinfo>?
        let status = getaddrinfo(host, String(port), &hints, &list)
        guard status == 0 else {
            return .failure(.connect(reason: String(cString: gai_strerror(status))))
        }
        defer { freeaddrinfo(list) }
        var lastError: Int32 = ECONNREFUSED
        var node = list
        while let info = node {
            defer { node = info.pointee.ai_next }
            let fd = socket(info.pointee.ai_family, info.pointee.ai_socktype | Int32(SOCK_CLOEXEC.rawValue),
                            info.pointee.ai_protocol)
            if fd < 0 { lastError = errno; continue }
            if Glibc.connect(fd, info.pointee.ai_addr, info.pointee.ai_addrlen) == 0 {
                var one: Int32 = 1
                _ = setsockopt(fd, Int32(IPPROTO_TCP), TCP_NODELAY, &one, socklen_t(MemoryLayout<Int32>.size))
                _ = setsockopt(fd, SOL_SOCKET, SO_KEEPALIVE, &one, socklen_t(MemoryLayout<Int32>.size))
                return .success(fd)
            }
            lastError = errno
            close(fd)
        }
        return .failure(.connect(reason: errorText(lastError)))
    }

    /// Sends all of `bytes` on a socket; nil on success, else the errno.
    static func sendAll(_ fd: Int32, _ bytes: Bytes) -> Int32? {
        var sent = 0
        while sent < bytes.count {
            let n = bytes.withUnsafeBytes { buf in
                send(fd, buf.baseAddress.map { $0 + sent }, buf.count - sent, Int32(MSG_NOSIGNAL))
            }
            if n < 0 {
                if errno == EINTR { continue }
                return errno
            }
            sent += n
        }
        return nil
    }

    /// Reads what is available (blocking until something is) and appends it
    /// to `buffer`. Returns the byte count (0 at end of stream) or the errno.
    static func receive(_ fd: Int32, into buffer: inout Bytes) -> Result<Int, Errno> {
        let chunk = 16 * 1024
        let start = buffer.count
        buffer.append(contentsOf: repeatElement(0, count: chunk))
        while true {
            let n = buffer.withUnsafeMutableBytes { buf in
                recv(fd, buf.baseAddress.map { $0 + start }, chunk, 0)
            }
            if n < 0 && errno == EINTR { continue }
            buffer.removeLast(chunk - max(n, 0))
            return n < 0 ? .failure(Errno(code: errno)) : .success(n)
        }
    }

    /// True for the errnos that mean the server went away (ECONNRESET, EPIPE).
    static func meansPeerGone(_ code: Int32) -> Bool { code == ECONNRESET || code == EPIPE }

    /// Closes a descriptor, ignoring errors.
    static func closeDescriptor(_ fd: Int32) { _ = close(fd) }

    /// Writes all of `bytes` to `fd` (stdout/stderr); gives up silently on error.
    static func writeAll(_ fd: Int32, _ bytes: Bytes) {
        var done = 0
        while done < bytes.count {
            let n = bytes.withUnsafeBytes { buf in write(fd, buf.baseAddress.map { $0 + done }, buf.count - done) }
            if n < 0 && errno == EINTR { continue }
            if n <= 0 { return }
            done += n
        }
    }

    /// Reads up to `max` bytes from `fd`: nil on error, [] at end of file.
    static func read(_ fd: Int32, max: Int) -> Bytes? {
        var buffer = Bytes(repeating: 0, count: max)
        while true {
            let n = buffer.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress, max) }
            if n < 0 && errno == EINTR { continue }
            if n < 0 { return nil }
            buffer.removeLast(max - n)
            return buffer
        }
    }

    /// Reads `fd` to its end (for `-x`), or the errno of a failed read.
    static func readToEnd(_ fd: Int32) -> Result<Bytes, Errno> {
        var all = Bytes()
        while true {
            guard let chunk = read(fd, max: 64 * 1024) else { return .failure(Errno(code: errno)) }
            if chunk.isEmpty { return .success(all) }
            all += chunk
        }
    }

    /// True when `fd` is a terminal.
    static func isTerminal(_ fd: Int32) -> Bool { isatty(fd) == 1 }

    /// Terminal columns of `fd`, or nil when unknown.
    static func terminalColumns(_ fd: Int32) -> Int? {
        var size = winsize()
        guard ioctl(fd, UInt(TIOCGWINSZ), &size) == 0, size.ws_col > 0 else { return nil }
        return Int(size.ws_col)
    }

    /// Puts terminal `fd` in raw mode (no echo, no line buffering, no signal
    /// keys, no output post-processing); returns the previous settings to
    /// restore, or nil when `fd` is not a terminal.
    static func enableRawMode(_ fd: Int32) -> termios? {
        var original = termios()
        guard tcgetattr(fd, &original) == 0 else { return nil }
        var raw = original
        raw.c_iflag &= ~tcflag_t(BRKINT | ICRNL | INPCK | ISTRIP | IXON)
        raw.c_oflag &= ~tcflag_t(OPOST)
        raw.c_cflag |= tcflag_t(CS8)
        raw.c_lflag &= ~tcflag_t(ECHO | ICANON | IEXTEN | ISIG)
        withUnsafeMutableBytes(of: &raw.c_cc) { cc in
            cc[Int(VMIN)] = 1
            cc[Int(VTIME)] = 0
        }
        guard tcsetattr(fd, TCSADRAIN, &raw) == 0 else { return nil }
        return original
    }

    /// Restores settings saved by `enableRawMode`.
    static func restoreMode(_ fd: Int32, _ saved: termios) {
        var saved = saved
        _ = tcsetattr(fd, TCSADRAIN, &saved)
    }

    /// Sleeps for `microseconds` (resuming after signal interruptions).
    static func sleep(microseconds: Int64) {
        guard microseconds > 0 else { return }
        var request = timespec(tv_sec: Int(microseconds / 1_000_000), tv_nsec: Int(microseconds % 1_000_000) * 1000)
        var remaining = timespec()
        while nanosleep(&request, &remaining) != 0 && errno == EINTR { request = remaining }
    }

    /// Monotonic milliseconds, for the REPL's "(1.23s)" timing line.
    static func monotonicMilliseconds() -> Int64 {
        var now = timespec()
        clock_gettime(CLOCK_MONOTONIC, &now)
        return Int64(now.tv_sec) * 1000 + Int64(now.tv_nsec) / 1_000_000
    }

    /// The process environment.
    static func environment() -> [String: String] {
        var result: [String: String] = [:]
        var entry = environ
        while let pointer = entry.pointee {
            let pair = String(cString: pointer)
            if let equals = pair.firstIndex(of: "=") {
                result[String(pair[..<equals])] = String(pair[pair.index(after: equals)...])
            }
            entry += 1
        }
        return result
    }

    /// Ignores SIGPIPE (interactive mode: a dead server must not kill the prompt).
    static func ignoreBrokenPipe() { _ = signal(SIGPIPE, SIG_IGN) }

    /// The contents of a file, or nil when it cannot be read.
    static func readFile(_ path: String) -> Bytes? {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        guard case .success(let bytes) = readToEnd(fd) else { return nil }
        return bytes
    }

    /// Replaces a file's contents (mode 0600, like linenoise's history); false on failure.
    @discardableResult
    static func writeFile(_ path: String, _ bytes: Bytes) -> Bool {
        let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o600)
        guard fd >= 0 else { return false }
        writeAll(fd, bytes)
        return close(fd) == 0
    }
}
