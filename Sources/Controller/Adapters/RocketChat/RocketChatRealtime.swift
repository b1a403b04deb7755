/// The bot's side of one Realtime API session, as a pure state machine: connect, log in with the personal access
/// token, subscribe to the bot's messages, then answer heartbeats and hand messages on.
///
/// Each event returns one ``Action`` that the session (a thin WebSocket shell) carries out.
public struct RocketChatRealtime: Sendable {
    enum State: Sendable, Hashable {
        case awaitingConnected
        case awaitingLogin
        case awaitingSubscription
        case subscribed
        case ended
    }

    /// What the session does next.
    public enum Action: Sendable, Hashable {
        case send(String)
        /// The subscription is live: the connection is healthy.
        case subscribed
        case deliver(RocketChatMessage)
        /// The server refused the token at `login`; close and show the reason as refused credentials.
        case refuseCredentials(String)
        /// The session cannot go on (subscription refused or ended, unsupported DDP version); close and reconnect.
        case close(String)
        /// Nothing to do but say why in the log (a frame out of place, a server `error`).
        case log(String)
        case none
    }

    static let loginID = "steward-login"
    static let subscriptionID = "steward-messages"

    private(set) var state = State.awaitingConnected
    private let token: String

    public init(token: String) {
        self.token = token
    }

    /// The first frame, sent once the socket is open.
    public func opened() -> String {
        RocketChatDDPRequest.connect()
    }

    public var isSubscribed: Bool { state == .subscribed }

    public mutating func received(_ frame: RocketChatDDPFrame) -> Action {
        guard state != .ended else { return .none }
        switch frame {
        case .ping(let id):
            return .send(RocketChatDDPRequest.pong(id: id))
        case .connected where state == .awaitingConnected:
            state = .awaitingLogin
            return .send(RocketChatDDPRequest.login(id: Self.loginID, token: token))
        case .failed(let version):
            state = .ended
            return .close("the server does not speak DDP version 1 (it offers \(version.map(RocketChatText.shown) ?? "none"))")
        case .result(let id, let error) where id == Self.loginID && state == .awaitingLogin:
            if let error {
                state = .ended
                return .refuseCredentials(error.explanation)
            }
            state = .awaitingSubscription
            return .send(RocketChatDDPRequest.subscribeToMyMessages(id: Self.subscriptionID))
        case .ready(let subscriptions) where state == .awaitingSubscription && subscriptions.contains(Self.subscriptionID):
            state = .subscribed
            return .subscribed
        case .nosub(let id, let error) where id == Self.subscriptionID:
            state = .ended
            return .close("the server ended the message subscription: \(error?.explanation ?? "no reason given")")
        case .roomMessage(let message) where state == .subscribed:
            return .deliver(message)
        case .roomMessage:
            return .log("a room message arrived before the subscription was ready")
        case .error(let reason):
            return .log("the server could not read a frame: \(reason)")
        case .connected, .result, .ready, .nosub:
            return .log("an unexpected \(Self.kind(frame)) frame while \(state)")
        case .serverID, .pong, .ignored:
            return .none
        }
    }

    private static func kind(_ frame: RocketChatDDPFrame) -> String {
        switch frame {
        case .connected: "connected"
        case .result: "result"
        case .ready: "ready"
        case .nosub: "nosub"
        default: "other"
        }
    }
}
