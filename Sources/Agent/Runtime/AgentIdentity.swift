import StewardProtocol

/// The enrolled identity, read from the state directory when the agent starts.
///
/// The certificate itself is not kept here: it is re-read for every connection, so a renewed
/// certificate is used from the next connection on.
public struct AgentIdentity: Sendable {
    public var record: AgentRecord
    public var keyPair: AgentKeyPair
    public var caDER: [UInt8]
    /// The controller's raw Ed25519 job-signing public key.
    public var jobSigningKey: [UInt8]

    public init(record: AgentRecord, keyPair: AgentKeyPair, caDER: [UInt8], jobSigningKey: [UInt8]) {
        self.record = record
        self.keyPair = keyPair
        self.caDER = caDER
        self.jobSigningKey = jobSigningKey
    }

    public static func load(from state: AgentStateDirectory) throws -> AgentIdentity {
        guard state.isEnrolled else {
            throw AgentRuntimeError(.notEnrolled, "this agent is not enrolled (no identity in \(state.path)): run `steward-agent enroll --token ...` first")
        }
        let record = try state.loadRecord()
        let keyPair: AgentKeyPair
        do {
            keyPair = try AgentKeyPair.load(from: state.privateKeyPath)
        } catch {
            throw AgentRuntimeError(.corruptState, "cannot load the agent key \(state.privateKeyPath): \(error)")
        }
        return AgentIdentity(
            record: record,
            keyPair: keyPair,
            caDER: try state.readState(state.caCertificatePath, what: "CA certificate"),
            jobSigningKey: try state.readState(state.jobSigningKeyPath, what: "job-signing key"))
    }
}
