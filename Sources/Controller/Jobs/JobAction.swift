import Foundation
import StewardProtocol

/// What a job asks every target agent to do.
public enum JobAction: Sendable, Hashable, Codable {
    case ping
    case facts
    case metrics
    case service(operation: ServiceOperation, unit: String)
    case reboot
    case exec(command: String, arguments: [String])

    /// Operations on a system service.
    public enum ServiceOperation: String, Sendable, Hashable, Codable, CaseIterable {
        case status, start, stop, restart
    }

    /// The words a person would type: `metrics`, `service restart nginx`, `exec disk-usage -h`.
    public var commandText: String {
        switch self {
        case .ping: "ping"
        case .facts: "facts"
        case .metrics: "metrics"
        case .service(let operation, let unit): "service \(operation.rawValue) \(unit)"
        case .reboot: "reboot"
        case .exec(let command, let arguments): (["exec", command] + arguments).joined(separator: " ")
        }
    }

    /// Parses the words after `steward run --target SEL`.
    public init(words: [String]) throws {
        guard let verb = words.first else { throw JobRequestError("missing action: ping, facts, metrics, service, reboot or exec") }
        let rest = Array(words.dropFirst())
        switch verb {
        case "ping", "facts", "metrics", "reboot":
            guard rest.isEmpty else { throw JobRequestError("\(verb) takes no arguments") }
            self = verb == "ping" ? .ping : verb == "facts" ? .facts : verb == "metrics" ? .metrics : .reboot
        case "service":
            guard rest.count == 2, let operation = ServiceOperation(rawValue: rest[0]) else {
                throw JobRequestError("usage: service status|start|stop|restart UNIT")
            }
            self = .service(operation: operation, unit: rest[1])
        case "exec":
            guard let command = rest.first, !command.isEmpty else { throw JobRequestError("usage: exec NAME [ARGS...]") }
            self = .exec(command: command, arguments: Array(rest.dropFirst()))
        default:
            throw JobRequestError("unknown action '\(verb)': use ping, facts, metrics, service, reboot or exec")
        }
    }

    /// The wire form signed into the job spec.
    public var wire: Wire.Action {
        var action = Wire.Action()
        switch self {
        case .ping: action.kind = .ping
        case .facts: action.kind = .facts
        case .metrics: action.kind = .metrics
        case .reboot: action.kind = .reboot
        case .service(let operation, let unit):
            action.kind = .service
            action.service = unit
            action.serviceOperation = switch operation {
            case .status: .status
            case .start: .start
            case .stop: .stop
            case .restart: .restart
            }
        case .exec(let command, let arguments):
            action.kind = .exec
            action.command = command
            action.arguments = arguments
        }
        return action
    }
}

/// A job request that cannot be carried out as asked.
public struct JobRequestError: Error, Sendable, Hashable, CustomStringConvertible {
    public var message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}
