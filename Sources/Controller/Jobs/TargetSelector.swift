/// Which agents a job targets: `all`, a name, a glob (`web-*`), labels (`role=web,env=prod`) or a list (`a,b`).
public enum TargetSelector: Sendable, Hashable, CustomStringConvertible {
    case all
    case names([String])
    case glob(String)
    case labels([String: String])

    public init(parsing text: String) throws {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        guard !trimmed.isEmpty else { throw JobRequestError("empty target selector") }
        guard trimmed.count <= 1024 else { throw JobRequestError("target selector longer than 1024 characters") }
        if trimmed == "all" || trimmed == "*" {
            self = .all
            return
        }
        let parts = trimmed.split(separator: ",", omittingEmptySubsequences: false).map {
            String($0).trimmingCharacters(in: .whitespaces)
        }
        guard parts.allSatisfy({ !$0.isEmpty }) else { throw JobRequestError("empty element in target selector '\(text)'") }
        if parts.contains(where: { $0.contains("=") }) {
            var labels: [String: String] = [:]
            for part in parts {
                let pair = part.split(separator: "=", maxSplits: 1).map(String.init)
                guard pair.count == 2, Self.isName(pair[0]), Self.isName(pair[1]) else {
                    throw JobRequestError("bad label selector '\(part)': use key=value,key=value")
                }
                guard labels[pair[0]] == nil else { throw JobRequestError("label '\(pair[0])' given twice") }
                labels[pair[0]] = pair[1]
            }
            self = .labels(labels)
            return
        }
        for part in parts where !Self.isName(part.replacingOccurrences(of: "*", with: "x").replacingOccurrences(of: "?", with: "x")) {
            throw JobRequestError("bad target '\(part)': names use letters, digits, '.', '_' and '-'")
        }
        if parts.count == 1, parts[0].contains(where: { $0 == "*" || $0 == "?" }) {
            self = .glob(parts[0])
        } else {
            guard !parts.contains(where: { $0.contains("*") || $0.contains("?") }) else {
                throw JobRequestError("globs cannot be mixed into a list")
            }
            self = .names(parts)
        }
    }

    public var description: String {
        switch self {
        case .all: "all"
        case .names(let names): names.joined(separator: ",")
        case .glob(let pattern): pattern
        case .labels(let labels): labels.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: ",")
        }
    }

    /// Whether an agent with this name and labels is targeted.
    public func matches(name: String, labels: [String: String]) -> Bool {
        switch self {
        case .all: true
        case .names(let names): names.contains(name)
        case .glob(let pattern): Self.glob(Array(pattern.utf8)[...], matches: Array(name.utf8)[...])
        case .labels(let wanted): wanted.allSatisfy { labels[$0.key] == $0.value }
        }
    }

    static func isName(_ text: String) -> Bool {
        !text.isEmpty && text.count <= 253
            && text.utf8.allSatisfy { ($0 >= 0x30 && $0 <= 0x39) || ($0 | 0x20 >= 0x61 && $0 | 0x20 <= 0x7A) || $0 == 0x2E || $0 == 0x5F || $0 == 0x2D }
    }

    private static func glob(_ pattern: ArraySlice<UInt8>, matches name: ArraySlice<UInt8>) -> Bool {
        var p = pattern.startIndex, n = name.startIndex
        var starP: Int? = nil, starN = 0
        while n < name.endIndex {
            if p < pattern.endIndex, pattern[p] == UInt8(ascii: "?") || pattern[p] == name[n] {
                p += 1
                n += 1
            } else if p < pattern.endIndex, pattern[p] == UInt8(ascii: "*") {
                starP = p
                starN = n
                p += 1
            } else if let star = starP {
                p = star + 1
                starN += 1
                n = starN
            } else {
                return false
            }
        }
        while p < pattern.endIndex, pattern[p] == UInt8(ascii: "*") { p += 1 }
        return p == pattern.endIndex
    }
}
