// FileDescriptorSink / FileDescriptorSource: the module's only syscalls.
//
// Tiny adapters over a caller-owned file descriptor (opened, closed and
// renamed by the caller — Node owns paths and temp-file-then-rename). They
// are here, rather than in Node, because they are a dozen lines each and let
// the RDB tests exercise real files; they do no buffering of their own since
// RDBWriter/RDBReader already move 64 KiB chunks. Invariants: partial
// transfers and EINTR are retried; every failure becomes RDBError(.io) with
// the errno text.

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Writes to a file descriptor; fsyncs on `finish()` when asked to.
public struct FileDescriptorSink: ByteSink, Sendable {
    /// The descriptor written to; not closed by this type.
    public let fd: Int32
    /// Whether `finish()` calls fsync(2).
    public let fsyncOnFinish: Bool
    /// Bytes written so far.
    public private(set) var bytesWritten: Int = 0

    /// Creates a sink over an open, writable `fd`.
    public init(fd: Int32, fsyncOnFinish: Bool = true) {
        self.fd = fd
        self.fsyncOnFinish = fsyncOnFinish
    }

    /// Writes all of `bytes`, retrying short writes and EINTR.
    public mutating func write(_ bytes: UnsafeRawBufferPointer) throws(RDBError) {
        guard var p = bytes.baseAddress else { return }
        var left = bytes.count
        while left > 0 {
            let n = systemWrite(fd, p, left)
            if n < 0 {
                let e = errno
                if e == EINTR { continue }
                throw RDBError(.io, offset: bytesWritten, "Write error saving DB on disk: \(errorText(e))")
            }
            p += n
            left -= n
            bytesWritten += n
        }
    }

    /// fsync(2)s the descriptor if `fsyncOnFinish`.
    public mutating func finish() throws(RDBError) {
        guard fsyncOnFinish else { return }
        while fsync(fd) != 0 {
            let e = errno
            if e == EINTR { continue }
            throw RDBError(.io, offset: bytesWritten, "fsync failed: \(errorText(e))")
        }
    }
}

/// Reads from a file descriptor. For a regular file the remaining size is
/// known (from fstat and the current position at creation), which lets the
/// reader reject impossible lengths before allocating.
public struct FileDescriptorSource: ByteSource, Sendable {
    /// The descriptor read from; not closed by this type.
    public let fd: Int32
    private var remaining: Int?
    private var consumed: Int = 0

    /// Creates a source over an open, readable `fd`.
    public init(fd: Int32) {
        self.fd = fd
        var st = stat()
        if fstat(fd, &st) == 0, (st.st_mode & S_IFMT) == S_IFREG {
            let here = lseek(fd, 0, SEEK_CUR)
            remaining = here >= 0 ? max(0, Int(st.st_size) - Int(here)) : nil
        } else {
            remaining = nil
        }
    }

    /// Reads up to `buffer.count` bytes, retrying EINTR; 0 at end of file.
    public mutating func read(into buffer: UnsafeMutableRawBufferPointer) throws(RDBError) -> Int {
        guard let base = buffer.baseAddress, buffer.count > 0 else { return 0 }
        while true {
            let n = systemRead(fd, base, buffer.count)
            if n < 0 {
                let e = errno
                if e == EINTR { continue }
                throw RDBError(.io, offset: consumed, "Read error loading DB: \(errorText(e))")
            }
            consumed += n
            if let r = remaining { remaining = max(0, r - n) }
            return n
        }
    }

    /// Bytes left in a regular file; nil for pipes and sockets.
    public var remainingBytes: Int? { remaining }
}

private func systemWrite(_ fd: Int32, _ p: UnsafeRawPointer, _ n: Int) -> Int {
    write(fd, p, n)
}

private func systemRead(_ fd: Int32, _ p: UnsafeMutableRawPointer, _ n: Int) -> Int {
    read(fd, p, n)
}

private func errorText(_ code: Int32) -> String {
    guard let s = strerror(code) else { return "errno \(code)" }
    return String(cString: s)
}
