// ByteSink: where RDBWriter's bytes go (the "rio" of the writer side).
//
// RDBWriter buffers internally (64 KiB) and hands a sink large chunks, so a
// sink need not buffer. `finish()` is called exactly once by
// `RDBWriter.finish()` after the last byte (a file sink fsyncs there).
// Implementations in this module: `MemorySink` (below) and
// `FileDescriptorSink` (FileDescriptorIO.swift). Node may add its own, e.g.
// one that feeds a replica connection.

/// A destination for RDB bytes.
public protocol ByteSink {
    /// Writes all of `bytes` or throws (`.io` for system failures).
    mutating func write(_ bytes: UnsafeRawBufferPointer) throws(RDBError)
    /// Called once after the last `write`; makes the data durable if the sink
    /// supports that. The default does nothing.
    mutating func finish() throws(RDBError)
}

extension ByteSink {
    /// Default: nothing to finish.
    public mutating func finish() throws(RDBError) {}

    /// Convenience: writes the contents of an array.
    @inlinable
    public mutating func write(_ bytes: [UInt8]) throws(RDBError) {
        try bytes.withUnsafeBufferPointer { (buffer) throws(RDBError) in
            try write(UnsafeRawBufferPointer(buffer))
        }
    }
}

/// An in-memory sink that accumulates everything written to it.
public struct MemorySink: ByteSink, Sendable {
    /// All bytes written so far.
    public private(set) var bytes: [UInt8]

    /// Creates an empty sink, optionally reserving capacity.
    public init(reservingCapacity capacity: Int = 0) {
        bytes = []
        bytes.reserveCapacity(capacity)
    }

    /// Appends `bytes`.
    public mutating func write(_ bytes: UnsafeRawBufferPointer) throws(RDBError) {
        self.bytes.append(contentsOf: bytes)
    }
}
