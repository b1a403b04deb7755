import Foundation
import StewardProtocol
import Testing

@testable import StewardAgent

/// The replay cache on disk: every accepted id is durable before its job may run, survives a restart,
/// costs one appended line per job, and the log is compacted to the live ids.
@Suite struct PersistentReplayCacheTests {
    let controller = RuntimeFakeController()
    let directory: RuntimeTestDirectory
    let verifier: JobVerifier

    init() throws {
        directory = try RuntimeTestDirectory()
        verifier = try JobVerifier(publicKey: controller.publicKey, agentID: RuntimeFakeController.agentID)
    }

    var path: String { directory.file("replay-cache") }

    func offer(_ id: String, expires: Int64 = RuntimeFakeController.now() + 60_000) throws -> Wire.JobOffer {
        guard case .jobOffer(let offer) = try controller.offer(id, RuntimeFakeController.exec("true"), expires: expires) else {
            throw CancellationError()
        }
        return offer
    }

    func lines() throws -> [String] {
        try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n").map(String.init)
    }

    func inode() throws -> UInt64 {
        try #require((try FileManager.default.attributesOfItem(atPath: path)[.systemFileNumber] as? NSNumber)?.uint64Value)
    }

    @Test func acceptedIdsSurviveARestartAndAReplayIsRefused() throws {
        var cache = try PersistentReplayCache(path: path)
        let offers = try ["J1", "J2", "J3"].map { try offer($0) }
        for offer in offers { _ = try cache.verify(offer, with: verifier, nowMilliseconds: RuntimeFakeController.now()) }

        var restarted = try PersistentReplayCache(path: path)
        #expect(restarted.cache.count == 3)
        let error = #expect(throws: JobVerificationError.self) {
            _ = try restarted.verify(offers[1], with: verifier, nowMilliseconds: RuntimeFakeController.now())
        }
        #expect(error?.code == .replayed)
        #expect(try SecureFile.permissions(of: path) == 0o600)
    }

    @Test func eachJobAppendsOneLineToTheSameFile() throws {
        var cache = try PersistentReplayCache(path: path)
        _ = try cache.verify(try offer("J1"), with: verifier, nowMilliseconds: RuntimeFakeController.now())
        let created = try inode()
        for id in ["J2", "J3", "J4"] {
            _ = try cache.verify(try offer(id), with: verifier, nowMilliseconds: RuntimeFakeController.now())
        }
        #expect(try inode() == created, "appended in place, not rewritten and renamed")
        #expect(try lines().map { $0.split(separator: " ")[0] } == ["J1", "J2", "J3", "J4"])
    }

    @Test func theLogIsCompactedToTheLiveIds() throws {
        let now = RuntimeFakeController.now()
        var cache = try PersistentReplayCache(path: path, compactionFloor: 4)
        // Four ids that expire within a second, then live ones once those have passed.
        for id in ["E1", "E2", "E3", "E4"] {
            _ = try cache.verify(try offer(id, expires: now + 1_000), with: verifier, nowMilliseconds: now)
        }
        let later = now + 1_000 + 60_000 + 1
        #expect(try lines().count == 4)
        _ = try cache.verify(try offer("L1", expires: later + 60_000), with: verifier, nowMilliseconds: later)
        #expect(try lines().map { $0.split(separator: " ")[0] } == ["L1"], "4 lines, 1 live id: rewritten with the live one")
        _ = try cache.verify(try offer("L2", expires: later + 60_000), with: verifier, nowMilliseconds: later)
        #expect(try lines().count == 2)
        #expect(try PersistentReplayCache(path: path).cache.count == 2)
    }

    @Test func aLineCutShortByACrashIsRewrittenBeforeTheNextAppend() throws {
        let expiry = RuntimeFakeController.now() + 120_000
        try "J1 \(expiry)\nJ2 \(expiry)\nJ3 17".write(toFile: path, atomically: true, encoding: .utf8)
        var cache = try PersistentReplayCache(path: path)
        #expect(try String(contentsOfFile: path, encoding: .utf8).hasSuffix("\n"))
        _ = try cache.verify(try offer("J4"), with: verifier, nowMilliseconds: RuntimeFakeController.now())
        let ids = try lines().map { String($0.split(separator: " ")[0]) }
        #expect(ids.suffix(1) == ["J4"] && Set(ids).isSuperset(of: ["J1", "J2", "J4"]), "\(ids)")
        #expect(try PersistentReplayCache(path: path).cache.contains("J2"))
    }
}
