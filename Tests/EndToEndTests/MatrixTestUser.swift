import Foundation

/// A person on the test homeserver, talking through its client-server API with curl (the end-to-end target
/// links no HTTP client).
struct MatrixTestUser: Sendable {
    let homeserver: String
    let userID: String
    let token: String

    /// One call; returns the JSON object the homeserver answered, or throws with its status and body.
    @discardableResult
    func call(_ method: String, _ path: String, _ body: [String: Any]? = nil) async throws -> [String: Any] {
        var arguments = ["-sS", "-m", "15", "-X", method, "-H", "Authorization: Bearer \(token)", "-w", "\n%{http_code}"]
        if let body {
            let json = String(decoding: try JSONSerialization.data(withJSONObject: body), as: UTF8.self)
            arguments += ["-H", "Content-Type: application/json", "--data-binary", json]
        }
        let output = try await Harness.run("/usr/bin/curl", arguments + [homeserver + path], timeout: .seconds(20))
        let lines = output.stdout.split(separator: "\n", omittingEmptySubsequences: false)
        guard output.status == 0, let status = lines.last.flatMap({ Int($0) }), (200..<300).contains(status) else {
            throw HarnessError("\(method) \(path) as \(userID) failed: \(output.stdout) \(output.stderr)")
        }
        let text = lines.dropLast().joined(separator: "\n")
        return (try JSONSerialization.jsonObject(with: Data(text.utf8))) as? [String: Any] ?? [:]
    }

    func createRoom(inviting invitees: [String]) async throws -> String {
        let answer = try await call("POST", "/_matrix/client/v3/createRoom", ["name": "ops", "preset": "private_chat", "invite": invitees])
        guard let room = answer["room_id"] as? String else { throw HarnessError("createRoom answered \(answer)") }
        return room
    }

    func send(_ text: String, in room: String) async throws -> String {
        let path = "/_matrix/client/v3/rooms/\(Self.encoded(room))/send/m.room.message/e2e-\(UUID().uuidString)"
        let answer = try await call("PUT", path, ["msgtype": "m.text", "body": text])
        guard let event = answer["event_id"] as? String else { throw HarnessError("send answered \(answer)") }
        return event
    }

    func joinedMembers(of room: String) async throws -> Set<String> {
        let answer = try await call("GET", "/_matrix/client/v3/rooms/\(Self.encoded(room))/joined_members")
        return Set((answer["joined"] as? [String: Any] ?? [:]).keys)
    }

    /// The room's latest events, oldest first.
    func timeline(of room: String) async throws -> [[String: Any]] {
        let answer = try await call("GET", "/_matrix/client/v3/rooms/\(Self.encoded(room))/messages?dir=b&limit=200")
        return ((answer["chunk"] as? [[String: Any]]) ?? []).reversed()
    }

    static func encoded(_ segment: String) -> String {
        segment.addingPercentEncoding(withAllowedCharacters: CharacterSet(charactersIn: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")) ?? segment
    }
}

/// The bot's messages in a room as people see them: each original with its edits applied.
struct BotReplies {
    struct Reply {
        var eventID: String
        var original: String
        var edits: Int
        /// The latest edit's `m.new_content` (or the original when never edited).
        var body: String
        var formattedBody: String
    }

    var replies: [Reply] = []

    init(timeline: [[String: Any]], bot: String) {
        for event in timeline where event["sender"] as? String == bot && event["type"] as? String == "m.room.message" {
            let content = event["content"] as? [String: Any] ?? [:]
            let relation = content["m.relates_to"] as? [String: Any]
            if relation?["rel_type"] as? String == "m.replace", let target = relation?["event_id"] as? String,
               let index = replies.firstIndex(where: { $0.eventID == target }) {
                let new = content["m.new_content"] as? [String: Any] ?? [:]
                replies[index].edits += 1
                replies[index].body = new["body"] as? String ?? ""
                replies[index].formattedBody = new["formatted_body"] as? String ?? ""
            } else if let id = event["event_id"] as? String {
                let body = content["body"] as? String ?? ""
                replies.append(Reply(eventID: id, original: body, edits: 0, body: body, formattedBody: content["formatted_body"] as? String ?? ""))
            }
        }
    }
}
