import Foundation
import Testing

@testable import StewardAgent
import StewardProtocol

struct AgentStateDirectoryTests {
    let directory: RuntimeTestDirectory

    init() throws {
        directory = try RuntimeTestDirectory()
    }

    @Test func prepareCreatesPrivateDirectoriesAndTightensOpenOnes() throws {
        let root = directory.file("state")
        try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
        chmod(root, 0o755)
        let state = AgentStateDirectory(path: root + "/")

        try state.prepare()

        #expect(state.path == root)
        for path in [root, state.identityDirectory, state.spoolDirectory] {
            #expect(try SecureFile.permissions(of: path) == 0o700)
        }
        #expect(state.spoolDirectory == root + "/spool")
        #expect(state.replayCachePath == root + "/replay-cache")
    }

    @Test func recordRoundTripsAsPrivateJSON() throws {
        let state = AgentStateDirectory(path: directory.file("state"))
        try state.prepare()
        let record = AgentRecord(
            agentID: "01J9ZQ", name: "web-01", controller: "ctl.example:7443",
            labels: ["role": "web", "env": "prod"], enrolledAtMilliseconds: 1_700_000_000_000)

        try state.saveRecord(record)

        #expect(try state.loadRecord() == record)
        #expect(try SecureFile.permissions(of: state.recordPath) == 0o600)
        let json = try #require(directory.read("state/agent.json"))
        #expect(json.contains("\"agent_id\" : \"01J9ZQ\""))
        #expect(json.contains("\"controller\" : \"ctl.example:7443\""))
    }

    @Test func enrolledOnlyWithRecordAndCertificate() throws {
        let state = AgentStateDirectory(path: directory.file("state"))
        try state.prepare()
        #expect(!state.isEnrolled)
        try state.saveRecord(AgentRecord(agentID: "a", name: "n", controller: "h:1", labels: [:], enrolledAtMilliseconds: 0))
        #expect(!state.isEnrolled)
        try SecureFile.write([1, 2, 3], to: state.certificatePath)
        #expect(state.isEnrolled)
    }

    @Test func missingRecordSaysToEnroll() throws {
        let state = AgentStateDirectory(path: directory.file("nothing"))
        do {
            _ = try state.loadRecord()
            Issue.record("loaded a record that does not exist")
        } catch let error as AgentRuntimeError {
            #expect(error.code == .notEnrolled)
            #expect(error.message.contains("steward-agent enroll"))
        }
        #expect(throws: AgentRuntimeError.self) { try AgentIdentity.load(from: state) }
    }

    @Test func garbledRecordIsCorruptState() throws {
        let state = AgentStateDirectory(path: directory.file("state"))
        try state.prepare()
        try SecureFile.write(Array("{not json".utf8), to: state.recordPath)
        do {
            _ = try state.loadRecord()
            Issue.record("accepted a garbled record")
        } catch let error as AgentRuntimeError {
            #expect(error.code == .corruptState)
        }
    }
}

struct ControllerEndpointTests {
    @Test(arguments: [
        ("ctl.example:7443", "ctl.example", 7443),
        ("127.0.0.1:1", "127.0.0.1", 1),
        ("[::1]:7443", "::1", 7443),
        ("[2001:db8::5]:65535", "2001:db8::5", 65535),
    ])
    func parsesHostAndPort(_ text: String, _ host: String, _ port: Int) throws {
        let endpoint = try ControllerEndpoint(parsing: text)
        #expect(endpoint.host == host)
        #expect(endpoint.port == port)
        #expect(endpoint.description == text)
    }

    @Test(arguments: ["ctl.example", "ctl.example:", ":7443", "ctl:0", "ctl:65536", "ctl:http", "[]:80"])
    func refusesWhatIsNotHostPort(_ text: String) {
        #expect(throws: AgentRuntimeError.self) { try ControllerEndpoint(parsing: text) }
    }
}

struct CertificateRenewalTests {
    typealias Validity = CertificateRenewal.Validity

    @Test(arguments: [
        // 90-day certificate issued at 0: renewal is due after day 60.
        (Int64(0), Int64(90), Int64(59), false),
        (0, 90, 60, false),
        (0, 90, 61, true),
        (0, 90, 120, true),
        // Nonsense dates always ask for a renewal.
        (10, 10, 0, true),
        (10, 5, 0, true),
    ])
    func renewsWhenLessThanAThirdOfTheLifetimeRemains(_ notBefore: Int64, _ notAfter: Int64, _ now: Int64, _ due: Bool) {
        let day: Int64 = 86_400_000
        let validity = Validity(notBefore: notBefore * day, notAfter: notAfter * day)
        #expect(validity.renewalDue(nowMilliseconds: now * day) == due)
    }

    @Test func utcTimestampsAreISO8601() {
        #expect(UTCTimestamp.format(milliseconds: 0) == "1970-01-01T00:00:00Z")
        #expect(UTCTimestamp.format(milliseconds: 1_798_675_200_000) == "2026-12-31T00:00:00Z")
        #expect(UTCTimestamp.format(milliseconds: 951_782_400_999) == "2000-02-29T00:00:00Z")
    }
}
