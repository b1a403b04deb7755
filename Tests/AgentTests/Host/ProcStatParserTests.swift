import Testing
@testable import StewardAgent

@Suite struct ProcStatParserTests {
    @Test func readsAggregateCPULineIgnoringPerCPULines() throws {
        let times = try ProcStatParser.parse(HostSamples.statAfter)
        #expect(times == CPUTimes(user: 1300, nice: 100, system: 650, idle: 8400, iowait: 140, irq: 5, softirq: 5, steal: 0))
        #expect(times.total == 10600)
    }

    @Test func acceptsOldKernelsWithOnlyFourCounters() throws {
        let times = try ProcStatParser.parse("cpu  10 20 30 40\n")
        #expect(times == CPUTimes(user: 10, nice: 20, system: 30, idle: 40, iowait: 0, irq: 0, softirq: 0, steal: 0))
    }

    @Test(arguments: [
        ("cpu0 1 2 3 4 5\nintr 1\n", HostProbeError.Code.missingField),
        ("", .missingField),
        ("cpu  1 2 3\n", .malformedLine),
        ("cpu  1 2 x 4 5\n", .invalidNumber),
        ("cpu  1 2 -3 4 5\n", .invalidNumber),
        ("cpu  1 2 3 99999999999999999999999 5\n", .invalidNumber),
    ])
    func rejectsMalformedStat(input: String, code: HostProbeError.Code) {
        let error = #expect(throws: HostProbeError.self) { try ProcStatParser.parse(input) }
        #expect(error?.code == code)
    }

    @Test func reportsLineNumberOfBadCPULine() {
        let error = #expect(throws: HostProbeError.self) {
            try ProcStatParser.parse("intr 1 2\nctxt 3\ncpu  1 2 oops 4\n", source: "/fixture/stat")
        }
        #expect(error?.line == 3)
        #expect(error?.source == "/fixture/stat")
    }
}

@Suite struct CPUUsageComputationTests {
    @Test func computesSharesFromTwoSamples() throws {
        let before = try ProcStatParser.parse(HostSamples.statBefore)
        let after = try ProcStatParser.parse(HostSamples.statAfter)
        let usage = after.usage(since: before)
        #expect(usage.userPercent == 40)
        #expect(usage.systemPercent == 16)
        #expect(usage.iowaitPercent == 4)
        #expect(usage.idlePercent == 40)
        #expect(usage.busyPercent == 56)
    }

    @Test func countsStealAsBusyButNotAsUserOrSystem() {
        let before = CPUTimes(user: 0, nice: 0, system: 0, idle: 0, iowait: 0, irq: 0, softirq: 0, steal: 0)
        let after = CPUTimes(user: 25, nice: 0, system: 0, idle: 50, iowait: 0, irq: 0, softirq: 0, steal: 25)
        let usage = after.usage(since: before)
        #expect(usage.userPercent == 25)
        #expect(usage.systemPercent == 0)
        #expect(usage.idlePercent == 50)
        #expect(usage.busyPercent == 50)
    }

    @Test func reportsIdleWhenNoTicksElapsed() throws {
        let sample = try ProcStatParser.parse(HostSamples.statBefore)
        let usage = sample.usage(since: sample)
        #expect(usage.idlePercent == 100)
        #expect(usage.busyPercent == 0)
        #expect(!usage.userPercent.isNaN)
    }

    @Test func counterGoingBackwardsCountsAsZeroInsteadOfWrapping() {
        // iowait decreases on NO_HZ kernels; a wrapped UInt64 delta would swamp every other share.
        let before = CPUTimes(user: 100, nice: 0, system: 0, idle: 100, iowait: 500, irq: 0, softirq: 0, steal: 0)
        let after = CPUTimes(user: 150, nice: 0, system: 0, idle: 150, iowait: 490, irq: 0, softirq: 0, steal: 0)
        let usage = after.usage(since: before)
        #expect(usage.iowaitPercent == 0)
        #expect(usage.userPercent == 50)
        #expect(usage.busyPercent == 50)
    }
}
