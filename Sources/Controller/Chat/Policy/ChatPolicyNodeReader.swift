import StewardConfig
import Yams

/// Typed, strict access to the YAML nodes of `policy.yaml`; every failure names file, line and key path.
typealias ChatPolicyNodeReader = ConfigNodeReader<ChatPolicy>

/// The accessors whose rules are `policy.yaml`'s own.
extension ConfigNodeReader where Domain == ChatPolicy {
    /// A non-null, non-empty scalar without control characters, taken literally.
    func string(_ node: Node, at keyPath: String) throws(PolicyFileError) -> String {
        let text = try literal(node, at: keyPath)
        guard !text.isEmpty, text.utf8.count <= 1024 else {
            throw error(.invalidValue, node, keyPath, "expected 1 to 1024 characters")
        }
        guard !text.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) else {
            throw error(.invalidValue, node, keyPath, "the string contains control characters")
        }
        return text
    }

    /// A list of strings without repeats, each checked by `element`.
    func strings(
        _ node: Node, at keyPath: String, nonEmpty: Bool = false,
        element: (String, Node, String) throws(PolicyFileError) -> Void = { _, _, _ in }
    ) throws(PolicyFileError) -> [String] {
        var result: [String] = []
        for (index, item) in try sequence(node, at: keyPath, nonEmpty: nonEmpty).enumerated() {
            let itemPath = "\(keyPath)[\(index)]"
            let value = try string(item, at: itemPath)
            try element(value, item, itemPath)
            if !result.contains(value) { result.append(value) }
        }
        return result
    }

    /// `<positive integer><s|m|h|d>`, at most `maximum`.
    func duration(_ node: Node, at keyPath: String, maximum: Duration) throws(PolicyFileError) -> Duration {
        let text = try string(node, at: keyPath)
        let digits = text.prefix(while: { $0.isASCII && $0.isNumber })
        let factors: [Substring: Int64] = ["s": 1, "m": 60, "h": 3600, "d": 86_400]
        // Nine digits keep the multiplication far from overflow.
        if digits.count <= 9, let value = Int64(digits), value > 0, let factor = factors[text.dropFirst(digits.count)],
           .seconds(value * factor) <= maximum
        {
            return .seconds(value * factor)
        }
        throw error(
            .invalidDuration, node, keyPath,
            "\(text.debugDescription) is not a duration such as 60s, 30m or 2h (at most \(Self.format(maximum)))")
    }

    static func format(_ duration: Duration) -> String {
        let seconds = duration.components.seconds
        for (unit, size) in [("d", Int64(86_400)), ("h", 3600), ("m", 60)] where seconds >= size && seconds % size == 0 {
            return "\(seconds / size)\(unit)"
        }
        return "\(seconds)s"
    }
}
