import SwiftProtobuf

/// One protocol message: the payload of exactly one frame.
///
/// The generated `oneof` is already an enum of small message structs (the swift-nio-ssh shape),
/// so it is the message type; `Wire` gives the structs short names.
public typealias StewardMessage = Steward_V1_Envelope.OneOf_Message

/// Short names for the generated wire structs.
public enum Wire {
    public typealias Envelope = Steward_V1_Envelope
    public typealias EnrollRequest = Steward_V1_EnrollRequest
    public typealias EnrollResponse = Steward_V1_EnrollResponse
    public typealias Hello = Steward_V1_Hello
    public typealias Welcome = Steward_V1_Welcome
    public typealias Ping = Steward_V1_Ping
    public typealias Pong = Steward_V1_Pong
    public typealias Action = Steward_V1_Action
    public typealias ActionKind = Steward_V1_ActionKind
    public typealias ServiceOperation = Steward_V1_ServiceOperation
    public typealias JobSpec = Steward_V1_JobSpec
    public typealias JobOffer = Steward_V1_JobOffer
    public typealias JobAccepted = Steward_V1_JobAccepted
    public typealias JobRejected = Steward_V1_JobRejected
    public typealias OutputStream = Steward_V1_OutputStream
    public typealias Output = Steward_V1_Output
    public typealias OutputAck = Steward_V1_OutputAck
    public typealias JobStatus = Steward_V1_JobStatus
    public typealias JobResult = Steward_V1_JobResult
    public typealias ResultAck = Steward_V1_ResultAck
    public typealias Cancel = Steward_V1_Cancel
    public typealias FactsUpdate = Steward_V1_FactsUpdate
    public typealias RenewCertificate = Steward_V1_RenewCertificate
    public typealias CertificateRenewed = Steward_V1_CertificateRenewed
    public typealias GoAway = Steward_V1_GoAway
    public typealias ErrorMessage = Steward_V1_Error
    public typealias ErrorCode = Steward_V1_ErrorCode
}

extension Steward_V1_Envelope.OneOf_Message {
    /// A stable, human-readable name for logs and errors.
    public var name: String {
        switch self {
        case .enrollRequest: "EnrollRequest"
        case .enrollResponse: "EnrollResponse"
        case .hello: "Hello"
        case .welcome: "Welcome"
        case .ping: "Ping"
        case .pong: "Pong"
        case .jobOffer: "JobOffer"
        case .jobAccepted: "JobAccepted"
        case .jobRejected: "JobRejected"
        case .output: "Output"
        case .outputAck: "OutputAck"
        case .jobResult: "JobResult"
        case .resultAck: "ResultAck"
        case .cancel: "Cancel"
        case .factsUpdate: "FactsUpdate"
        case .renewCertificate: "RenewCertificate"
        case .certificateRenewed: "CertificateRenewed"
        case .goAway: "GoAway"
        case .error: "Error"
        }
    }

    /// Convenience for building an `Error` message.
    public static func error(_ code: Wire.ErrorCode, _ message: String) -> StewardMessage {
        var error = Wire.ErrorMessage()
        error.code = code
        error.message = message
        return .error(error)
    }

    /// Convenience for building a `GoAway` message.
    public static func goAway(reason: String, retryAfterMilliseconds: UInt32) -> StewardMessage {
        var goAway = Wire.GoAway()
        goAway.reason = reason
        goAway.retryAfterMs = retryAfterMilliseconds
        return .goAway(goAway)
    }
}
