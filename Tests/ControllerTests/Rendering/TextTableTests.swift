import Testing
@testable import StewardController

@Suite struct TextTableTests {
    @Test func alignsColumnsToWidestCellAndTrimsTrailingSpaces() {
        var table = TextTable(columns: [.init("NAME"), .init("SIZE", alignment: .right), .init("NOTE")])
        table.append(["a", "1", "x"])
        table.append(["long-name", "12345", ""])
        #expect(table.render() == """
            NAME        SIZE  NOTE
            ---------  -----  ----
            a              1  x
            long-name  12345
            """)
    }

    @Test func tableWithoutRowsHasHeaderAndRule() {
        let table = TextTable(columns: [.init("HOST"), .init("CPU%", alignment: .right)])
        #expect(table.render() == "HOST  CPU%\n----  ----")
    }

    @Test func neutralisesControlCharactersInCells() {
        var table = TextTable(columns: [.init("HOST")])
        table.append(["evil\u{1B}[2J\nname\tx\u{7F}\u{85}"])
        #expect(table.rows == [["evil?[2J name x??"]])
        #expect(!table.render().contains("\u{1B}"))
        #expect(table.render().split(separator: "\n").count == 3)
    }

    @Test(arguments: [
        ("abcdefghij", 6, "abc..."),
        ("abcdef", 6, "abcdef"),
        ("abcdef", 3, "abc"),
        ("ab", 1, "a"),
    ])
    func cutsCellsBeyondMaxWidth(cell: String, maxWidth: Int, expected: String) {
        var table = TextTable(columns: [.init("X", maxWidth: maxWidth)])
        table.append([cell])
        #expect(table.rows == [[expected]])
    }

    @Test func rightAlignedHeaderSitsOverNumbers() {
        var table = TextTable(columns: [.init("N", alignment: .right)])
        table.append(["1000"])
        #expect(table.render() == "   N\n----\n1000")
    }

    @Test func rowWithWrongCellCountIsAProgrammingError() async {
        await #expect(processExitsWith: .failure) {
            var table = TextTable(columns: [.init("A"), .init("B")])
            table.append(["only one"])
        }
    }
}
