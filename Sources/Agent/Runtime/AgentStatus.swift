import StewardProtocol
import X509

/// What `steward-agent status` prints: enrollment, identity, certificate expiry and spool contents.
public struct AgentStatus: Sendable, Hashable, CustomStringConvertible {
    public var stateDirectory: String
    public var enrolled: Bool
    public var record: AgentRecord?
    /// Expiry of the agent certificate, milliseconds since the Unix epoch.
    public var certificateNotAfterMilliseconds: Int64?
    /// Results waiting for the controller's acknowledgement.
    public var spooledResults: [String]
    /// Spooled jobs without a result (running now, or to be reported lost/rebooted at start).
    public var unfinishedJobs: [String]
    /// Anything unreadable, one line each.
    public var problems: [String]
    /// When the status was taken, for the "days left" figure.
    public var nowMilliseconds: Int64

    /// Reads the state directory without changing anything in it.
    public static func read(stateDirectory: AgentStateDirectory, nowMilliseconds: Int64) -> AgentStatus {
        var status = AgentStatus(
            stateDirectory: stateDirectory.path, enrolled: stateDirectory.isEnrolled, record: nil,
            certificateNotAfterMilliseconds: nil, spooledResults: [], unfinishedJobs: [], problems: [],
            nowMilliseconds: nowMilliseconds)
        guard status.enrolled else { return status }
        do {
            status.record = try stateDirectory.loadRecord()
        } catch {
            status.problems.append("\(error)")
        }
        do {
            let der = try stateDirectory.readState(stateDirectory.certificatePath, what: "agent certificate")
            status.certificateNotAfterMilliseconds = CertificateRenewal.milliseconds(
                try CertificateRenewal.parse(der).notValidAfter)
        } catch {
            status.problems.append("\(error)")
        }
        let spool = ResultSpool(inspecting: stateDirectory.spoolDirectory)
        do {
            for id in try spool.jobIDs() {
                if case .finished? = try? spool.state(id) {
                    status.spooledResults.append(id.rawValue)
                } else {
                    status.unfinishedJobs.append(id.rawValue)
                }
            }
        } catch {
            status.problems.append("cannot read the spool: \(error)")
        }
        return status
    }

    public var description: String {
        var lines = ["state directory: \(stateDirectory)"]
        guard enrolled else {
            lines.append("enrolled:        no (run `steward-agent enroll --token stw1_... --name NAME`)")
            return lines.joined(separator: "\n")
        }
        lines.append("enrolled:        yes")
        if let record {
            lines.append("agent id:        \(record.agentID)")
            lines.append("name:            \(record.name)")
            lines.append("controller:      \(record.controller)")
            let labels = record.labels.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }
            lines.append("labels:          \(labels.isEmpty ? "(none)" : labels.joined(separator: ", "))")
        }
        if let notAfter = certificateNotAfterMilliseconds {
            let days = (notAfter - nowMilliseconds) / 86_400_000
            let state = notAfter <= nowMilliseconds ? "EXPIRED" : "\(days) days left"
            lines.append("certificate:     valid until \(UTCTimestamp.format(milliseconds: notAfter)) (\(state))")
        }
        lines.append("spooled results: \(Self.list(spooledResults))")
        lines.append("unfinished jobs: \(Self.list(unfinishedJobs))")
        for problem in problems {
            lines.append("problem:         \(problem)")
        }
        return lines.joined(separator: "\n")
    }

    private static func list(_ ids: [String]) -> String {
        guard !ids.isEmpty else { return "0" }
        let shown = ids.prefix(5).joined(separator: ", ")
        return "\(ids.count) (\(shown)\(ids.count > 5 ? ", ..." : ""))"
    }
}
