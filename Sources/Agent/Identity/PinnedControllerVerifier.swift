#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import Crypto
import StewardProtocol
import X509

/// Decides whether the chain a controller presents during enrollment is the one the join token
/// pinned: no system trust store, no trust on first use.
public struct PinnedControllerVerifier: Sendable {
    /// More certificates than this in a presented chain is not our controller.
    public static let maxChainLength = 8

    public let pinnedCAFingerprint: [UInt8]
    public let serverName: String

    public init(pinnedCAFingerprint: [UInt8], serverName: String = StewardTLS.controllerServerName) throws {
        guard pinnedCAFingerprint.count == JoinToken.fingerprintLength else {
            throw AgentIdentityError(.invalidFingerprint, "pinned CA fingerprint must be \(JoinToken.fingerprintLength) bytes")
        }
        self.pinnedCAFingerprint = pinnedCAFingerprint
        self.serverName = serverName
    }

    /// Verifies `chain` (leaf first, as presented) and returns the index of the pinned CA in it.
    ///
    /// The leaf must be signed by the pinned CA, valid at `now`, for serverAuth, and name
    /// `serverName` in its DNS SANs; the CA must be a CA and valid at `now`.
    public func verify(chain: [[UInt8]], now: Date) throws -> Int {
        guard chain.count >= 2, chain.count <= Self.maxChainLength else {
            throw AgentIdentityError(.pinnedCANotPresented, "controller presented \(chain.count) certificates, need leaf + CA")
        }
        // Index 0 is the leaf: the CA itself may not act as the server certificate.
        guard let caIndex = chain.indices.dropFirst().first(where: {
            ConstantTime.equals(Array(SHA256.hash(data: chain[$0])), pinnedCAFingerprint)
        }) else {
            throw AgentIdentityError(.pinnedCANotPresented, "no presented certificate matches the pinned CA fingerprint")
        }
        let ca = try parse(chain[caIndex], role: "CA")
        let leaf = try parse(chain[0], role: "server")

        guard case .isCertificateAuthority = try ca.extensions.basicConstraints else {
            throw AgentIdentityError(.notACertificateAuthority, "pinned certificate is not a CA")
        }
        try checkValidity(ca, now: now, role: "CA")
        guard leaf.issuer == ca.subject, ca.publicKey.isValidSignature(leaf.signature, for: leaf) else {
            throw AgentIdentityError(.notSignedByPinnedCA, "server certificate is not signed by the pinned CA")
        }
        try checkValidity(leaf, now: now, role: "server")
        guard let usages = try leaf.extensions.extendedKeyUsage, usages.contains(.serverAuth) else {
            throw AgentIdentityError(.missingServerAuth, "server certificate lacks the serverAuth usage")
        }
        let wanted = serverName.lowercased()
        let sans = try leaf.extensions.subjectAlternativeNames ?? SubjectAlternativeNames()
        let matches = sans.contains { name in
            if case .dnsName(let dnsName) = name { return dnsName.lowercased() == wanted }
            return false
        }
        guard matches else {
            throw AgentIdentityError(.serverNameMismatch, "server certificate does not name \(serverName)")
        }
        return caIndex
    }

    private func parse(_ der: [UInt8], role: String) throws -> Certificate {
        do {
            return try Certificate(derEncoded: der)
        } catch {
            throw AgentIdentityError(.malformedCertificate, "\(role) certificate does not parse: \(error)")
        }
    }

    private func checkValidity(_ certificate: Certificate, now: Date, role: String) throws {
        guard certificate.notValidBefore <= now, now <= certificate.notValidAfter else {
            throw AgentIdentityError(
                .outsideValidity,
                "\(role) certificate valid \(certificate.notValidBefore)...\(certificate.notValidAfter), now \(now)")
        }
    }
}
