import Foundation
import Hummingbird
import HummingbirdTesting
import HummingbirdWebSocket
import Logging
import NIOCore
@testable import StewardController

/// A fake Rocket.Chat server built from the documented payloads: the REST API (`me`, `chat.postMessage`,
/// `chat.update`, `rooms.info`; `X-User-Id` + `X-Auth-Token`) and the Realtime API at `/websocket` (DDP: `server_id`,
/// `connected`, `login` with a resume token, `sub` answered by `ready` or `nosub`, `ping`/`pong`). Each WebSocket
/// session plays a script once subscribed; a session without script (or whose script ends without `close`) stays
/// open until the client leaves.
actor FakeRocketChat {
    static let token = "pat-9HqLlyZOugoStsXCUfD_0YdwnNnunAJF8V47U3QHXSq"
    static let botID = "botUserIdAAAAAAAA"
    static let alice = "aobEdbYhXfu5hkeqG"
    static let general = "GENERAL"
    /// A direct room of alice and the bot: the two user ids joined, as Rocket.Chat names them.
    static let direct = alice + botID
    static let unauthorized = #"{"success":false,"error":"You must be logged in to do this.","status":"error","message":"You must be logged in to do this."}"#
    static let loggedOut = "You've been logged out by the server. Please log in again."

    enum Step: Sendable {
        case send(String)
        /// Sends `{"msg":"ping","id":...}` and waits (up to 5 s) for the client's `pong`.
        case ping(id: String)
        /// Ends the session (the client reconnects).
        case close
    }

    struct Post: Sendable, Hashable {
        var roomID: String
        var text: String
        var threadID: String?
    }

    struct Update: Sendable, Hashable {
        var roomID: String
        var messageID: String
        var text: String
    }

    private var scripts: [[Step]]
    /// Sessions whose `login` is refused (the first N).
    private var refusedLogins: Int
    /// Sessions whose `sub` is answered with `nosub` (the first N that log in).
    private var refusedSubscriptions: Int
    /// `chat.postMessage` calls answered 429 before one is accepted.
    private var rateLimitedPosts: Int
    private(set) var sessions = 0
    private(set) var subscribed = 0
    private(set) var pongs: [String] = []
    private(set) var posts: [Post] = []
    private(set) var updates: [Update] = []
    private(set) var roomLookups: [String] = []
    private(set) var meCalls = 0
    private(set) var rateLimitAnswers = 0
    private var nextMessage = 0
    /// Room id → (type, users).
    private let rooms: [String: (type: String, users: Int)] = [
        general: ("c", 40), direct: ("d", 2), "OPSPRIVATE": ("p", 5), "GROUPDM": ("d", 3),
    ]

    init(scripts: [[Step]] = [], refusedLogins: Int = 0, refusedSubscriptions: Int = 0, rateLimitedPosts: Int = 0) {
        self.scripts = scripts
        self.refusedLogins = refusedLogins
        self.refusedSubscriptions = refusedSubscriptions
        self.rateLimitedPosts = rateLimitedPosts
    }

    func openSession() -> Int {
        sessions += 1
        return sessions
    }

    func nextScript() -> [Step]? { scripts.isEmpty ? nil : scripts.removeFirst() }

    func acceptsLogin(_ token: String?) -> Bool {
        if refusedLogins > 0 {
            refusedLogins -= 1
            return false
        }
        return token == Self.token
    }

    func acceptsSubscription() -> Bool {
        if refusedSubscriptions > 0 {
            refusedSubscriptions -= 1
            return false
        }
        subscribed += 1
        return true
    }

    func ponged(_ id: String) { pongs.append(id) }
    func hasPong(_ id: String) -> Bool { pongs.contains(id) }
    func askedForMe() { meCalls += 1 }

    func shouldRateLimit() -> Bool {
        guard rateLimitedPosts > 0 else { return false }
        rateLimitedPosts -= 1
        rateLimitAnswers += 1
        return true
    }

    func posted(_ post: Post) -> String {
        posts.append(post)
        nextMessage += 1
        return "reply\(nextMessage)AAAAAAAAAA"
    }

    func updated(_ update: Update) { updates.append(update) }

    func room(_ id: String) -> (type: String, users: Int)? {
        roomLookups.append(id)
        return rooms[id]
    }
}
