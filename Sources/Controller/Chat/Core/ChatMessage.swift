/// A message a person sent on a chat platform, as every adapter delivers it.
public struct ChatMessage: Sendable, Hashable {
    /// `slack`, `mattermost`, `matrix`, `irc`, `terminal`, `web`, ...
    public var platform: String
    /// The platform's room or channel id.
    public var room: String
    /// The thread the message belongs to, where the platform has threads.
    public var thread: String?
    /// The platform's immutable user id: the only identity policy trusts (never the display name).
    public var userID: String
    public var displayName: String
    public var text: String
    /// The platform's event id: a retried delivery carries the same one, so it runs nothing twice.
    public var eventID: String
    public var isDirect: Bool

    public init(
        platform: String, room: String, thread: String? = nil, userID: String, displayName: String, text: String,
        eventID: String, isDirect: Bool = false
    ) {
        self.platform = platform
        self.room = room
        self.thread = thread
        self.userID = userID
        self.displayName = displayName
        self.text = text
        self.eventID = eventID
        self.isDirect = isDirect
    }

    /// `platform:user`, as written in audit rows and policy files.
    public var actor: String { "\(platform):\(userID)" }
}

/// What the bot says back: blocks that each adapter renders in its platform's format.
public struct ChatReply: Sendable, Hashable {
    public enum Block: Sendable, Hashable {
        case text(String)
        /// Preformatted text (output, tables): a code block where the platform has them.
        case code(String)
    }

    public var blocks: [Block]
    /// Commands offered as buttons where the platform has them (Slack Block Kit); the blocks already say
    /// how to type them, so platforms without buttons lose nothing.
    public var actions: [ChatAction] = []
    /// A progress state that later edits replace (a running job); adapters skip costly extras such as file uploads for it.
    public var isPartial = false

    public init(_ blocks: [Block], actions: [ChatAction] = []) {
        self.blocks = blocks
        self.actions = actions
    }

    public static func text(_ text: String) -> ChatReply { ChatReply([.text(text)]) }

    /// Plain-text rendering (terminal, IRC, logs): code blocks indented by nothing, separated by lines.
    public var plainText: String {
        blocks.map { block in
            switch block {
            case .text(let text): text
            case .code(let code): code
            }
        }.joined(separator: "\n")
    }

    /// Markdown rendering (Slack, Mattermost, Matrix bodies, the web console).
    public var markdown: String {
        blocks.map { block in
            switch block {
            case .text(let text): text
            case .code(let code): "```\n\(code.replacingOccurrences(of: "```", with: "ʼʼʼ"))\n```"
            }
        }.joined(separator: "\n")
    }
}

/// A command offered as a button: pressing it sends `command` as the person who pressed it.
public struct ChatAction: Sendable, Hashable {
    public enum Style: String, Sendable, Hashable {
        case primary, danger
    }

    public var label: String
    public var command: String
    public var style: Style?

    public init(label: String, command: String, style: Style? = nil) {
        self.label = label
        self.command = command
        self.style = style
    }
}

/// What a platform can do with the bot's messages.
public struct ChatCapabilities: Sendable, Hashable {
    public var supportsEdits: Bool
    public var supportsThreads: Bool
    /// Longest message the platform accepts, in characters.
    public var maxMessageLength: Int
    /// Without edits, progress still goes to ``ChatAdapter/edit(_:with:)``, which posts only the lines that
    /// changed (IRC: a short progress line, then the summary); otherwise only the final state is posted.
    public var postsChangedLines: Bool

    public init(supportsEdits: Bool, supportsThreads: Bool, maxMessageLength: Int, postsChangedLines: Bool = false) {
        self.supportsEdits = supportsEdits
        self.supportsThreads = supportsThreads
        self.maxMessageLength = maxMessageLength
        self.postsChangedLines = postsChangedLines
    }
}

/// A message the bot posted, so it can be edited as a job progresses.
public struct PostedMessage: Sendable, Hashable {
    public var room: String
    public var thread: String?
    public var messageID: String

    public init(room: String, thread: String?, messageID: String) {
        self.room = room
        self.thread = thread
        self.messageID = messageID
    }
}

/// The outgoing side of one chat platform.
public protocol ChatAdapter: Sendable {
    var platform: String { get }
    var capabilities: ChatCapabilities { get }
    /// Posts a reply in a room (in `thread` where the platform has threads).
    func post(_ reply: ChatReply, room: String, thread: String?) async throws -> PostedMessage
    /// Replaces a posted message's content; adapters without edits post a new line instead.
    func edit(_ message: PostedMessage, with reply: ChatReply) async throws
    /// An approval request was decided or found expired; adapters that showed it with buttons replace them with
    /// the outcome (best effort: failures are the adapter's to record). Default: nothing.
    func approvalClosed(_ ticketID: String, _ outcome: ChatApprovalOutcome) async
}
