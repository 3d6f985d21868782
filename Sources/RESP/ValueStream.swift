// ValueStream: the reading side of a blocking RESP client — bytes received
// from a socket, and the complete values parsed out of them, one at a time.
// Used by vigil-cli's Connection and the drill's client.
//
// Invariants: `received[start...]` begins at a frame boundary; the parser
// sees those bytes again until a whole frame is there; consumed bytes are
// dropped only when more input is needed, so callers just append.

/// Received bytes and the values parsed from them.
public struct ValueStream: Sendable {
    /// Bytes received and not yet consumed by `next()`; callers only append.
    public var received: Bytes = []
    private var start = 0
    private var parser = ValueParser()

    public init() {}

    /// The next complete value, or nil when more bytes must be appended first.
    public mutating func next() throws(ProtocolError) -> RESPValue? {
        if start < received.count {
            let begin = start
            let result = received.withUnsafeBytes { all in
                Result { () throws(ProtocolError) in
                    try parser.next(UnsafeRawBufferPointer(rebasing: all[begin...]))
                }
            }
            switch result {
            case .success(let parsed?):
                start += parsed.consumed
                return parsed.value
            case .success(nil):
                break
            case .failure(let error):
                throw error
            }
        }
        if start > 0 {
            received.removeFirst(start)
            start = 0
        }
        return nil
    }
}
