import Testing

@testable import StewardProtocol

@Suite struct JoinTokenTests {
    static let fingerprint = (0..<32).map { UInt8($0) }
    static let secret = (0..<32).map { UInt8(255 - $0) }

    /// Builds the token body bytes by hand so malformed variants can be made.
    static func body(
        version: UInt8 = 1,
        address: [UInt8] = Array("ctl.example:7443".utf8),
        declaredLength: Int? = nil,
        tail: [UInt8] = fingerprint + secret
    ) -> [UInt8] {
        let length = declaredLength ?? address.count
        return [version, UInt8(length >> 8), UInt8(length & 0xFF)] + address + tail
    }

    static func token(_ bytes: [UInt8]) -> String { "stw1_" + Base64URL.encode(bytes) }

    static func code(of text: String) -> TokenError.Code? {
        do {
            _ = try JoinToken(parsing: text)
            return nil
        } catch let error as TokenError {
            return error.code
        } catch {
            return nil
        }
    }

    @Test func roundTripsThroughEncodedText() throws {
        let token = try JoinToken(controller: "ctl.example:7443", caFingerprint: Self.fingerprint, secret: Self.secret)
        let text = token.encoded
        #expect(text.hasPrefix("stw1_"))
        #expect(!text.contains("="))
        #expect(text == Self.token(Self.body()))
        let parsed = try JoinToken(parsing: text)
        #expect(parsed == token)
        #expect(parsed.host == "ctl.example")
        #expect(parsed.port == 7443)
    }

    @Test func generatedTokensHaveFreshSecretsAndRoundTrip() throws {
        let first = try JoinToken.generate(controller: "[::1]:7443", caFingerprint: Self.fingerprint)
        let second = try JoinToken.generate(controller: "[::1]:7443", caFingerprint: Self.fingerprint)
        #expect(first.secret.count == 32)
        #expect(first.secret != second.secret)
        #expect(try JoinToken(parsing: first.encoded) == first)
        #expect(first.host == "::1")
        #expect(first.port == 7443)
    }

    @Test func secretHashIsSHA256OfTheSecret() throws {
        let token = try JoinToken(controller: "a:1", caFingerprint: Self.fingerprint, secret: [UInt8](repeating: 0, count: 32))
        // SHA-256 of 32 zero bytes.
        #expect(Hex.encode(token.secretHash) == "66687aadf862bd776c8fc18b8e9f8e20089714856ee233b3902a591d0d5f2925")
        #expect(token.secretHash != token.secret)
    }

    @Test func descriptionNeverShowsTheSecret() throws {
        let token = try JoinToken(controller: "a:1", caFingerprint: Self.fingerprint, secret: Self.secret)
        #expect(!token.description.contains(Hex.encode(Self.secret)))
        #expect(!token.description.contains(token.encoded))
        #expect(token.description.contains("redacted"))
    }

    @Test(arguments: [
        ("stw2_" + String(token(body()).dropFirst(5)), TokenError.Code.wrongPrefix),
        (String(token(body()).dropFirst(5)), .wrongPrefix),
        ("", .wrongPrefix),
        (token(body()) + "=", .invalidBase64),
        (token(body()) + "==", .invalidBase64),
        ("stw1_AAAA+/AA", .invalidBase64),
        ("stw1_AAA A", .invalidBase64),
        ("stw1_A", .invalidBase64),
        ("stw1_Zh", .invalidBase64),  // non-zero leftover bits: a second spelling of "f"
        (token(body(version: 2)), .unsupportedVersion),
        (token(body(version: 0)), .unsupportedVersion),
        ("stw1_", .truncated),
        (token([1]), .truncated),
        (token([1, 0]), .truncated),
        (token(body(declaredLength: 200)), .truncated),
        (token(Array(body().dropLast())), .truncated),
        (token(Array(body().prefix(3 + 16 + 31))), .truncated),
        (token(body() + [0]), .trailingBytes),
        (token(body(declaredLength: 0xFFFF)), .addressTooLong),
        (token(body(address: [UInt8](repeating: UInt8(ascii: "a"), count: 301))), .addressTooLong),
        ("stw1_" + String(repeating: "A", count: 100_000), .addressTooLong),
        (token(body(address: [0xC3, 0x28, 0x3A, 0x31])), .invalidAddress),  // invalid UTF-8
        (token(body(address: [])), .invalidAddress),
        (token(body(address: Array("no-port".utf8))), .invalidAddress),
        (token(body(address: Array("host:0".utf8))), .invalidAddress),
        (token(body(address: Array("host:65536".utf8))), .invalidAddress),
        (token(body(address: Array("host:7a".utf8))), .invalidAddress),
        (token(body(address: Array(":7443".utf8))), .invalidAddress),
        (token(body(address: Array("::1:7443".utf8))), .invalidAddress),
        (token(body(address: Array("ho st:7443".utf8))), .invalidAddress),
        (token(body(address: Array("host\n:7443".utf8))), .invalidAddress),
    ])
    func rejectsMalformedToken(text: String, expected: TokenError.Code) {
        #expect(Self.code(of: text) == expected)
    }

    @Test func rejectsBadFieldLengthsWhenBuilding() {
        let shortFingerprint = #expect(throws: TokenError.self) {
            try JoinToken(controller: "a:1", caFingerprint: Array(Self.fingerprint.dropLast()), secret: Self.secret)
        }
        #expect(shortFingerprint?.code == .invalidFingerprint)
        let emptySecret = #expect(throws: TokenError.self) {
            try JoinToken(controller: "a:1", caFingerprint: Self.fingerprint, secret: [])
        }
        #expect(emptySecret?.code == .invalidSecret)
        let badAddress = #expect(throws: TokenError.self) {
            try JoinToken.generate(controller: "nohostport", caFingerprint: Self.fingerprint)
        }
        #expect(badAddress?.code == .invalidAddress)
    }

    @Test func acceptsLongestAllowedAddress() throws {
        let host = String(repeating: "a", count: JoinToken.maxAddressLength - 6)
        let token = try JoinToken(controller: host + ":65535", caFingerprint: Self.fingerprint, secret: Self.secret)
        #expect(try JoinToken(parsing: token.encoded).controller.utf8.count == JoinToken.maxAddressLength)
    }
}
