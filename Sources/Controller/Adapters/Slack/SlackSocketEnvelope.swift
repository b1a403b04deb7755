import Foundation

/// One Socket Mode frame: `hello`, `disconnect`, or an `events_api` / `interactive` / `slash_commands`
/// envelope that must be acknowledged by its `envelope_id` within 3 seconds.
struct SlackSocketEnvelope: Decodable, Sendable {
    var type: String
    var envelopeID: String?
    /// For `events_api`: the same envelope the Events API would POST.
    var payload: SlackEventEnvelope?
    /// For `disconnect`: `refresh_requested`, `warning`, `link_disabled`, ...
    var reason: String?
    var retryAttempt: Int?

    /// For `slash_commands`: the form fields Slack would POST, as JSON.
    var slashCommand: SlackSlashCommand?
    /// For `interactive`: a button press.
    var interaction: SlackInteraction?

    enum CodingKeys: String, CodingKey {
        case type, payload, reason
        case envelopeID = "envelope_id"
        case retryAttempt = "retry_attempt"
    }

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        type = try container.decode(String.self, forKey: .type)
        envelopeID = try container.decodeIfPresent(String.self, forKey: .envelopeID)
        reason = try container.decodeIfPresent(String.self, forKey: .reason)
        retryAttempt = try? container.decodeIfPresent(Int.self, forKey: .retryAttempt)
        // Payload shapes differ by type; one we do not read must not make the frame unreadable (it is still acked).
        switch type {
        case "events_api": payload = try? container.decodeIfPresent(SlackEventEnvelope.self, forKey: .payload)
        case "slash_commands": slashCommand = try? container.decodeIfPresent(SlackSlashCommand.self, forKey: .payload)
        case "interactive": interaction = try? container.decodeIfPresent(SlackInteraction.self, forKey: .payload)
        default: break
        }
    }

    /// Frames are small JSON objects; anything else is a fault of the peer.
    static func parse(_ text: String) throws -> SlackSocketEnvelope {
        do {
            let envelope = try JSONDecoder().decode(SlackSocketEnvelope.self, from: Data(text.utf8))
            if let id = envelope.envelopeID, id.isEmpty || id.utf8.count > 256 {
                throw SlackError(.malformedPayload, "a Socket Mode envelope id must be 1-256 bytes")
            }
            return envelope
        } catch let error as SlackError {
            throw error
        } catch {
            throw SlackError(.malformedPayload, "a Socket Mode frame is not a Slack envelope")
        }
    }

    /// The acknowledgement Slack waits for; sent before the event is handled.
    static func acknowledgement(_ envelopeID: String) -> String {
        let encoded = (try? JSONEncoder().encode(["envelope_id": envelopeID])).map { String(decoding: $0, as: UTF8.self) }
        return encoded ?? "{}"
    }
}

/// A slash command (`/steward metrics all`): run as the user who typed it, answered in the channel.
struct SlackSlashCommand: Decodable, Sendable {
    var command: String
    var text: String
    var userID: String
    var userName: String?
    var channelID: String
    var triggerID: String

    enum CodingKeys: String, CodingKey {
        case command, text
        case userID = "user_id"
        case userName = "user_name"
        case channelID = "channel_id"
        case triggerID = "trigger_id"
    }

    /// The command as a chat message addressed to the bot; the trigger id is unique per invocation.
    var chatMessage: ChatMessage? {
        guard !userID.isEmpty, !channelID.isEmpty, !triggerID.isEmpty else { return nil }
        return ChatMessage(
            platform: "slack", room: channelID, thread: nil, userID: userID, displayName: userName ?? userID,
            text: text.trimmingCharacters(in: .whitespacesAndNewlines), eventID: "slash:\(triggerID)")
    }
}
