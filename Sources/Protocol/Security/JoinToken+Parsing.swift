extension JoinToken {
    /// Parses a `stw1_...` token, rejecting anything but the exact layout written by `encoded`.
    public init(parsing text: String) throws {
        guard text.hasPrefix(Self.prefix) else {
            throw TokenError(.wrongPrefix, "token must start with \(Self.prefix)")
        }
        // Cheap upper bound before decoding: nothing longer can hold a valid address.
        let maxBodyLength = ((3 + Self.maxAddressLength + Self.fingerprintLength + Self.secretLength) * 4 + 2) / 3
        let body = text.dropFirst(Self.prefix.count)
        guard body.utf8.count <= maxBodyLength else {
            throw TokenError(.addressTooLong, "token is \(text.utf8.count) characters, far longer than any valid token")
        }
        guard let bytes = Base64URL.decode(body) else {
            throw TokenError(.invalidBase64, "token body is not unpadded base64url")
        }
        var reader = TokenReader(bytes: bytes)
        let version = try reader.read(count: 1, what: "version")[0]
        guard version == Self.version else {
            throw TokenError(.unsupportedVersion, "token version \(version) is not supported (expected \(Self.version))")
        }
        let lengthBytes = try reader.read(count: 2, what: "address length")
        let addressLength = Int(lengthBytes[0]) << 8 | Int(lengthBytes[1])
        guard addressLength <= Self.maxAddressLength else {
            throw TokenError(.addressTooLong, "controller address length \(addressLength) exceeds \(Self.maxAddressLength)")
        }
        let addressBytes = try reader.read(count: addressLength, what: "controller address")
        guard let address = String(validating: addressBytes, as: UTF8.self) else {
            throw TokenError(.invalidAddress, "controller address is not UTF-8")
        }
        let fingerprint = try reader.read(count: Self.fingerprintLength, what: "CA fingerprint")
        let secret = try reader.read(count: Self.secretLength, what: "secret")
        guard reader.isAtEnd else {
            throw TokenError(.trailingBytes, "\(reader.remaining) unexpected bytes after the secret")
        }
        try self.init(controller: address, caFingerprint: fingerprint, secret: secret)
    }
}

/// Bounds-checked cursor over the decoded token bytes.
private struct TokenReader {
    let bytes: [UInt8]
    var offset = 0

    var remaining: Int { bytes.count - offset }
    var isAtEnd: Bool { offset == bytes.count }

    mutating func read(count: Int, what: String) throws -> [UInt8] {
        guard remaining >= count else {
            throw TokenError(.truncated, "token ends inside the \(what) (needs \(count) bytes, \(remaining) left)")
        }
        defer { offset += count }
        return Array(bytes[offset..<(offset + count)])
    }
}
