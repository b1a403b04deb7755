import StewardController
import Testing

@Suite struct EditCoalescerTests {
    @Test func sendsAtMostOneEditPerIntervalButAlwaysTheFinalState() {
        var coalescer = EditCoalescer(interval: .seconds(1))
        let start = ContinuousClock.now
        let send1 = coalescer.shouldSend(.text("1/3"), at: start, final: false)
        #expect(send1)
        let send2 = coalescer.shouldSend(.text("2/3"), at: start + .milliseconds(300), final: false)
        #expect(!send2)
        let send3 = coalescer.shouldSend(.text("2/3"), at: start + .milliseconds(900), final: false)
        #expect(!send3)
        let send4 = coalescer.shouldSend(.text("2/3"), at: start + .milliseconds(1000), final: false)
        #expect(send4)
        let send5 = coalescer.shouldSend(.text("3/3 done"), at: start + .milliseconds(1100), final: true)
        #expect(send5, "final state is never held back")
        let send6 = coalescer.shouldSend(.text("3/3 done"), at: start + .seconds(5), final: true)
        #expect(!send6, "unchanged content is not re-sent")
    }
}

@Suite struct ChatReplyTests {
    @Test func markdownFencesCodeAndDefusesEmbeddedFences() {
        let reply = ChatReply([.text("job 1"), .code("a\n```\nb")])
        #expect(reply.markdown == "job 1\n```\na\nʼʼʼ\nb\n```")
        #expect(reply.plainText == "job 1\na\n```\nb")
    }
}
