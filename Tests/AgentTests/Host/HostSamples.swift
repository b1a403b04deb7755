/// Real-looking contents of the files the host collectors read (taken from Debian 12 machines).
enum HostSamples {
    static let statBefore = """
        cpu  1000 0 500 8000 100 0 0 0 0 0
        cpu0 500 0 250 4000 50 0 0 0 0 0
        cpu1 500 0 250 4000 50 0 0 0 0 0
        intr 1462731 0 9 0 0 0 0 0 0 0 0
        ctxt 2707519
        btime 1700000000
        processes 5125
        procs_running 2
        procs_blocked 0
        softirq 498122 1 139857 18 13402 21375 0 3427 187305 0 132737

        """

    /// 1000 ticks after `statBefore`: user 300 + nice 100, system 150 + irq 5 + softirq 5, idle 400,
    /// iowait 40, so user 40%, system 16%, iowait 4%, idle 40%, busy 56%.
    static let statAfter = """
        cpu  1300 100 650 8400 140 5 5 0 0 0
        cpu0 650 50 325 4200 70 3 2 0 0 0
        cpu1 650 50 325 4200 70 2 3 0 0 0
        intr 1472731 0 9 0 0 0 0 0 0 0 0
        ctxt 2717519

        """

    static let loadavg = "0.52 0.40 0.33 2/345 67890\n"

    static let uptime = "350735.47 623920.32\n"

    /// Used = (16316412 - 9823660) KiB = 6648578048 B; swap used = 524288 KiB = 536870912 B.
    static let meminfo = """
        MemTotal:       16316412 kB
        MemFree:         2046508 kB
        MemAvailable:    9823660 kB
        Buffers:          412344 kB
        Cached:          7012220 kB
        SwapCached:            0 kB
        Active:          6712340 kB
        Inactive:        5220044 kB
        SwapTotal:       2097148 kB
        SwapFree:        1572860 kB
        Dirty:               420 kB
        HugePages_Total:       0
        HugePages_Free:        0
        Hugepagesize:       2048 kB

        """

    static let mounts = """
        sysfs /sys sysfs rw,nosuid,nodev,noexec,relatime 0 0
        proc /proc proc rw,nosuid,nodev,noexec,relatime 0 0
        udev /dev devtmpfs rw,nosuid,relatime,size=8123456k,nr_inodes=2030864,mode=755 0 0
        devpts /dev/pts devpts rw,nosuid,noexec,relatime,gid=5,mode=620,ptmxmode=000 0 0
        tmpfs /run tmpfs rw,nosuid,nodev,noexec,relatime,size=1631644k,mode=755 0 0
        /dev/vda1 / ext4 rw,relatime,errors=remount-ro 0 0
        securityfs /sys/kernel/security securityfs rw,nosuid,nodev,noexec,relatime 0 0
        cgroup2 /sys/fs/cgroup cgroup2 rw,nosuid,nodev,noexec,relatime,nsdelegate 0 0
        cgroup /sys/fs/cgroup/cpu cgroup rw,relatime,cpu 0 0
        /dev/vda15 /boot/efi vfat rw,relatime,fmask=0022,dmask=0022 0 0
        /dev/vdb1 /var/lib/data xfs rw,relatime,attr2,inode64 0 0
        /dev/loop0 /snap/core20/2105 squashfs ro,nodev,relatime 0 0
        overlay /var/lib/docker/overlay2/abc/merged overlay rw,relatime,lowerdir=/l,upperdir=/u,workdir=/w 0 0
        /dev/vdc1 /srv/backup\\040disk ext4 rw,relatime 0 0
        /dev/vdb1 /var/lib/data xfs rw,relatime,attr2,inode64 0 0

        """

    static let netDev = """
        Inter-|   Receive                                                |  Transmit
         face |bytes    packets errs drop fifo frame compressed multicast|bytes    packets errs drop fifo colls carrier compressed
            lo:  123456     789    0    0    0     0          0         0   123456     789    0    0    0     0       0          0
          eth0: 987654321 654321   3    1    0     0          0        12 123456789 345678    2    0    0     0       0          0
        docker0:       0       0    0    0    0     0          0         0     1234      12    0    0    0     0       0          0

        """

    static let cpuinfo = """
        processor\t: 0
        vendor_id\t: GenuineIntel
        model name\t: Intel(R) Xeon(R) CPU @ 2.20GHz
        flags\t\t: fpu vme de pse

        processor\t: 1
        vendor_id\t: GenuineIntel
        model name\t: Intel(R) Xeon(R) CPU @ 2.20GHz
        flags\t\t: fpu vme de pse

        processor\t: 2
        vendor_id\t: GenuineIntel

        processor\t: 3
        vendor_id\t: GenuineIntel

        """

    static let osRelease = """
        PRETTY_NAME="Debian GNU/Linux 12 (bookworm)"
        NAME="Debian GNU/Linux"
        VERSION_ID="12"
        VERSION="12 (bookworm)"
        VERSION_CODENAME=bookworm
        ID=debian
        HOME_URL="https://www.debian.org/"

        """
}
