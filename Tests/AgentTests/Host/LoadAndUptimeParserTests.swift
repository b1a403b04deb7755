import Testing
@testable import StewardAgent

@Suite struct LoadAndUptimeParserTests {
    @Test func readsThreeLoadAverages() throws {
        let load = try LoadAvgParser.parse(HostSamples.loadavg)
        #expect(load == LoadAverage(one: 0.52, five: 0.40, fifteen: 0.33))
    }

    @Test(arguments: [
        ("", HostProbeError.Code.empty),
        ("\n\n", .empty),
        ("0.52 0.40\n", .malformedLine),
        ("0.52 abc 0.33 1/2 3\n", .invalidNumber),
        ("-1.0 0.40 0.33 1/2 3\n", .invalidNumber),
        ("nan 0.40 0.33 1/2 3\n", .invalidNumber),
        ("inf 0.40 0.33 1/2 3\n", .invalidNumber),
    ])
    func rejectsMalformedLoadavg(input: String, code: HostProbeError.Code) {
        let error = #expect(throws: HostProbeError.self) { try LoadAvgParser.parse(input) }
        #expect(error?.code == code)
    }

    @Test func readsUptimeSeconds() throws {
        #expect(try UptimeParser.parse(HostSamples.uptime) == 350_735.47)
    }

    @Test(arguments: [("", HostProbeError.Code.empty), ("up 5\n", .invalidNumber), ("-3.0 1.0\n", .invalidNumber)])
    func rejectsMalformedUptime(input: String, code: HostProbeError.Code) {
        let error = #expect(throws: HostProbeError.self) { try UptimeParser.parse(input) }
        #expect(error?.code == code)
    }

    @Test func countsProcessorsInCPUInfo() {
        #expect(CPUInfoParser.processorCount(HostSamples.cpuinfo) == 4)
        // s390x lists "processor 0: ..." lines; they are not counted so the caller falls back to sysconf.
        #expect(CPUInfoParser.processorCount("vendor_id : IBM/S390\nprocessor 0: version = FF\n") == 0)
        #expect(CPUInfoParser.processorCount("") == 0)
    }

    @Test func acceptsBootIDAndTrimsNewline() throws {
        #expect(try BootIDParser.parse("3f1c9a3e-8f0b-4b6e-9a51-2d8e7c4f5a10\n", source: "b") == "3f1c9a3e-8f0b-4b6e-9a51-2d8e7c4f5a10")
    }

    @Test(arguments: [
        ("", HostProbeError.Code.empty),
        ("  \n", .empty),
        ("two words\n", .malformedLine),
        ("id\u{1B}[31m\n", .malformedLine),
        (String(repeating: "a", count: 129), .malformedLine),
    ])
    func rejectsBadBootID(input: String, code: HostProbeError.Code) {
        let error = #expect(throws: HostProbeError.self) { try BootIDParser.parse(input, source: "b") }
        #expect(error?.code == code)
    }
}
