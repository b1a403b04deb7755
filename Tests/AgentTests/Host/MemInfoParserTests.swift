import StewardProtocol
import Testing
@testable import StewardAgent

@Suite struct MemInfoParserTests {
    @Test func convertsKibibytesAndKeepsUnitlessCounts() throws {
        let info = try MemInfoParser.parse(HostSamples.meminfo)
        #expect(info["MemTotal"] == 16_316_412 * 1024)
        #expect(info["Hugepagesize"] == 2048 * 1024)
        #expect(info["HugePages_Total"] == 0)
        #expect(info["Nope"] == nil)
    }

    @Test func derivesUsedMemoryFromMemAvailable() throws {
        let usage = try MemInfoParser.parse(HostSamples.meminfo).memoryUsage()
        #expect(usage == MemoryUsage(
            totalBytes: 16_708_005_888,
            availableBytes: 10_059_427_840,
            usedBytes: 6_648_578_048,
            swapTotalBytes: 2_147_479_552,
            swapUsedBytes: 536_870_912))
    }

    @Test func estimatesAvailableOnKernelsWithoutMemAvailable() throws {
        let text = HostSamples.meminfo.split(separator: "\n").filter { !$0.hasPrefix("MemAvailable") }.joined(separator: "\n")
        let usage = try MemInfoParser.parse(text).memoryUsage()
        // MemFree + Buffers + Cached = 2046508 + 412344 + 7012220 KiB.
        #expect(usage.availableBytes == 9_698_377_728)
        #expect(usage.usedBytes == 16_708_005_888 - 9_698_377_728)
    }

    @Test func hostWithoutSwapReportsZeroSwap() throws {
        let usage = try MemInfoParser.parse("MemTotal: 1000 kB\nMemAvailable: 400 kB\n").memoryUsage()
        #expect(usage.swapTotalBytes == 0)
        #expect(usage.swapUsedBytes == 0)
        #expect(usage.usedBytes == 600 * 1024)
    }

    @Test func clampsAvailableAboveTotal() throws {
        // Seen on some container runtimes that fake MemTotal but not MemAvailable.
        let usage = try MemInfoParser.parse("MemTotal: 1000 kB\nMemAvailable: 5000 kB\nSwapTotal: 10 kB\nSwapFree: 20 kB\n").memoryUsage()
        #expect(usage.availableBytes == usage.totalBytes)
        #expect(usage.usedBytes == 0)
        #expect(usage.swapUsedBytes == 0)
    }

    @Test(arguments: [
        ("", HostProbeError.Code.empty),
        ("MemTotal 123 kB\n", .malformedLine),
        ("MemTotal:\n", .malformedLine),
        ("MemTotal: 123 kB extra\n", .malformedLine),
        ("MemTotal: 123 MB\n", .malformedLine),
        ("MemTotal: lots kB\n", .invalidNumber),
        ("MemTotal: 18446744073709551615 kB\n", .invalidNumber),
        (": 123 kB\n", .malformedLine),
    ])
    func rejectsMalformedMeminfo(input: String, code: HostProbeError.Code) {
        let error = #expect(throws: HostProbeError.self) { try MemInfoParser.parse(input) }
        #expect(error?.code == code)
    }

    @Test(arguments: ["MemFree: 100 kB\n", "MemTotal: 0 kB\nMemAvailable: 0 kB\n", "MemTotal: 100 kB\n"])
    func usageRequiresTotalAndAvailableOrFree(input: String) throws {
        let info = try MemInfoParser.parse(input)
        let error = #expect(throws: HostProbeError.self) { try info.memoryUsage() }
        #expect(error?.code == .missingField)
    }
}
