import Crypto
import Foundation
import StewardProtocol
import StewardProtocolTestUtils
import Testing

/// Replays the libFuzzer corpora (`Fuzz/Corpus`), the inputs that once broke an invariant
/// (`Fuzz/Crashers`) and the generated seeds through the same checks the fuzz targets run.
@Suite struct FuzzRegressionTests {
    static let fuzzDirectory = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fuzz")

    /// Every file in `Fuzz/<folder>/<target>/`, sorted; none when the folder does not exist.
    static func inputs(_ folder: String, _ target: FuzzTarget) throws -> [FuzzSeed] {
        let directory = fuzzDirectory.appendingPathComponent(folder).appendingPathComponent(target.rawValue)
        guard FileManager.default.fileExists(atPath: directory.path) else { return [] }
        return try FileManager.default.contentsOfDirectory(atPath: directory.path).sorted().map { name in
            FuzzSeed(name, Array(try Data(contentsOf: directory.appendingPathComponent(name))))
        }
    }

    static func replay(_ inputs: [FuzzSeed], through target: FuzzTarget) {
        for input in inputs {
            do {
                try target.check(input.bytes)
            } catch {
                Issue.record("\(target.rawValue)/\(input.name): \(error)")
            }
        }
    }

    @Test(arguments: FuzzTarget.allCases)
    func corpusKeepsEveryInvariant(_ target: FuzzTarget) throws {
        let corpus = try Self.inputs("Corpus", target)
        #expect(corpus.count >= 10, "the minimised corpus of \(target.rawValue) is committed")
        Self.replay(corpus, through: target)
    }

    @Test(arguments: FuzzTarget.allCases)
    func savedCrashersStayFixed(_ target: FuzzTarget) throws {
        Self.replay(try Self.inputs("Crashers", target), through: target)
    }

    @Test(arguments: FuzzTarget.allCases)
    func seedsKeepEveryInvariant(_ target: FuzzTarget) throws {
        Self.replay(try target.seeds(), through: target)
    }

    /// Fuzz/Crashers/FuzzPayloads/job-expiry-overflow: a signed spec expiring near Int64.max made
    /// `expiresMs + allowedSkew` overflow in `JobVerifier`, trapping the agent on a job offer.
    @Test func jobExpiringAtTheEndOfTimeVerifiesOnceWithoutTrapping() throws {
        let key = Curve25519.Signing.PrivateKey()
        var spec = Wire.JobSpec()
        spec.jobID = "01JEND"
        spec.agentID = "agt_1"
        spec.notBeforeMs = 0
        spec.expiresMs = .max
        spec.nonce = Data(repeating: 1, count: 16)
        let offer = try JobSigner(key: key).sign(spec)
        let verifier = try JobVerifier(publicKey: Array(key.publicKey.rawRepresentation), agentID: "agt_1")
        var cache = ReplayCache()
        #expect(try verifier.verify(offer, nowMilliseconds: 1_800_000_000_000, replayCache: &cache) == spec)
        let replay = #expect(throws: JobVerificationError.self) {
            try verifier.verify(offer, nowMilliseconds: 1_800_000_000_000, replayCache: &cache)
        }
        #expect(replay?.code == .replayed)
    }
}
