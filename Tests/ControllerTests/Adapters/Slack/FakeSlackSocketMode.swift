import Foundation
import Hummingbird
import HummingbirdTesting
import HummingbirdWebSocket
import Logging
import NIOCore
@testable import StewardController

/// A fake Slack for Socket Mode: `apps.connections.open` hands out `ws://` URLs to itself, and each WebSocket
/// session plays a script of frames (as Slack documents them), recording the acknowledgements it gets back.
actor FakeSlackSocketMode {
    /// What one session sends after `hello`; `awaitAck` waits (up to 5 s) for that envelope's ack before going on.
    enum Step: Sendable {
        case send(String)
        case awaitAck(String)
        case disconnect(reason: String)
    }

    static let appToken = "xapp-1-test"

    let web = FakeSlackWebAPI()
    private var scripts: [[Step]]
    private(set) var opened = 0
    private(set) var acks: [String] = []
    private var unexpectedTokens = 0

    init(scripts: [[Step]]) {
        self.scripts = scripts
    }

    func open(authorization: String?) -> Bool {
        guard authorization == "Bearer \(Self.appToken)" else {
            unexpectedTokens += 1
            return false
        }
        opened += 1
        return true
    }

    func nextScript() -> [Step] {
        scripts.isEmpty ? [] : scripts.removeFirst()
    }

    func acknowledged(_ text: String) {
        if let object = try? JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any], let id = object["envelope_id"] as? String {
            acks.append(id)
        }
    }

    func hasAck(_ id: String) -> Bool { acks.contains(id) }

    /// An `events_api` envelope carrying an `app_mention` by `user` in channel C1.
    static func mention(envelope: String, eventID: String, text: String, user: String = "U061F7AUR", retry: Int = 0) -> String {
        #"""
        {"envelope_id":"\#(envelope)","type":"events_api","accepts_response_payload":false,"retry_attempt":\#(retry),"retry_reason":"","payload":{"token":"x","team_id":"T1","api_app_id":"A1","type":"event_callback","event_id":"\#(eventID)","event_time":1700000000,"event":{"type":"app_mention","user":"\#(user)","text":"<@\#(FakeSlackWebAPI.botUserID)> \#(text)","ts":"1700000000.000100","channel":"C1","event_ts":"1700000000.000100"}}}
        """#
    }

    static let hello = #"{"type":"hello","num_connections":1,"debug_info":{"host":"fake"},"connection_info":{"app_id":"A1"}}"#

    /// Runs `body` with the fake listening; the URL is the Web API base.
    static func withServer(_ fake: FakeSlackSocketMode, _ body: @Sendable (String) async throws -> Void) async throws {
        let router = Router()
        router.post("api/:method") { request, context -> Response in
            let method = try context.parameters.require("method")
            let bytes = try await request.body.collect(upTo: 1 << 20)
            if method == "apps.connections.open" {
                guard await fake.open(authorization: request.headers[.authorization]) else {
                    return FakeSlackWebAPI.json(#"{"ok":false,"error":"invalid_auth"}"#)
                }
                let host = request.head.authority ?? "127.0.0.1"
                return FakeSlackWebAPI.json(#"{"ok":true,"url":"ws://\#(host)/link/?ticket=\#(UUID().uuidString)"}"#)
            }
            return await fake.web.answer(
                method: method, authorization: request.headers[.authorization], contentType: request.headers[.contentType],
                body: Data(bytes.readableBytesView))
        }
        let app = Application(
            router: router,
            server: .http1WebSocketUpgrade { request, _, _ in
                guard request.path?.hasPrefix("/link/") == true else { return .dontUpgrade }
                return .upgrade([:]) { inbound, outbound, _ in
                    try await outbound.write(.text(hello))
                    let reader = Task {
                        for try await message in inbound.messages(maxSize: 1 << 16) {
                            if case .text(let text) = message { await fake.acknowledged(text) }
                        }
                    }
                    defer { reader.cancel() }
                    for step in await fake.nextScript() {
                        switch step {
                        case .send(let frame):
                            try await outbound.write(.text(frame))
                        case .awaitAck(let id):
                            for _ in 0..<200 where await !fake.hasAck(id) { try await Task.sleep(for: .milliseconds(25)) }
                        case .disconnect(let reason):
                            try await outbound.write(.text(#"{"type":"disconnect","reason":"\#(reason)","debug_info":{"host":"fake"}}"#))
                        }
                    }
                    _ = try? await reader.value
                }
            },
            configuration: .init(address: .hostname("127.0.0.1", port: 0)),
            logger: Logger(label: "test.fake-slack-socket", factory: { _ in SwiftLogNoOpLogHandler() }))
        try await app.test(.live) { client in
            guard let port = client.port else { throw SlackError(.transport, "the fake Slack has no port") }
            try await body("http://127.0.0.1:\(port)/api/")
        }
    }
}
