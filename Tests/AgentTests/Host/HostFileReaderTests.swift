import Testing
@testable import StewardAgent

@Suite struct HostFileReaderTests {
    @Test(arguments: [
        ("/", "/proc/stat", "/proc/stat"),
        ("/tmp/fx", "/proc/stat", "/tmp/fx/proc/stat"),
        ("/tmp/fx///", "/proc/stat", "/tmp/fx/proc/stat"),
        ("/tmp/fx", "etc/os-release", "/tmp/fx/etc/os-release"),
    ])
    func resolvesPathsUnderRoot(root: String, path: String, expected: String) {
        #expect(HostFileReader(root: root).resolve(path) == expected)
    }

    @Test func missingFileIsNilOrUnreadable() throws {
        let fixture = try HostFixture()
        let reader = HostFileReader(root: fixture.root)
        #expect(try reader.readIfPresent("/proc/none") == nil)
        #expect(try reader.readIfPresent("/etc/os-release/not-a-dir") == nil)
        let error = #expect(throws: HostProbeError.self) { try reader.read("/proc/none") }
        #expect(error?.code == .unreadable)
    }

    @Test func refusesFilesLargerThanTheCap() throws {
        let fixture = try HostFixture()
        try fixture.write("/big", String(repeating: "x", count: 40_000))
        var reader = HostFileReader(root: fixture.root)
        reader.maximumBytes = 39_999
        let error = #expect(throws: HostProbeError.self) { try reader.read("/big") }
        #expect(error?.code == .tooLarge)
        reader.maximumBytes = 40_000
        #expect(try reader.read("/big").count == 40_000)
    }

    @Test func readsZeroSizedProcFilesToTheEnd() throws {
        // /proc files stat as size 0; a size-based reader would return nothing.
        let text = try HostFileReader(root: "/").read("/proc/self/status")
        #expect(text.contains("Pid:"))
    }
}
