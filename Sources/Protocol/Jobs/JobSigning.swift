import Crypto
import Foundation
import SwiftProtobuf

/// Domain separation so a job signature can never be mistaken for any other Ed25519 signature.
enum JobSignatureContext {
    static let prefix: [UInt8] = Array("steward-job-v1\u{0}".utf8)

    static func message(spec: [UInt8]) -> [UInt8] { prefix + spec }
}

/// Signs job specs with the controller's Ed25519 key.
public struct JobSigner: Sendable {
    private let key: Curve25519.Signing.PrivateKey

    public init(key: Curve25519.Signing.PrivateKey) {
        self.key = key
    }

    public var publicKey: [UInt8] { Array(key.publicKey.rawRepresentation) }

    public func sign(_ spec: Wire.JobSpec) throws -> Wire.JobOffer {
        let bytes: [UInt8] = try spec.serializedBytes()
        var offer = Wire.JobOffer()
        offer.spec = Data(bytes)
        offer.signature = try key.signature(for: JobSignatureContext.message(spec: bytes))
        return offer
    }
}
