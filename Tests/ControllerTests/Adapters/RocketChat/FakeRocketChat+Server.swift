import AsyncHTTPClient
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import HummingbirdWebSocket
import Logging
import NIOCore
@testable import StewardController

extension FakeRocketChat {
    /// Runs `body` with the fake listening on 127.0.0.1:0, given the server URL (`http://127.0.0.1:PORT`) and an HTTP
    /// client of its own. The client is shut down before the server: a keep-alive connection left in a shared pool
    /// can hold the server's graceful shutdown until the pool's idle timeout (ten minutes for `HTTPClient.shared`).
    static func withServer(_ fake: FakeRocketChat, _ body: @Sendable (String, HTTPClient) async throws -> Void) async throws {
        let router = Router()
        router.get("api/v1/me") { request, _ -> Response in
            await fake.askedForMe()
            guard authorized(request) else { return json(unauthorized, status: .unauthorized) }
            return json(#"{"_id":"\#(botID)","username":"steward","name":"Steward","status":"online","active":true,"roles":["bot"],"success":true}"#)
        }
        router.post("api/v1/chat.postMessage") { request, _ -> Response in
            guard authorized(request) else { return json(unauthorized, status: .unauthorized) }
            let body = try await object(request)
            if await fake.shouldRateLimit() {
                let reset = Int64(Date().timeIntervalSince1970 * 1000) + 2000
                var response = json(#"{"success":false,"error":"Error, too many requests. Please slow down. You must wait 1 seconds before trying this endpoint again. [error-too-many-requests]"}"#, status: .tooManyRequests)
                response.headers[HTTPField.Name("X-RateLimit-Reset")!] = "\(reset)"
                return response
            }
            guard let room = body["roomId"] as? String, let text = body["text"] as? String else {
                return json(#"{"success":false,"error":"The 'roomId' param is required"}"#, status: .badRequest)
            }
            let id = await fake.posted(Post(roomID: room, text: text, threadID: body["tmid"] as? String))
            return json(#"{"ts":1700000000000,"channel":"\#(room)","message":{"_id":"\#(id)","rid":"\#(room)","msg":"x","u":{"_id":"\#(botID)","username":"steward"}},"success":true}"#)
        }
        router.post("api/v1/chat.update") { request, _ -> Response in
            guard authorized(request) else { return json(unauthorized, status: .unauthorized) }
            let body = try await object(request)
            guard let room = body["roomId"] as? String, let id = body["msgId"] as? String, let text = body["text"] as? String else {
                return json(#"{"success":false,"error":"The required \"msgId\" param is missing."}"#, status: .badRequest)
            }
            await fake.updated(Update(roomID: room, messageID: id, text: text))
            return json(#"{"message":{"_id":"\#(id)","rid":"\#(room)","msg":"x"},"success":true}"#)
        }
        router.get("api/v1/rooms.info") { request, _ -> Response in
            guard authorized(request) else { return json(unauthorized, status: .unauthorized) }
            let id = request.uri.queryParameters.get("roomId") ?? ""
            guard let room = await fake.room(id) else {
                return json(#"{"success":false,"error":"The required \"roomId\" or \"roomName\" param provided does not match any group [error-room-not-found]","errorType":"error-room-not-found"}"#, status: .badRequest)
            }
            return json(#"{"room":{"_id":"\#(id)","t":"\#(room.type)","usersCount":\#(room.users),"msgs":12},"success":true}"#)
        }
        let app = Application(
            router: router,
            server: .http1WebSocketUpgrade { request, _, _ in
                guard request.path == "/websocket" else { return .dontUpgrade }
                return .upgrade([:]) { inbound, outbound, _ in
                    try await serve(fake, inbound: inbound, outbound: outbound)
                }
            },
            configuration: .init(address: .hostname("127.0.0.1", port: 0)),
            logger: Logger(label: "test.fake-rocketchat", factory: { _ in SwiftLogNoOpLogHandler() }))
        try await app.test(.live) { client in
            guard let port = client.port else { throw RocketChatError(.transport, "the fake Rocket.Chat has no port") }
            var configuration = HTTPClient.Configuration()
            configuration.connectionPool = .init(idleTimeout: .seconds(1))
            let http = HTTPClient(eventLoopGroup: HTTPClient.defaultEventLoopGroup, configuration: configuration)
            do {
                try await body("http://127.0.0.1:\(port)", http)
            } catch {
                try? await http.shutdown()
                throw error
            }
            try await http.shutdown()
        }
    }

    /// One DDP session as the server plays it.
    static func serve(_ fake: FakeRocketChat, inbound: WebSocketInboundStream, outbound: WebSocketOutboundWriter) async throws {
        _ = await fake.openSession()
        try await outbound.write(.text(#"{"server_id":"0"}"#))
        var frames = inbound.messages(maxSize: 1 << 20).makeAsyncIterator()
        while let message = try await frames.next() {
            guard case .text(let text) = message, let frame = try? JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any] else { continue }
            let id = frame["id"] as? String ?? ""
            switch frame["msg"] as? String {
            case "connect":
                try await outbound.write(.text(#"{"msg":"connected","session":"fakeSession\#(UUID().uuidString.prefix(8))"}"#))
            case "method" where frame["method"] as? String == "login":
                let resume = ((frame["params"] as? [[String: Any]])?.first)?["resume"] as? String
                if await fake.acceptsLogin(resume) {
                    try await outbound.write(.text(#"{"msg":"result","id":"\#(id)","result":{"id":"\#(botID)","token":"x","tokenExpires":{"$date":1900000000000},"type":"resume"}}"#))
                    try await outbound.write(.text(#"{"msg":"updated","methods":["\#(id)"]}"#))
                } else {
                    try await outbound.write(.text(#"{"msg":"result","id":"\#(id)","error":{"isClientSafe":true,"error":403,"reason":"\#(loggedOut)","message":"\#(loggedOut) [403]","errorType":"Meteor.Error"}}"#))
                }
            case "sub" where frame["name"] as? String == "stream-room-messages":
                guard await fake.acceptsSubscription() else {
                    try await outbound.write(.text(#"{"msg":"nosub","id":"\#(id)","error":{"isClientSafe":true,"error":"not-allowed","reason":"Not allowed","message":"Not allowed [not-allowed]","errorType":"Meteor.Error"}}"#))
                    continue
                }
                try await outbound.write(.text(#"{"msg":"ready","subs":["\#(id)"]}"#))
                for step in await fake.nextScript() ?? [] {
                    switch step {
                    case .send(let frame):
                        try await outbound.write(.text(frame))
                    case .ping(let pingID):
                        try await outbound.write(.text(#"{"msg":"ping","id":"\#(pingID)"}"#))
                        try await awaitPong(pingID, frames: &frames, fake: fake)
                    case .close:
                        // Let the client read what came before the close.
                        try await Task.sleep(for: .milliseconds(100))
                        return
                    }
                }
            case "pong":
                await fake.ponged(id)
            default:
                continue
            }
        }
    }

    private static func awaitPong(
        _ id: String, frames: inout WebSocketInboundMessageStream.AsyncIterator, fake: FakeRocketChat
    ) async throws {
        while let message = try await frames.next() {
            guard case .text(let text) = message, let frame = try? JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any],
                  frame["msg"] as? String == "pong"
            else { continue }
            await fake.ponged(frame["id"] as? String ?? "")
            if frame["id"] as? String == id { return }
        }
    }

    static func authorized(_ request: Request) -> Bool {
        request.headers[HTTPField.Name("X-User-Id")!] == botID && request.headers[HTTPField.Name("X-Auth-Token")!] == token
    }

    static func object(_ request: Request) async throws -> [String: Any] {
        let bytes = try await request.body.collect(upTo: 1 << 20)
        return (try JSONSerialization.jsonObject(with: Data(bytes.readableBytesView)) as? [String: Any]) ?? [:]
    }

    static func json(_ body: String, status: HTTPResponse.Status = .ok) -> Response {
        Response(status: status, headers: [.contentType: "application/json"], body: ResponseBody(byteBuffer: ByteBuffer(string: body)))
    }

    /// A `changed` frame on `stream-room-messages` carrying one message, as the Realtime API streams it.
    static func message(
        id: String, room: String = general, text: String, user: String = alice, username: String = "alice",
        thread: String? = nil, extra: String = "", roomFacts: Bool = false
    ) -> String {
        let quoted = String(decoding: (try? JSONEncoder().encode(text)) ?? Data("\"\"".utf8), as: UTF8.self)
        let threadField = thread.map { #","tmid":"\#($0)""# } ?? ""
        let facts = roomFacts ? #",{"roomParticipant":true,"roomType":"c","roomName":"general"}"# : ""
        return #"{"msg":"changed","collection":"stream-room-messages","id":"id","fields":{"eventName":"__my_messages__","args":[{"_id":"\#(id)","rid":"\#(room)","msg":\#(quoted),"ts":{"$date":1700000000000},"u":{"_id":"\#(user)","username":"\#(username)","name":"Alice"},"_updatedAt":{"$date":1700000000000},"mentions":[],"channels":[]\#(threadField)\#(extra)}\#(facts)]}}"#
    }
}
