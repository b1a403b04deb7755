import Logging
import Testing
@testable import StewardController

/// A job followed on IRC: no edits, so the engine's progress reaches the channel as new lines for what
/// changed (one line per change in finished hosts, then the summary), never the whole message again.
@Suite(.timeLimit(.minutes(1))) struct IRCJobProgressTests {
    static let policy = """
        identities:
          - {platform: irc, user: "alice!~alice@127.0.0.1", roles: [viewer]}
        roles:
          viewer:
            rules: [{commands: [ping], targets: all}]
        """

    /// Waits until the outbox holds lines and no more arrive for a moment, then takes them all.
    static func lines(_ outbox: IRCOutbox) async throws -> [String] {
        try await eventually { outbox.count > 0 }
        try await Task.sleep(for: .milliseconds(300))
        return await IRCAdapterTests.drain(outbox).map { String($0.dropFirst("#ops ".count)) }
    }

    @Test func progressIsOneLinePerChangeThenTheSummary() async throws {
        let harness = try await DispatcherHarness(agents: ["web-01", "web-02"])
        try await harness.connect("web-01")
        try await harness.connect("web-02")
        let engine = ChatEngine(
            database: harness.database, dispatcher: harness.dispatcher, policy: try ChatPolicy.parse(yaml: Self.policy),
            progressInterval: .milliseconds(10), logger: Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() }))
        let outbox = IRCOutbox()
        let adapter = IRCAdapter(outbox: outbox, maxLines: 30)
        await engine.handle(
            ChatMessage(platform: "irc", room: "#ops", userID: "alice!~alice@127.0.0.1", displayName: "alice", text: "ping all", eventID: "E.1"),
            via: adapter)
        let acknowledged = try await Self.lines(outbox)
        #expect(acknowledged.count == 2 && acknowledged[0].hasSuffix("`ping` on 2 hosts, asked by alice") && acknowledged[1] == "0/2 hosts done",
                "\(acknowledged)")
        let record = try #require(try await harness.database.recentJobs(limit: 1).first)

        try await harness.accept(record, by: "web-01")
        try await harness.finish(record, by: "web-01")
        #expect(try await Self.lines(outbox) == ["1/2 hosts done: 1 succeeded"])

        try await harness.accept(record, by: "web-02")
        try await harness.finish(record, by: "web-02")
        let final = try await Self.lines(outbox)
        #expect(final.first == "job \(record.id) ping on 2 hosts: 2 succeeded", "\(final)")
        #expect(!final.contains { $0.contains("asked by alice") || $0.contains("hosts done") }, "nothing said twice: \(final)")
        #expect(final.contains { $0.hasPrefix("web-02") })
    }
}
