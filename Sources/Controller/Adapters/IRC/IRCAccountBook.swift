/// Which services account each nickname in our channels is logged in to, from IRCv3 `extended-join`
/// (`JOIN #chan account :realname`) and `account-notify` (`ACCOUNT name`, `ACCOUNT *`).
///
/// Only trusted while both capabilities are on: without `account-notify` a logout would go unseen. An entry
/// is dropped as soon as we could miss what happens to its nickname next (it parts, is kicked, quits, or we
/// leave a channel), so a stale entry can never hand one person's account to whoever takes the nick later.
struct IRCAccountBook: Sendable {
    private var accounts: [String: String] = [:]

    func account(of nick: String, _ mapping: IRCCaseMapping) -> String? {
        accounts[mapping.folded(nick)]
    }

    /// `account` as the server sent it; `*` (or nothing) means not logged in.
    mutating func set(_ nick: String, account: String?, _ mapping: IRCCaseMapping) {
        accounts[mapping.folded(nick)] = account.flatMap(Self.validAccount)
    }

    mutating func renamed(_ old: String, to new: String, _ mapping: IRCCaseMapping) {
        let account = accounts.removeValue(forKey: mapping.folded(old))
        accounts[mapping.folded(new)] = account
    }

    mutating func forget(_ nick: String, _ mapping: IRCCaseMapping) {
        accounts[mapping.folded(nick)] = nil
    }

    mutating func forgetAll() {
        accounts = [:]
    }

    /// An account name as it may appear in an identity: not `*`, no spaces, controls, `!` or `@` (so it can
    /// never be mistaken for a `nick!user@host` mask), at most 64 bytes.
    static func validAccount(_ name: String) -> String? {
        guard name != "*", !name.isEmpty, name.utf8.count <= 64,
              !name.unicodeScalars.contains(where: { $0.value <= 0x20 || $0.value == 0x7F || $0 == "!" || $0 == "@" })
        else { return nil }
        return name
    }
}
