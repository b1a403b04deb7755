import Foundation

/// Renders a ``ChatReply`` as Rocket.Chat message text (Markdown, code in ``` fences).
///
/// Cut to the server's `Message_MaxAllowedSize` (5,000 by default), counted as Rocket.Chat counts (JavaScript
/// string length, UTF-16 units), with an open fence closed and a marker saying so; and with `@all` / `@here`
/// broken by a zero-width space, so job output or an echoed command never notifies a whole room.
public enum RocketChatRendering {
    /// Rocket.Chat's default `Message_MaxAllowedSize`.
    public static let defaultMaxMessageLength = 5000
    static let truncationMarker = "\n… (cut at Rocket.Chat's message size limit)"

    public static func text(_ reply: ChatReply, limit: Int = defaultMaxMessageLength) -> String {
        let rendered = withoutMassMentions(reply.markdown)
        guard rendered.utf16.count > limit else { return rendered }
        // Room for the marker and a closing fence.
        var cut = prefix(rendered, utf16Units: max(limit - truncationMarker.utf16.count - 4, 0))
        if cut.components(separatedBy: "```").count % 2 == 0 { cut += "\n```" }
        return cut + truncationMarker
    }

    /// The longest prefix of whole characters that fits in `units` UTF-16 units.
    static func prefix(_ text: String, utf16Units units: Int) -> String {
        var used = 0
        var end = text.startIndex
        for index in text.indices {
            let size = text[index].utf16.count
            guard used + size <= units else { break }
            used += size
            end = text.index(after: index)
        }
        return String(text[..<end])
    }

    /// `@all` and `@here` notify everyone in the room; the bot never means that.
    static func withoutMassMentions(_ text: String) -> String {
        text.replacingOccurrences(of: "@(all|here)", with: "@\u{200B}$1", options: [.regularExpression, .caseInsensitive])
    }
}
