/// A plain-ASCII table for CLI and chat output: a header, a dashed rule, and rows, with column
/// widths taken from the content.
///
/// Cells are sanitised (newlines and tabs become spaces, other control characters become "?") because
/// they often carry text reported by agents, which must not be able to break the layout or inject
/// terminal escape sequences. Widths count Characters, so East Asian wide characters and emoji
/// will misalign; host data is overwhelmingly ASCII.
public struct TextTable: Sendable {
    public enum Alignment: Sendable {
        case left
        case right
    }

    /// One column: title, alignment, and an optional cap beyond which cells are cut with "...".
    public struct Column: Sendable {
        public var title: String
        public var alignment: Alignment
        public var maxWidth: Int?

        public init(_ title: String, alignment: Alignment = .left, maxWidth: Int? = nil) {
            precondition(maxWidth.map { $0 > 0 } ?? true, "maxWidth must be positive")
            self.title = title
            self.alignment = alignment
            self.maxWidth = maxWidth
        }
    }

    /// Text placed between columns.
    public static let gutter = "  "

    public private(set) var columns: [Column]
    public private(set) var rows: [[String]] = []

    public init(columns: [Column]) {
        precondition(!columns.isEmpty, "a table needs at least one column")
        self.columns = columns
    }

    /// Adds a row; it must have exactly one cell per column.
    public mutating func append(_ row: [String]) {
        precondition(row.count == columns.count, "row has \(row.count) cells for \(columns.count) columns")
        rows.append(row.enumerated().map { index, cell in Self.fit(cell, maxWidth: columns[index].maxWidth) })
    }

    /// The table as lines joined by "\n", without trailing spaces and without a final newline.
    public func render() -> String {
        let titles = columns.map { Self.fit($0.title, maxWidth: nil) }
        var widths = titles.map(\.count)
        for row in rows {
            for (index, cell) in row.enumerated() {
                widths[index] = max(widths[index], cell.count)
            }
        }
        var lines = [line(titles, widths: widths)]
        lines.append(widths.map { String(repeating: "-", count: $0) }.joined(separator: Self.gutter))
        lines.append(contentsOf: rows.map { line($0, widths: widths) })
        return lines.joined(separator: "\n")
    }

    private func line(_ cells: [String], widths: [Int]) -> String {
        var text = ""
        for (index, cell) in cells.enumerated() {
            if index > 0 { text += Self.gutter }
            let padding = String(repeating: " ", count: widths[index] - cell.count)
            switch columns[index].alignment {
            case .left: text += cell + padding
            case .right: text += padding + cell
            }
        }
        while text.last == " " { text.removeLast() }
        return text
    }

    /// Sanitises a cell and cuts it to `maxWidth` characters.
    static func fit(_ cell: String, maxWidth: Int?) -> String {
        var clean = ""
        for scalar in cell.unicodeScalars {
            switch scalar.value {
            case 0x09, 0x0A, 0x0B, 0x0C, 0x0D: clean.unicodeScalars.append(" ")
            case 0x00..<0x20, 0x7F...0x9F: clean.unicodeScalars.append("?")
            default: clean.unicodeScalars.append(scalar)
            }
        }
        guard let maxWidth, clean.count > maxWidth else { return clean }
        guard maxWidth > 3 else { return String(clean.prefix(maxWidth)) }
        return String(clean.prefix(maxWidth - 3)) + "..."
    }
}
