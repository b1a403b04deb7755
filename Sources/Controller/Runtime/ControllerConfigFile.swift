import Foundation
import Yams

/// `controller.yaml`: the same settings as `steward serve`'s flags. Unknown keys are errors, so a
/// typo never silently falls back to a default.
public enum ControllerConfigFile {
    static let keys: Set<String> = [
        "state_dir", "agent_listen", "api_listen", "advertise", "heartbeat_interval", "agent_certificate_validity",
        "result_grace", "max_frame_bytes", "policy", "commands", "chat", "handshake_timeout", "api_header_timeout",
    ]

    public static func load(path: String) throws -> ControllerConfiguration {
        guard let data = FileManager.default.contents(atPath: path), let text = String(data: data, encoding: .utf8) else {
            throw ConfigurationError("\(path): cannot read the file")
        }
        return try parse(text, path: path)
    }

    public static func parse(_ text: String, path: String) throws -> ControllerConfiguration {
        let node: Node?
        do {
            node = try Yams.compose(yaml: text)
        } catch {
            throw ConfigurationError("\(path): not valid YAML: \(error)")
        }
        var configuration = ControllerConfiguration(stateDirectory: ControllerConfiguration.defaultStateDirectory())
        guard let node else { return configuration }
        guard let mapping = node.mapping else { throw ConfigurationError("\(path):\(node.mark?.line ?? 0): expected a mapping of settings") }
        for (keyNode, value) in mapping {
            guard let key = keyNode.string else { throw ConfigurationError("\(path):\(keyNode.mark?.line ?? 0): keys must be strings") }
            guard keys.contains(key) || limitKeys.contains(key) else {
                throw ConfigurationError("\(path):\(keyNode.mark?.line ?? 0): unknown setting '\(key)' (known: \(keys.union(limitKeys).sorted().joined(separator: ", ")))")
            }
            if key == "chat" {
                do {
                    configuration.chat = try ChatConnectionSettings.parseList(value, path: path)
                } catch {
                    throw ConfigurationError("\(error)")
                }
                continue
            }
            guard let string = value.string else {
                throw ConfigurationError("\(path):\(value.mark?.line ?? 0): \(key) must be a single value")
            }
            let whereAt = "\(path):\(value.mark?.line ?? 0): \(key)"
            if limitKeys.contains(key) {
                try applyLimit(key, string, at: whereAt, to: &configuration.resourceLimits)
                continue
            }
            switch key {
            case "state_dir": configuration.stateDirectory = string
            case "agent_listen": (configuration.agentHost, configuration.agentPort) = try HostPort.parse(string, flag: whereAt)
            case "api_listen": (configuration.apiHost, configuration.apiPort) = try HostPort.parse(string, flag: whereAt)
            case "advertise":
                _ = try HostPort.parse(string, flag: whereAt)
                configuration.advertisedAddress = string
            case "heartbeat_interval":
                configuration.heartbeat.interval = .seconds(Int64(try seconds(string, at: whereAt)))
            case "handshake_timeout":
                configuration.heartbeat.handshakeTimeout = .seconds(Int64(try seconds(string, at: whereAt)))
            case "api_header_timeout": configuration.apiHeaderTimeout = .seconds(try seconds(string, at: whereAt))
            case "agent_certificate_validity": configuration.agentCertificateValidity = .seconds(try seconds(string, at: whereAt))
            case "result_grace": configuration.resultGrace = .seconds(try seconds(string, at: whereAt))
            case "policy": configuration.policyPath = string
            case "commands": configuration.commandsPath = string
            case "max_frame_bytes":
                guard let bytes = Int(string), (128 << 10...64 << 20).contains(bytes) else {
                    throw ConfigurationError("\(whereAt): must be between 131072 and 67108864")
                }
                configuration.limits = .init(maxFrameLength: bytes)
            default: break
            }
        }
        return configuration
    }

    static func seconds(_ text: String, at location: String) throws -> Int {
        let units: [Character: Int] = ["s": 1, "m": 60, "h": 3600, "d": 86_400]
        // Capped at 100 years: an absurd value would otherwise overflow (and trap) when converted to seconds.
        if let unit = text.last, let factor = units[unit], let value = Int(text.dropLast()), value > 0,
           value <= 100 * 365 * 86_400 / factor
        {
            return value * factor
        }
        throw ConfigurationError("\(location): '\(text)' is not a duration such as 30s, 5m, 1h or 30d")
    }
}
