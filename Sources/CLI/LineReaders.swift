// LineReaders.swift — where the prompt loop gets its lines:
//
//   - PlainLineReader: standard input read line by line. Used when stdin is
//     not a terminal (commands piped in; no prompt is printed, like
//     redis-cli) and on terminals linenoise does not drive (TERM=dumb,
//     cons25, emacs), where the prompt is printed and the kernel edits.
//   - TerminalLineReader: raw-mode editing with LineEditor (arrows, history).
//
// Invariants: a returned line has no "\n" and no trailing "\r"; nil means
// the input ended (EOF, or ^C / ^D at the editor), after which the terminal
// is back in its original mode.

import RESP

/// A source of typed lines.
protocol LineReader: AnyObject {
    /// The next line, or nil when input is over.
    func readLine(prompt: String) -> Bytes?
    /// Clears the screen (the prompt's `clear`).
    func clearScreen()
}

/// The terminal sequence that homes the cursor and clears the screen.
private let clearSequence: Bytes = Array("\u{1b}[H\u{1b}[2J".utf8)

/// Lines from standard input, optionally after printing the prompt.
final class PlainLineReader: LineReader {
    private let showsPrompt: Bool
    private let console: Console
    private var buffered = Bytes()
    private var start = 0
    private var atEnd = false

    init(showsPrompt: Bool, console: Console) {
        self.showsPrompt = showsPrompt
        self.console = console
    }

    func readLine(prompt: String) -> Bytes? {
        if showsPrompt { console.write(prompt) }
        console.flush()
        while true {
            if let newline = buffered[start...].firstIndex(of: 0x0a) {
                let line = Array(buffered[start..<newline])
                start = newline + 1
                return trimmed(line)
            }
            if atEnd {
                guard start < buffered.count else { return nil }
                let line = Array(buffered[start...])
                start = buffered.count
                return trimmed(line)
            }
            if start > 0 {
                buffered.removeFirst(start)
                start = 0
            }
            guard let chunk = Sys.read(0, max: 16 * 1024), !chunk.isEmpty else {
                atEnd = true
                continue
            }
            buffered += chunk
        }
    }

    func clearScreen() {
        console.write(clearSequence)
        console.flush()
    }

    private func trimmed(_ line: Bytes) -> Bytes {
        line.last == 0x0d ? Array(line.dropLast()) : line
    }
}

/// Raw-mode line editing on the terminal at stdin, echoing to stdout.
final class TerminalLineReader: LineReader {
    private let history: History
    private let console: Console
    private let fallback: PlainLineReader

    init(history: History, console: Console) {
        self.history = history
        self.console = console
        self.fallback = PlainLineReader(showsPrompt: true, console: console)
    }

    func readLine(prompt: String) -> Bytes? {
        console.flush()
        guard let saved = Sys.enableRawMode(0) else { return fallback.readLine(prompt: prompt) }
        let columns = Sys.terminalColumns(1) ?? 80
        var editor = LineEditor(history: history.entries)
        var decoder = KeyDecoder()
        Sys.writeAll(1, Array(prompt.utf8))
        var result: Bytes?
        // One byte per read: what follows Enter (a pasted second line) stays
        // in the terminal's queue for the next prompt.
        reading: while let bytes = Sys.read(0, max: 1), let byte = bytes.first {
            guard let key = decoder.feed(byte) else { continue }
            switch editor.handle(key) {
            case .refresh:
                Sys.writeAll(1, editor.rendering(prompt: prompt, columns: columns))
            case .clearScreen:
                Sys.writeAll(1, clearSequence + editor.rendering(prompt: prompt, columns: columns))
            case .submit(let line):
                result = Array(line.utf8)
                break reading
            case .quit:
                break reading
            case .none:
                break
            }
        }
        Sys.restoreMode(0, saved)
        Sys.writeAll(1, [0x0a])
        return result
    }

    func clearScreen() {
        console.write(clearSequence)
        console.flush()
    }
}
