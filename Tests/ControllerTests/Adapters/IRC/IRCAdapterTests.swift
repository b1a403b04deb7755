import Testing
@testable import StewardController

/// Replies as lines in the outbox: posts, edits that send only what changed, the line cap.
@Suite(.timeLimit(.minutes(1))) struct IRCAdapterTests {
    /// Everything queued, as `target text`.
    static func drain(_ outbox: IRCOutbox) async -> [String] {
        var lines: [String] = []
        while outbox.count > 0, let line = await outbox.next() {
            lines.append("\(line.target) \(line.text)")
        }
        return lines
    }

    @Test func capabilitiesSayNoEditsNoThreadsButChangedLines() {
        let adapter = IRCAdapter(outbox: IRCOutbox(), maxLines: 30)
        #expect(adapter.capabilities == ChatCapabilities(supportsEdits: false, supportsThreads: false, maxMessageLength: 2000, postsChangedLines: true))
        #expect(adapter.platform == "irc")
    }

    @Test func aPostBecomesCleanLinesInItsRoom() async throws {
        let outbox = IRCOutbox()
        let adapter = IRCAdapter(outbox: outbox, maxLines: 30)
        let posted = try await adapter.post(ChatReply([.text("job 1 `metrics` on 2 hosts"), .code("a\r\nQUIT :x\n\u{1}b")]), room: "#ops", thread: "ignored")
        #expect(posted.room == "#ops" && posted.thread == nil)
        #expect(await Self.drain(outbox) == ["#ops job 1 `metrics` on 2 hosts", "#ops a", "#ops QUIT :x", "#ops b"])
    }

    @Test func anEditSendsOnlyTheLinesThatChanged() async throws {
        let outbox = IRCOutbox()
        let adapter = IRCAdapter(outbox: outbox, maxLines: 30)
        let posted = try await adapter.post(ChatReply([.text("job 1 on 3 hosts"), .text("0/3 hosts done")]), room: "#ops", thread: nil)
        _ = await Self.drain(outbox)
        try await adapter.edit(posted, with: ChatReply([.text("job 1 on 3 hosts"), .text("0/3 hosts done")]))
        #expect(await Self.drain(outbox).isEmpty, "nothing changed, nothing sent")
        try await adapter.edit(posted, with: ChatReply([.text("job 1 on 3 hosts"), .text("2/3 hosts done: 2 succeeded")]))
        #expect(await Self.drain(outbox) == ["#ops 2/3 hosts done: 2 succeeded"])
        try await adapter.edit(posted, with: ChatReply([
            .text("job 1 on 3 hosts"), .text("metrics on 3 hosts: 3 succeeded"), .code("HOST  CPU%\nweb-1 3\nweb-2 3\nweb-3 3"),
        ]))
        #expect(await Self.drain(outbox) == [
            "#ops metrics on 3 hosts: 3 succeeded", "#ops HOST  CPU%", "#ops web-1 3", "#ops web-2 3", "#ops web-3 3",
        ])
    }

    @Test func repeatedLinesCountOnce() async throws {
        let outbox = IRCOutbox()
        let adapter = IRCAdapter(outbox: outbox, maxLines: 30)
        let posted = try await adapter.post(.text("ok"), room: "#ops", thread: nil)
        _ = await Self.drain(outbox)
        try await adapter.edit(posted, with: .text("ok\nok"))
        #expect(await Self.drain(outbox) == ["#ops ok"], "the second 'ok' is new")
    }

    @Test func aLongReplyIsCutWithANote() async throws {
        let outbox = IRCOutbox()
        let adapter = IRCAdapter(outbox: outbox, maxLines: 5)
        _ = try await adapter.post(.text((1...50).map { "line \($0)" }.joined(separator: "\n")), room: "alice", thread: nil)
        let lines = await Self.drain(outbox)
        #expect(lines.count == 5)
        #expect(lines.prefix(4) == ["alice line 1", "alice line 2", "alice line 3", "alice line 4"])
        #expect(lines.last?.contains("46 more lines not shown") == true)
    }

    @Test func aFullOutboxRefusesTheWholeReply() async throws {
        let outbox = IRCOutbox(capacity: 3)
        let adapter = IRCAdapter(outbox: outbox, maxLines: 30)
        _ = try await adapter.post(.text("a\nb"), room: "#ops", thread: nil)
        let error = await #expect(throws: IRCError.self) {
            _ = try await adapter.post(.text("c\nd"), room: "#ops", thread: nil)
        }
        #expect(error?.code == .outboxFull)
        #expect(outbox.count == 2, "all or nothing")
    }
}
