import Foundation
import Testing
@testable import StewardController

@Suite("Steward IDs")
struct StewardIDTests {
    @Test func encodesTheULIDSpecExampleTimestamp() {
        let id = StewardID.encode(milliseconds: 1_469_918_176_385, random: 0)
        #expect(id == "01ARYZ6S410000000000000000")
        #expect(StewardID.encode(milliseconds: StewardID.maxMilliseconds, random: .max) == "7ZZZZZZZZZZZZZZZZZZZZZZZZZ")
    }

    @Test func makesValidIDsThatCarryTheirTime() throws {
        let now = Date(timeIntervalSince1970: 1_700_000_000.123)
        let id = StewardID.make(now: now)
        #expect(id.count == 26)
        #expect(StewardID.isValid(id))
        let time = try #require(StewardID.timestamp(of: id))
        #expect(time.databaseMilliseconds == 1_700_000_000_123)
    }

    @Test func idsMadeInOneMillisecondAreStrictlyIncreasing() {
        let generator = StewardIDGenerator()
        let now = Date(timeIntervalSince1970: 1_700_000_000)
        let ids = (0..<1_000).map { _ in generator.make(now: now) }
        #expect(ids == ids.sorted())
        #expect(Set(ids).count == 1_000)
        #expect(Set(ids.map { $0.prefix(10) }).count == 1)
    }

    @Test func idsStayOrderedAcrossMillisecondsAndABackwardsClock() {
        let generator = StewardIDGenerator()
        let times = [1_000.0, 1_000.001, 999.0, 1_000.001, 1_002.5].map { Date(timeIntervalSince1970: 1_700_000_000 + $0) }
        let ids = times.map { generator.make(now: $0) }
        #expect(ids == ids.sorted())
        #expect(Set(ids).count == ids.count)
        #expect(StewardID.timestamp(of: ids[4])?.databaseMilliseconds == 1_700_001_002_500)
    }

    @Test func exhaustedRandomBitsBorrowTheNextMillisecond() {
        let generator = StewardIDGenerator(randomBits: { .max })
        let now = Date(timeIntervalSince1970: 1_700_000_000)
        let first = generator.make(now: now)
        let second = generator.make(now: now)
        #expect(first < second)
        #expect(first.hasSuffix("ZZZZZZZZZZZZZZZZ"))
        #expect(second.hasSuffix("0000000000000000"))
        #expect(StewardID.timestamp(of: second)?.databaseMilliseconds == 1_700_000_000_001)
    }

    @Test func sharedIDsAreIncreasingAcrossConcurrentCallers() async {
        let now = Date(timeIntervalSince1970: 1_700_000_000)
        let ids = await withTaskGroup(of: [String].self) { group in
            for _ in 0..<4 {
                group.addTask { (0..<250).map { _ in StewardID.make(now: now) } }
            }
            var all: [String] = []
            for await batch in group {
                #expect(batch == batch.sorted())
                all += batch
            }
            return all
        }
        #expect(Set(ids).count == 1_000)
    }

    @Test(arguments: [
        "", "01ARYZ6S41", "01ARYZ6S410000000000000000X", "01ARYZ6S41000000000000000I",
        "81ARYZ6S410000000000000000", "01aryz6s410000000000000000", "01ARYZ6S41000000000000000%",
    ])
    func rejectsMalformedIDs(text: String) {
        #expect(StewardID.isValid(text) == false)
        #expect(StewardID.timestamp(of: text) == nil)
    }

    @Test func clampsTimesOutsideTheULIDRange() {
        #expect(StewardIDGenerator.milliseconds(of: Date(timeIntervalSince1970: -5)) == 0)
        #expect(StewardIDGenerator.milliseconds(of: Date(timeIntervalSince1970: 1e15)) == StewardID.maxMilliseconds)
        #expect(StewardIDGenerator.milliseconds(of: Date(timeIntervalSince1970: .nan)) == 0)
    }
}
