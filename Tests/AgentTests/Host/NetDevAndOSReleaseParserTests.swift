import StewardProtocol
import Testing
@testable import StewardAgent

@Suite struct NetDevParserTests {
    @Test func readsCountersAndSkipsLoopback() throws {
        let interfaces = try NetDevParser.parse(HostSamples.netDev)
        #expect(interfaces.map(\.name) == ["eth0", "docker0"])
        #expect(interfaces[0] == NetworkInterfaceCounters(
            name: "eth0", rxBytes: 987_654_321, txBytes: 123_456_789,
            rxPackets: 654_321, txPackets: 345_678, rxErrors: 3, txErrors: 2))
        #expect(interfaces[1].txBytes == 1234)
    }

    @Test func acceptsCountersGluedToTheColon() throws {
        // Large counters leave no space after the colon on older kernels.
        let interfaces = try NetDevParser.parse("  eth1:4294967296 10 0 0 0 0 0 0 20 2 0 0 0 0 0 0\n")
        #expect(interfaces.first?.rxBytes == 4_294_967_296)
        #expect(interfaces.first?.txBytes == 20)
    }

    @Test(arguments: [
        ("  eth0: 1 2 3\n", HostProbeError.Code.malformedLine),
        ("  : 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16\n", .malformedLine),
        ("  eth0: 1 2 3 4 5 6 7 8 x 10 11 12 13 14 15 16\n", .invalidNumber),
    ])
    func rejectsMalformedInterfaceLines(input: String, code: HostProbeError.Code) {
        let error = #expect(throws: HostProbeError.self) { try NetDevParser.parse(input) }
        #expect(error?.code == code)
    }
}

@Suite struct OSReleaseParserTests {
    @Test func prefersPrettyName() {
        let values = OSReleaseParser.parse(HostSamples.osRelease)
        #expect(values["VERSION_CODENAME"] == "bookworm")
        #expect(OSReleaseParser.displayName(values) == "Debian GNU/Linux 12 (bookworm)")
    }

    @Test func fallsBackToNameAndVersionThenLinux() {
        #expect(OSReleaseParser.displayName(OSReleaseParser.parse("NAME='Alpine Linux'\nVERSION=3.19\n")) == "Alpine Linux 3.19")
        #expect(OSReleaseParser.displayName(OSReleaseParser.parse("NAME=Gentoo\n")) == "Gentoo")
        #expect(OSReleaseParser.displayName(OSReleaseParser.parse("")) == "Linux")
    }

    @Test func handlesEscapesCommentsAndGarbage() {
        let values = OSReleaseParser.parse("""
            # a comment
            PRETTY_NAME="Say \\"hi\\" \\$HOME"
            not an assignment
            BAD KEY=x
            =novalue
            """)
        #expect(values["PRETTY_NAME"] == "Say \"hi\" $HOME")
        #expect(values.count == 1)
    }
}
