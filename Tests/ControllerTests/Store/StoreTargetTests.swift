import Foundation
import Testing
@testable import StewardController

/// Target resolution reads only what it needs, and agrees with `TargetSelector.matches` on whole records.
@Suite("Store: job targets")
struct StoreTargetTests {
    static func fleet() async throws -> StewardDatabase {
        let store = try StoreFixture.database()
        try await store.insertAgent(StoreFixture.agent("web-2", labels: ["role": "web", "env": "prod"]))
        try await store.insertAgent(StoreFixture.agent("web-1", labels: ["role": "web", "env": "dev"]))
        try await store.insertAgent(StoreFixture.agent("db-1", labels: ["role": "db", "env": "prod"]))
        try await store.insertAgent(StoreFixture.agent("gone", labels: ["role": "web", "env": "prod"]))
        _ = try await store.revokeAgent(named: "gone", at: StoreFixture.at(1))
        return store
    }

    @Test(arguments: ["all", "web-1", "web-1,db-1,nobody", "web-*", "*-1", "role=web", "role=web,env=prod", "env=qa", "gone", "nobody"])
    func everySelectorMatchesWhatTheWholeRecordsMatchActiveOnly(_ text: String) async throws {
        let store = try await Self.fleet()
        let selector = try TargetSelector(parsing: text)
        let expected = try await store.agents()
            .filter { $0.status == .active && selector.matches(name: $0.name, labels: $0.labels) }
            .map(\.name).sorted()
        let targets = try await store.targets(selector)
        #expect(targets.map(\.name) == expected)
        #expect(targets.map(\.id) == expected.map { "agent-\($0)" })
        #expect(!targets.contains { $0.name == "gone" }, "a revoked agent is never a target")
    }

    @Test func labelsAreReadForALabelSelectorOrWhenAsked() async throws {
        let store = try await Self.fleet()
        #expect(try await store.targets(.names(["web-1"])).first?.labels == [:], "a name lookup skips the labels")
        #expect(try await store.targets(.names(["web-1"]), withLabels: true).first?.labels == ["role": "web", "env": "dev"])
        #expect(try await store.targets(.labels(["env": "prod"])).map(\.labels) == [
            ["role": "db", "env": "prod"], ["role": "web", "env": "prod"],
        ])
    }

    @Test func aJobsAgentNamesAreItsRunsOnlyRevokedIncluded() async throws {
        let store = try await Self.fleet()
        try await store.createJob(StoreFixture.job("j1"), agentIDs: ["agent-web-1", "agent-db-1"])
        _ = try await store.revokeAgent(named: "db-1", at: StoreFixture.at(2))
        #expect(try await store.agentNames(jobID: "j1") == ["agent-web-1": "web-1", "agent-db-1": "db-1"])
        #expect(try await store.agentNames(jobID: "nope") == [:])
        #expect(try await store.jobView(id: "j1").runs.map(\.agentName) == ["db-1", "web-1"])
    }
}
