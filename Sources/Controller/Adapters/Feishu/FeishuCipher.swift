import Crypto
import Foundation
import _CryptoExtras

/// Feishu's encrypted event bodies, `{"encrypt": "<base64>"}`: AES-256-CBC with key = SHA-256(encrypt_key),
/// the first 16 bytes of the decoded data as the IV, PKCS#7 padding.
///
/// CBC carries no integrity check, so decryption alone proves nothing: the request signature (which covers
/// the encrypted body) is what authenticates an event.
struct FeishuCipher: Sendable {
    /// Larger than any event Feishu sends; the endpoint caps the body before this anyway.
    static let maxEncodedLength = 1 << 20

    let key: SymmetricKey

    init(encryptKey: String) {
        key = SymmetricKey(data: SHA256.hash(data: Data(encryptKey.utf8)))
    }

    func decrypt(_ encoded: String) throws(FeishuError) -> [UInt8] {
        guard encoded.utf8.count <= Self.maxEncodedLength, let data = Data(base64Encoded: encoded),
              data.count >= 32, data.count % 16 == 0
        else { throw FeishuError(.undecryptable, "'encrypt' is not base64 of an IV and whole AES blocks") }
        do {
            let iv = try AES._CBC.IV(ivBytes: data.prefix(16))
            return Array(try AES._CBC.decrypt(data.dropFirst(16), using: key, iv: iv))
        } catch {
            throw FeishuError(.undecryptable, "'encrypt' does not decrypt with the configured encrypt key")
        }
    }

    /// What Feishu sends for `plaintext` with this IV: base64(iv + ciphertext) (used by tests and fakes).
    func encrypt(_ plaintext: [UInt8], iv: [UInt8]) throws -> String {
        let sealed = try AES._CBC.encrypt(plaintext, using: key, iv: try AES._CBC.IV(ivBytes: iv))
        return (Data(iv) + sealed).base64EncodedString()
    }
}
