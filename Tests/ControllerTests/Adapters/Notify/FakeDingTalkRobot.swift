import Foundation
import Hummingbird
import HummingbirdTesting
import Logging
@testable import StewardController

/// A DingTalk custom robot (`POST /robot/send?access_token=...&timestamp=...&sign=...`) that checks the signature the
/// way DingTalk does (form-decoding the query, so an unencoded `+` turns into a space and fails) and answers
/// `{"errcode": 0}` or the errcode it was told to.
actor FakeDingTalkRobot {
    struct Message: Sendable, Equatable {
        var msgtype: String?
        var title: String?
        var text: String?
    }

    static let token = "robot-token-0123"
    static let secret = "SECtest-robot-secret"

    private(set) var messages: [Message] = []
    private(set) var refusedSigns = 0
    private var failure: (code: Int, message: String)?

    /// Every later message is answered with this errcode and errmsg.
    func fail(errcode: Int, errmsg: String) {
        failure = (errcode, errmsg)
    }

    func received(query: String, body: Data) -> String {
        let fields = Self.formDecoded(query)
        guard fields["access_token"] == Self.token else { return #"{"errcode":300001,"errmsg":"token is not exist"}"# }
        guard DingTalkSignature.isValid(timestampMs: fields["timestamp"], sign: fields["sign"], secret: Self.secret, now: Date()) else {
            refusedSigns += 1
            return #"{"errcode":310000,"errmsg":"sign not match, more: [https://ding-doc.dingtalk.com/doc#/serverapi2/qf2nxq]"}"#
        }
        let object = (try? JSONSerialization.jsonObject(with: body)) as? [String: Any]
        let markdown = object?["markdown"] as? [String: Any]
        messages.append(Message(msgtype: object?["msgtype"] as? String, title: markdown?["title"] as? String, text: markdown?["text"] as? String))
        if let failure { return #"{"errcode":\#(failure.code),"errmsg":"\#(failure.message)"}"# }
        return #"{"errcode":0,"errmsg":"ok"}"#
    }

    /// `application/x-www-form-urlencoded` decoding: `+` is a space, then percent-escapes.
    static func formDecoded(_ query: String) -> [String: String] {
        var fields: [String: String] = [:]
        for pair in query.split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1).map { String($0).replacingOccurrences(of: "+", with: " ").removingPercentEncoding ?? "" }
            if parts.count == 2 { fields[parts[0]] = parts[1] }
        }
        return fields
    }

    /// Runs `body` with the robot listening; the URL is the robot's webhook without timestamp and sign.
    static func withServer(_ body: @Sendable (FakeDingTalkRobot, String) async throws -> Void) async throws {
        let robot = FakeDingTalkRobot()
        let router = Router()
        router.post("robot/send") { request, _ -> Response in
            let query = request.uri.query ?? ""
            let answer = await robot.received(query: query, body: Data(try await request.body.collect(upTo: 1 << 20).readableBytesView))
            return FakeSlackWebAPI.json(answer)
        }
        let app = Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)),
                              logger: Logger(label: "test.fake-robot", factory: { _ in SwiftLogNoOpLogHandler() }))
        try await app.test(.live) { client in
            try await body(robot, "http://127.0.0.1:\(client.port ?? 0)/robot/send?access_token=\(token)")
        }
    }
}
