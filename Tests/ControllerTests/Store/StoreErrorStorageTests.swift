import Foundation
import GRDB
import Testing
@testable import StewardController

@Suite("Store storage failures", .timeLimit(.minutes(1)))
struct StoreErrorStorageTests {
    static let sqliteCodes: [(ResultCode, StoreError.Code?)] = [
        (.SQLITE_FULL, .diskFull),
        (.SQLITE_IOERR, .ioFailure),
        (.SQLITE_IOERR_WRITE, .ioFailure),
        (.SQLITE_IOERR_FSYNC, .ioFailure),
        (.SQLITE_IOERR_SHMSIZE, .ioFailure),
        (.SQLITE_CONSTRAINT, nil),
        (.SQLITE_CONSTRAINT_UNIQUE, nil),
        (.SQLITE_BUSY, nil),
        (.SQLITE_READONLY, nil),
        (.SQLITE_CORRUPT, nil),
    ]

    @Test(arguments: sqliteCodes)
    func classifiesSQLiteResultCodes(_ code: ResultCode, _ expected: StoreError.Code?) {
        let classified = StoreError(storageFailure: DatabaseError(resultCode: code, message: "from SQLite"))
        #expect(classified?.code == expected)
    }

    @Test func namesTheFullDiskInWordsThatSayWhatHappensToJobs() throws {
        let full = try #require(StoreError(storageFailure: DatabaseError(resultCode: .SQLITE_FULL)))
        #expect(full.message == "the controller's disk is full: new jobs are refused until space is freed")
        let failing = try #require(StoreError(storageFailure: DatabaseError(resultCode: .SQLITE_IOERR_WRITE)))
        #expect(failing.message.hasPrefix("the controller's disk failed a read or write (I/O error)"))
    }

    @Test func storeErrorsKeepTheirCodeAndOthersAreNotStorageFailures() {
        #expect(StoreError(storageFailure: StoreError(.diskFull, "grouped write")) == StoreError(.diskFull, "grouped write"))
        #expect(StoreError(storageFailure: StoreError(.ioFailure, "x"))?.code == .ioFailure)
        #expect(StoreError(storageFailure: StoreError(.notFound, "no job")) == nil)
        #expect(StoreError(storageFailure: StoreError(.conflict, "dup")) == nil)
        #expect(StoreError(storageFailure: CancellationError()) == nil)
    }

    @Test func aJobInsertOnADatabaseThatCannotGrowIsADiskFullAndLeavesNoRows() async throws {
        let store = try StoreFixture.database()
        try await store.insertAgent(StoreFixture.agent("web-1"))
        try await FullDiskFixture.fill(store, refusing: [.init(table: "jobs", event: "INSERT")])

        let error = await #expect(throws: DatabaseError.self) {
            try await store.createJob(StoreFixture.job("01JOBAAAAAAAAAAAAAAAAAAAAA"), agentIDs: ["agent-web-1"])
        }
        #expect(error?.resultCode == .SQLITE_FULL)
        #expect(error.flatMap { StoreError(storageFailure: $0) }?.code == .diskFull)
        #expect(try await StoreFixture.count("jobs", in: store) == 0)
        #expect(try await StoreFixture.count("runs", in: store) == 0)
        #expect(try await StoreFixture.count("ballast", in: store) == 0)
    }

    @Test func aGroupedWriteOnADatabaseThatCannotGrowReportsADiskFull() async throws {
        let store = try StoreFixture.database()
        try await store.insertAgent(StoreFixture.agent("web-1"))
        try await FullDiskFixture.fill(store, refusing: [.init(table: "agents", event: "UPDATE")])

        var caught: (any Error)?
        do {
            try await store.touchAgent(id: "agent-web-1", lastSeen: StoreFixture.at(5))
        } catch {
            caught = error
        }
        let error = try #require(caught)
        #expect(StoreError(storageFailure: error)?.code == .diskFull, "\(error)")
        #expect(try await store.agent(id: "agent-web-1")?.lastSeenAt == nil)
    }

    @Test func aTokenStillAuthenticatesWhenItsUseCannotBeRecorded() async throws {
        let store = try StoreFixture.database()
        try await store.insertAPIToken(APITokenRecord(
            id: "01TOKAAAAAAAAAAAAAAAAAAAAA", name: "admin", tokenHash: Data("h1".utf8), role: "admin", createdAt: StoreFixture.t0))
        #expect(try await store.apiToken(hash: Data("h1".utf8), now: StoreFixture.at(10))?.lastUsedAt == StoreFixture.at(10))
        try await FullDiskFixture.fill(store, refusing: [.init(table: "api_tokens", event: "UPDATE")])

        let found = try #require(try await store.apiToken(hash: Data("h1".utf8), now: StoreFixture.at(100)))
        #expect(found.name == "admin")
        #expect(found.lastUsedAt == StoreFixture.at(10), "the use at 100 s could not be recorded")
        #expect(try await store.apiToken(hash: Data("unknown".utf8), now: StoreFixture.at(20)) == nil)
    }
}
