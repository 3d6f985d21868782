// KeyDecoder.swift — turns the bytes a terminal in raw mode sends into key
// presses for the line editor: UTF-8 characters, control keys (^A ^E ^K ^U
// ^W ^L ^T ^B ^F ^P ^N ^C ^D), and the VT100/xterm escape sequences for
// arrows, Home, End and Delete.
//
// Invariants: `feed` never fails; unknown escape sequences and invalid UTF-8
// are swallowed (reported as `.ignored`) so stray bytes cannot wedge input.

/// One key press.
public enum Key: Equatable, Sendable {
    case character(Unicode.Scalar)
    case enter, backspace, delete, tab
    case left, right, home, end, up, down
    /// ^C.
    case interrupt
    /// ^D.
    case endOfInput
    /// ^K: delete from the cursor to the end.
    case killToEnd
    /// ^U: delete the whole line.
    case killLine
    /// ^W: delete the word before the cursor.
    case deleteWord
    /// ^T: swap the characters around the cursor.
    case transpose
    /// ^L.
    case clearScreen
    case ignored
}

/// Incremental bytes-to-keys decoder.
public struct KeyDecoder: Sendable {
    private var pending: [UInt8] = []

    /// Creates an empty decoder.
    public init() {}

    /// Adds one byte; returns the key it completes, if any.
    public mutating func feed(_ byte: UInt8) -> Key? {
        if pending.isEmpty {
            switch byte {
            case 0x1b: pending = [byte]; return nil
            case 0x80...: pending = [byte]; return utf8Key()
            default: return controlOrCharacter(byte)
            }
        }
        pending.append(byte)
        return pending[0] == 0x1b ? escapeKey() : utf8Key()
    }

    private func controlOrCharacter(_ byte: UInt8) -> Key {
        switch byte {
        case 1: return .home
        case 2: return .left
        case 3: return .interrupt
        case 4: return .endOfInput
        case 5: return .end
        case 6: return .right
        case 8, 127: return .backspace
        case 9: return .tab
        case 10, 13: return .enter
        case 11: return .killToEnd
        case 12: return .clearScreen
        case 14: return .down
        case 16: return .up
        case 20: return .transpose
        case 21: return .killLine
        case 23: return .deleteWord
        case 0x20...0x7e: return .character(Unicode.Scalar(byte))
        default: return .ignored
        }
    }

    /// ESC [ A..D/H/F, ESC [ n ~, ESC O H/F.
    private mutating func escapeKey() -> Key? {
        guard pending.count >= 2 else { return nil }
        let kind = pending[1]
        guard kind == UInt8(ascii: "[") || kind == UInt8(ascii: "O") else {
            pending = []
            return .ignored
        }
        guard pending.count >= 3 else { return nil }
        let last = pending[pending.count - 1]
        if (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(last) || last == UInt8(ascii: ";") {
            if pending.count > 8 { pending = []; return .ignored }
            return nil
        }
        defer { pending = [] }
        switch (kind, last) {
        case (_, UInt8(ascii: "A")): return .up
        case (_, UInt8(ascii: "B")): return .down
        case (_, UInt8(ascii: "C")): return .right
        case (_, UInt8(ascii: "D")): return .left
        case (_, UInt8(ascii: "H")): return .home
        case (_, UInt8(ascii: "F")): return .end
        case (UInt8(ascii: "["), UInt8(ascii: "~")):
            switch pending.count == 4 ? pending[2] : 0 {
            case UInt8(ascii: "1"), UInt8(ascii: "7"): return .home
            case UInt8(ascii: "4"), UInt8(ascii: "8"): return .end
            case UInt8(ascii: "3"): return .delete
            default: return .ignored
            }
        default:
            return .ignored
        }
    }

    /// A multi-byte UTF-8 character, once all its bytes are in.
    private mutating func utf8Key() -> Key? {
        let lead = pending[0]
        let length: Int
        switch lead {
        case 0xc2...0xdf: length = 2
        case 0xe0...0xef: length = 3
        case 0xf0...0xf4: length = 4
        default: pending = []; return .ignored
        }
        if pending.count > 1 && pending[pending.count - 1] & 0xc0 != 0x80 {
            pending = []
            return .ignored
        }
        guard pending.count == length else { return nil }
        defer { pending = [] }
        var decoder = UTF8()
        var iterator = pending.makeIterator()
        if case .scalarValue(let scalar) = decoder.decode(&iterator) { return .character(scalar) }
        return .ignored
    }
}
