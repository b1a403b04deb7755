import Foundation
import Testing
@testable import StewardController

/// Output too long for a Slack message goes up as a file in the thread (getUploadURLExternal, the bytes,
/// completeUploadExternal); the message keeps a summary. Short output and running jobs upload nothing.
@Suite("Slack long output as a file", .timeLimit(.minutes(1)))
struct SlackFileUploadTests {
    /// 1,000 lines of 100 bytes each (with the newline): 100,000 bytes of output.
    static let output = (1...1000).map { "line \(String(format: "%05d", $0)) " + String(repeating: "x", count: 88) }.joined(separator: "\n")

    @Test func aHundredKilobyteReplyArrivesWholeAsAFileInTheThread() async throws {
        try await FakeSlackWebAPI.withServer { fake, url in
            let reply = ChatReply([.text("job J1 `run logs` on 1 host, asked by alice"), .text("1 succeeded"), .code(Self.output)])
            let posted = try await SlackAdapterTests.adapter(url).post(reply, room: "C1", thread: "1700000000.000100")

            let calls = await fake.calls
            #expect(calls.map(\.method) == ["chat.postMessage", "files.getUploadURLExternal", "files.completeUploadExternal"])
            let summary = try #require(calls.first?.body["text"])
            #expect(summary.count < SlackAdapter.maxMessageLength)
            #expect(!summary.contains("line 00001"), "the output itself is in the file, not the message")
            #expect(summary.contains("1 succeeded"))
            #expect(calls[1].contentType == "application/x-www-form-urlencoded")

            let expected = Array(reply.plainText.utf8)
            #expect(Self.output.utf8.count == 99_999)
            #expect(expected.count == 99_999 + "job J1 `run logs` on 1 host, asked by alice\n1 succeeded\n".utf8.count)
            let uploads = await fake.uploads
            #expect(uploads.count == 1)
            let upload = try #require(uploads.first)
            #expect(upload.length == expected.count)
            #expect(upload.bytes?.count == expected.count)
            #expect(upload.bytes == expected, "complete, byte for byte")
            #expect(upload.uploadAuthorization == nil, "the pre-signed URL never gets the bot token")
            #expect(upload.completed)
            #expect(upload.channelID == "C1")
            #expect(upload.threadTS == "1700000000.000100")
            #expect(upload.title == "job J1 `run logs` on 1 host, asked by alice")
            #expect(upload.initialComment == "full output (\(expected.count) bytes)")
            #expect(posted.messageID == "1700000001.000100")
        }
    }

    @Test func aTopLevelReplyUploadsIntoItsOwnThread() async throws {
        try await FakeSlackWebAPI.withServer { fake, url in
            let posted = try await SlackAdapterTests.adapter(url).post(ChatReply([.code(Self.output)]), room: "C9", thread: nil)
            #expect(await fake.uploads.first?.threadTS == posted.messageID)
            #expect(await fake.uploads.first?.channelID == "C9")
        }
    }

    @Test func aShortReplyOrARunningJobUploadsNothing() async throws {
        try await FakeSlackWebAPI.withServer { fake, url in
            let adapter = SlackAdapterTests.adapter(url)
            let posted = try await adapter.post(ChatReply([.text("ok"), .code(String(repeating: "y", count: 39_000))]), room: "C1", thread: "1.1")
            var running = ChatReply([.text("0/1 hosts done"), .code(Self.output)])
            running.isPartial = true
            try await adapter.edit(posted, with: running)
            let calls = await fake.calls
            #expect(calls.map(\.method) == ["chat.postMessage", "chat.update"])
            #expect(await fake.uploads.isEmpty)
            #expect((calls[1].body["text"] ?? "").count <= SlackAdapter.maxMessageLength, "progress is cut, not uploaded")
        }
    }

    @Test func aFinishedJobsLongOutputIsUploadedOnceThroughTheEngine() async throws {
        let harness = try await DispatcherHarness(agents: ["web-01"])
        try await harness.connect("web-01")
        let engine = ChatEngine(
            database: harness.database, dispatcher: harness.dispatcher, policy: try ChatPolicy.parse(yaml: SlackRetryDedupeTests.policy),
            progressInterval: .milliseconds(10), logger: SlackEventsEndpointTests.quiet)
        try await FakeSlackWebAPI.withServer { fake, url in
            await engine.handle(
                ChatMessage(platform: "slack", room: "C1", thread: "1700000000.000100", userID: "U061F7AUR", displayName: "alice",
                            text: "ping web-01", eventID: "EvUpload"),
                via: SlackAdapterTests.adapter(url))
            let job = try #require(try await harness.database.recentJobs(limit: 1).first)
            let lines = Self.output.split(separator: "\n")
            try await harness.send(DispatcherHarness.output(jobID: job.id, offset: 0, lines[..<500].joined(separator: "\n") + "\n"), from: "web-01")
            let first = lines[..<500].joined(separator: "\n").utf8.count + 1
            try await harness.send(DispatcherHarness.output(jobID: job.id, offset: UInt64(first), lines[500...].joined(separator: "\n")), from: "web-01")
            try await harness.finish(job, by: "web-01")
            try await eventually { await fake.uploads.first?.completed == true }
            try await Task.sleep(for: .milliseconds(300))

            let uploads = await fake.uploads
            #expect(uploads.count == 1, "the final state only, once")
            let text = String(decoding: try #require(uploads.first?.bytes), as: UTF8.self)
            let outputLines = text.split(separator: "\n").filter { $0.hasPrefix("web-01 | line ") }
            #expect(outputLines.count == 1000)
            #expect(outputLines.map { $0.dropFirst("web-01 | ".count) } == lines, "every line, in order, whole")
            #expect(uploads.first?.threadTS == "1700000000.000100")
            let updates = await fake.calls.filter { $0.method == "chat.update" }
            #expect(updates.allSatisfy { ($0.body["text"] ?? "").count <= SlackAdapter.maxMessageLength })
        }
    }
}
