import Foundation
import Hummingbird

/// The console rooms and the engine behind them.
public struct ChatRooms: Sendable {
    public let engine: ChatEngine
    public let log: ConsoleRoomLog

    public init(engine: ChatEngine, log: ConsoleRoomLog) {
        self.engine = engine
        self.log = log
    }
}

/// `/api/v1/chat`: the terminal and web console rooms. The speaker is the API token's owner.
struct ChatRoutes {
    let chat: ChatRooms

    func register(on group: RouterGroup<APIRequestContext>) {
        group.post("chat/messages") { request, context -> API.ChatAccepted in
            let post = try await request.decode(as: API.ChatPost.self, context: context)
            guard post.platform == "terminal" || post.platform == "web" else {
                throw HTTPError(.badRequest, message: "platform must be terminal or web")
            }
            guard Self.isRoomName(post.room) else { throw HTTPError(.badRequest, message: "room names use 1-64 letters, digits, '.', '_' or '-'") }
            guard !post.text.isEmpty, post.text.utf8.count <= 4096 else { throw HTTPError(.badRequest, message: "text must be 1 to 4096 bytes") }
            guard !post.eventID.isEmpty, post.eventID.utf8.count <= 128 else { throw HTTPError(.badRequest, message: "event_id must be 1 to 128 bytes") }
            let user = context.tokenName ?? "unknown"
            await chat.log.append(room: post.room, author: user, reply: .text(post.text))
            let message = ChatMessage(
                platform: post.platform, room: post.room, userID: user, displayName: user, text: post.text,
                eventID: post.eventID, isDirect: true)
            await chat.engine.handle(message, via: ConsoleChatAdapter(platform: post.platform, log: chat.log))
            return API.ChatAccepted(accepted: true)
        }
        group.get("chat/rooms/:room/messages") { request, context -> API.ChatPage in
            let room = try context.parameters.require("room")
            guard Self.isRoomName(room) else { throw HTTPError(.badRequest, message: "bad room name") }
            let after = request.uri.queryParameters.get("after", as: Int64.self) ?? 0
            return await chat.log.page(room: room, after: after)
        }
    }

    static func isRoomName(_ text: String) -> Bool {
        (1...64).contains(text.count) && TargetSelector.isName(text)
    }
}

extension API.ChatPage: ResponseEncodable {}
extension API.ChatAccepted: ResponseEncodable {}
