import Crypto

/// A one-line enrollment credential: where the controller is, which CA to pin, and a secret.
///
/// Wire form: `stw1_` + base64url (no padding) of
/// `version (1) | address length (u16 BE) | address (UTF-8 "host:port") | CA SHA-256 (32) | secret (32)`.
/// The controller stores only `secretHash`, so a leaked database cannot enroll agents.
public struct JoinToken: Sendable, Hashable, CustomStringConvertible {
    public static let prefix = "stw1_"
    public static let version: UInt8 = 1
    public static let fingerprintLength = 32
    public static let secretLength = 32
    /// Longest accepted address: a 253-byte DNS name, IPv6 brackets, a colon and a port fit well below.
    public static let maxAddressLength = 300

    /// The controller's agent endpoint as "host:port" ("[v6addr]:port" for IPv6).
    public let controller: String
    /// SHA-256 of the controller CA certificate's DER encoding.
    public let caFingerprint: [UInt8]
    /// The 256-bit enrollment secret; never logged (see `description`).
    public let secret: [UInt8]

    public init(controller: String, caFingerprint: [UInt8], secret: [UInt8]) throws {
        try Self.validate(address: controller)
        guard caFingerprint.count == Self.fingerprintLength else {
            throw TokenError(.invalidFingerprint, "CA fingerprint must be \(Self.fingerprintLength) bytes, got \(caFingerprint.count)")
        }
        guard secret.count == Self.secretLength else {
            throw TokenError(.invalidSecret, "secret must be \(Self.secretLength) bytes, got \(secret.count)")
        }
        self.controller = controller
        self.caFingerprint = caFingerprint
        self.secret = secret
    }

    /// Makes a token with a fresh random secret.
    public static func generate(controller: String, caFingerprint: [UInt8]) throws -> JoinToken {
        var generator = SystemRandomNumberGenerator()
        return try generate(controller: controller, caFingerprint: caFingerprint, using: &generator)
    }

    /// Makes a token with a secret drawn from `generator` (tests inject a seeded one).
    public static func generate<G: RandomNumberGenerator>(
        controller: String,
        caFingerprint: [UInt8],
        using generator: inout G
    ) throws -> JoinToken {
        let secret = (0..<secretLength).map { _ in UInt8.random(in: .min ... .max, using: &generator) }
        return try JoinToken(controller: controller, caFingerprint: caFingerprint, secret: secret)
    }

    /// SHA-256 of the secret: the only form the controller keeps.
    public var secretHash: [UInt8] { Self.hash(secret: secret) }

    /// SHA-256 of a presented secret, for comparing against a stored `secretHash`.
    public static func hash(secret: [UInt8]) -> [UInt8] {
        Array(SHA256.hash(data: secret))
    }

    /// The `stw1_...` text to hand to `steward-agent enroll --token`.
    public var encoded: String {
        let address = Array(controller.utf8)
        var bytes: [UInt8] = [Self.version, UInt8(address.count >> 8), UInt8(address.count & 0xFF)]
        bytes.reserveCapacity(3 + address.count + caFingerprint.count + secret.count)
        bytes += address
        bytes += caFingerprint
        bytes += secret
        return Self.prefix + Base64URL.encode(bytes)
    }

    /// The controller host without IPv6 brackets, ready for a resolver.
    public var host: String {
        let hostPart = controller[..<(controller.lastIndex(of: ":") ?? controller.endIndex)]
        if hostPart.hasPrefix("["), hostPart.hasSuffix("]") {
            return String(hostPart.dropFirst().dropLast())
        }
        return String(hostPart)
    }

    /// The controller port (validated to be 1...65535 when the token was built or parsed).
    public var port: Int {
        guard let colon = controller.lastIndex(of: ":") else { return 0 }
        return Int(controller[controller.index(after: colon)...]) ?? 0
    }

    public var description: String {
        "JoinToken(controller: \(controller), caFingerprint: \(Hex.encode(caFingerprint)), secret: <redacted>)"
    }

    static func validate(address: String) throws {
        let bytes = Array(address.utf8)
        guard bytes.count <= maxAddressLength else {
            throw TokenError(.addressTooLong, "controller address is \(bytes.count) bytes, limit \(maxAddressLength)")
        }
        // Printable ASCII only: the address ends up in logs and resolvers, never needs more.
        guard !bytes.isEmpty, bytes.allSatisfy({ $0 > 0x20 && $0 < 0x7F }) else {
            throw TokenError(.invalidAddress, "controller address must be non-empty printable ASCII")
        }
        guard let colon = address.lastIndex(of: ":") else {
            throw TokenError(.invalidAddress, "controller address needs host:port")
        }
        let host = address[..<colon]
        let portText = address[address.index(after: colon)...]
        guard !host.isEmpty, !portText.isEmpty, portText.count <= 5,
            portText.utf8.allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }),
            let port = Int(portText), (1...65_535).contains(port)
        else {
            throw TokenError(.invalidAddress, "controller address needs host:port with port 1-65535")
        }
        // A bare IPv6 address would make the last colon ambiguous: require brackets.
        if host.contains(":"), !(host.hasPrefix("[") && host.hasSuffix("]")) {
            throw TokenError(.invalidAddress, "IPv6 controller addresses must be bracketed: [addr]:port")
        }
    }
}
