import Crypto
import Foundation

/// Signing for a Feishu/Lark custom bot webhook ("signature verification" in the bot's security settings):
/// `sign = Base64(HMAC-SHA256(key: timestamp + "\n" + secret, message: empty))`, timestamp in seconds.
///
/// Unlike DingTalk's robots (key = secret, message = the string, milliseconds, sign in the URL), the string is
/// the key, the message is empty, and `timestamp` and `sign` travel in the JSON body. Feishu accepts a
/// timestamp within an hour of its clock.
public enum FeishuWebhookSigner {
    public static func sign(timestamp: Int64, secret: String) -> String {
        let key = SymmetricKey(data: Data("\(timestamp)\n\(secret)".utf8))
        return Data(HMAC<SHA256>.authenticationCode(for: Data(), using: key)).base64EncodedString()
    }
}
