import Foundation
import Testing

@testable import StewardAgent

@Suite struct PinnedControllerVerifierTests {
    static let now = Date(timeIntervalSince1970: 1_800_000_000)
    static let day: TimeInterval = 86_400

    static func makeCA(name: String = "Test CA", isCA: Bool = true) throws -> PinningTestCA {
        try PinningTestCA(name: name, isCA: isCA, notBefore: now - day, notAfter: now + 365 * day)
    }

    static func failure(_ verifier: PinnedControllerVerifier, _ chain: [[UInt8]]) -> AgentIdentityError.Code? {
        do {
            _ = try verifier.verify(chain: chain, now: now)
            return nil
        } catch let error as AgentIdentityError {
            return error.code
        } catch {
            return nil
        }
    }

    @Test func acceptsLeafSignedByPinnedCA() throws {
        let ca = try Self.makeCA()
        let leaf = try ca.issueServer(notBefore: Self.now - Self.day, notAfter: Self.now + Self.day)
        let verifier = try PinnedControllerVerifier(pinnedCAFingerprint: ca.fingerprint)
        #expect(try verifier.verify(chain: [leaf, ca.der], now: Self.now) == 1)
        // Extra certificates before the CA are tolerated; the CA is found by fingerprint.
        let other = try Self.makeCA(name: "Other")
        #expect(try verifier.verify(chain: [leaf, other.der, ca.der], now: Self.now) == 2)
    }

    @Test func namesAreComparedCaseInsensitively() throws {
        let ca = try Self.makeCA()
        let leaf = try ca.issueServer(names: ["Controller.Steward.Internal"], notBefore: Self.now - Self.day, notAfter: Self.now + Self.day)
        let verifier = try PinnedControllerVerifier(pinnedCAFingerprint: ca.fingerprint)
        #expect(try verifier.verify(chain: [leaf, ca.der], now: Self.now) == 1)
    }

    @Test func rejectsChainWithoutThePinnedCA() throws {
        let pinned = try Self.makeCA()
        let other = try Self.makeCA(name: "Other")
        let leaf = try other.issueServer(notBefore: Self.now - Self.day, notAfter: Self.now + Self.day)
        let verifier = try PinnedControllerVerifier(pinnedCAFingerprint: pinned.fingerprint)
        #expect(Self.failure(verifier, [leaf, other.der]) == .pinnedCANotPresented)
        #expect(Self.failure(verifier, [leaf]) == .pinnedCANotPresented)
        #expect(Self.failure(verifier, []) == .pinnedCANotPresented)
        // The pinned CA as the server certificate itself does not count.
        #expect(Self.failure(verifier, [pinned.der]) == .pinnedCANotPresented)
        #expect(Self.failure(verifier, [pinned.der, leaf]) == .pinnedCANotPresented)
        #expect(Self.failure(verifier, Array(repeating: pinned.der, count: 9)) == .pinnedCANotPresented)
    }

    @Test func rejectsLeafFromAnotherCAEvenWhenPinnedCAIsAppended() throws {
        let pinned = try Self.makeCA()
        // Same subject name as the pinned CA, different key: only the signature tells them apart.
        let impostor = try Self.makeCA()
        let leaf = try impostor.issueServer(notBefore: Self.now - Self.day, notAfter: Self.now + Self.day)
        let verifier = try PinnedControllerVerifier(pinnedCAFingerprint: pinned.fingerprint)
        #expect(Self.failure(verifier, [leaf, pinned.der]) == .notSignedByPinnedCA)
    }

    @Test func rejectsPinnedCertificateThatIsNotACA() throws {
        let notCA = try Self.makeCA(isCA: false)
        let leaf = try notCA.issueServer(notBefore: Self.now - Self.day, notAfter: Self.now + Self.day)
        let verifier = try PinnedControllerVerifier(pinnedCAFingerprint: notCA.fingerprint)
        #expect(Self.failure(verifier, [leaf, notCA.der]) == .notACertificateAuthority)
    }

    @Test func rejectsExpiredOrNotYetValidCertificates() throws {
        let ca = try Self.makeCA()
        let verifier = try PinnedControllerVerifier(pinnedCAFingerprint: ca.fingerprint)
        let expired = try ca.issueServer(notBefore: Self.now - 10 * Self.day, notAfter: Self.now - Self.day)
        let future = try ca.issueServer(notBefore: Self.now + Self.day, notAfter: Self.now + 10 * Self.day)
        #expect(Self.failure(verifier, [expired, ca.der]) == .outsideValidity)
        #expect(Self.failure(verifier, [future, ca.der]) == .outsideValidity)

        let expiredCA = try PinningTestCA(notBefore: Self.now - 10 * Self.day, notAfter: Self.now - Self.day)
        let leaf = try expiredCA.issueServer(notBefore: Self.now - Self.day, notAfter: Self.now + Self.day)
        let pinsExpired = try PinnedControllerVerifier(pinnedCAFingerprint: expiredCA.fingerprint)
        #expect(Self.failure(pinsExpired, [leaf, expiredCA.der]) == .outsideValidity)
    }

    @Test func rejectsLeafWithoutServerAuth() throws {
        let ca = try Self.makeCA()
        let clientOnly = try ca.issueServer(usages: [.clientAuth], notBefore: Self.now - Self.day, notAfter: Self.now + Self.day)
        let verifier = try PinnedControllerVerifier(pinnedCAFingerprint: ca.fingerprint)
        #expect(Self.failure(verifier, [clientOnly, ca.der]) == .missingServerAuth)
    }

    @Test func rejectsLeafForAnotherName() throws {
        let ca = try Self.makeCA()
        let verifier = try PinnedControllerVerifier(pinnedCAFingerprint: ca.fingerprint)
        let other = try ca.issueServer(names: ["evil.example"], notBefore: Self.now - Self.day, notAfter: Self.now + Self.day)
        let suffix = try ca.issueServer(names: ["controller.steward.internal.evil"], notBefore: Self.now - Self.day, notAfter: Self.now + Self.day)
        let none = try ca.issueServer(names: [], notBefore: Self.now - Self.day, notAfter: Self.now + Self.day)
        #expect(Self.failure(verifier, [other, ca.der]) == .serverNameMismatch)
        #expect(Self.failure(verifier, [suffix, ca.der]) == .serverNameMismatch)
        #expect(Self.failure(verifier, [none, ca.der]) == .serverNameMismatch)
    }

    @Test func rejectsUnparsableLeaf() throws {
        let ca = try Self.makeCA()
        let verifier = try PinnedControllerVerifier(pinnedCAFingerprint: ca.fingerprint)
        #expect(Self.failure(verifier, [[0x30, 0x03, 0x02, 0x01, 0x01], ca.der]) == .malformedCertificate)
    }

    @Test func rejectsFingerprintOfWrongLength() {
        let error = #expect(throws: AgentIdentityError.self) {
            try PinnedControllerVerifier(pinnedCAFingerprint: [1, 2, 3])
        }
        #expect(error?.code == .invalidFingerprint)
    }
}
