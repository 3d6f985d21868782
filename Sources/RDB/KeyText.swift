// KeyText: renders a binary key for error messages — quoted, non-printable
// bytes as \xHH (like redis-cli), long keys shortened — so a message always
// names the key without dumping megabytes or control characters.

/// "key 'name'" with escapes, at most ~64 visible bytes.
@usableFromInline
func printableKey(_ key: [UInt8]) -> String {
    var s = "key '"
    for b in key.prefix(64) {
        switch b {
        case UInt8(ascii: "'"), UInt8(ascii: "\\"):
            s += "\\" + String(UnicodeScalar(b))
        case 0x20 ... 0x7e:
            s += String(UnicodeScalar(b))
        default:
            let hex = Array("0123456789abcdef")
            s += "\\x" + String(hex[Int(b >> 4)]) + String(hex[Int(b & 0xf)])
        }
    }
    if key.count > 64 { s += "..." }
    return s + "'"
}
