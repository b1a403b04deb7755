#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import Crypto
import NIOCore
import NIOSSL
import StewardProtocol

/// Builds client handlers that accept only a controller chaining to the pinned CA, and hands back
/// that CA so the agent can store it as its trust root for later sessions.
public struct EnrollmentTLS: Sendable {
    public let verifier: PinnedControllerVerifier
    public let context: NIOSSLContext
    let now: @Sendable () -> Date
    let onRejection: @Sendable (AgentIdentityError) -> Void

    init(
        verifier: PinnedControllerVerifier,
        context: NIOSSLContext,
        now: @escaping @Sendable () -> Date,
        onRejection: @escaping @Sendable (AgentIdentityError) -> Void
    ) {
        self.verifier = verifier
        self.context = context
        self.now = now
        self.onRejection = onRejection
    }

    /// A handler for one enrollment connection. Its custom verification replaces BoringSSL's:
    /// the handshake fails unless `PinnedControllerVerifier` accepts the presented chain.
    public func makeClientHandler() throws -> NIOSSLClientHandler {
        let verifier = self.verifier
        let now = self.now
        let onRejection = self.onRejection
        return try NIOSSLClientHandler(
            context: context,
            serverHostname: AgentTLS.serverHostname,
            customVerificationCallbackWithMetadata: { certificates, promise in
                do {
                    let chain = try certificates.map { try $0.toDERBytes() }
                    let caIndex = try verifier.verify(chain: chain, now: now())
                    // Report [leaf, CA] as the validated chain so the CA is readable afterwards.
                    let validated = ValidatedCertificateChain([certificates[0], certificates[caIndex]])
                    promise.succeed(.certificateVerified(VerificationMetadata(validated)))
                } catch let error as AgentIdentityError {
                    onRejection(error)
                    promise.succeed(.failed)
                } catch {
                    onRejection(AgentIdentityError(.malformedCertificate, "presented certificate unreadable: \(error)"))
                    promise.succeed(.failed)
                }
            }
        )
    }

    /// The pinned CA's DER from a finished handshake's validated chain
    /// (`channel.nioSSL_peerValidatedCertificateChain()`), or nil if the chain is not ours.
    public func pinnedCACertificateDER(from chain: ValidatedCertificateChain?) throws -> [UInt8]? {
        guard let chain, let last = chain.last else { return nil }
        let der = try last.toDERBytes()
        return ConstantTime.equals(Array(SHA256.hash(data: der)), verifier.pinnedCAFingerprint) ? der : nil
    }
}
