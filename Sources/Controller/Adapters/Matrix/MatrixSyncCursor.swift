import Foundation
import StewardProtocol

/// Where the bot's `/sync` stands (`next_batch`), kept in the connection's private state directory so that a
/// restarted controller resumes there instead of starting over (which would skip what arrived meanwhile).
///
/// The file (`sync-token.json`, 0600, replaced atomically) names the homeserver and account it belongs to: a
/// token from another account or server is never used.
public struct MatrixSyncCursor: Sendable {
    public let directory: String
    public let homeserver: String
    public let userID: String

    public init(directory: String, homeserver: String, userID: String) {
        self.directory = directory
        self.homeserver = homeserver
        self.userID = userID
    }

    public var path: String { directory + "/sync-token.json" }

    struct Stored: Codable, Equatable {
        var homeserver: String
        var userID: String
        var nextBatch: String

        enum CodingKeys: String, CodingKey {
            case homeserver
            case userID = "user_id"
            case nextBatch = "next_batch"
        }
    }

    /// The saved token; nil when none was saved for this homeserver and account. Throws when the file exists
    /// but cannot be read as one.
    public func load() throws -> String? {
        let bytes: [UInt8]
        do {
            bytes = try SecureFile.read(path, maxSize: 64 * 1024)
        } catch let error as SecureFileError where error.code == .notFound {
            return nil
        }
        let stored: Stored
        do {
            stored = try JSONDecoder().decode(Stored.self, from: Data(bytes))
        } catch {
            throw MatrixError(.malformedResponse, "\(path) is not a saved sync position")
        }
        guard stored.homeserver == homeserver, stored.userID == userID, !stored.nextBatch.isEmpty else { return nil }
        return stored.nextBatch
    }

    /// Saves `nextBatch` (creating the 0700 directory on first use).
    public func save(_ nextBatch: String) throws {
        try SecureFile.ensurePrivateDirectory(directory)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let data = try encoder.encode(Stored(homeserver: homeserver, userID: userID, nextBatch: nextBatch))
        try SecureFile.write(Array(data) + [0x0A], to: path, mode: 0o600)
    }
}
