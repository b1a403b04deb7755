/// Chooses which mounts count as disks: real, space-holding filesystems, each mount point once.
struct MountFilter: Sendable {
    /// Virtual, memory-backed or read-only-image filesystems whose "usage" says nothing about disk space.
    /// squashfs (snaps, live images) is always 100% full by construction, so it would drown real alerts.
    /// overlay is kept: in containers it is the root filesystem and fills up like one.
    var ignoredTypes: Set<String> = [
        "proc", "sysfs", "tmpfs", "devtmpfs", "devpts", "ramfs", "squashfs", "iso9660",
        "securityfs", "pstore", "debugfs", "tracefs", "configfs", "fusectl", "mqueue", "hugetlbfs",
        "bpf", "autofs", "binfmt_misc", "rpc_pipefs", "nsfs", "efivarfs", "selinuxfs", "nfsd",
        "fuse.gvfsd-fuse", "fuse.portal", "fuse.lxcfs", "rootfs",
    ]
    /// Type prefixes ignored as families (cgroup, cgroup2).
    var ignoredTypePrefixes: [String] = ["cgroup"]

    func includes(_ entry: MountEntry) -> Bool {
        if ignoredTypes.contains(entry.fsType) { return false }
        return !ignoredTypePrefixes.contains { entry.fsType.hasPrefix($0) }
    }

    /// Filters `entries`, keeping the first position of each mount point but the last entry mounted
    /// there, because a later mount on the same path hides the earlier one.
    func select(_ entries: [MountEntry]) -> [MountEntry] {
        var order: [String] = []
        var visible: [String: MountEntry] = [:]
        for entry in entries {
            if visible[entry.mountPoint] == nil { order.append(entry.mountPoint) }
            visible[entry.mountPoint] = entry
        }
        return order.compactMap { point in
            guard let entry = visible[point], includes(entry) else { return nil }
            return entry
        }
    }
}
