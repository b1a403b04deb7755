import Foundation
import Testing

@testable import StewardAgent
import StewardProtocol

struct AgentStatusTests {
    let directory: RuntimeTestDirectory

    init() throws {
        directory = try RuntimeTestDirectory()
    }

    @Test func unenrolledStateSaysHowToEnrollAndCreatesNothing() {
        let status = AgentRuntime.status(stateDirectory: directory.file("state"))
        #expect(!status.enrolled)
        #expect(status.description.contains("enrolled:        no"))
        #expect(status.description.contains("steward-agent enroll"))
        #expect(!FileManager.default.fileExists(atPath: directory.file("state")))
    }

    @Test func enrolledStateShowsIdentityExpiryAndSpool() throws {
        let pki = try RuntimeTestPKI()
        let state = AgentStateDirectory(path: directory.file("state"))
        try state.prepare()
        let key = AgentKeyPair.generate()
        let notBefore = Date(timeIntervalSince1970: 1_790_000_000)
        try SecureFile.write(
            try pki.issue(csrDER: key.makeCSR(name: "web-01"), agentID: "agent-9", notBefore: notBefore, lifetime: 90 * 86_400),
            to: state.certificatePath)
        try state.saveRecord(AgentRecord(
            agentID: "agent-9", name: "web-01", controller: "ctl.example:7443",
            labels: ["role": "web", "env": "prod"], enrolledAtMilliseconds: 0))
        let spool = try ResultSpool(directory: state.spoolDirectory)
        try spool.create(SpoolJobID("job-done"), spec: Wire.JobSpec())
        try spool.writeResult(SpoolJobID("job-done"), Wire.JobResult())
        try spool.create(SpoolJobID("job-open"), spec: Wire.JobSpec())

        let now = Int64(notBefore.timeIntervalSince1970 * 1000) + 30 * 86_400_000
        let status = AgentRuntime.status(stateDirectory: state.path, nowMilliseconds: now)

        #expect(status.enrolled)
        #expect(status.record?.agentID == "agent-9")
        #expect(status.certificateNotAfterMilliseconds == Int64(notBefore.timeIntervalSince1970 * 1000) + 90 * 86_400_000)
        #expect(status.spooledResults == ["job-done"])
        #expect(status.unfinishedJobs == ["job-open"])
        #expect(status.problems.isEmpty)
        let text = status.description
        #expect(text.contains("agent id:        agent-9"))
        #expect(text.contains("controller:      ctl.example:7443"))
        #expect(text.contains("labels:          env=prod, role=web"))
        #expect(text.contains("certificate:     valid until 2026-12-20T14:13:20Z (60 days left)"))
        #expect(text.contains("spooled results: 1 (job-done)"))
        #expect(text.contains("unfinished jobs: 1 (job-open)"))
    }
}
