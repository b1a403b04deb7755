import Foundation
import NIOCore
import StewardProtocol
import SwiftProtobuf

/// One seed input, named after what it exercises.
public struct FuzzSeed: Sendable {
    public var name: String
    public var bytes: [UInt8]

    public init(_ name: String, _ bytes: [UInt8]) {
        self.name = name
        self.bytes = bytes
    }
}

extension FuzzTarget {
    /// Valid (and a few deliberately broken) inputs built from real messages: the starting corpus.
    public func seeds() throws -> [FuzzSeed] {
        switch self {
        case .frameDecoder: try Self.frameSeeds()
        case .sessionStateMachines: try Self.sessionSeeds()
        case .payloads: try Self.payloadSeeds()
        }
    }

    private static func frameSeeds() throws -> [FuzzSeed] {
        typealias Configuration = FrameDecodingInvariants.Configuration
        func seed(_ name: String, _ configuration: Configuration, _ stream: [UInt8]) -> FuzzSeed {
            FuzzSeed(name, FrameDecodingInvariants.input(configuration, stream: stream))
        }
        let frames = try SampleMessages.all.map { Array(try MessageCodec.frame($0).readableBytesView) }
        let all = frames.flatMap { $0 }
        var seeds = zip(SampleMessages.all, frames).map { seed("frame-\($0.name)", Configuration(chunking: .whole), $1) }
        seeds += [
            seed("all-drip-fed", Configuration(chunking: .dripFed), all),
            seed("all-fixed-chunks", Configuration(chunking: .fixed, chunkParameter: 3), all),
            seed("all-random-chunks", Configuration(chunking: .random, chunkParameter: 5), all),
            seed("body-hello", Configuration(chunking: .whole, wrapInFrame: true), Array(frames[2].dropFirst(4))),
            seed("too-large-for-tiny-limit", Configuration(chunking: .dripFed, limit: .tiny), frames[0]),
            seed("small-limit", Configuration(chunking: .random, limit: .small), all),
            seed("empty-frame", Configuration(chunking: .whole), [0, 0, 0, 0]),
            seed("oversized-header", Configuration(chunking: .dripFed), [0xFF, 0xFF, 0xFF, 0xFF, 1]),
            seed("truncated", Configuration(chunking: .fixed), Array(all.dropLast())),
            seed("not-protobuf", Configuration(chunking: .whole), [0, 0, 0, 3, 0xFF, 0xFF, 0xFF]),
            // Field 99 (varint): a valid envelope carrying no message this version knows.
            seed("unknown-message", Configuration(chunking: .whole), [0, 0, 0, 3, 0x98, 0x06, 0x01]),
        ]
        return seeds
    }

    private static func sessionSeeds() throws -> [FuzzSeed] {
        let samples = Dictionary(SampleMessages.all.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
        func message(_ name: String) -> StewardMessage {
            guard let message = samples[name] else { preconditionFailure("no sample \(name)") }
            return message
        }
        func script(_ name: String, anonymous: Bool, _ build: (inout SessionScript) throws -> Void) throws -> FuzzSeed {
            var script = SessionScript(anonymous: anonymous)
            try build(&script)
            return FuzzSeed(name, script.bytes)
        }
        var badVersions = Wire.Hello()
        badVersions.minVersion = 2
        badVersions.maxVersion = 3
        return [
            try script("agent-session", anonymous: false) { script in
                try script.receive(message("Hello"))
                script.decide(accept: true)
                for name in ["Ping", "JobAccepted", "Output", "JobResult", "Pong", "FactsUpdate", "RenewCertificate"] {
                    try script.receive(message(name))
                    script.timerFired(afterMilliseconds: 4_000)
                }
                script.timerFired(afterMilliseconds: 31_000)
            },
            try script("agent-refused", anonymous: false) { script in
                try script.receive(message("Hello"))
                script.decide(accept: false)
            },
            try script("agent-version-mismatch", anonymous: false) { try $0.receive(.hello(badVersions)) },
            try script("agent-skips-hello", anonymous: false) { try $0.receive(message("JobResult")) },
            try script("agent-heartbeats-then-goaway", anonymous: false) { script in
                try script.receive(message("Hello"))
                script.decide(accept: true)
                for _ in 0..<4 { script.timerFired(afterMilliseconds: 10_000) }
                script.goAway(retryAfterMilliseconds: 5_000)
            },
            try script("anonymous-enrolls", anonymous: true) { script in
                try script.receive(message("EnrollRequest"))
                script.decide(accept: true)
            },
            try script("anonymous-enrollment-refused", anonymous: true) { script in
                try script.receive(message("EnrollRequest"))
                script.decide(accept: false)
            },
            try script("anonymous-says-hello", anonymous: true) { try $0.receive(message("Hello")) },
            try script("controller-session", anonymous: false) { script in
                for name in ["Welcome", "JobOffer", "Ping", "Cancel", "OutputAck", "ResultAck", "CertificateRenewed", "GoAway"] {
                    try script.receive(message(name))
                    script.wait(milliseconds: 3_000)
                }
            },
            try script("controller-heartbeat-timeout", anonymous: false) { script in
                try script.receive(message("Welcome"))
                for _ in 0..<5 { script.timerFired(afterMilliseconds: 10_000) }
            },
            try script("controller-error", anonymous: false) { script in
                try script.receive(message("Welcome"))
                try script.receive(message("Error"))
            },
            try script("handshake-timeout", anonymous: false) { $0.timerFired(afterMilliseconds: 11_000) },
        ]
    }

    private static func payloadSeeds() throws -> [FuzzSeed] {
        typealias Parser = PayloadInvariants.Parser
        let fingerprint = (0..<32).map { UInt8($0) }
        let secret = (0..<32).map { UInt8(200 - $0) }
        let token = try JoinToken(controller: "controller.example:7443", caFingerprint: fingerprint, secret: secret)
        let v6Token = try JoinToken(controller: "[2001:db8::1]:7443", caFingerprint: fingerprint, secret: secret)

        var fields = FuzzInputBuilder()
        fields.shortBytes(Array("10.0.0.1:7443".utf8))
        fields.byte(1)
        fields.raw(fingerprint)
        fields.byte(1)
        fields.raw(secret)

        var spec = Wire.JobSpec()
        spec.jobID = "01JFUZZ"
        spec.agentID = JobOfferInvariants.agentID
        spec.action.kind = .metrics
        spec.requestedBy = "alice"
        spec.notBeforeMs = JobOfferInvariants.now - 1_000
        spec.expiresMs = JobOfferInvariants.now + 60_000
        spec.nonce = Data(repeating: 7, count: 16)
        let specBytes: [UInt8] = try spec.serializedBytes()

        var unsigned = FuzzInputBuilder()
        unsigned.shortBytes(specBytes)
        unsigned.byte(1)
        unsigned.raw([UInt8](repeating: 0xA5, count: 64))
        unsigned.integer(Int32(0))

        var signedBytes = FuzzInputBuilder()
        signedBytes.shortBytes(specBytes)
        signedBytes.integer(Int32(0))
        signedBytes.byte(17)

        var signedFields = FuzzInputBuilder()
        signedFields.shortBytes(Array("01JFUZZ".utf8))
        signedFields.byte(1)  // addressed to the verifier's agent
        signedFields.byte(3)  // metrics
        signedFields.byte(0)
        signedFields.integer(Int32(-1_000))
        signedFields.byte(0)
        signedFields.integer(Int32(60_000))
        signedFields.shortBytes([UInt8](repeating: 7, count: 16))
        signedFields.integer(UInt32(30_000))
        signedFields.integer(Int32(0))
        signedFields.byte(200)

        let facts = HostFacts(
            hostname: "web-01", osName: "Debian GNU/Linux 12 (bookworm)", kernel: "6.1.0-18-amd64", architecture: "x86_64",
            cpuCount: 4, memoryBytes: 8 << 30, ipAddresses: ["10.0.0.5", "fe80::1"], bootID: "3f1c", agentVersion: "0.1.0")
        let metrics = HostMetrics(
            collectedAt: 1_700_000_000_000, uptimeSeconds: 12_345.5, load1: 0.5, load5: 0.25, load15: 0.125,
            cpu: CPUUsage(userPercent: 10, systemPercent: 5, iowaitPercent: 1, idlePercent: 84, busyPercent: 15),
            memory: MemoryUsage(totalBytes: 8 << 30, availableBytes: 6 << 30, usedBytes: 2 << 30, swapTotalBytes: 0, swapUsedBytes: 0),
            disks: [DiskUsage(mountPoint: "/", fsType: "ext4", totalBytes: 100 << 30, usedBytes: 40 << 30, availableBytes: 55 << 30, usedPercent: 42.1)],
            network: [NetworkInterfaceCounters(name: "eth0", rxBytes: 1, txBytes: 2, rxPackets: 3, txPackets: 4, rxErrors: 0, txErrors: 0)])
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys

        return [
            FuzzSeed("token", PayloadInvariants.input(.joinTokenText, Array(token.encoded.utf8))),
            FuzzSeed("token-ipv6", PayloadInvariants.input(.joinTokenText, Array(v6Token.encoded.utf8))),
            FuzzSeed("token-fields", PayloadInvariants.input(.joinTokenFields, fields.bytes)),
            FuzzSeed("job-unsigned", PayloadInvariants.input(.unsignedJobOffer, unsigned.bytes)),
            FuzzSeed("job-signed-bytes", PayloadInvariants.input(.signedJobSpecBytes, signedBytes.bytes)),
            FuzzSeed("job-signed-fields", PayloadInvariants.input(.signedJobSpecFields, signedFields.bytes)),
            FuzzSeed("host-facts", PayloadInvariants.input(.hostFactsJSON, Array(try encoder.encode(facts)))),
            FuzzSeed("host-metrics", PayloadInvariants.input(.hostMetricsJSON, Array(try encoder.encode(metrics)))),
            FuzzSeed("replay-cache", PayloadInvariants.input(.replayCacheText, Array("01JA 1800000060000\n01JB 1800000120000\n".utf8))),
        ]
    }
}
