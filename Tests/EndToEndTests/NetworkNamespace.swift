import Foundation
import Testing

/// A network namespace joined to the root one by a veth pair, so that agents inside reach a controller
/// outside over a link the test can cut: the controller listens on `hostAddress`, agents start through
/// `launcher` and dial it from `peerAddress`.
///
/// `cut()` black-holes the link silently, as a firewall dropping packets on a routed path does: each end's
/// neighbour entry for the other (permanent, so no ARP is ever needed) is pointed at a MAC address nobody
/// has, so every frame still leaves its sender and is thrown away by the receiving IP stack as meant for
/// another host. Neither side sees an error, a reset or a link going down. (Dropping in a local queue, e.g.
/// `pfifo limit 0`, is not silent: the sending TCP hears of each drop and gives up within about 20 s.)
final class NetworkNamespace: @unchecked Sendable {
    static let ip = RootSuites.tool(["/usr/sbin/ip", "/sbin/ip", "/usr/bin/ip", "/bin/ip"])
    static let cat = RootSuites.tool(["/usr/bin/cat", "/bin/cat"]) ?? "cat"
    static var usable: Bool { RootSuites.isRoot && ip != nil }
    static let skipNote: Comment =
        "needs root and iproute2 (ip) for network namespaces; set STEWARD_REQUIRE_ROOT_SUITES=1 to fail instead of skipping"

    static func requireUsable() throws {
        guard usable else {
            throw HarnessError("STEWARD_REQUIRE_ROOT_SUITES=1 but network namespaces are out of reach: root \(RootSuites.isRoot), ip \(ip ?? "missing")")
        }
    }

    /// Names start with this and the test process's pid, so a later run can sweep what a killed one left.
    static let prefix = "stwp-"

    let name: String
    let hostInterface: String
    let peerInterface: String
    let hostAddress: String
    let peerAddress: String
    private let ip: String
    private var hostMAC = ""
    private var peerMAC = ""

    private init(name: String, tag: String, subnet: (Int, Int), ip: String) {
        self.name = name
        hostInterface = "stwp\(tag)h"
        peerInterface = "stwp\(tag)a"
        hostAddress = "10.77.\(subnet.0).\(subnet.1 + 1)"
        peerAddress = "10.77.\(subnet.0).\(subnet.1 + 2)"
        self.ip = ip
    }

    /// `ip netns exec NAME`: runs a command inside (it execs in place, so the pid is the command's).
    var launcher: [String] { [ip] + inside([]) }

    /// `ip` arguments that run `command` inside the namespace.
    private func inside(_ command: [String]) -> [String] { ["netns", "exec", name] + command }

    /// A fresh namespace with its own /30 in 10.77.0.0/16, not used by any interface of the root namespace.
    static func create() async throws -> NetworkNamespace {
        try requireUsable()
        guard let ip else { throw HarnessError("ip is missing") }
        await sweepAbandoned(ip: ip)
        let tag = String(UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased().prefix(6))
        let name = "\(prefix)\(getpid())-\(tag)"
        let used = try await RootSuites.run(ip, ["-o", "-4", "addr", "show"])
        var subnet = (Int.random(in: 0...255), 4 * Int.random(in: 0...63))
        while (0..<4).contains(where: { used.contains("10.77.\(subnet.0).\(subnet.1 + $0)/") }) {
            subnet = (Int.random(in: 0...255), 4 * Int.random(in: 0...63))
        }
        let network = NetworkNamespace(name: name, tag: tag, subnet: subnet, ip: ip)
        do {
            try await network.build()
        } catch {
            await network.remove()
            throw error
        }
        return network
    }

    private func build() async throws {
        try await RootSuites.run(ip, ["netns", "add", name])
        try await RootSuites.run(ip, ["link", "add", hostInterface, "type", "veth", "peer", "name", peerInterface])
        try await RootSuites.run(ip, ["link", "set", peerInterface, "netns", name])
        try await RootSuites.run(ip, ["addr", "add", "\(hostAddress)/30", "dev", hostInterface])
        try await RootSuites.run(ip, ["link", "set", hostInterface, "up"])
        try await RootSuites.run(ip, inside([ip, "addr", "add", "\(peerAddress)/30", "dev", peerInterface]))
        try await RootSuites.run(ip, inside([ip, "link", "set", peerInterface, "up"]))
        try await RootSuites.run(ip, inside([ip, "link", "set", "lo", "up"]))
        hostMAC = try await mac(of: hostInterface, namespace: nil)
        peerMAC = try await mac(of: peerInterface, namespace: name)
        try await pointNeighbours(hostSees: peerMAC, peerSees: hostMAC)
    }

    /// A locally administered unicast address that no interface here has.
    static let nowhere = "02:00:00:00:00:01"

    /// From now on every frame in both directions is dropped by its receiver, silently.
    func cut() async throws {
        try await pointNeighbours(hostSees: Self.nowhere, peerSees: Self.nowhere)
    }

    func heal() async throws {
        try await pointNeighbours(hostSees: peerMAC, peerSees: hostMAC)
    }

    private func pointNeighbours(hostSees: String, peerSees: String) async throws {
        try await RootSuites.run(ip, ["neigh", "replace", peerAddress, "lladdr", hostSees, "dev", hostInterface, "nud", "permanent"])
        try await RootSuites.run(ip, ["-n", name, "neigh", "replace", hostAddress, "lladdr", peerSees, "dev", peerInterface, "nud", "permanent"])
    }

    private func mac(of interface: String, namespace: String?) async throws -> String {
        let output = try await RootSuites.run(ip, (namespace.map { ["-n", $0] } ?? []) + ["-o", "link", "show", "dev", interface])
        guard let mac = output.firstMatch(of: /link\/ether ([0-9a-f:]{17})/)?.1 else { throw HarnessError("no MAC address for \(interface) in: \(output)") }
        return String(mac)
    }

    /// Packets each end has sent so far (host end, peer end): during a cut, what went into the black hole.
    func sentPackets() async throws -> (host: Int, peer: Int) {
        func sent(_ output: String) throws -> Int {
            guard let count = Int(output.trimmingCharacters(in: .whitespacesAndNewlines)) else { throw HarnessError("not a count: \(output)") }
            return count
        }
        let host = try sent(try String(contentsOfFile: "/sys/class/net/\(hostInterface)/statistics/tx_packets", encoding: .utf8))
        let peer = try sent(try await RootSuites.run(ip, inside([Self.cat, "/sys/class/net/\(peerInterface)/statistics/tx_packets"])))
        return (host, peer)
    }

    /// Kills whatever still runs inside, then deletes the namespace (which takes the veth pair with it).
    func remove() async {
        await Self.remove(name, ip: ip)
        _ = try? await Harness.run(ip, ["link", "del", hostInterface], timeout: .seconds(10))
    }

    private static func remove(_ name: String, ip: String) async {
        if let pids = try? await Harness.run(ip, ["netns", "pids", name], timeout: .seconds(10)) {
            for pid in pids.stdout.split(separator: "\n").compactMap({ Int32($0) }) { kill(pid, SIGKILL) }
        }
        _ = try? await Harness.run(ip, ["netns", "del", name], timeout: .seconds(10))
    }

    /// Deletes namespaces that runs killed before their cleanup (their test process is gone) left behind.
    private static func sweepAbandoned(ip: String) async {
        guard let list = try? await Harness.run(ip, ["netns", "list"], timeout: .seconds(10)) else { return }
        for line in list.stdout.split(separator: "\n") {
            guard let name = line.split(separator: " ").first.map(String.init), name.hasPrefix(prefix),
                  let pid = name.dropFirst(prefix.count).split(separator: "-").first.flatMap({ Int32($0) }),
                  kill(pid, 0) != 0, errno == ESRCH
            else { continue }
            await remove(name, ip: ip)
        }
    }
}
