import StewardProtocol
import Testing
@testable import StewardController

/// The fixed reasons each entry point's errors map to, and registries that never share counts.
@Suite struct RejectionReasonTests {
    @Test(arguments: [
        (ProtocolError.Code.frameTooLarge, "frame_too_large"),
        (.truncatedFrame, "malformed_frame"),
        (.malformedMessage, "malformed_frame"),
        (.unknownMessage, "malformed_frame"),
        (.unauthenticated, "no_client_certificate"),
        (.unexpectedMessage, "unexpected_message"),
        (.versionMismatch, "version_mismatch"),
        (.handshakeTimeout, "handshake_timeout"),
        (.heartbeatTimeout, "heartbeat_timeout"),
    ])
    func mapsProtocolFaults(code: ProtocolError.Code, reason: String) {
        #expect(RejectionReason(closing: ProtocolError(code, "detail")).map(\.rawValue) == reason)
        #expect(RejectionReason(inbound: ProtocolError(code, "detail")).map(\.rawValue) == reason)
    }

    @Test func anAgentGivingUpIsNotARejection() {
        #expect(RejectionReason(closing: ProtocolError(.peerError, "shutting down")) == nil)
        #expect(RejectionReason(inbound: CancellationError()) == nil)
    }

    @Test(arguments: [
        (RequestSignature.Failure.missingSignature, "unsigned"),
        (.missingTimestamp, "unsigned"),
        (.malformedSignature, "bad_signature"),
        (.mismatch, "bad_signature"),
        (.stale(skew: 400), "stale_timestamp"),
    ])
    func mapsSignatureFailures(failure: RequestSignature.Failure, reason: String) {
        #expect(RejectionReason(failure).rawValue == reason)
    }

    @Test func mapsEnrollmentRefusals() {
        #expect(RejectionReason(enrollment: EnrollmentError(.badToken, "join token has expired")) == .badToken)
        #expect(RejectionReason(enrollment: EnrollmentError(.badName, "taken")) == .badName)
        #expect(RejectionReason(enrollment: EnrollmentError(.badCSR, "refused")) == .badCSR)
        #expect(RejectionReason(enrollment: CancellationError()) == .internalError)
    }

    @Test func twoControllersNeverShareCounts() {
        let first = ControllerMetrics(), second = ControllerMetrics()
        first.rejected(.api, .badToken)
        first.rejected(.api, .badToken)
        #expect(first.rejections(.api, .badToken) == 2)
        #expect(second.rejections(.api, .badToken) == 0)
    }
}
