import Foundation
import Testing
@testable import StewardController

@Suite("Slack request signatures")
struct SlackSignatureTests {
    /// Slack's documented example (api.slack.com/authentication/verifying-requests-from-slack).
    enum Documented {
        static let secret = "8f742231b10e8888abcd99yyyzzz85a5"
        static let timestamp = "1531420618"
        static let body = "token=xyzz0WbapA4vBCDEFasx0q6G&team_id=T1DC2JH3J&team_domain=testteamnow&channel_id=G8PSS9T3V&channel_name=foobar&user_id=U2CERLKJA&user_name=roadrunner&command=%2Fwebhook-collect&text=&response_url=https%3A%2F%2Fhooks.slack.com%2Fcommands%2FT1DC2JH3J%2F397700885554%2F96rGlfmibIGlgcZRskXaIFfN&trigger_id=398738663015.47445629121.803a0bc887a14d10d2c447fce8b6703c"
        static let signature = "v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503"
        static let sentAt = Date(timeIntervalSince1970: 1_531_420_618)
    }

    func verify(
        body: String = Documented.body, timestamp: String? = Documented.timestamp, signature: String? = Documented.signature,
        secret: String = Documented.secret, now: Date = Documented.sentAt
    ) -> SlackError.Code? {
        do {
            try SlackSignature.verify(body: Array(body.utf8), timestamp: timestamp, signature: signature, secret: secret, now: now)
            return nil
        } catch let error as SlackError {
            return error.code
        } catch {
            Issue.record("unexpected error \(error)")
            return nil
        }
    }

    @Test func slacksDocumentedExampleVerifies() {
        #expect(verify() == nil)
        #expect(SlackSignature.sign(body: Array(Documented.body.utf8), timestamp: Documented.timestamp, secret: Documented.secret)
            == Documented.signature)
    }

    @Test func aForgedSignatureIsRejected() {
        let forged = "v0=" + String(repeating: "0", count: 64)
        #expect(verify(signature: forged) == .signatureMismatch)
        // One flipped digit at the end.
        #expect(verify(signature: String(Documented.signature.dropLast()) + "4") == .signatureMismatch)
        #expect(verify(secret: "another-secret") == .signatureMismatch)
    }

    @Test func aReplayWithAnotherBodyIsRejected() {
        #expect(verify(body: Documented.body.replacingOccurrences(of: "roadrunner", with: "coyote")) == .signatureMismatch)
        #expect(verify(body: Documented.body + " ") == .signatureMismatch)
    }

    @Test func aReplayWithAnotherTimestampIsRejected() {
        // The timestamp is signed too: moving it forward to get into the window breaks the signature.
        let moved = Documented.sentAt.addingTimeInterval(3600)
        #expect(verify(timestamp: "1531424218", now: moved) == .signatureMismatch)
    }

    @Test func timestampsOutsideFiveMinutesAreRejectedBothWays() {
        #expect(verify(now: Documented.sentAt.addingTimeInterval(6 * 60)) == .staleTimestamp)
        #expect(verify(now: Documented.sentAt.addingTimeInterval(-6 * 60)) == .staleTimestamp, "a timestamp from the future")
        #expect(verify(now: Documented.sentAt.addingTimeInterval(300)) == nil, "exactly five minutes is inside")
        #expect(verify(now: Documented.sentAt.addingTimeInterval(-300)) == nil)
        #expect(verify(now: Documented.sentAt.addingTimeInterval(301)) == .staleTimestamp)
    }

    @Test func missingHeadersAreRejected() {
        #expect(verify(timestamp: nil) == .missingHeader)
        #expect(verify(timestamp: "") == .missingHeader)
        #expect(verify(signature: nil) == .missingHeader)
        #expect(verify(signature: "") == .missingHeader)
        #expect(verify(secret: "") == .missingSecret)
    }

    @Test(arguments: [
        "a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503",
        "v1=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503",
        "v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b50",
        "v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b5033",
        "v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b5",
        "v0=z2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503",
        "v0= a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b50",
        "v0=",
    ])
    func malformedSignaturesAreRejected(signature: String) {
        #expect(verify(signature: signature) == .malformedHeader)
    }

    @Test(arguments: ["-1531420618", "1531420618.5", "0x5b4", " 1531420618", "99999999999999999999", "now"])
    func malformedTimestampsAreRejected(timestamp: String) {
        #expect(verify(timestamp: timestamp) == .malformedHeader)
    }
}
