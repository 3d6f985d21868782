// JSONValue.swift — a tiny JSON writer whose objects keep their key order, so
// the JSON reads in the same order as the text view. Shared by the tools
// that print `--json` (sentinel status, vigil-drill).
//
// Invariants: pure; strings are escaped per RFC 8259 (quote, backslash,
// control characters as \uXXXX); non-finite doubles are written as null.

/// A JSON document.
public enum JSONValue: Equatable, Sendable {
    case object([(String, JSONValue)])
    case array([JSONValue])
    case string(String)
    case integer(Int64)
    case double(Double)
    case bool(Bool)
    case null

    /// `value` as a string, or null.
    public static func optional(_ value: String?) -> JSONValue { value.map(JSONValue.string) ?? .null }

    /// `value` as an integer, or null.
    public static func optional(_ value: Int64?) -> JSONValue { value.map(JSONValue.integer) ?? .null }

    /// An integer from an `Int`.
    public static func int(_ value: Int) -> JSONValue { .integer(Int64(value)) }

    /// The compact text.
    public var text: String {
        var out = ""
        write(to: &out, indent: nil)
        return out
    }

    /// The text indented by two spaces per level.
    public var prettyText: String {
        var out = ""
        write(to: &out, indent: "")
        return out
    }

    private func write(to out: inout String, indent: String?) {
        let inner = indent.map { $0 + "  " }
        let newline = indent == nil ? "" : "\n"
        switch self {
        case .object(let members):
            if members.isEmpty { out += "{}"; return }
            out += "{" + newline
            for (index, (key, value)) in members.enumerated() {
                if index > 0 { out += "," + newline }
                out += inner ?? ""
                writeString(key, to: &out)
                out += indent == nil ? ":" : ": "
                value.write(to: &out, indent: inner)
            }
            out += newline + (indent ?? "") + "}"
        case .array(let items):
            if items.isEmpty { out += "[]"; return }
            out += "[" + newline
            for (index, item) in items.enumerated() {
                if index > 0 { out += "," + newline }
                out += inner ?? ""
                item.write(to: &out, indent: inner)
            }
            out += newline + (indent ?? "") + "]"
        case .string(let text):
            writeString(text, to: &out)
        case .integer(let number):
            out += String(number)
        case .double(let number):
            out += number.isFinite ? String(number) : "null"
        case .bool(let flag):
            out += flag ? "true" : "false"
        case .null:
            out += "null"
        }
    }

    private func writeString(_ text: String, to out: inout String) {
        out += "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case _ where scalar.value < 0x20:
                let hex = String(scalar.value, radix: 16)
                out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default:
                out.unicodeScalars.append(scalar)
            }
        }
        out += "\""
    }

    public static func == (a: JSONValue, b: JSONValue) -> Bool { a.text == b.text }
}
