import Testing
@testable import StewardAgent

@Suite struct MountsParserTests {
    @Test func parsesEveryLineAndDecodesOctalEscapes() throws {
        let entries = try MountsParser.parse(HostSamples.mounts)
        #expect(entries.count == 15)
        #expect(entries[5] == MountEntry(device: "/dev/vda1", mountPoint: "/", fsType: "ext4", options: "rw,relatime,errors=remount-ro"))
        #expect(entries[13].mountPoint == "/srv/backup disk")
    }

    @Test func leavesInvalidEscapesAlone() {
        #expect(MountsParser.unescape("/a\\9zz") == "/a\\9zz")
        #expect(MountsParser.unescape("/tab\\011x\\134y") == "/tab\tx\\y")
        #expect(MountsParser.unescape("/end\\04") == "/end\\04")
    }

    @Test(arguments: [
        "/dev/sda1 / ext4\n",
        "/dev/sda1\n",
        "/dev/sda1 relative/path ext4 rw 0 0\n",
    ])
    func rejectsMalformedMountLines(input: String) {
        let error = #expect(throws: HostProbeError.self) { try MountsParser.parse(input) }
        #expect(error?.code == .malformedLine)
        #expect(error?.line == 1)
    }

    @Test func filterKeepsRealFilesystemsOnceEach() throws {
        let selected = MountFilter().select(try MountsParser.parse(HostSamples.mounts))
        #expect(selected.map(\.mountPoint) == [
            "/", "/boot/efi", "/var/lib/data", "/var/lib/docker/overlay2/abc/merged", "/srv/backup disk",
        ])
        #expect(selected.map(\.fsType) == ["ext4", "vfat", "xfs", "overlay", "ext4"])
    }

    @Test func laterMountOnSamePathHidesEarlierOne() throws {
        // A tmpfs mounted over /tmp hides the disk-backed /tmp underneath, so neither is a disk to report.
        let entries = try MountsParser.parse("""
            /dev/sda2 /tmp ext4 rw 0 0
            /dev/sda1 / ext4 rw 0 0
            tmpfs /tmp tmpfs rw 0 0
            /dev/sdb1 /data ext4 rw 0 0
            /dev/sdc1 /data xfs rw 0 0
            """)
        let selected = MountFilter().select(entries)
        #expect(selected.map(\.mountPoint) == ["/", "/data"])
        #expect(selected.last?.device == "/dev/sdc1")
    }

    @Test(arguments: ["proc", "sysfs", "tmpfs", "devtmpfs", "cgroup", "cgroup2", "squashfs", "devpts", "mqueue"])
    func filterSkipsPseudoFilesystems(fsType: String) {
        #expect(!MountFilter().includes(MountEntry(device: "x", mountPoint: "/x", fsType: fsType, options: "rw")))
    }

    @Test(arguments: ["ext4", "xfs", "btrfs", "zfs", "overlay", "nfs4", "vfat"])
    func filterKeepsDiskFilesystems(fsType: String) {
        #expect(MountFilter().includes(MountEntry(device: "x", mountPoint: "/x", fsType: fsType, options: "rw")))
    }
}
