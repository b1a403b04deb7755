import Foundation

/// The JSON of a homeserver's error answer: `{"errcode": "M_...", "error": "...", "retry_after_ms": 2000}`.
struct MatrixErrorBody: Decodable {
    var errcode: String?
    var error: String?
    var retryAfterMs: Int64?
    var softLogout: Bool?

    enum CodingKeys: String, CodingKey {
        case errcode, error
        case retryAfterMs = "retry_after_ms"
        case softLogout = "soft_logout"
    }

    /// Error codes that mean our access token is no good: the bot is deaf and mute until an operator acts.
    static let authErrcodes: Set<String> = ["M_UNKNOWN_TOKEN", "M_MISSING_TOKEN", "M_USER_DEACTIVATED", "M_USER_LOCKED"]
    /// The longest server message quoted in an error, so a hostile server cannot flood the logs.
    static let maxQuoted = 200

    /// The ``MatrixError`` for a non-2xx answer of `call`.
    static func error(status: Int, body: Data, retryAfterHeader: String?, call: String) -> MatrixError {
        let parsed = try? JSONDecoder().decode(MatrixErrorBody.self, from: body)
        let errcode = parsed?.errcode.map { String($0.prefix(64)) }
        let detail = [errcode, parsed?.error.map { String($0.prefix(maxQuoted)) }].compactMap { $0 }.joined(separator: ": ")
        let message = "\(call) answered HTTP \(status)" + (detail.isEmpty ? "" : " (\(detail))")
        if status == 429 || errcode == "M_LIMIT_EXCEEDED" {
            return MatrixError(.rateLimited, message, errcode: errcode ?? "M_LIMIT_EXCEEDED", status: status,
                               retryAfter: retryAfter(milliseconds: parsed?.retryAfterMs, header: retryAfterHeader))
        }
        if status == 401 || errcode.map(authErrcodes.contains) == true {
            return MatrixError(.authFailed, message, errcode: errcode ?? "HTTP \(status)", status: status)
        }
        return MatrixError(errcode == nil ? .transport : .apiError, message, errcode: errcode, status: status)
    }

    /// `retry_after_ms` from the body, else the `Retry-After` header (seconds); nil when neither says.
    static func retryAfter(milliseconds: Int64?, header: String?) -> Duration? {
        if let milliseconds, milliseconds >= 0 { return .milliseconds(min(milliseconds, 86_400_000)) }
        if let header, let seconds = Int64(header.trimmingCharacters(in: .whitespaces)), seconds >= 0 {
            return .seconds(min(seconds, 86_400))
        }
        return nil
    }
}
