import Foundation
import StewardProtocol
import Testing
@testable import StewardController

@Suite("Dispatcher submission", .timeLimit(.minutes(1)))
struct DispatcherSubmitTests {
    @Test func offersOnlyToOnlineAgentsWithSpecsSignedAndAddressedToEach() async throws {
        let harness = try await DispatcherHarness(agents: ["web-1", "web-2", "db-1"])
        let web1 = await harness.attach("web-1")
        let web2 = await harness.attach("web-2")

        let job = try await harness.submit(["service", "restart", "nginx"], timeout: .milliseconds(90_500))

        #expect(try await harness.statuses(job) == [
            "agent-web-1": .offered, "agent-web-2": .offered, "agent-db-1": .queued,
        ])
        for (name, session) in [("web-1", web1), ("web-2", web2)] {
            #expect(session.offers.count == 1)
            let offer = try #require(session.offers.first)
            let spec = try harness.verify(offer, as: name)
            #expect(spec.jobID == job.id)
            #expect(spec.agentID == DispatcherHarness.id(name))
            #expect(spec.requestedBy == "alice")
            #expect(spec.action == JobAction.service(operation: .restart, unit: "nginx").wire)
            #expect(spec.timeoutMs == 90_500)
            #expect(spec.nonce.count == 16)
            #expect(spec.notBeforeMs <= harness.clock.milliseconds)
            #expect(spec.expiresMs == harness.clock.milliseconds + 600_000)
        }
        #expect(web1.offers.first?.spec != web2.offers.first?.spec)
    }

    @Test func anOfferForOneAgentFailsVerificationAtAnother() async throws {
        let harness = try await DispatcherHarness(agents: ["web-1", "web-2"])
        let web1 = await harness.attach("web-1")
        _ = try await harness.submit()
        let offer = try #require(web1.offers.first)
        #expect(throws: JobVerificationError.self) { try harness.verify(offer, as: "web-2") }

        var tampered = offer
        tampered.signature[0] ^= 0x01
        #expect {
            try harness.verify(tampered, as: "web-1")
        } throws: { error in
            (error as? JobVerificationError)?.code == .badSignature
        }
    }

    @Test func anOfflineAgentsRunWaitsQueuedAndIsOfferedWhenItConnects() async throws {
        let harness = try await DispatcherHarness(agents: ["web-1", "db-1"])
        _ = await harness.attach("web-1")
        let job = try await harness.submit()
        #expect(try await harness.status(job, "db-1") == .queued)

        harness.clock.advance(seconds: 30)
        let db1 = try await harness.connect("db-1")

        #expect(try await harness.status(job, "db-1") == .offered)
        let spec = try harness.verify(try #require(db1.offers.first), as: "db-1")
        #expect(spec.jobID == job.id)
        // The deadline is fixed at submission, not restarted by the late offer.
        #expect(spec.expiresMs == Int64(job.deliveryDeadline.timeIntervalSince1970 * 1000))
        #expect(db1.offers.count == 1)
    }

    @Test func storesTheRequestAsAJobWithResolvedFigures() async throws {
        let harness = try await DispatcherHarness(agents: ["a", "b", "c", "d"])
        let job = try await harness.submit(
            ["exec", "disk-usage", "-h"], target: "all", batch: .percent(25), maxErrors: .percent(50),
            timeout: .milliseconds(1_500), deliveryWindow: .seconds(120))

        let stored = try await harness.database.job(id: job.id)
        #expect(stored == job)
        #expect(job.commandText == "exec disk-usage -h")
        #expect(try JSONDecoder().decode(JobAction.self, from: job.action) == .exec(command: "disk-usage", arguments: ["-h"]))
        #expect(job.batchSize == 1)
        #expect(job.maxErrors == 2)
        #expect(job.timeoutMs == 1_500)
        #expect(job.deliveryDeadline == DispatcherHarness.t0.addingTimeInterval(120))
        #expect(job.requestedBy == "alice")
        #expect(job.source == .api)
        #expect(job.status == .running)
        #expect(job.target == "all")
        #expect(StewardID.isValid(job.id))
        #expect(try await harness.database.runs(jobID: job.id).count == 4)
    }

    @Test func targetsOnlyAgentsWhoseLabelsMatch() async throws {
        let harness = try await DispatcherHarness(
            agents: ["web-1", "web-2", "db-1"],
            labels: ["web-1": ["role": "web", "env": "prod"], "web-2": ["role": "web", "env": "dev"], "db-1": ["role": "db", "env": "prod"]])
        let job = try await harness.submit(target: "role=web,env=prod")
        #expect(try await harness.statuses(job) == ["agent-web-1": .queued])
    }

    @Test func refusesWhenNoActiveAgentMatches() async throws {
        let harness = try await DispatcherHarness(agents: ["web-1", "web-2"])
        _ = try await harness.database.revokeAgent(named: "web-2", at: DispatcherHarness.t0)

        for target in ["db-*", "web-2", "role=web"] {
            await #expect(throws: JobRequestError("no enrolled agent matches '\(target)'")) {
                try await harness.submit(target: target)
            }
        }
        #expect(try await harness.database.recentJobs(limit: 10).isEmpty)
    }
}
