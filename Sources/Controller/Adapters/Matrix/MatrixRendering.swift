/// Renders a ``ChatReply`` as Matrix message content: Markdown-ish plain `body`, escaped HTML `formatted_body`
/// (code blocks as `<pre><code>`), cut so that the whole event stays under the homeserver's 64 KiB limit.
public enum MatrixRendering {
    /// Room events are limited to 65,536 bytes as JSON with their envelope; the content gets this much of it.
    public static let maxContentBytes = 48 * 1024
    static let truncationMarker = "… (truncated)"

    /// A new message, in `thread` when the asker wrote in one.
    public static func message(_ reply: ChatReply, thread: String?, limit: Int) -> MatrixMessageContent {
        fitting(reply, limit: limit) { body in
            MatrixMessageContent(body: body, relatesTo: thread.map(MatrixMessageContent.Relation.thread))
        }
    }

    /// An edit of the bot's message `original`: `m.new_content` plus a `* ...` fallback for clients without edits.
    public static func replacement(of original: String, with reply: ChatReply, limit: Int) -> MatrixMessageContent {
        fitting(reply, limit: limit) { body in
            var fallback = body
            fallback.body = "* " + body.body
            fallback.formattedBody = "* " + body.formattedBody
            return MatrixMessageContent(body: fallback, relatesTo: .replacement(of: original), newContent: body)
        }
    }

    /// Builds content from the reply cut to `limit` characters, halving the limit until the JSON fits.
    static func fitting(
        _ reply: ChatReply, limit: Int, _ make: (MatrixMessageContent.Body) -> MatrixMessageContent
    ) -> MatrixMessageContent {
        var limit = max(limit, 64)
        while true {
            let cut = truncated(reply, limit: limit)
            let content = make(MatrixMessageContent.Body(body: cut.markdown, formattedBody: html(cut)))
            if limit <= 64 || ((try? content.encoded().count) ?? Int.max) <= maxContentBytes { return content }
            limit /= 2
        }
    }

    /// The reply with at most `limit` characters of text, cut inside a block, which keeps fences and tags balanced.
    static func truncated(_ reply: ChatReply, limit: Int) -> ChatReply {
        var left = limit
        var blocks: [ChatReply.Block] = []
        for block in reply.blocks {
            let text: String
            switch block {
            case .text(let value), .code(let value): text = value
            }
            guard text.count > left else {
                blocks.append(block)
                left -= text.count
                continue
            }
            let head = String(text.prefix(max(left, 0)))
            if !head.isEmpty {
                switch block {
                case .text: blocks.append(.text(head))
                case .code: blocks.append(.code(head))
                }
            }
            blocks.append(.text(truncationMarker))
            break
        }
        return ChatReply(blocks)
    }

    /// `formatted_body`: text blocks escaped with `<br>` line breaks, code blocks in `<pre><code>`.
    public static func html(_ reply: ChatReply) -> String {
        var html = ""
        var previousWasText = false
        for block in reply.blocks {
            switch block {
            case .text(let text):
                if previousWasText { html += "<br>" }
                html += escaped(text).replacingOccurrences(of: "\n", with: "<br>")
                previousWasText = true
            case .code(let code):
                html += "<pre><code>\(escaped(code))</code></pre>"
                previousWasText = false
            }
        }
        return html
    }

    /// Escapes the five characters that could open a tag, an entity or leave an attribute.
    public static func escaped(_ text: String) -> String {
        var result = ""
        result.reserveCapacity(text.utf8.count)
        for character in text {
            switch character {
            case "&": result += "&amp;"
            case "<": result += "&lt;"
            case ">": result += "&gt;"
            case "\"": result += "&quot;"
            case "'": result += "&#39;"
            default: result.append(character)
            }
        }
        return result
    }
}
