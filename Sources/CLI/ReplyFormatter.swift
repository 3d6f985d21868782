// ReplyFormatter.swift — how vigil-cli prints a reply, byte for byte as
// redis-cli 7.0 does (cliFormatReplyTTY / cliFormatReplyRaw).
//
// Standard (terminal) format, one reply per call, always ending in "\n":
//   1. status "OK" bare; error "(error) ERR x"; integer "(integer) 1";
//      bulk strings quoted with C escapes ("a\"b\n\xff"); nil "(nil)";
//      double "(double) 1.5" (Redis's "%.17g" text); "(true)"/"(false)";
//      verbatim text printed as is; big number "(big number) 123".
//   2. Aggregates number their elements: "1) ", "1~ " for sets, "1# k => v"
//      for maps. The index is right-aligned to the width of the largest one;
//      the first element follows its parent's index on the same line, the
//      others are indented by the parent's prefix; each nesting level adds
//      width+2 spaces.
//   3. A map value that spans several lines starts on its own line, indented.
//   4. Empty aggregates: "(empty array)", "(empty hash)", "(empty set)", "(empty push)".
// Raw format (stdout not a terminal, or --raw): strings bare, integers and
// doubles as digits, nil as nothing, errors as their text plus "\n",
// aggregates flattened with the element delimiter, map pairs as "k v".
//
// RESP3 attributes are not shown; the value they annotate is.

import RESP

/// Reply formatting in redis-cli's two output styles.
public enum ReplyFormatter {
    /// The terminal ("standard") rendering of `value`, ending with a newline.
    public static func standard(_ value: RESPValue) -> Bytes {
        var out = Bytes()
        appendStandard(value, prefix: [], to: &out)
        return out
    }

    /// The raw rendering of `value`, elements of aggregates separated by
    /// `delimiter` (redis-cli's -d, default "\n"); no trailing delimiter.
    public static func raw(_ value: RESPValue, delimiter: Bytes = [0x0a]) -> Bytes {
        var out = Bytes()
        appendRaw(value, delimiter: delimiter, to: &out)
        return out
    }

    /// A RESP3 client-tracking invalidation ("invalidate", [keys]) in the
    /// terminal style "-> invalidate: 'k1', 'k2'", or nil for other pushes.
    public static func invalidation(_ value: RESPValue) -> Bytes? {
        guard case .push(let parts) = value, parts.count == 2,
              case .bulk(let kind) = parts[0], kind.starts(with: Array("invalidate".utf8)),
              case .array(let keys) = parts[1] else { return nil }
        var out = Array("-> invalidate: ".utf8)
        for (i, key) in keys.enumerated() {
            out.append(UInt8(ascii: "'"))
            out += cString(key.bytes ?? [])
            out.append(UInt8(ascii: "'"))
            if i < keys.count - 1 { out += Array(", ".utf8) }
        }
        out.append(0x0a)
        return out
    }

    /// `bytes` in double quotes with C escapes, as Redis's sdscatrepr writes
    /// them: \\ \" \n \r \t \a \b, other bytes outside 0x20...0x7e as \xhh.
    public static func quoted(_ bytes: Bytes) -> Bytes {
        var out = Bytes()
        out.reserveCapacity(bytes.count + 2)
        out.append(UInt8(ascii: "\""))
        for b in bytes {
            switch b {
            case UInt8(ascii: "\\"), UInt8(ascii: "\""): out += [UInt8(ascii: "\\"), b]
            case 0x0a: out += Array("\\n".utf8)
            case 0x0d: out += Array("\\r".utf8)
            case 0x09: out += Array("\\t".utf8)
            case 0x07: out += Array("\\a".utf8)
            case 0x08: out += Array("\\b".utf8)
            case 0x20...0x7e: out.append(b)
            default:
                let hex = Array("0123456789abcdef".utf8)
                out += [UInt8(ascii: "\\"), UInt8(ascii: "x"), hex[Int(b >> 4)], hex[Int(b & 0xf)]]
            }
        }
        out.append(UInt8(ascii: "\""))
        return out
    }

    // MARK: - Standard

    private static func appendStandard(_ value: RESPValue, prefix: Bytes, to out: inout Bytes) {
        switch value {
        case .error(let text):
            out += Array("(error) ".utf8) + cString(Array(text.utf8))
        case .simple(let text):
            out += cString(Array(text.utf8))
        case .integer(let n):
            out += Array("(integer) \(n)".utf8)
        case .double(let d):
            out += Array("(double) ".utf8) + formatDouble(d)
        case .bigNumber(let digits):
            out += Array("(big number) \(digits)".utf8)
        case .bulk(let bytes):
            out += quoted(bytes)
        case .verbatim(_, let text):
            out += text
        case .null:
            out += Array("(nil)".utf8)
        case .bool(let b):
            out += Array((b ? "(true)" : "(false)").utf8)
        case .attribute(_, let inner):
            appendStandard(inner, prefix: prefix, to: &out)
            return
        case .array(let items):
            appendList(items, separator: UInt8(ascii: ")"), empty: "(empty array)", prefix: prefix, to: &out)
            return
        case .push(let items):
            appendList(items, separator: UInt8(ascii: ")"), empty: "(empty push)", prefix: prefix, to: &out)
            return
        case .set(let items):
            appendList(items, separator: UInt8(ascii: "~"), empty: "(empty set)", prefix: prefix, to: &out)
            return
        case .map(let pairs):
            appendMap(pairs, prefix: prefix, to: &out)
            return
        }
        out.append(0x0a)
    }

    /// Rule 2 for arrays, sets and pushes.
    private static func appendList(_ items: [RESPValue], separator: UInt8, empty: String,
                                   prefix: Bytes, to out: inout Bytes) {
        guard !items.isEmpty else {
            out += Array(empty.utf8) + [0x0a]
            return
        }
        let width = String(items.count).utf8.count
        let childPrefix = prefix + Bytes(repeating: 0x20, count: width + 2)
        for (i, item) in items.enumerated() {
            appendIndex(i + 1, width: width, separator: separator, prefix: i == 0 ? [] : prefix, to: &out)
            appendStandard(item, prefix: childPrefix, to: &out)
        }
    }

    /// Rules 2 and 3 for maps: "1# key => value".
    private static func appendMap(_ pairs: [RESPPair], prefix: Bytes, to out: inout Bytes) {
        guard !pairs.isEmpty else {
            out += Array("(empty hash)\n".utf8)
            return
        }
        let width = String(pairs.count).utf8.count
        let childPrefix = prefix + Bytes(repeating: 0x20, count: width + 2)
        for (i, pair) in pairs.enumerated() {
            appendIndex(i + 1, width: width, separator: UInt8(ascii: "#"), prefix: i == 0 ? [] : prefix, to: &out)
            appendStandard(pair.key, prefix: childPrefix, to: &out)
            out.removeLast()  // the key's newline
            out += Array(" => ".utf8)
            if isMultiline(pair.value) {
                out.append(0x0a)
                out += childPrefix
            }
            appendStandard(pair.value, prefix: childPrefix, to: &out)
        }
    }

    /// "<prefix><index right-aligned to width><separator> ".
    private static func appendIndex(_ index: Int, width: Int, separator: UInt8, prefix: Bytes, to out: inout Bytes) {
        let digits = Array(String(index).utf8)
        out += prefix
        out += Bytes(repeating: 0x20, count: max(0, width - digits.count))
        out += digits
        out += [separator, 0x20]
    }

    /// True when the standard rendering of `value` takes more than one line.
    static func isMultiline(_ value: RESPValue) -> Bool {
        switch value {
        case .array(let items), .set(let items), .push(let items):
            if items.count > 1 { return true }
            return items.first.map(isMultiline) ?? false
        case .map(let pairs):
            if pairs.count > 1 { return true }
            return pairs.first.map { isMultiline($0.value) } ?? false
        case .attribute(_, let inner):
            return isMultiline(inner)
        default:
            return false
        }
    }

    // MARK: - Raw

    private static func appendRaw(_ value: RESPValue, delimiter: Bytes, to out: inout Bytes) {
        switch value {
        case .null:
            break
        case .error(let text):
            out += Array(text.utf8) + [0x0a]
        case .simple(let text):
            out += Array(text.utf8)
        case .bulk(let bytes):
            out += bytes
        case .verbatim(_, let text):
            out += text
        case .bool(let b):
            out += Array((b ? "(true)" : "(false)").utf8)
        case .integer(let n):
            out += Array(String(n).utf8)
        case .double(let d):
            out += formatDouble(d)
        case .bigNumber(let digits):
            out += Array(digits.utf8)
        case .attribute(_, let inner):
            appendRaw(inner, delimiter: delimiter, to: &out)
        case .array(let items), .set(let items), .push(let items):
            for (i, item) in items.enumerated() {
                if i > 0 { out += delimiter }
                appendRaw(item, delimiter: delimiter, to: &out)
            }
        case .map(let pairs):
            for (i, pair) in pairs.enumerated() {
                if i > 0 { out += delimiter }
                appendRaw(pair.key, delimiter: delimiter, to: &out)
                out.append(0x20)
                appendRaw(pair.value, delimiter: delimiter, to: &out)
            }
        }
    }

    /// `bytes` up to the first NUL, as C's "%s" prints a reply's text.
    private static func cString(_ bytes: Bytes) -> Bytes {
        guard let nul = bytes.firstIndex(of: 0) else { return bytes }
        return Array(bytes[..<nul])
    }
}
