// KeyText: renders a binary key for error messages — quoted, non-printable
// bytes as \xHH (like redis-cli), long keys shortened — so a message always
// names the key without dumping megabytes or control characters.

/// "key 'name'" with escapes, at most 64 key bytes shown.
@usableFromInline
func printableKey(_ key: [UInt8]) -> String {
    let hex = Array("0123456789abcdef")
    var s = "key '"
    for byte in key.prefix(64) {
        switch byte {
        case UInt8(ascii: "'"), UInt8(ascii: "\\"):
            s += "\\" + String(UnicodeScalar(byte))
        case 0x20 ... 0x7e:
            s += String(UnicodeScalar(byte))
        default:
            s += "\\x" + String(hex[Int(byte >> 4)]) + String(hex[Int(byte & 0xf)])
        }
    }
    if key.count > 64 { s += "..." }
    return s + "'"
}
