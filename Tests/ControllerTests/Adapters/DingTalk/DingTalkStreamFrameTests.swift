import Foundation
import Testing
@testable import StewardController

/// The pure part of Stream mode: frames in, actions and acknowledgements out; the gateway's ticket URL.
@Suite("DingTalk Stream frames")
struct DingTalkStreamFrameTests {
    @Test func aPingIsAnsweredWithItsIdAndData() throws {
        let frame = try DingTalkStreamFrame.parse(FakeDingTalkStream.ping("m-1", opaque: "xyz"))
        guard case .reply(let answer) = frame.action() else {
            Issue.record("a ping must be answered")
            return
        }
        #expect(answer == #"{"code":200,"data":"{\"opaque\":\"xyz\"}","headers":{"contentType":"application/json","messageId":"m-1"},"message":"OK"}"#)
    }

    @Test func aRobotMessageIsDeliveredWithAResponseNullAck() throws {
        let frame = try DingTalkStreamFrame.parse(FakeDingTalkStream.robotMessage("m-2", msgID: "msgZ", webhook: "https://oapi.dingtalk.com/robot/sendBySession?session=1"))
        guard case .deliver(let callback, let ack) = frame.action() else {
            Issue.record("a robot message must be delivered")
            return
        }
        #expect(callback.msgId == "msgZ")
        #expect(callback.chatMessage()?.text == "whoami")
        #expect(callback.chatMessage()?.userID == "manager4220")
        #expect(ack == #"{"code":200,"data":"{\"response\":null}","headers":{"contentType":"application/json","messageId":"m-2"},"message":"OK"}"#)
    }

    @Test func aDisconnectAsksForAFreshTicket() throws {
        guard case .reconnect(let reason) = try DingTalkStreamFrame.parse(FakeDingTalkStream.disconnect("m-3")).action() else {
            Issue.record("a disconnect must reconnect")
            return
        }
        #expect(reason == "persistent connection is timeout")
    }

    @Test func systemNoticesAreSkippedQuietly() throws {
        let frame = try DingTalkStreamFrame.parse(FakeDingTalkStream.frame(type: "SYSTEM", topic: "KEEPALIVE", messageID: "m-4", data: "{}"))
        guard case .skip(let topic) = frame.action() else {
            Issue.record("a KEEPALIVE needs nothing")
            return
        }
        #expect(topic == "KEEPALIVE")
    }

    static let malformed: [String] = [
        "", "null", "[]", "{}", #"{"type":"SYSTEM"}"#, #"{"type":"SYSTEM","headers":{}}"#,
        #"{"type":"SYSTEM","headers":{"messageId":""}}"#, #"{"type":"SYSTEM","headers":{"messageId":"\#(String(repeating: "a", count: 300))"}}"#,
        #"{"type":7,"headers":{"messageId":"x"}}"#,
    ]

    @Test(arguments: malformed) func malformedFramesAreRefused(_ text: String) {
        #expect(throws: DingTalkError.self) { try DingTalkStreamFrame.parse(text) }
    }

    @Test func aNumericTimeHeaderDoesNotSpoilTheFrame() throws {
        let frame = try DingTalkStreamFrame.parse(#"{"type":"SYSTEM","headers":{"messageId":"m","topic":"ping","time":1700000000000},"data":"{}"}"#)
        #expect(frame.headers.time == nil)
        #expect(frame.headers.topic == "ping")
    }

    @Test func theTicketIsURLEncodedIntoTheEndpoint() {
        let ticket = DingTalkGateway.Ticket(endpoint: "wss://wss-open-connection.dingtalk.com:443/connect", ticket: "a+b/c=d e")
        #expect(ticket.url == "wss://wss-open-connection.dingtalk.com:443/connect?ticket=a%2Bb%2Fc%3Dd%20e")
    }
}
