import Foundation
import GRDB
import Testing
@testable import StewardController

/// The chat engine over a store that cannot grow (SQLite's own SQLITE_FULL, see ``FullDiskFixture``).
@Suite("Chat on a full disk", .timeLimit(.minutes(1)))
struct ChatEngineDiskFullTests {
    static let fullDiskReply = "error: the controller's disk is full: new jobs and chat commands are refused until space is freed"

    @Test func aJobRequestIsRefusedWithTheReasonWhenTheJobCannotBeStored() async throws {
        let room = try await ChatEngineTests.Room()
        try await FullDiskFixture.fill(room.harness.database, refusing: [.init(table: "jobs", event: "INSERT")])
        let answer = await room.say("alice", "ping all")
        #expect(answer == [Self.fullDiskReply])
        #expect(try await room.jobCount() == 0)
    }

    @Test func anyCommandIsRefusedWithTheReasonWhenNothingCanBeRecorded() async throws {
        let room = try await ChatEngineTests.Room()
        try await FullDiskFixture.fill(room.harness.database, refusing: [.init(table: "chat_event_ids", event: "INSERT")])
        #expect(await room.say("bob", "agents") == [Self.fullDiskReply])
        #expect(await room.say("alice", "ping all") == [Self.fullDiskReply])
        #expect(try await room.jobCount() == 0)
        #expect(try await StoreFixture.count("audit_events", in: room.harness.database) == 0)
    }

    @Test func failuresOtherThanAFullDiskKeepTheirOwnWords() {
        #expect(ChatEngine.failureText(DatabaseError(resultCode: .SQLITE_IOERR_FSYNC))
            == "error: the controller's disk failed a read or write (I/O error): new jobs and chat commands are refused until it works again")
        #expect(ChatEngine.failureText(StoreError(.notFound, "no job 01ABC")) == "error: StoreError.notFound: no job 01ABC")
    }
}
