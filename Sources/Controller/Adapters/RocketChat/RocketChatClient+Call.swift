import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1

extension RocketChatClient {
    /// One REST call with the bot's headers; 2xx with `"success": true` (or no `success` field) is the answer.
    func call(_ method: HTTPMethod, _ path: String, body: Data? = nil) async throws(RocketChatError) -> Data {
        do throws(RocketChatError) {
            let data = try await callOnce(method, path, body: body, retriesLeft: 1)
            await health?.callSucceeded()
            return data
        } catch {
            if error.code == .unauthorized {
                await health?.authFailed(error.message)
            } else {
                await health?.callFailed("\(method) \(Self.endpoint(path)): \(error.message)")
            }
            throw error
        }
    }

    private func callOnce(_ method: HTTPMethod, _ path: String, body: Data?, retriesLeft: Int) async throws(RocketChatError) -> Data {
        var request = HTTPClientRequest(url: configuration.serverURL + path)
        request.method = method
        request.headers.add(name: "X-User-Id", value: configuration.userID)
        request.headers.add(name: "X-Auth-Token", value: configuration.token)
        request.headers.add(name: "Accept", value: "application/json")
        if let body {
            request.headers.add(name: "Content-Type", value: "application/json")
            request.body = .bytes(ByteBuffer(bytes: body))
        }
        let endpoint = Self.endpoint(path)
        let response: HTTPClientResponse
        let bytes: ByteBuffer
        do {
            response = try await http.execute(request, timeout: configuration.timeout)
            bytes = try await response.body.collect(upTo: Self.maxResponseBytes)
        } catch {
            throw RocketChatError(.transport, "\(method) \(endpoint) failed: \(error)")
        }
        let data = Data(bytes.readableBytesView)
        let status = response.status.code
        if status == 429 {
            let wait = RocketChatRateLimit.wait(
                retryAfter: response.headers.first(name: "Retry-After"), rateLimitReset: response.headers.first(name: "X-RateLimit-Reset"),
                now: now()) ?? .seconds(1)
            guard retriesLeft > 0, wait <= configuration.maxRetryWait else {
                throw RocketChatError(.rateLimited, "\(endpoint) is rate limited (\(Self.reason(data) ?? "HTTP 429"))")
            }
            do {
                try await sleep(wait)
            } catch {
                throw RocketChatError(.transport, "\(endpoint): cancelled while waiting out a rate limit")
            }
            return try await callOnce(method, path, body: body, retriesLeft: retriesLeft - 1)
        }
        let answer = try? JSONDecoder().decode(Outcome.self, from: data)
        guard (200..<300).contains(status), answer?.success ?? true else {
            let reason = Self.reason(data) ?? "HTTP \(status)"
            throw RocketChatError(status == 401 ? .unauthorized : .apiError, status == 401 ? reason : "\(endpoint) answered \(status): \(reason)")
        }
        return data
    }

    /// The method name for logs (`chat.postMessage`), never the query.
    static func endpoint(_ path: String) -> String {
        let bare = path.split(separator: "?", maxSplits: 1).first.map(String.init) ?? path
        return bare.hasPrefix("/api/v1/") ? String(bare.dropFirst(8)) : bare
    }

    /// Rocket.Chat's words for a failure: `{"success": false, "error": "..."}`, or `message` (older 401 bodies), or a
    /// short plain-text body (`Unauthorized`).
    static func reason(_ data: Data) -> String? {
        if let outcome = try? JSONDecoder().decode(Outcome.self, from: data), let text = outcome.error ?? outcome.message, !text.isEmpty {
            return RocketChatText.shown(text)
        }
        let text = String(decoding: data.prefix(200), as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        guard !text.isEmpty, !text.hasPrefix("{"), !text.hasPrefix("<") else { return nil }
        return RocketChatText.shown(text)
    }

    /// The fields every REST answer may carry.
    struct Outcome: Decodable {
        var success: Bool?
        var error: String?
        var message: String?

        enum CodingKeys: String, CodingKey {
            case success, error, message
        }

        init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            success = try? container.decodeIfPresent(Bool.self, forKey: .success)
            error = try? container.decodeIfPresent(String.self, forKey: .error)
            message = try? container.decodeIfPresent(String.self, forKey: .message)
        }
    }
}
