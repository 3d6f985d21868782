// TextTable.swift — left-aligned text columns separated by two spaces.
//
// Invariants: every column is as wide as its widest cell (counted in
// Characters); the last column is not padded, so lines carry no trailing
// blanks. Rows shorter than the header are padded with empty cells.

/// A header row plus data rows, rendered as aligned lines.
struct TextTable {
    /// Column titles.
    var header: [String]
    /// Data rows.
    var rows: [[String]] = []

    /// The lines of the table, each prefixed by `indent`.
    func lines(indent: String = "") -> [String] {
        let all = [header] + rows
        var widths = Array(repeating: 0, count: header.count)
        for row in all {
            for (column, cell) in row.prefix(header.count).enumerated() {
                widths[column] = max(widths[column], cell.count)
            }
        }
        return all.map { row in
            var line = indent
            for column in header.indices {
                let cell = column < row.count ? row[column] : ""
                if column == header.count - 1 {
                    line += cell
                } else {
                    line += cell + String(repeating: " ", count: widths[column] - cell.count + 2)
                }
            }
            while line.last == " " { line.removeLast() }
            return line
        }
    }
}
