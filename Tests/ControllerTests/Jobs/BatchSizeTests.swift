import Testing
@testable import StewardController

@Suite("Batch sizes")
struct BatchSizeTests {
    static let resolutions: [(String, Int, BatchSize, Int)] = [
        ("5", 10, .count(5), 5),
        ("5", 3, .count(5), 5),
        ("0", 10, .count(0), 0),
        ("25%", 10, .percent(25), 3),
        ("1%", 3, .percent(1), 1),
        ("1%", 0, .percent(1), 1),
        ("50%", 3, .percent(50), 2),
        ("100%", 7, .percent(100), 7),
        ("10%", 100, .percent(10), 10),
        ("10%", 101, .percent(10), 11),
    ]

    @Test(arguments: resolutions)
    func parsesAndResolvesAgainstTheTargetCount(text: String, total: Int, parsed: BatchSize, resolved: Int) throws {
        let batch = try BatchSize(parsing: text)
        #expect(batch == parsed)
        #expect(batch.resolve(total: total) == resolved)
        #expect(batch.description == text)
    }

    static let invalid: [(String, String)] = [
        ("0%", "not a percentage between 1% and 100%"),
        ("101%", "not a percentage between 1% and 100%"),
        ("-5%", "not a percentage between 1% and 100%"),
        ("%", "not a percentage between 1% and 100%"),
        ("x%", "not a percentage between 1% and 100%"),
        ("-1", "not a count or a percentage"),
        ("x", "not a count or a percentage"),
        ("", "not a count or a percentage"),
        ("5.5", "not a count or a percentage"),
        (" 5", "not a count or a percentage"),
        ("5 %", "not a percentage between 1% and 100%"),
        ("99999999999999999999", "not a count or a percentage"),
    ]

    @Test(arguments: invalid)
    func rejectsWhatIsNeitherACountNorAPercentage(text: String, reason: String) {
        #expect(throws: JobRequestError("'\(text)' is \(reason)")) {
            try BatchSize(parsing: text)
        }
    }
}
