import Foundation

/// The bodies inbound webhooks accept.
enum WebhookPayload {
    /// Largest body read; commands are one line.
    static let maxBodyBytes = 64 * 1024
    /// Delivery ids and timestamps used as event ids are short printable ASCII.
    static let maxIDLength = 128

    /// Steward style: `{"text": "metrics all"}`.
    struct Command: Decodable {
        var text: String
    }

    /// A Slack-compatible outgoing webhook (Slack's legacy outgoing webhooks, BearyChat, Mattermost and
    /// Rocket.Chat outgoing integrations): form-encoded or JSON fields; `token` is the shared secret.
    struct Outgoing: Sendable {
        var token: String
        var userID: String
        var userName: String?
        var channel: String
        var text: String
        var triggerWord: String?
        /// The message's timestamp (`1355517523.000005`): unique per channel, so it identifies a retry.
        var timestamp: String

        static func parse(_ body: [UInt8], contentType: String?) throws -> Outgoing {
            let fields: [String: String]
            if contentType?.lowercased().hasPrefix("application/json") == true {
                guard let object = try? JSONSerialization.jsonObject(with: Data(body)) as? [String: Any] else {
                    throw WebhookError(.malformedPayload, "the body is not a JSON object")
                }
                fields = object.compactMapValues { value in
                    if let string = value as? String { return string }
                    if let number = value as? NSNumber { return number.stringValue }
                    return nil
                }
            } else {
                var components = URLComponents()
                components.percentEncodedQuery = String(decoding: body, as: UTF8.self).replacingOccurrences(of: "+", with: "%20")
                fields = Dictionary((components.queryItems ?? []).map { ($0.name, $0.value ?? "") }, uniquingKeysWith: { first, _ in first })
            }
            func field(_ names: String...) -> String? {
                names.lazy.compactMap { fields[$0] }.first { !$0.isEmpty }
            }
            guard let token = field("token") else { throw WebhookError(.unauthenticated, "the payload has no token") }
            guard let user = field("user_id", "user_name"), let channel = field("channel_id", "channel_name"),
                  let text = field("text"), let timestamp = field("timestamp", "ts", "message_id", "post_id", "trigger_id"),
                  user.utf8.count <= maxIDLength, channel.utf8.count <= maxIDLength, timestamp.utf8.count <= maxIDLength
            else {
                throw WebhookError(.malformedPayload, "an outgoing webhook needs user_id, channel_id, text and timestamp")
            }
            return Outgoing(
                token: token, userID: user, userName: field("user_name"), channel: channel, text: text,
                triggerWord: field("trigger_word"), timestamp: timestamp)
        }

        /// The text without the trigger word that made the platform call us.
        var command: String {
            var rest = Substring(text.trimmingCharacters(in: .whitespaces))
            if let triggerWord, !triggerWord.isEmpty, rest.lowercased().hasPrefix(triggerWord.lowercased()) {
                rest = rest.dropFirst(triggerWord.count)
                while let first = rest.first, first == ":" || first == "," || first.isWhitespace { rest = rest.dropFirst() }
            }
            return String(rest)
        }
    }

    /// Delivery ids: 1-128 printable ASCII characters.
    static func isValidID(_ id: String) -> Bool {
        !id.isEmpty && id.utf8.count <= maxIDLength && id.utf8.allSatisfy { (0x21...0x7E).contains($0) }
    }
}
