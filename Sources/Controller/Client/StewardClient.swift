import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1

/// The admin CLI's connection to a running controller's HTTP API.
public struct StewardClient: Sendable {
    public let baseURL: String
    let token: String
    let http: HTTPClient

    public init(baseURL: String, token: String, http: HTTPClient = .shared) {
        self.baseURL = baseURL.hasSuffix("/") ? String(baseURL.dropLast()) : baseURL
        self.token = token
        self.http = http
    }

    /// Finds the API address and admin token in a controller's state directory.
    public static func fromStateDirectory(_ root: String) throws -> StewardClient {
        let state = ControllerStateDirectory(root: root)
        guard let endpointsData = FileManager.default.contents(atPath: state.endpoints) else {
            throw ClientError("no running controller found in \(root) (missing controller.json): start `steward serve --state-dir \(root)` or pass --state-dir")
        }
        let endpoints: ControllerEndpoints
        do {
            endpoints = try JSONDecoder().decode(ControllerEndpoints.self, from: endpointsData)
        } catch {
            throw ClientError("\(state.endpoints) is not valid: \(error)")
        }
        guard let tokenData = FileManager.default.contents(atPath: state.adminToken),
            let token = String(data: tokenData, encoding: .utf8)?.trimmingCharacters(in: .whitespacesAndNewlines), !token.isEmpty
        else {
            throw ClientError("cannot read the admin token \(state.adminToken) (are you the controller's user?)")
        }
        return StewardClient(baseURL: endpoints.api, token: token)
    }

    public func get<Response: Decodable>(_ path: String, as type: Response.Type = Response.self) async throws -> Response {
        try await send(method: .GET, path: path, body: nil)
    }

    public func post<Body: Encodable, Response: Decodable>(_ path: String, body: Body, as type: Response.Type = Response.self) async throws -> Response {
        try await send(method: .POST, path: path, body: try API.encoder().encode(body))
    }

    public func post<Response: Decodable>(_ path: String, as type: Response.Type = Response.self) async throws -> Response {
        try await send(method: .POST, path: path, body: Data("{}".utf8))
    }

    private func send<Response: Decodable>(method: HTTPMethod, path: String, body: Data?) async throws -> Response {
        var request = HTTPClientRequest(url: baseURL + path)
        request.method = method
        request.headers.add(name: "Authorization", value: "Bearer \(token)")
        if let body {
            request.headers.add(name: "Content-Type", value: "application/json")
            request.body = .bytes(ByteBuffer(bytes: body))
        }
        let response: HTTPClientResponse
        do {
            response = try await http.execute(request, timeout: .seconds(30))
        } catch {
            throw ClientError("cannot reach the controller at \(baseURL): \(error)")
        }
        let bytes = try await response.body.collect(upTo: 64 << 20)
        let data = Data(bytes.readableBytesView)
        guard (200..<300).contains(response.status.code) else {
            throw ClientError(Self.message(from: data) ?? "controller answered \(response.status)")
        }
        do {
            return try API.decoder().decode(Response.self, from: data)
        } catch {
            throw ClientError("unexpected answer from the controller: \(error)")
        }
    }

    /// Hummingbird's error body: `{"error":{"message":"..."}}`.
    static func message(from data: Data) -> String? {
        struct Body: Decodable {
            struct Inner: Decodable { var message: String }
            var error: Inner
        }
        return (try? JSONDecoder().decode(Body.self, from: data))?.error.message
    }
}

/// A CLI-facing failure with a one-line reason.
public struct ClientError: Error, Sendable, CustomStringConvertible {
    public var message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}
