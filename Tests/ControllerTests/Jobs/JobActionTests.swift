import Foundation
import StewardProtocol
import Testing
@testable import StewardController

@Suite("Job actions")
struct JobActionTests {
    static let valid: [([String], JobAction, String)] = [
        (["ping"], .ping, "ping"),
        (["facts"], .facts, "facts"),
        (["metrics"], .metrics, "metrics"),
        (["reboot"], .reboot, "reboot"),
        (["service", "status", "nginx"], .service(operation: .status, unit: "nginx"), "service status nginx"),
        (["service", "start", "nginx"], .service(operation: .start, unit: "nginx"), "service start nginx"),
        (["service", "stop", "cron.service"], .service(operation: .stop, unit: "cron.service"), "service stop cron.service"),
        (["service", "restart", "nginx"], .service(operation: .restart, unit: "nginx"), "service restart nginx"),
        (["exec", "uptime"], .exec(command: "uptime", arguments: []), "exec uptime"),
        (["exec", "disk-usage", "-h", "/var"], .exec(command: "disk-usage", arguments: ["-h", "/var"]), "exec disk-usage -h /var"),
    ]

    @Test(arguments: valid)
    func parsesTheWordsAPersonTypes(words: [String], expected: JobAction, text: String) throws {
        let action = try JobAction(words: words)
        #expect(action == expected)
        #expect(action.commandText == text)
    }

    static let invalid: [([String], String)] = [
        ([], "missing action"),
        (["ping", "now"], "ping takes no arguments"),
        (["facts", "--all"], "facts takes no arguments"),
        (["metrics", "x"], "metrics takes no arguments"),
        (["reboot", "now"], "reboot takes no arguments"),
        (["service"], "usage: service status|start|stop|restart UNIT"),
        (["service", "restart"], "usage: service status|start|stop|restart UNIT"),
        (["service", "bounce", "nginx"], "usage: service status|start|stop|restart UNIT"),
        (["service", "RESTART", "nginx"], "usage: service status|start|stop|restart UNIT"),
        (["service", "restart", "nginx", "extra"], "usage: service status|start|stop|restart UNIT"),
        (["exec"], "usage: exec NAME [ARGS...]"),
        (["exec", ""], "usage: exec NAME [ARGS...]"),
        (["PING"], "unknown action 'PING'"),
        (["rm", "-rf", "/"], "unknown action 'rm'"),
        ([""], "unknown action ''"),
    ]

    @Test(arguments: invalid)
    func rejectsBadWordsWithUsage(words: [String], message: String) {
        #expect {
            try JobAction(words: words)
        } throws: { error in
            (error as? JobRequestError)?.message.hasPrefix(message) == true
        }
    }

    @Test func unknownActionListsTheKnownOnes() {
        #expect(throws: JobRequestError("unknown action 'shell': use ping, facts, metrics, service, reboot or exec")) {
            try JobAction(words: ["shell"])
        }
    }

    static let simpleKinds: [(JobAction, Wire.ActionKind)] = [
        (.ping, .ping), (.facts, .facts), (.metrics, .metrics), (.reboot, .reboot),
    ]

    @Test(arguments: simpleKinds)
    func simpleActionsCarryOnlyTheirKind(action: JobAction, kind: Wire.ActionKind) {
        var expected = Wire.Action()
        expected.kind = kind
        #expect(action.wire == expected)
    }

    static let operations: [(JobAction.ServiceOperation, Wire.ServiceOperation)] = [
        (.status, .status), (.start, .start), (.stop, .stop), (.restart, .restart),
    ]

    @Test(arguments: operations)
    func serviceActionsCarryOperationAndUnit(operation: JobAction.ServiceOperation, wire: Wire.ServiceOperation) {
        let action = JobAction.service(operation: operation, unit: "nginx.service").wire
        #expect(action.kind == .service)
        #expect(action.serviceOperation == wire)
        #expect(action.service == "nginx.service")
        #expect(action.command.isEmpty)
        #expect(action.arguments.isEmpty)
    }

    @Test func execActionsCarryCommandAndArgumentsVerbatim() {
        let hostile = ["; rm -rf /", "$(id)", "a b", ""]
        let action = JobAction.exec(command: "disk-usage", arguments: hostile).wire
        #expect(action.kind == .exec)
        #expect(action.command == "disk-usage")
        #expect(action.arguments == hostile)
        #expect(action.serviceOperation == .unspecified)
        #expect(action.service.isEmpty)
    }

    @Test(arguments: valid.map(\.1))
    func survivesTheJSONRoundTripTheDispatcherStores(action: JobAction) throws {
        let data = try JSONEncoder().encode(action)
        #expect(try JSONDecoder().decode(JobAction.self, from: data) == action)
    }
}
