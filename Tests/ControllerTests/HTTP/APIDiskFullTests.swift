import Foundation
import Hummingbird
import HummingbirdTesting
import StewardProtocol
import Testing
@testable import StewardController

/// The API over a store that cannot grow (SQLite's own SQLITE_FULL, see ``FullDiskFixture``): writes are
/// refused with 507 and the reason, reads go on.
@Suite("HTTP API on a full disk", .timeLimit(.minutes(1)))
struct APIDiskFullTests {
    /// Job inserts and the bearer token's last-use update find the disk full, as every write does on a real one.
    static let fullDisk: [FullDiskFixture.Write] = [.init(table: "jobs", event: "INSERT"), .init(table: "api_tokens", event: "UPDATE")]

    private func submit(_ api: APIHarness) async throws -> TestResponse {
        try await api.request(.post, "/api/v1/jobs", body: try APIHarness.json(API.SubmitJob(target: "web-1", action: ["ping"])))
    }

    @Test func submittingAJobAnswers507WithTheReasonAndStoresNothing() async throws {
        let api = try await APIHarness.make(agents: ["web-1"], online: ["web-1"])
        defer { api.cleanUp() }
        try await FullDiskFixture.fill(api.database, refusing: Self.fullDisk)

        let response = try await submit(api)
        #expect(response.status.code == 507)
        #expect(response.status.reasonPhrase == "Insufficient Storage")
        #expect(response.errorMessage == "the controller's disk is full: new jobs are refused until space is freed")
        #expect(try await StoreFixture.count("jobs", in: api.database) == 0)
        #expect(try await StoreFixture.count("runs", in: api.database) == 0)
    }

    @Test func readsAreStillServed() async throws {
        let api = try await APIHarness.make(agents: ["web-1", "db-1"], online: ["web-1"])
        defer { api.cleanUp() }
        let before = try await submit(api).decode(API.Job.self)
        try await FullDiskFixture.fill(api.database, refusing: Self.fullDisk)

        let agents = try await api.request(.get, "/api/v1/agents")
        #expect(agents.status == .ok)
        #expect(try agents.decode([API.Agent].self).map(\.name).sorted() == ["db-1", "web-1"])
        let job = try await api.request(.get, "/api/v1/jobs/\(before.id)")
        #expect(job.status == .ok)
        #expect(try job.decode(API.Job.self).runs.count == 1)
        let history = try await api.request(.get, "/api/v1/agents/web-1/history")
        #expect(try history.decode([API.HistoryEntry].self).map(\.jobID) == [before.id])
    }

    @Test func anUnknownTokenIsStillRefusedOnAFullDisk() async throws {
        let api = try await APIHarness.make(agents: ["web-1"])
        defer { api.cleanUp() }
        try await FullDiskFixture.fill(api.database, refusing: Self.fullDisk)
        let response = try await api.request(.get, "/api/v1/agents", authorization: "Bearer stwa_not-a-token-0123456789")
        #expect(response.status == .unauthorized)
    }

    @Test func aFailingDiskAnswers503AndOtherErrorsAreNotStorageAnswers() {
        let failing = HTTPError(storage: StoreError(.ioFailure, StoreError.ioFailureMessage))
        #expect(failing.status == .serviceUnavailable)
        #expect(failing.body == StoreError.ioFailureMessage)
        let full = HTTPError(storage: StoreError(.diskFull, StoreError.diskFullMessage))
        #expect(full.status.code == 507)
    }
}
