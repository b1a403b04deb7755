import Yams

/// Resolves `inherits` into, for each role, the role followed by everything it inherits; rejects loops,
/// which would otherwise make "what may an operator do" unanswerable.
struct ChatPolicyInheritance {
    let roles: [String: ChatPolicy.Role]
    /// Each role's `inherits` value, so a loop can be reported at its line.
    let inheritNodes: [String: Node]
    let reader: ChatPolicyNodeReader

    func closures() throws(PolicyFileError) -> [String: [String]] {
        var finished: Set<String> = []
        for name in roles.keys.sorted() {
            try visit(name, path: [], finished: &finished)
        }
        var closures: [String: [String]] = [:]
        for name in roles.keys {
            var order = [name]
            var index = 0
            while index < order.count {
                for parent in roles[order[index]]?.inherits ?? [] where !order.contains(parent) {
                    order.append(parent)
                }
                index += 1
            }
            closures[name] = order
        }
        return closures
    }

    /// Depth-first walk; a role met again on the current path closes a loop.
    private func visit(_ name: String, path: [String], finished: inout Set<String>) throws(PolicyFileError) {
        if finished.contains(name) { return }
        if let start = path.firstIndex(of: name) {
            let loop = (path[start...] + [name]).joined(separator: " → ")
            let last = path[path.count - 1]
            throw reader.error(.inheritanceCycle, inheritNodes[last], "roles.\(last).inherits", "roles inherit in a loop: \(loop)")
        }
        for parent in roles[name]?.inherits ?? [] {
            try visit(parent, path: path + [name], finished: &finished)
        }
        finished.insert(name)
    }
}
