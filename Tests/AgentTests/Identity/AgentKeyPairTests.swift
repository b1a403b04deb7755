import Crypto
import Foundation
import StewardProtocol
import Testing
import X509

@testable import StewardAgent

@Suite struct AgentKeyPairTests {
    static func makeTemporaryDirectory() throws -> String {
        let path = NSTemporaryDirectory() + "steward-identity-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: false)
        return path
    }

    @Test func csrIsSignedByTheKeyAndNamesTheAgent() throws {
        let key = AgentKeyPair.generate()
        let csr = try CertificateSigningRequest(derEncoded: key.makeCSR(name: "web-1"))
        #expect(csr.publicKey == Certificate.PublicKey(key.privateKey.publicKey))
        #expect(csr.publicKey.isValidSignature(csr.signature, for: csr))
        #expect(csr.subject == (try DistinguishedName { CommonName("web-1") }))
        #expect(csr.signatureAlgorithm == .ecdsaWithSHA256)
    }

    @Test func savedKeyIsPrivateAndLoadsBack() throws {
        let directory = try Self.makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let key = AgentKeyPair.generate()
        try key.save(to: directory + "/agent.key")
        #expect(try SecureFile.permissions(of: directory + "/agent.key") == 0o600)
        let loaded = try AgentKeyPair.load(from: directory + "/agent.key")
        #expect(loaded.privateKey.rawRepresentation == key.privateKey.rawRepresentation)
    }

    @Test func loadRejectsGarbage() throws {
        let directory = try Self.makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try SecureFile.write(Array("not a key".utf8), to: directory + "/bad.key")
        let error = #expect(throws: AgentIdentityError.self) { try AgentKeyPair.load(from: directory + "/bad.key") }
        #expect(error?.code == .malformedKey)
        try SecureFile.write([0xFF, 0xFE], to: directory + "/binary.key")
        let binary = #expect(throws: AgentIdentityError.self) { try AgentKeyPair.load(from: directory + "/binary.key") }
        #expect(binary?.code == .malformedKey)
    }
}
