// ByteSource: where RDBReader's bytes come from (the "rio" of the reader side).
//
// RDBReader reads in 64 KiB chunks into its own buffer, so a source need not
// buffer. A source that knows how many bytes are left (a memory buffer, a
// regular file, a replication transfer with a `$<len>` preamble) reports it
// through `remainingBytes`; the reader then rejects lengths larger than the
// rest of the input before allocating anything. Unknown (nil) is always safe:
// the reader then grows buffers only as bytes actually arrive.

/// An origin of RDB bytes.
public protocol ByteSource {
    /// Reads up to `buffer.count` bytes into `buffer`, returning how many were
    /// read; 0 means end of input. Throws `.io` for system failures.
    mutating func read(into buffer: UnsafeMutableRawBufferPointer) throws(RDBError) -> Int
    /// How many bytes remain to be read, if known. The default is nil.
    var remainingBytes: Int? { get }
}

extension ByteSource {
    /// Default: unknown.
    public var remainingBytes: Int? { nil }
}

/// A source reading from an in-memory byte array.
public struct MemorySource: ByteSource, Sendable {
    /// The whole input.
    public let bytes: [UInt8]
    /// Index of the next byte to hand out.
    public private(set) var position: Int = 0

    /// Creates a source over `bytes`.
    public init(_ bytes: [UInt8]) { self.bytes = bytes }

    /// Copies the next bytes into `buffer`.
    public mutating func read(into buffer: UnsafeMutableRawBufferPointer) throws(RDBError) -> Int {
        let n = min(buffer.count, bytes.count - position)
        guard n > 0 else { return 0 }
        bytes.withUnsafeBytes { all in
            buffer.copyMemory(from: UnsafeRawBufferPointer(rebasing: all[position ..< position + n]))
        }
        position += n
        return n
    }

    /// Bytes not yet handed out.
    public var remainingBytes: Int? { bytes.count - position }
}
