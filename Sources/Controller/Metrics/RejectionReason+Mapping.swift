import NIOSSL
import StewardProtocol

/// The rejection reason each entry point's own error maps to; nil for what is not a rejection.
extension RejectionReason {
    /// A fault that closed an agent connection, as the session state machine or the frame decoder reports it.
    /// Nil for an agent's own `Error` message, which is the agent giving up rather than us refusing it.
    init?(closing error: ProtocolError) {
        switch error.code {
        case .frameTooLarge: self = .frameTooLarge
        case .emptyFrame, .truncatedFrame, .malformedMessage, .unknownMessage: self = .malformedFrame
        case .unexpectedMessage: self = .unexpectedMessage
        case .unauthenticated: self = .noClientCertificate
        case .versionMismatch: self = .versionMismatch
        case .heartbeatTimeout: self = .heartbeatTimeout
        case .handshakeTimeout: self = .handshakeTimeout
        default: return nil
        }
    }

    /// What ended an agent connection's inbound stream: a TLS handshake failure or a framing fault. Nil for a
    /// peer that simply went away (EOF, a reset, an unclean TLS shutdown).
    init?(inbound error: any Error) {
        switch error {
        case let error as ProtocolError:
            self.init(closing: error)
        case let error as NIOSSLError:
            guard case .handshakeFailed(let failure) = error else { return nil }
            // BoringSSL names a client certificate that does not chain to our CA only in its error text.
            self = "\(failure)".contains("CERTIFICATE_VERIFY_FAILED") ? .unknownCA : .tlsHandshake
        default:
            return nil
        }
    }

    /// An enrollment the service refused.
    init(enrollment error: any Error) {
        switch (error as? EnrollmentError)?.code {
        case .badToken?: self = .badToken
        case .badName?: self = .badName
        case .badCSR?: self = .badCSR
        case .rateLimited?: self = .rateLimited
        default: self = .internalError
        }
    }

    /// A request signature (`RequestSignature`, Steward's v1 and Slack's v0) that did not verify.
    init(_ failure: RequestSignature.Failure) {
        switch failure {
        case .missingTimestamp, .missingSignature: self = .unsigned
        case .stale: self = .staleTimestamp
        case .missingSecret, .malformedTimestamp, .malformedSignature, .mismatch: self = .badSignature
        }
    }

    /// A Slack events request that failed its signature check.
    init(slack code: SlackError.Code) {
        switch code {
        case .missingHeader: self = .unsigned
        case .staleTimestamp: self = .staleTimestamp
        default: self = .badSignature
        }
    }

    /// A Feishu events request that failed its signature, decryption or verification-token check.
    init(feishu code: FeishuError.Code?) {
        switch code {
        case .missingHeader?: self = .unsigned
        case .staleTimestamp?: self = .staleTimestamp
        case .malformedHeader?, .signatureMismatch?: self = .badSignature
        case .tokenMismatch?: self = .badToken
        default: self = .unauthenticated
        }
    }
}
