// LineEditor.swift — the state of one line being typed at the prompt, with
// linenoise's keys: cursor movement, deletion, history recall (up/down keep
// each recalled line's edits until Enter, like linenoise), ^C to quit.
// Pure: keys in, actions out; TerminalLineReader does the terminal I/O.
//
// Invariants: 0 <= cursor <= buffer.count; `entries` is the history plus the
// line being typed as its last element; `index` points into `entries`.

/// What the terminal must do after a key.
public enum EditorAction: Equatable, Sendable {
    /// Redraw the line.
    case refresh
    /// The line is complete.
    case submit(String)
    /// ^C, or ^D on an empty line: stop reading (the prompt exits).
    case quit
    /// Clear the screen, then redraw.
    case clearScreen
    /// Nothing changed.
    case none
}

/// One line being edited.
public struct LineEditor: Sendable {
    /// The characters typed so far.
    public private(set) var buffer: [Unicode.Scalar] = []
    /// The cursor position in `buffer`.
    public private(set) var cursor = 0
    private var entries: [[Unicode.Scalar]]
    private var index: Int

    /// Starts an empty line; `history` is oldest first.
    public init(history: [String] = []) {
        entries = history.map { Array($0.unicodeScalars) } + [[]]
        index = entries.count - 1
    }

    /// The buffer as text.
    public var text: String {
        var s = String.UnicodeScalarView()
        s.append(contentsOf: buffer)
        return String(s)
    }

    /// Applies one key.
    public mutating func handle(_ key: Key) -> EditorAction {
        switch key {
        case .character(let c):
            buffer.insert(c, at: cursor)
            cursor += 1
        case .enter:
            return .submit(text)
        case .interrupt:
            return .quit
        case .endOfInput:
            if buffer.isEmpty { return .quit }
            guard cursor < buffer.count else { return .none }
            buffer.remove(at: cursor)
        case .backspace:
            guard cursor > 0 else { return .none }
            cursor -= 1
            buffer.remove(at: cursor)
        case .delete:
            guard cursor < buffer.count else { return .none }
            buffer.remove(at: cursor)
        case .left:
            guard cursor > 0 else { return .none }
            cursor -= 1
        case .right:
            guard cursor < buffer.count else { return .none }
            cursor += 1
        case .home:
            cursor = 0
        case .end:
            cursor = buffer.count
        case .up:
            return recall(index - 1)
        case .down:
            return recall(index + 1)
        case .killToEnd:
            buffer.removeSubrange(cursor...)
        case .killLine:
            buffer = []
            cursor = 0
        case .deleteWord:
            var start = cursor
            while start > 0 && buffer[start - 1] == " " { start -= 1 }
            while start > 0 && buffer[start - 1] != " " { start -= 1 }
            buffer.removeSubrange(start..<cursor)
            cursor = start
        case .transpose:
            guard cursor > 0 && cursor < buffer.count else { return .none }
            buffer.swapAt(cursor - 1, cursor)
            if cursor < buffer.count - 1 { cursor += 1 }
        case .clearScreen:
            return .clearScreen
        case .tab, .ignored:
            return .none
        }
        return .refresh
    }

    /// Moves to history entry `target`, keeping the edits of the current one.
    private mutating func recall(_ target: Int) -> EditorAction {
        guard target >= 0 && target < entries.count else { return .none }
        entries[index] = buffer
        index = target
        buffer = entries[index]
        cursor = buffer.count
        return .refresh
    }

    /// The bytes that redraw the line on a terminal `columns` wide, after
    /// `prompt` (linenoise's single-line refresh: when the line is wider than
    /// the terminal, it scrolls so the cursor stays visible).
    public func rendering(prompt: String, columns: Int) -> [UInt8] {
        let promptWidth = prompt.unicodeScalars.count
        var first = 0
        var position = cursor
        var visible = buffer.count
        while promptWidth + position >= columns && position > 0 {
            first += 1
            position -= 1
            visible -= 1
        }
        while promptWidth + visible > columns && visible > 0 { visible -= 1 }
        var s = "\r" + prompt
        s.unicodeScalars.append(contentsOf: buffer[first..<(first + visible)])
        s += "\u{1b}[0K\r"
        let column = promptWidth + position
        if column > 0 { s += "\u{1b}[\(column)C" }
        return Array(s.utf8)
    }
}
