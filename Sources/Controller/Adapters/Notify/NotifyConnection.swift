import Foundation
import Logging
import NIOCore

/// Outbound notifications to an incoming-webhook URL (Slack, Mattermost, Rocket.Chat, Teams and other
/// `{"text": ...}` receivers, a DingTalk or a Feishu/Lark custom bot): jobs finished, agents offline,
/// approvals waiting.
///
/// ```yaml
/// chat:
///   - platform: notify
///     name: ops-room
///     url_env: OPS_ROOM_WEBHOOK            # or url_file; the URL carries its own secret
///     events: [job_finished, agent_offline, approval_requested]   # default: all
///     offline_after: 60s                   # an agent must stay away this long (a restart is not an outage)
///     console_url: https://steward.example.com   # optional: links to the job page
///   - platform: notify
///     name: ops-dingtalk
///     format: dingtalk                     # a DingTalk custom robot: {"msgtype": "markdown", ...}
///     url_file: /etc/steward/dingtalk-robot-url      # https://oapi.dingtalk.com/robot/send?access_token=...
///     secret_file: /etc/steward/dingtalk-robot-secret   # the robot's SEC... signing secret (optional)
///   - platform: notify
///     name: ops-feishu
///     format: feishu                       # a Feishu/Lark custom bot: {"msg_type": "text", ...}, signed in the body
///     url_file: /etc/steward/feishu-bot-url          # https://open.feishu.cn/open-apis/bot/v2/hook/...
///     secret_file: /etc/steward/feishu-bot-secret    # the bot's signature-verification secret (optional)
/// ```
/// Delivery is best effort with three attempts; the audit trail and job history remain the record.
public struct NotifyConnection: ChatConnection {
    public struct Settings: Sendable {
        public var name: String
        public var url: String
        public var events: Set<String>
        public var offlineAfter: Duration
        public var consoleURL: String?
        /// What the receiver expects: `{"text": ...}` or a DingTalk robot's markdown message.
        public var format: Format = .text
        /// The custom bot's signing secret (`format: dingtalk` or `feishu` only).
        public var secret: String? = nil
    }

    public enum Format: String, Sendable, CaseIterable {
        case text, dingtalk, feishu
    }

    /// Where a notification goes, in the receiver's format.
    enum Delivery: Sendable {
        case text(WebhookReplyClient)
        case dingtalk(DingTalkRobotClient)
        case feishu(FeishuRobot)
    }

    public let settings: Settings
    public let health: ChatHealthMonitor
    let parts: ControllerParts
    let events: AsyncStream<ControllerEvent>
    let delivery: Delivery
    let logger: Logger
    let retryDelay: Duration

    public var name: String { settings.name }

    public init(
        settings: Settings, parts: ControllerParts, logger: Logger, retryDelay: Duration = .seconds(2),
        deliveryTimeout: TimeAmount = .seconds(15)
    ) {
        self.settings = settings
        self.parts = parts
        // Subscribed at construction, before anything runs, so no event is missed.
        self.events = parts.events.subscribe()
        self.health = ChatHealthMonitor(name: settings.name, platform: "notify", connected: true)
        switch settings.format {
        case .text:
            self.delivery = .text(WebhookReplyClient(url: settings.url, health: health, timeout: deliveryTimeout))
        case .dingtalk:
            self.delivery = .dingtalk(DingTalkRobotClient(url: settings.url, secret: settings.secret, health: health, timeout: deliveryTimeout))
        case .feishu:
            self.delivery = .feishu(FeishuRobot(url: settings.url, secret: settings.secret, timeout: deliveryTimeout))
        }
        self.logger = logger
        self.retryDelay = retryDelay
    }

    public static func settings(_ entry: ChatConnectionSettings) throws(ChatSettingsError) -> Settings {
        let url = try entry.secret("url")
        guard let parsed = URL(string: url), ["http", "https"].contains(parsed.scheme?.lowercased() ?? ""), parsed.host != nil else {
            throw entry.error(.invalidValue, entry.has("url_file") ? "url_file" : "url_env", "the notification URL is not an http(s) URL")
        }
        let events = try entry.strings("events")
        for event in events where !ControllerEvent.kinds.contains(event) {
            throw entry.error(.invalidValue, "events", "'\(event)' is not an event (known: \(ControllerEvent.kinds.joined(separator: ", ")))")
        }
        let consoleURL = entry.has("console_url") ? try entry.url("console_url") : nil
        let format = Format(rawValue: try entry.choice("format", Format.allCases.map(\.rawValue), default: "text")) ?? .text
        let secret = try entry.optionalSecret("secret")
        if secret != nil, format == .text {
            throw entry.error(.invalidValue, entry.has("secret_file") ? "secret_file" : "secret_env",
                              "a signing secret belongs to format: dingtalk or feishu")
        }
        let settings = Settings(
            name: entry.name, url: url, events: Set(events.isEmpty ? ControllerEvent.kinds : events),
            offlineAfter: try entry.duration("offline_after", default: .seconds(60), max: .seconds(86_400)), consoleURL: consoleURL,
            format: format, secret: secret)
        try entry.finish()
        return settings
    }

    public func run(engine: ChatEngine) async {
        await withDiscardingTaskGroup { group in
            for await event in events where settings.events.contains(event.kind) {
                group.addTask { await notify(event) }
            }
        }
    }

    func notify(_ event: ControllerEvent) async {
        do {
            guard let text = try await describe(event) else { return }
            for attempt in 1...3 {
                do {
                    try await send(text, event: event)
                    return
                } catch {
                    logger.warning("notification not delivered", metadata: [
                        "chat.connection": "\(name)", "event": "\(event.kind)", "attempt": "\(attempt)", "error": "\(error)",
                    ])
                    if attempt < 3 { try await Task.sleep(for: retryDelay * attempt) }
                }
            }
        } catch {
            logger.debug("notification abandoned", metadata: ["chat.connection": "\(name)", "error": "\(error)"])
        }
    }

    func send(_ text: String, event: ControllerEvent) async throws {
        switch delivery {
        case .text(let client):
            try await client.send(text: text)
        case .dingtalk(let robot):
            try await robot.send(title: "Steward: \(event.kind.replacingOccurrences(of: "_", with: " "))", markdown: text)
        case .feishu(let robot):
            do {
                try await robot.send(text: text)
                await health.callSucceeded()
            } catch {
                await health.callFailed("\(error)")
                throw error
            }
        }
    }

    /// The message for an event, or nil when there is nothing to say (an agent already back).
    func describe(_ event: ControllerEvent) async throws -> String? {
        switch event {
        case .jobFinished(let jobID):
            let view = try await parts.database.jobView(id: jobID)
            let failed = view.runs.contains { $0.status != "succeeded" }
            let link = settings.consoleURL.map { " — \($0)/#/jobs/\(jobID)" } ?? ""
            return "\(failed ? "⚠" : "✔") job \(jobID) `\(view.command)` on \(view.target) by \(view.requestedBy): \(JobReport.summary(view))\(link)"
        case .agentDisconnected(let agentID):
            try await Task.sleep(for: settings.offlineAfter)
            guard await !parts.registry.isOnline(agentID), let agent = try await parts.database.agent(id: agentID),
                  agent.status == .active
            else { return nil }
            return "⚠ agent \(agent.name) is offline (for \(Int(settings.offlineAfter.components.seconds)) s)"
        case .approvalRequested(let ticket, let summary, let requester, let roles):
            return "✋ \(requester) asks to run \(summary); someone with role \(roles.joined(separator: " or ")) can reply `approve \(ticket)` or `deny \(ticket)`"
        }
    }
}
