import Testing
@testable import StewardController

@Suite struct ByteFormatTests {
    @Test(arguments: [
        (UInt64(0), "0B"),
        (1023, "1023B"),
        (1024, "1.0K"),
        (1536, "1.5K"),
        (10_239, "10K"),
        (10_240, "10K"),
        (1_048_575, "1.0M"),
        (536_870_912, "512M"),
        (1_288_490_189, "1.2G"),
        (16_708_005_888, "16G"),
        (1_099_511_627_776, "1.0T"),
        (5 << 60, "5.0E"),
        (UInt64.max, "16E"),
    ])
    func formatsBinaryUnits(bytes: UInt64, expected: String) {
        #expect(ByteFormat.human(bytes) == expected)
    }
}

@Suite struct DurationFormatTests {
    @Test(arguments: [
        (0.0, "0s"),
        (0.9, "0s"),
        (45, "45s"),
        (60, "1m"),
        (450, "7m30s"),
        (3_600, "1h"),
        (18_720, "5h12m"),
        (86_400, "1d"),
        (273_600, "3d4h"),
        (277_140, "3d4h"),
        (-1, "-"),
        (.nan, "-"),
        (.infinity, "-"),
        (1e300, "106751991167300d15h"),
    ])
    func formatsTwoMostSignificantUnits(seconds: Double, expected: String) {
        #expect(DurationFormat.short(seconds: seconds) == expected)
    }
}

@Suite struct DecimalFormatTests {
    @Test(arguments: [
        (12.345, 1, "12.3"),
        (0.125, 2, "0.13"),
        (0.4, 2, "0.40"),
        (56, 1, "56.0"),
        (0, 0, "0"),
        (7.4, 0, "7"),
        (3.14159, 4, "3.1416"),
        (-1.25, 1, "-1.3"),
        (-0.04, 1, "0.0"),
        (1e20, 1, "-"),
        (.nan, 2, "-"),
        (-.infinity, 2, "-"),
    ])
    func formatsFixedPoint(value: Double, digits: Int, expected: String) {
        #expect(DecimalFormat.fixed(value, fractionDigits: digits) == expected)
    }
}
