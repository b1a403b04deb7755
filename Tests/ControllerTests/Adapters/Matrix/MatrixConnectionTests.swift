import Foundation
import Logging
import StewardProtocol
import Testing
@testable import StewardController

/// The sync loop against a fake homeserver: history skipped on a fresh start, the position saved and resumed,
/// invites, and health through token loss and outages.
@Suite("Matrix sync loop against a fake homeserver", .timeLimit(.minutes(1)))
struct MatrixConnectionTests {
    /// Messages the loop handed on, in order.
    actor Delivered {
        private(set) var messages: [ChatMessage] = []
        func add(_ message: ChatMessage) { messages.append(message) }
    }

    static func connection(_ url: String, directory: String, token: String = FakeMatrixHomeserver.token, rooms: [String] = [])
        -> MatrixConnection
    {
        MatrixConnection(
            settings: .init(
                name: "matrix", homeserver: url, userID: FakeMatrixHomeserver.bot, accessToken: token, rooms: rooms,
                joinOnInvite: false, names: [], prefix: "!", syncTimeout: .seconds(30), maxEventAge: .seconds(600),
                stateDirectory: directory),
            logger: Logger(label: "test.matrix", factory: { _ in SwiftLogNoOpLogHandler() }),
            sleep: { _ in try await Task.sleep(for: .milliseconds(5)) })
    }

    static func directory() -> String { NSTemporaryDirectory() + "steward-matrix-loop-\(UUID().uuidString)/chat/matrix" }

    /// Runs the loop until `done` holds (or 20 s pass), then cancels it.
    static func running(_ connection: MatrixConnection, _ delivered: Delivered, until what: String,
                        _ done: @Sendable () async -> Bool) async throws {
        let task = Task { await connection.run { message, _ in await delivered.add(message) } }
        defer { task.cancel() }
        try await until(what, done)
        task.cancel()
        await task.value
    }

    static func sync(_ batch: String, _ bodies: [(String, String)], room: String = MatrixMessageReaderTests.room) -> String {
        MatrixMessageReaderTests.sync(bodies.map { MatrixMessageReaderTests.text($0.1, id: $0.0) }, room: room, batch: batch)
    }

    @Test func aFreshStartSkipsHistoryThenRunsNewCommandsAndSavesThePosition() async throws {
        try await FakeMatrixHomeserver.withServer { fake, url in
            let directory = Self.directory()
            await fake.queueSync(Self.sync("s1", [("$old", "steward: reboot all")]), Self.sync("s2", [("$new", "steward: metrics all")]))
            let connection = Self.connection(url, directory: directory)
            let delivered = Delivered()
            try await Self.running(connection, delivered, until: "the new command") { await delivered.messages.count == 1 }

            #expect(await delivered.messages.map(\.eventID) == ["$new"], "the initial sync's timeline is history, not commands")
            let syncs = await fake.syncs
            #expect(syncs[0].query["since"] == nil && syncs[0].query["timeout"] == "0")
            #expect(syncs[1].query["since"] == "s1" && syncs[1].query["timeout"] == "30000", "long-polls once live")
            #expect(syncs[0].query["filter"] == MatrixConnection.syncFilter)
            #expect(try MatrixSyncCursor(directory: directory, homeserver: url, userID: FakeMatrixHomeserver.bot).load() == "s2")
            #expect(try SecureFile.permissions(of: "\(directory)/sync-token.json") == 0o600)
            let health = await connection.health.snapshot
            #expect(health.lastEventAt != nil)
            #expect(health.summary == "disconnected: stopped", "a cancelled loop no longer counts as connected")
        }
    }

    @Test func aRestartResumesFromTheSavedPositionAndRunsWhatArrivedMeanwhile() async throws {
        try await FakeMatrixHomeserver.withServer { fake, url in
            let directory = Self.directory()
            try MatrixSyncCursor(directory: directory, homeserver: url, userID: FakeMatrixHomeserver.bot).save("s7")
            await fake.queueSync(Self.sync("s8", [("$while-down", "steward: ping all")]))
            let delivered = Delivered()
            try await Self.running(Self.connection(url, directory: directory), delivered, until: "the command sent while down") {
                await delivered.messages.count == 1
            }
            #expect(await fake.syncs.first?.query["since"] == "s7")
            #expect(await fake.syncs.first?.query["timeout"] == "0", "the first sync after a start does not wait")
            #expect(await delivered.messages.first?.text == "ping all")
        }
    }

    @Test func aRefusedTokenIsReportedAndRetriedUntilItWorksAgain() async throws {
        try await FakeMatrixHomeserver.withServer { fake, url in
            await fake.acceptToken("syt_new")
            let connection = Self.connection(url, directory: Self.directory())
            let task = Task { await connection.run { _, _ in } }
            defer { task.cancel() }
            try await Self.until("the refusal shows in health") { await connection.health.snapshot.authFailure == "M_UNKNOWN_TOKEN" }
            let refused = await connection.health.snapshot
            #expect(!refused.isHealthy)
            #expect(refused.summary == "credentials refused: M_UNKNOWN_TOKEN")
            try await Self.until("it keeps trying") { await fake.requests.count >= 3 }
            // The operator fixes the server side: the loop recovers by itself.
            await fake.acceptToken(FakeMatrixHomeserver.token)
            try await Self.until("healthy again") { await connection.health.snapshot.isHealthy }
            task.cancel()
            await task.value
        }
    }

    @Test func anOutageDisconnectsThenTheLoopReconnects() async throws {
        try await FakeMatrixHomeserver.withServer { fake, url in
            let connection = Self.connection(url, directory: Self.directory())
            let task = Task { await connection.run { _, _ in } }
            defer { task.cancel() }
            try await Self.until("connected") { await connection.health.snapshot.connected }
            await fake.setUnreachable(true)
            try await Self.until("disconnected") { await !connection.health.snapshot.connected }
            #expect(await connection.health.snapshot.summary.hasPrefix("disconnected: matrix transport"))
            await fake.setUnreachable(false)
            try await Self.until("reconnected") { await connection.health.snapshot.connected }
            #expect(await connection.health.snapshot.reconnects == 1)
            task.cancel()
            await task.value
        }
    }

    @Test func invitesToListedRoomsAreAcceptedOthersIgnored() async throws {
        try await FakeMatrixHomeserver.withServer { fake, url in
            let invite = """
                {"next_batch":"s1","rooms":{"invite":{
                  "!listed":{"invite_state":{"events":[{"type":"m.room.member","sender":"@alice:example.org","state_key":"@steward:example.org","content":{"membership":"invite"}}]}},
                  "!other:example.org":{"invite_state":{"events":[{"type":"m.room.member","sender":"@mallory:example.org","state_key":"@steward:example.org","content":{"membership":"invite"}}]}}}}}
                """
            await fake.queueSync(invite)
            let connection = Self.connection(url, directory: Self.directory(), rooms: ["!listed"])
            try await Self.running(connection, Delivered(), until: "the second sync") { await fake.syncs.count >= 2 }
            let joins = await fake.requests.filter { $0.method == "POST" }.map(\.path)
            // Once at start (listed but not joined), once for the invite; never the unlisted room.
            #expect(joins == ["/_matrix/client/v3/join/%21listed", "/_matrix/client/v3/join/%21listed"])
        }
    }

    static func until(_ what: String, _ condition: @Sendable () async -> Bool) async throws {
        let deadline = ContinuousClock.now + .seconds(20)
        while await !condition() {
            guard ContinuousClock.now < deadline else { throw MatrixError(.transport, "timed out waiting for: \(what)") }
            try await Task.sleep(for: .milliseconds(10))
        }
    }
}
