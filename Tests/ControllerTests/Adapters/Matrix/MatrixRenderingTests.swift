import Foundation
import Testing
@testable import StewardController

@Suite("Matrix message rendering, relations and transaction ids")
struct MatrixRenderingTests {
    static func object(_ content: MatrixMessageContent) throws -> NSDictionary {
        try #require(try JSONSerialization.jsonObject(with: content.encoded()) as? NSDictionary)
    }

    @Test func htmlIsEscapedAndCodeGoesInPre() {
        let reply = ChatReply([.text("metrics on <web-01> & \"db\" 'x'"), .text("line 2\nline 3"), .code("<b>CPU%</b> 12\n& done")])
        #expect(MatrixRendering.html(reply)
            == "metrics on &lt;web-01&gt; &amp; &quot;db&quot; &#39;x&#39;<br>line 2<br>line 3<pre><code>&lt;b&gt;CPU%&lt;/b&gt; 12\n&amp; done</code></pre>")
    }

    @Test func aTopLevelReplyIsANoticeWithHTMLAndNoRelation() throws {
        let content = MatrixRendering.message(ChatReply([.text("ping on 1 host"), .code("web-01 ok")]), thread: nil, limit: 8000)
        let json = try Self.object(content)
        #expect(json == [
            "msgtype": "m.notice", "body": "ping on 1 host\n```\nweb-01 ok\n```", "format": "org.matrix.custom.html",
            "formatted_body": "ping on 1 host<pre><code>web-01 ok</code></pre>", "m.mentions": [String: Any](),
        ] as NSDictionary)
    }

    @Test func aReplyInAThreadCarriesTheThreadRelationAndAReplyFallback() throws {
        let json = try Self.object(MatrixRendering.message(.text("done"), thread: "$root:example.org", limit: 8000))
        #expect(json["m.relates_to"] as? NSDictionary == [
            "rel_type": "m.thread", "event_id": "$root:example.org", "is_falling_back": true,
            "m.in_reply_to": ["event_id": "$root:example.org"],
        ] as NSDictionary)
    }

    @Test func anEditIsAReplacementWithNewContentAndAFallback() throws {
        let json = try Self.object(MatrixRendering.replacement(of: "$orig", with: ChatReply([.text("1 succeeded"), .code("CPU% 3")]), limit: 8000))
        #expect(json["m.relates_to"] as? NSDictionary == ["rel_type": "m.replace", "event_id": "$orig"] as NSDictionary)
        #expect(json["body"] as? String == "* 1 succeeded\n```\nCPU% 3\n```")
        #expect(json["msgtype"] as? String == "m.notice")
        #expect(json["m.new_content"] as? NSDictionary == [
            "msgtype": "m.notice", "body": "1 succeeded\n```\nCPU% 3\n```", "format": "org.matrix.custom.html",
            "formatted_body": "1 succeeded<pre><code>CPU% 3</code></pre>", "m.mentions": [String: Any](),
        ] as NSDictionary)
    }

    @Test func longRepliesAreCutInsideABlockAndStayUnderTheEventLimit() throws {
        let huge = ChatReply([.text("output:"), .code(String(repeating: "<&>\"'", count: 40_000))])
        let content = MatrixRendering.replacement(of: "$orig", with: huge, limit: MatrixAdapter.maxMessageLength)
        #expect(try content.encoded().count <= MatrixRendering.maxContentBytes)
        let body = try #require(content.newContent)
        #expect(body.body.hasSuffix("```\n… (truncated)"))
        #expect(body.formattedBody.hasSuffix("</code></pre>… (truncated)"))
        let cut = MatrixRendering.truncated(ChatReply([.text("abc"), .code("defgh"), .text("ij")]), limit: 5)
        #expect(cut == ChatReply([.text("abc"), .code("de"), .text("… (truncated)")]))
    }

    @Test func transactionIDsAreFixedPerLogicalMessage() {
        #expect(MatrixTransactionIDs.id(session: "00ab", sequence: 7) == "stw.00ab.7")
        let ids = MatrixTransactionIDs(session: "00ab")
        #expect([ids.next(), ids.next(), ids.next()] == ["stw.00ab.1", "stw.00ab.2", "stw.00ab.3"])
        let sessions = Set((0..<50).map { _ in MatrixTransactionIDs.randomSession() })
        #expect(sessions.count == 50 && sessions.allSatisfy { $0.count == 16 })
    }

    /// (room id, encoded path segment): ids with and without a server part, and hostile ones, stay one segment.
    static let rooms: [(String, String)] = [
        ("!abc:example.org", "%21abc%3Aexample.org"),
        ("!VNYvo2tUDaFySqRNXZiYB70lQ3ixf_0Mq3ORH79nUYs", "%21VNYvo2tUDaFySqRNXZiYB70lQ3ixf_0Mq3ORH79nUYs"),
        ("!a/b?c#d", "%21a%2Fb%3Fc%23d"),
        ("!x:[::1]:8448", "%21x%3A%5B%3A%3A1%5D%3A8448"),
        ("!ü+ %", "%21%C3%BC%2B%20%25"),
    ]

    @Test(arguments: rooms)
    func roomIDsArePercentEncodedAsOneSegment(_ room: String, _ encoded: String) {
        #expect(MatrixPath.segment(room) == encoded)
        #expect(MatrixPath.send(room: room, eventType: "m.room.message", transactionID: "stw.1.2")
            == "/_matrix/client/v3/rooms/\(encoded)/send/m.room.message/stw.1.2")
    }
}
