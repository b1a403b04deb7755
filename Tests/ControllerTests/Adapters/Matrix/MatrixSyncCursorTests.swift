import Foundation
import StewardProtocol
import Testing
@testable import StewardController

@Suite("Matrix sync position on disk")
struct MatrixSyncCursorTests {
    static func directory() -> String {
        NSTemporaryDirectory() + "steward-matrix-cursor-\(UUID().uuidString)/chat/matrix"
    }

    @Test func aSavedPositionIsPrivateAndSurvivesARestart() throws {
        let directory = Self.directory()
        let cursor = MatrixSyncCursor(directory: directory, homeserver: "https://m.org", userID: "@s:m.org")
        #expect(try cursor.load() == nil)
        try cursor.save("s72595_4483_1934")
        #expect(try SecureFile.permissions(of: cursor.path) == 0o600)
        #expect(try SecureFile.permissions(of: directory) == 0o700)
        try cursor.save("s72596_4483_1935")
        let restarted = MatrixSyncCursor(directory: directory, homeserver: "https://m.org", userID: "@s:m.org")
        #expect(try restarted.load() == "s72596_4483_1935")
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: directory)
        #expect(leftovers == ["sync-token.json"], "written atomically, no temp files left")
    }

    @Test func aPositionOfAnotherAccountOrServerIsNotUsed() throws {
        let directory = Self.directory()
        try MatrixSyncCursor(directory: directory, homeserver: "https://m.org", userID: "@s:m.org").save("s1")
        #expect(try MatrixSyncCursor(directory: directory, homeserver: "https://m.org", userID: "@other:m.org").load() == nil)
        #expect(try MatrixSyncCursor(directory: directory, homeserver: "https://n.org", userID: "@s:m.org").load() == nil)
    }

    @Test func aCorruptFileIsAnError() throws {
        let directory = Self.directory()
        let cursor = MatrixSyncCursor(directory: directory, homeserver: "https://m.org", userID: "@s:m.org")
        try SecureFile.ensurePrivateDirectory(directory)
        try SecureFile.write(Array("not json".utf8), to: cursor.path)
        #expect { try cursor.load() } throws: { ($0 as? MatrixError)?.code == .malformedResponse }
    }
}
