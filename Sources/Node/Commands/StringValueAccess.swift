// StringValueAccess: in-place writes to the string at a key (APPEND, SETRANGE,
// INCR ...) and the size limit Redis puts on strings that commands grow.
//
// Invariants: the string is moved out of the keyspace while `body` runs, so
// appending to it does not copy it; the key keeps its time to live (Redis's
// dbOverwrite); a body that throws must not have changed anything (validate
// first), and then the key is left exactly as it was.

import RESP
import Keyspace

extension CommandContext {
    /// Runs `body` on the string at `key` (nil when the key is absent or
    /// expired) and stores what it leaves (nil: nothing stored). WRONGTYPE for
    /// another type. Uses the write lookup (no keyspace hit/miss counting).
    func updateStringValue<R>(_ key: Bytes,
                              _ body: (inout Bytes?) throws(CommandError) -> R) throws(CommandError) -> R {
        try db.update(key, now: now) { (value: inout Value?) throws(CommandError) -> R in
            switch value {
            case nil:
                var string: Bytes? = nil
                let result = try body(&string)
                if let string { value = .string(string) }
                return result
            case .string(let existing)?:
                var string: Bytes? = existing
                value = nil   // drop the table's reference so `string` is uniquely owned
                do throws(CommandError) {
                    let result = try body(&string)
                    if let string { value = .string(string) }
                    return result
                } catch {
                    value = string.map { .string($0) }
                    throw error
                }
            case _?:
                throw .wrongType
            }
        }
    }

    /// Redis's checkStringLength: `size + append` must not exceed
    /// `proto-max-bulk-len` (nor overflow). Commands from our master are exempt.
    func checkStringLength(_ size: Int, appending append: Int) throws(CommandError) {
        if client.kind == .master { return }
        let (total, overflow) = size.addingReportingOverflow(append)
        if overflow || total > server.config.int("proto-max-bulk-len") { throw .stringExceedsMaxBulkLength }
    }
}

extension CommandError {
    /// APPEND / SETRANGE past `proto-max-bulk-len`.
    static let stringExceedsMaxBulkLength = CommandError("ERR string exceeds maximum allowed size (proto-max-bulk-len)")
}
