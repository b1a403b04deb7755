import Crypto
import Foundation
import StewardProtocol
import Testing

@Suite struct JobVerifierTests {
    let key = Curve25519.Signing.PrivateKey()
    let now: Int64 = 1_800_000_000_000

    func spec(agent: String = "agt_1", job: String = "01JOB", notBefore: Int64? = nil, expires: Int64? = nil) -> Wire.JobSpec {
        var spec = Wire.JobSpec()
        spec.jobID = job
        spec.agentID = agent
        spec.action.kind = .metrics
        spec.requestedBy = "alice"
        spec.notBeforeMs = notBefore ?? now - 1_000
        spec.expiresMs = expires ?? now + 60_000
        spec.nonce = Data(repeating: 1, count: 16)
        return spec
    }

    func verify(_ offer: Wire.JobOffer, with publicKey: [UInt8]? = nil, cache: inout ReplayCache, at time: Int64? = nil) -> JobVerificationError.Code? {
        do {
            let verifier = try JobVerifier(publicKey: publicKey ?? Array(key.publicKey.rawRepresentation), agentID: "agt_1")
            _ = try verifier.verify(offer, nowMilliseconds: time ?? now, replayCache: &cache)
            return nil
        } catch let error as JobVerificationError {
            return error.code
        } catch {
            Issue.record("unexpected error type: \(error)")
            return nil
        }
    }

    @Test func acceptsValidJobAndReturnsSpec() throws {
        let offer = try JobSigner(key: key).sign(spec())
        var cache = ReplayCache()
        let verifier = try JobVerifier(publicKey: Array(key.publicKey.rawRepresentation), agentID: "agt_1")
        let verified = try verifier.verify(offer, nowMilliseconds: now, replayCache: &cache)
        #expect(verified == spec())
        #expect(cache.contains("01JOB"))
    }

    @Test func rejectsWrongKey() throws {
        let offer = try JobSigner(key: Curve25519.Signing.PrivateKey()).sign(spec())
        var cache = ReplayCache()
        #expect(verify(offer, cache: &cache) == .badSignature)
        #expect(cache.count == 0, "a rejected job leaves no state")
    }

    @Test func rejectsTamperedSpec() throws {
        var offer = try JobSigner(key: key).sign(spec())
        var tampered = try Wire.JobSpec(serializedBytes: offer.spec)
        tampered.action.kind = .reboot
        offer.spec = try tampered.serializedBytes()
        var cache = ReplayCache()
        #expect(verify(offer, cache: &cache) == .badSignature)
    }

    @Test func rejectsFlippedSignatureBit() throws {
        var offer = try JobSigner(key: key).sign(spec())
        offer.signature[0] ^= 0x01
        var cache = ReplayCache()
        #expect(verify(offer, cache: &cache) == .badSignature)
    }

    @Test func rejectsJobForAnotherAgent() throws {
        let offer = try JobSigner(key: key).sign(spec(agent: "agt_2"))
        var cache = ReplayCache()
        #expect(verify(offer, cache: &cache) == .wrongAgent)
    }

    @Test func rejectsExpiredJobBeyondSkew() throws {
        let offer = try JobSigner(key: key).sign(spec(notBefore: now - 200_000, expires: now - 61_000))
        var cache = ReplayCache()
        #expect(verify(offer, cache: &cache) == .expired)
        let withinSkew = try JobSigner(key: key).sign(spec(job: "J2", notBefore: now - 200_000, expires: now - 59_000))
        #expect(verify(withinSkew, cache: &cache) == nil, "59 s late is within the 60 s skew allowance")
    }

    @Test func rejectsJobFromTheFuture() throws {
        let offer = try JobSigner(key: key).sign(spec(notBefore: now + 120_000, expires: now + 180_000))
        var cache = ReplayCache()
        #expect(verify(offer, cache: &cache) == .notYetValid)
    }

    @Test func rejectsReplayedJob() throws {
        let offer = try JobSigner(key: key).sign(spec())
        var cache = ReplayCache()
        #expect(verify(offer, cache: &cache) == nil)
        #expect(verify(offer, cache: &cache) == .replayed)
    }

    @Test func replayCacheSurvivesSerializationAndPrunes() {
        var cache = ReplayCache()
        _ = cache.insert(jobID: "A", expiresMilliseconds: 100)
        _ = cache.insert(jobID: "B", expiresMilliseconds: 300)
        var restored = ReplayCache(serialized: cache.serialized + "garbage line\n")
        #expect(restored == cache)
        restored.prune(nowMilliseconds: 200)
        #expect(!restored.contains("A") && restored.contains("B"))
    }

    @Test func rejectsGarbageSpecAndMissingNonce() throws {
        var cache = ReplayCache()
        var noNonce = spec()
        noNonce.nonce = Data()
        #expect(verify(try JobSigner(key: key).sign(noNonce), cache: &cache) == .malformed)
        #expect(throws: JobVerificationError.self) { try JobVerifier(publicKey: [1, 2, 3], agentID: "x") }
    }

    @Test func backoffStaysWithinFullJitterBoundsAndHonoursFloor() {
        var backoff = ReconnectBackoff(baseMilliseconds: 500, capMilliseconds: 60_000)
        var ceilings: [Int64] = []
        for _ in 0..<10 {
            ceilings.append(backoff.currentCeiling)
            let delay = backoff.next()
            #expect(delay >= 0 && delay <= ceilings.last!)
        }
        #expect(ceilings == [500, 1000, 2000, 4000, 8000, 16000, 32000, 60000, 60000, 60000])
        #expect(backoff.next(floorMilliseconds: 70_000) == 70_000)
        backoff.reset()
        #expect(backoff.currentCeiling == 500)
    }
}
