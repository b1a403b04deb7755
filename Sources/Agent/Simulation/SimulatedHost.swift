#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import StewardProtocol

/// The host a simulated agent pretends to be: canned facts and metrics, and a fixed reply for
/// every exec, so one process can stand in for thousands of agents without reading /proc or
/// spawning anything. Everything else (signature checks, spool, results) is the real agent's.
public struct SimulatedHost: Sendable, Hashable {
    public var name: String
    /// Stable per identity, so the controller sees no reboot when the simulator restarts.
    public var bootID: String
    /// What every exec prints on stdout (exit status 0), in how many chunks and how far apart.
    public var exec: SimulatedExec

    public var execReply: String { exec.reply }

    public init(name: String, bootID: String, execReply: String) {
        self.init(name: name, bootID: bootID, exec: SimulatedExec(reply: execReply))
    }

    public init(name: String, bootID: String, exec: SimulatedExec) {
        self.name = name
        self.bootID = bootID
        self.exec = exec
    }

    public var facts: HostFacts {
        HostFacts(
            hostname: name, osName: "Steward simulated host", kernel: "simulated", architecture: "x86_64",
            cpuCount: 2, memoryBytes: 4 << 30, ipAddresses: ["127.0.0.1"], bootID: bootID,
            agentVersion: StewardVersion.current)
    }

    public func metrics(nowMilliseconds: Int64) -> HostMetrics {
        HostMetrics(
            collectedAt: nowMilliseconds, uptimeSeconds: 3_600, load1: 0.1, load5: 0.1, load15: 0.1,
            cpu: CPUUsage(userPercent: 1, systemPercent: 1, iowaitPercent: 0, idlePercent: 98, busyPercent: 2),
            memory: MemoryUsage(totalBytes: 4 << 30, availableBytes: 3 << 30, usedBytes: 1 << 30, swapTotalBytes: 0, swapUsedBytes: 0),
            disks: [], network: [])
    }

    /// The toolkit the real `JobSupervisor` runs jobs with: exec streams the reply through the sink
    /// (so it takes the normal Output path, chunk by chunk) and ends with exit status 0.
    public func toolkit(now: @escaping @Sendable () -> Int64 = CommandRunner.Configuration.systemWallClockMillis) -> JobToolkit {
        let host = self
        return JobToolkit(
            runCommand: { spec, sink, _ in await host.exec.run(spec, sink: sink, now: now) },
            facts: { host.facts },
            metrics: { host.metrics(nowMilliseconds: now()) },
            bootID: { host.bootID },
            now: now)
    }

    /// Allows ping, facts, metrics and any exec (answered with the fixed reply); refuses service
    /// and reboot, which a simulated host cannot pretend to do honestly.
    public static let authorizer = JobAuthorizer { spec in
        switch spec.action.kind {
        case .ping: return .allow(.ping)
        case .facts: return .allow(.facts)
        case .metrics: return .allow(.metrics)
        case .exec: return .allow(.exec(CommandSpec(executable: spec.action.command, arguments: spec.action.arguments)))
        case .service, .reboot:
            return .deny(code: "simulated_host", reason: "a simulated agent does not manage services or reboot")
        case .unspecified, .UNRECOGNIZED:
            return .deny(
                code: JobAuthorizer.DenialCode.unsupportedAction, reason: "this agent does not know action \(spec.action.kind)")
        }
    }

    /// The `Hello` opening each session, from canned facts.
    func hello(supervisor: JobSupervisor) async -> Wire.Hello {
        var hello = Wire.Hello()
        hello.agentVersion = StewardVersion.current
        let inventory = await supervisor.inventory()
        hello.spooledJobIds = inventory.spooledJobIDs
        hello.activeJobIds = inventory.activeJobIDs
        hello.bootID = bootID
        hello.factsJson = (try? StructuredJSON.encode(facts)).map { Data($0) } ?? Data()
        return hello
    }
}
