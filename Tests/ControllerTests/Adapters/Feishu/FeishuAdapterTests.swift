import Foundation
import Hummingbird
import HummingbirdTesting
import Logging
import Synchronization
import Testing
@testable import StewardController

/// The outgoing side alone: replies in the asker's thread, the 20-edit budget, text cut to the limit; and the
/// custom bot webhook client with its signature.
@Suite("Feishu adapter and custom bot", .timeLimit(.minutes(1)))
struct FeishuAdapterTests {
    static func adapter(_ url: String) -> FeishuAdapter {
        FeishuAdapter(
            platform: "feishu",
            client: FeishuOpenAPI(
                configuration: .init(baseURL: url, appID: FakeFeishu.appID, appSecret: FakeFeishu.appSecret), sleep: { _ in }),
            logger: FeishuConnectionTests.quiet)
    }

    @Test func aReplyWithoutAThreadIsANewMessageInTheChat() async throws {
        try await FakeFeishu.withServer { fake, url in
            let adapter = Self.adapter(url)
            let threaded = try await adapter.post(.text("in the thread"), room: "oc_1", thread: "om_asker")
            let unthreaded = try await adapter.post(.text("in the chat"), room: "oc_1", thread: nil)
            #expect(threaded.room == "oc_1" && threaded.thread == "om_asker")
            #expect(unthreaded.thread == nil)
            #expect(await fake.replies.map(\.path) == ["/open-apis/im/v1/messages/om_asker/reply"])
            #expect(await fake.sends.map(\.body["receive_id"]) == ["oc_1"])
            #expect(await fake.messages == [threaded.messageID: "in the thread", unthreaded.messageID: "in the chat"])
        }
    }

    @Test func afterTwentyEditsTheNextUpdateIsAFreshReplyThatLaterEditsFollow() async throws {
        try await FakeFeishu.withServer { fake, url in
            let adapter = Self.adapter(url)
            let posted = try await adapter.post(.text("edit 0"), room: "oc_1", thread: "om_asker")
            try await adapter.edit(posted, with: .text("edit 0"))
            #expect(await fake.edits.isEmpty, "no edit is spent on the text the message already shows")
            for edit in 1...22 {
                try await adapter.edit(posted, with: .text("edit \(edit)"))
            }
            let replies = await fake.replies
            #expect(replies.count == 2)
            let fresh = try #require(await fake.messages.keys.first { $0 != posted.messageID })
            #expect(await fake.editCounts == [posted.messageID: 20, fresh: 1])
            #expect(await fake.edits.count == 21, "the 21st update went out as a reply, not as a refused edit")
            #expect(await fake.messages[posted.messageID] == "edit 20")
            #expect(await fake.messages[fresh] == "edit 22")
            #expect(replies.last?.text == "edit 21")
        }
    }

    @Test func aRateLimitedEditIsDroppedAndTheNextOneLands() async throws {
        try await FakeFeishu.withServer { fake, url in
            let adapter = Self.adapter(url)
            let posted = try await adapter.post(.text("0/2 hosts done"), room: "oc_1", thread: "om_asker")
            await fake.rateLimit(times: 2)
            try await adapter.edit(posted, with: .text("1/2 hosts done"))
            try await adapter.edit(posted, with: .text("2 succeeded"))
            #expect(await fake.edits.count == 3, "two refused by the rate limit, then the next update")
            #expect(await fake.replies.count == 1, "no fresh reply for a rate limit")
            #expect(await fake.messages[posted.messageID] == "2 succeeded")
        }
    }

    @Test func textIsPlainAndCutToTheLimit() {
        let reply = ChatReply([.text("2 hosts"), .code("web-01 | ok\nweb-02 | ok")])
        #expect(FeishuAdapter.text(reply) == "2 hosts\nweb-01 | ok\nweb-02 | ok")
        let long = FeishuAdapter.text(.text(String(repeating: "x", count: 50)), limit: 30)
        #expect(long.count == 30)
        #expect(long.hasSuffix("\n… (truncated)"))
    }

    @Test func theCustomBotWebhookGetsASignedTextMessage() async throws {
        let received = Mutex<[[String: String]]>([])
        let router = Router()
        router.post("open-apis/bot/v2/hook/:token") { request, _ -> Response in
            let bytes = try await request.body.collect(upTo: 1 << 16)
            let object = (try? JSONSerialization.jsonObject(with: Data(bytes.readableBytesView))) as? [String: Any] ?? [:]
            let fields = ["timestamp", "sign", "msg_type"].reduce(into: [String: String]()) { $0[$1] = object[$1] as? String }
                .merging(["text": ((object["content"] as? [String: Any])?["text"] as? String) ?? ""]) { first, _ in first }
            received.withLock { $0.append(fields) }
            let signed = object["sign"] as? String == FeishuWebhookSigner.sign(timestamp: 1_700_000_000, secret: "steward-robot-secret")
            return FakeFeishu.json(signed ? #"{"code":0,"msg":"success","data":{}}"#
                                          : #"{"code":19021,"msg":"sign match fail or timestamp is not within one hour from current time"}"#)
        }
        let app = Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)), logger: FeishuConnectionTests.quiet)
        try await app.test(.live) { client in
            let url = "http://127.0.0.1:\(client.port ?? 0)/open-apis/bot/v2/hook/0123-abcd"
            let robot = FeishuRobot(url: url, secret: "steward-robot-secret", now: { Date(timeIntervalSince1970: 1_700_000_000.7) })
            try await robot.send(text: "job 01J finished")
            let wrong = FeishuRobot(url: url, secret: "another-secret", now: { Date(timeIntervalSince1970: 1_700_000_000) })
            await #expect(throws: FeishuError(
                .apiError, "the Feishu bot webhook refused the message: sign match fail or timestamp is not within one hour from current time (code 19021)",
                feishuCode: 19021)) { try await wrong.send(text: "x") }
            let bodies = received.withLock { $0 }
            #expect(bodies.count == 2)
            #expect(bodies.first == [
                "timestamp": "1700000000", "sign": "16IBYlS+9Oo9+ZmmayPQ1zu5WAdw3/Qn9B4Ukpul92s=", "msg_type": "text", "text": "job 01J finished",
            ])
        }
    }
}
