/// Block Kit for replies that offer buttons (approve / deny): the text as `mrkdwn` sections, then the buttons.
///
/// Each button's `value` is the command it stands for; pressing it comes back as an interactive `block_actions`
/// payload (see ``SlackInteraction``) and runs as the person who pressed it, under the same policy as typing it.
enum SlackBlocks {
    /// Slack's limit for a section's text.
    static let maxSectionLength = 3000
    static let actionPrefix = "steward.command."

    struct Text: Encodable {
        var type: String
        var text: String
    }

    struct Element: Encodable {
        var type = "button"
        var text: Text
        var actionID: String
        var value: String
        var style: String?

        enum CodingKeys: String, CodingKey {
            case type, text, value, style
            case actionID = "action_id"
        }
    }

    struct Block: Encodable {
        var type: String
        var text: Text?
        var blockID: String?
        var elements: [Element]?

        enum CodingKeys: String, CodingKey {
            case type, text, elements
            case blockID = "block_id"
        }
    }

    /// Blocks for `mrkdwn` plus `actions`; nil when there are no actions (a plain `text` message is enough).
    static func blocks(mrkdwn: String, actions: [ChatAction]) -> [Block]? {
        guard !actions.isEmpty else { return nil }
        let sections = sections(mrkdwn, max: 45)
        let buttons = actions.prefix(5).enumerated().map { index, action in
            Element(text: Text(type: "plain_text", text: String(action.label.prefix(75))), actionID: "\(actionPrefix)\(index)",
                    value: String(action.command.prefix(2000)), style: action.style?.rawValue)
        }
        return sections + [Block(type: "actions", blockID: "steward.actions", elements: Array(buttons))]
    }

    /// A decided approval request: its text, then the decision where the buttons were (none are left to press).
    static func decided(mrkdwn: String, decision: String) -> [Block] {
        sections(mrkdwn, max: 44) + [Block(type: "section", text: Text(type: "mrkdwn", text: String(decision.prefix(maxSectionLength))), blockID: "steward.decision")]
    }

    /// `mrkdwn` as sections of at most ``maxSectionLength`` characters (Slack allows 50 blocks a message).
    static func sections(_ mrkdwn: String, max: Int) -> [Block] {
        var sections: [Block] = []
        var rest = Substring(mrkdwn)
        while !rest.isEmpty, sections.count < max {
            let piece = rest.prefix(maxSectionLength)
            sections.append(Block(type: "section", text: Text(type: "mrkdwn", text: String(piece))))
            rest = rest.dropFirst(piece.count)
        }
        return sections
    }
}
