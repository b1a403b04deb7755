/// How the server compares nicknames and channel names (the `CASEMAPPING` ISUPPORT token).
///
/// Until the server says otherwise, `rfc1459` applies: `[]\~` are the upper-case forms of `{}|^`.
enum IRCCaseMapping: String, Sendable, Hashable {
    case ascii
    case rfc1459
    case strictRFC1459 = "strict-rfc1459"

    /// The mapping named in `CASEMAPPING=`, nil for one we do not know (then the current one stays).
    init?(token: String) {
        self.init(rawValue: token.lowercased())
    }

    func folded(_ text: String) -> String {
        var scalars = String.UnicodeScalarView()
        for scalar in text.unicodeScalars {
            switch scalar {
            case "A"..."Z": scalars.append(Unicode.Scalar(UInt8(scalar.value + 32)))
            case "[" where self != .ascii: scalars.append("{")
            case "]" where self != .ascii: scalars.append("}")
            case "\\" where self != .ascii: scalars.append("|")
            case "~" where self == .rfc1459: scalars.append("^")
            default: scalars.append(scalar)
            }
        }
        return String(scalars)
    }

    func equal(_ a: String, _ b: String) -> Bool {
        folded(a) == folded(b)
    }
}
