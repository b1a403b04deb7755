import StewardProtocol

/// The agent's private state (`--state-dir`, default /var/lib/steward-agent): identity, `agent.json`,
/// the result spool and the replay cache. Directories are 0700 and files 0600.
public struct AgentStateDirectory: Sendable, Hashable {
    public static let defaultPath = "/var/lib/steward-agent"

    public let path: String

    public init(path: String = AgentStateDirectory.defaultPath) {
        // A trailing slash would double up in every joined path.
        var trimmed = path
        while trimmed.count > 1, trimmed.hasSuffix("/") { trimmed.removeLast() }
        self.path = trimmed
    }

    public var identityDirectory: String { path + "/identity" }
    /// The agent's P-256 private key; never leaves the host.
    public var privateKeyPath: String { identityDirectory + "/agent-key.pem" }
    /// The agent certificate (DER) issued by the controller CA.
    public var certificatePath: String { identityDirectory + "/agent-cert.der" }
    /// The controller CA certificate (DER): the only root the agent trusts.
    public var caCertificatePath: String { identityDirectory + "/ca-cert.der" }
    /// The controller's raw Ed25519 job-signing public key (32 bytes).
    public var jobSigningKeyPath: String { identityDirectory + "/job-signing-key.pub" }
    public var recordPath: String { path + "/agent.json" }
    public var spoolDirectory: String { path + "/spool" }
    public var replayCachePath: String { path + "/replay-cache" }

    /// Creates the directories (0700), tightening them if they were more open.
    public func prepare() throws {
        try SecureFile.ensurePrivateDirectory(path)
        try SecureFile.ensurePrivateDirectory(identityDirectory)
        try SecureFile.ensurePrivateDirectory(spoolDirectory)
    }

    /// True once enrollment stored both the record and the certificate.
    public var isEnrolled: Bool {
        SecureFile.exists(recordPath) && SecureFile.exists(certificatePath)
    }

    public func saveRecord(_ record: AgentRecord) throws {
        try SecureFile.write(try record.encoded(), to: recordPath)
    }

    public func loadRecord() throws -> AgentRecord {
        let bytes = try readState(recordPath, what: "agent record")
        do {
            return try AgentRecord.decode(bytes)
        } catch {
            throw AgentRuntimeError(.corruptState, "\(recordPath) is not a valid agent record: \(error)")
        }
    }

    /// Reads a state file, turning "missing" into `notEnrolled` so the CLI says what to do.
    func readState(_ path: String, what: String) throws -> [UInt8] {
        do {
            return try SecureFile.read(path)
        } catch let error as SecureFileError where error.code == .notFound {
            throw AgentRuntimeError(.notEnrolled, "no \(what) at \(path): run `steward-agent enroll` first")
        } catch {
            throw AgentRuntimeError(.corruptState, "cannot read the \(what) at \(path): \(error)")
        }
    }
}
