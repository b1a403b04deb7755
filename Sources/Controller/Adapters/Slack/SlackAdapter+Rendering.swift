extension SlackAdapter {
    static let filename = "steward-output.txt"
    /// Code blocks up to this size (a run table) stay in the summary of an uploaded reply; longer ones are in the file.
    static let summaryCodeLimit = 2000

    /// Slack mrkdwn: `&`, `<` and `>` escaped (else `<...>` would be read as links or mentions), code in ``` fences,
    /// cut to `limit` characters with the fence closed so the tail does not turn into code.
    static func mrkdwn(_ reply: ChatReply, limit: Int = maxMessageLength) -> String {
        let rendered = ChatReply(reply.blocks.map { block in
            switch block {
            case .text(let text): .text(escaped(text))
            case .code(let code): .code(escaped(code))
            }
        }).markdown
        guard rendered.count > limit else { return rendered }
        let marker = "\n… (truncated)"
        var cut = String(rendered.prefix(max(limit - marker.count - 4, 0)))
        if cut.components(separatedBy: "```").count % 2 == 0 { cut += "\n```" }
        return cut + marker
    }

    static func escaped(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;")
    }

    /// The message kept beside an uploaded reply: its text and short code blocks, and where the rest went.
    static func summary(of reply: ChatReply) -> ChatReply {
        var blocks = reply.blocks.filter { block in
            if case .code(let code) = block { return code.count <= summaryCodeLimit }
            return true
        }
        blocks.append(.text("full output in the file \(filename) below (\(reply.plainText.utf8.count) bytes)"))
        return ChatReply(blocks, actions: reply.actions)
    }

    /// The uploaded file's title: the reply's first line (`job 01J… ping on 3 hosts, asked by alice`).
    static func title(of reply: ChatReply) -> String {
        let first = reply.plainText.split(separator: "\n", maxSplits: 1).first.map(String.init) ?? ""
        return first.isEmpty ? "steward output" : String(first.prefix(200))
    }

    /// What replaces an approval request's buttons.
    static func decision(_ outcome: ChatApprovalOutcome) -> String {
        switch outcome {
        case .approved(let person): "✅ Approved by \(mention(person))"
        case .denied(let person): "⛔ Denied by \(mention(person))"
        case .withdrawn(let person): "↩️ Withdrawn by \(mention(person))"
        case .expired: "⌛ Expired: nobody decided in time"
        }
    }

    /// `<@U…>` for a Slack user id; anyone else by their escaped policy identity.
    static func mention(_ identity: ChatPolicy.Identity) -> String {
        let isSlackID = identity.platform == "slack" && !identity.userID.isEmpty && identity.userID.utf8.count <= 32
            && identity.userID.unicodeScalars.allSatisfy { $0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0)) }
        return isSlackID ? "<@\(identity.userID)>" : escaped(identity.description)
    }
}
