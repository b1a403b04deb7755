import Foundation
import Testing
@testable import StewardController

/// Signing and encryption against fixed vectors made outside Swift (openssl, sha256sum, python hmac), so the
/// adapter is checked against the documented constructions rather than against itself.
@Suite("Feishu signatures and encryption")
struct FeishuCryptoTests {
    static let encryptKey = "steward-encrypt-key-0123456789"
    static let verificationToken = "steward-verification-token"

    /// `{"challenge":"ajls384kdjx98XX","token":"steward-verification-token","type":"url_verification"}` encrypted:
    /// KEY=$(printf %s "$ENCRYPT_KEY" | sha256sum | cut -d' ' -f1)   # 4298cca2…507d
    /// (printf 0f1e2d3c4b5a69788796a5b4c3d2e1f0 | xxd -r -p; openssl enc -aes-256-cbc -K $KEY -iv 0f1e…e1f0 -in a.json) | base64 -w0
    static let challengePlain = #"{"challenge":"ajls384kdjx98XX","token":"steward-verification-token","type":"url_verification"}"#
    static let challengeIV = "0f1e2d3c4b5a69788796a5b4c3d2e1f0"
    static let challengeEncrypted = "Dx4tPEtaaXiHlqW0w9Lh8Jvv3GHZ+fvHxtZCmy4r2VChxtiz4cCE9qZNnyec67HHVDJsJd8vHvO3zmm2I5XaUP91vXzq5d3pRz8tqR9H5Fd5DzDiS3PTOPTHpCcxG0hXcLjfBty4AEKI1MYdTKIEeg=="

    /// A one-to-one `ping all` (v2 `im.message.receive_v1`), encrypted the same way with IV a0a1…aeaf.
    static let eventPlain = #"{"schema":"2.0","header":{"event_id":"ev_encrypted_0001","event_type":"im.message.receive_v1","create_time":"1700000000000","token":"steward-verification-token","app_id":"cli_a1b2c3d4e5f6a7b8","tenant_key":"2ca1d211f64f6438"},"event":{"sender":{"sender_id":{"union_id":"on_8ed6aa67826108097d9ee143816345","user_id":"e33ggbyz","open_id":"ou_84aad35d084aa403a838cf73ee18467"},"sender_type":"user","tenant_key":"2ca1d211f64f6438"},"message":{"message_id":"om_encrypted0001","root_id":"","parent_id":"","create_time":"1700000000000","chat_id":"oc_p2pchat0001","chat_type":"p2p","message_type":"text","content":"{\"text\":\"ping all\"}"}}}"#
    static let eventIV = "a0a1a2a3a4a5a6a7a8a9aaabacadaeaf"
    static let eventEncrypted = "oKGio6SlpqeoqaqrrK2urzogvfcu/wzUNdjjCLY7kND2noefsQpEEwRI0ewIOY36z2GvcX4e2rI0KH30mrEicZdV902Bahjd6XgLl462kC/IdMD808ndltkgJWBYLGLcb7P8e9AIi+iqqovLun85G7D8eZSpBhT+DyjOOU4kBCXYz7vif3JvmAzL5i8qsv4UNheZ6bpqiny1XTw5RQtrTP3/lNMfKnaDJBieIosXdHaoRbHaghi99DCEaMys+M+J54Vf9XbDSiQdK5wylk10bxBz9gJDBgUvpS94suqKgkm2NgF2l2qc1/+IzW0dW6IoB30wXrn4m4rbpkuBvdNOJxICQynL5vCEVW3qIwO4VPpiyGN7UN4+UoqLAFTd9idtOa18Pum/c0O55ucj4SClha7CgDvklS6NZHw056el1HNRZoly4VfIsW6pvtFgVGuNbtZyMClxk+eZOXhbV4hC/9EDf3mL2md+QdecxAKxOkSBiGz2bRqI90JOL+rIYDjDXr8yNdrm4rC1g07pI3JE/WUWMND301tI2g8U/ueCLA+KG0umEA3eMC7h9uhwhbHaknqNkbWvuXLius0XQdcwsVLtKXXnGwIpSJz+LOtctAuKYxymujogp9S9dN3+LM85BHeRF/kWa/iF/3R5C+VjnAdMJyrFuMnxku82mTXyUuP2uJsbyPFbPWRAyED817OVNwaWqd33RaVzigg9XtjZHOdiu4RX4WXVeb1qR6vaEP5N0k2x7Fs4SFASIkZKaZ09vimGJC/sEBB3YhW0mtj4BT0bi57sdZyL8uB4m9Glf2R4ZJa3GwBW9fSPQ7Oq5aXhbSWmnJpTqtToy28RBS++1XiQ2/0z6Bbd1R5EpL/NKf4="

    static var eventBody: String { #"{"encrypt":"\#(eventEncrypted)"}"# }

    /// (printf %s 1700000000nonce-42"$ENCRYPT_KEY"; cat bbody.json) | sha256sum, where bbody.json is `eventBody`;
    /// python3 hashlib gives the same.
    static let eventSignature = "ab038da1e1d64c32b6cbed2a25d3473e182da8a95a2411bedf6970b7ed709bca"

    static func bytes(hex: String) -> [UInt8] {
        RequestSignature.hexBytes(hex[...].utf8) ?? []
    }

    @Test func decryptsFeishusOwnDocumentedExample() throws {
        // From Feishu's decryption guide: key "test key", which decrypts to "hello world" (also checked with openssl).
        let plain = try FeishuCipher(encryptKey: "test key").decrypt("P37w+VZImNgPEO1RBhJ6RtKl7n6zymIbEG1pReEzghk=")
        #expect(String(decoding: plain, as: UTF8.self) == "hello world")
    }

    @Test func decryptsAndEncryptsTheOpensslVectors() throws {
        let cipher = FeishuCipher(encryptKey: Self.encryptKey)
        #expect(String(decoding: try cipher.decrypt(Self.challengeEncrypted), as: UTF8.self) == Self.challengePlain)
        #expect(String(decoding: try cipher.decrypt(Self.eventEncrypted), as: UTF8.self) == Self.eventPlain)
        #expect(try cipher.encrypt(Array(Self.challengePlain.utf8), iv: Self.bytes(hex: Self.challengeIV)) == Self.challengeEncrypted)
        #expect(try cipher.encrypt(Array(Self.eventPlain.utf8), iv: Self.bytes(hex: Self.eventIV)) == Self.eventEncrypted)
    }

    @Test func refusesWhatDoesNotDecrypt() {
        let cases: [(String, String)] = [
            ("the wrong key", Self.challengeEncrypted),
            (Self.encryptKey, "not base64!"),
            (Self.encryptKey, "AAAAAAAAAAAAAAAAAAAAAA=="),  // an IV and no block
            (Self.encryptKey, Data(repeating: 7, count: 40).base64EncodedString()),  // an IV and a block and a half
        ]
        for (key, encoded) in cases {
            #expect(throws: FeishuError.self) {
                let plain = try FeishuCipher(encryptKey: key).decrypt(encoded)
                // A wrong key may still unpad by chance; it never gives back the plaintext.
                if String(decoding: plain, as: UTF8.self) != Self.challengePlain { throw FeishuError(.undecryptable, "garbage") }
            }
        }
    }

    @Test func signatureMatchesSha256sum() throws {
        let body = Array(Self.eventBody.utf8)
        #expect(FeishuSignature.sign(timestamp: "1700000000", nonce: "nonce-42", encryptKey: Self.encryptKey, body: body) == Self.eventSignature)
        try FeishuSignature.verify(
            body: body, timestamp: "1700000000", nonce: "nonce-42", signature: Self.eventSignature, encryptKey: Self.encryptKey,
            now: Date(timeIntervalSince1970: 1_700_000_000))
        try FeishuSignature.verify(
            body: body, timestamp: "1700000000", nonce: "nonce-42", signature: Self.eventSignature.uppercased(), encryptKey: Self.encryptKey,
            now: Date(timeIntervalSince1970: 1_700_003_600))
    }

    @Test func forgedStaleAndMalformedSignaturesAreRefusedWithTheirCode() {
        let body = Array(Self.eventBody.utf8)
        let now = Date(timeIntervalSince1970: 1_700_000_000)
        let cases: [(timestamp: String?, nonce: String?, signature: String?, body: [UInt8], code: FeishuError.Code)] = [
            ("1700000000", "nonce-42", String(repeating: "0", count: 64), body, .signatureMismatch),
            ("1700000000", "nonce-43", Self.eventSignature, body, .signatureMismatch),
            ("1700000000", "nonce-42", Self.eventSignature, body + [0x20], .signatureMismatch),
            ("1699996399", "nonce-42", Self.eventSignature, body, .staleTimestamp),
            ("1700003601", "nonce-42", Self.eventSignature, body, .staleTimestamp),
            (nil, "nonce-42", Self.eventSignature, body, .missingHeader),
            ("1700000000", nil, Self.eventSignature, body, .missingHeader),
            ("1700000000", "nonce-42", nil, body, .missingHeader),
            ("1700000000", "nonce-42", "zz" + Self.eventSignature.dropFirst(2), body, .malformedHeader),
            ("1700000000", "nonce-42", String(Self.eventSignature.dropLast(2)), body, .malformedHeader),
            ("17e8", "nonce-42", Self.eventSignature, body, .malformedHeader),
        ]
        for (index, test) in cases.enumerated() {
            do {
                try FeishuSignature.verify(
                    body: test.body, timestamp: test.timestamp, nonce: test.nonce, signature: test.signature,
                    encryptKey: Self.encryptKey, now: now)
                Issue.record("case \(index) was accepted")
            } catch {
                #expect(error.code == test.code, "case \(index)")
            }
        }
    }

    @Test func webhookSignMatchesOpensslAndPython() {
        // printf '' | openssl dgst -sha256 -hmac "$(printf '1700000000\nsteward-robot-secret')" -binary | base64
        // python3: base64(hmac.new(b'1700000000\nsteward-robot-secret', b'', sha256).digest())
        #expect(FeishuWebhookSigner.sign(timestamp: 1_700_000_000, secret: "steward-robot-secret") == "16IBYlS+9Oo9+ZmmayPQ1zu5WAdw3/Qn9B4Ukpul92s=")
        #expect(FeishuWebhookSigner.sign(timestamp: 1_700_000_001, secret: "steward-robot-secret") != "16IBYlS+9Oo9+ZmmayPQ1zu5WAdw3/Qn9B4Ukpul92s=")
    }

    @Test func tokensCompareEqualOnlyWhenEqual() {
        #expect(FeishuEventsEndpoint.constantTimeEqual(Self.verificationToken, "steward-verification-token"))
        #expect(!FeishuEventsEndpoint.constantTimeEqual(Self.verificationToken, "steward-verification-tokem"))
        #expect(!FeishuEventsEndpoint.constantTimeEqual(Self.verificationToken, "steward-verification-token "))
        #expect(!FeishuEventsEndpoint.constantTimeEqual("", Self.verificationToken))
    }
}
