import NIOCore

/// What `FuzzSessionStateMachines` checks: one event script drives both ends' state machines.
///
/// Each message goes to the controller side (as if the agent sent it) and to the agent side (as if
/// the controller sent it); each side is judged by its own role. See `SessionEvent` for the input.
public enum SessionInvariants {
    public static func check(_ data: [UInt8]) throws {
        var input = FuzzInput(data)
        var now = NIODeadline.uptimeNanoseconds(1_000_000_000_000)
        var controllerSide = AgentSessionInvariants(anonymous: input.byte() == 0, now: now)
        var agentSide = try ControllerSessionInvariants(now: now)
        while let event = SessionEvent.next(from: &input) {
            switch event {
            case .received(let message):
                try controllerSide.received(message, now: now, decisions: &input)
                try agentSide.received(message, now: now)
            case .timerFired(let milliseconds):
                now = now + .milliseconds(milliseconds)
                try controllerSide.timerFired(now: now)
                try agentSide.timerFired(now: now)
            case .wait(let milliseconds):
                now = now + .milliseconds(milliseconds)
            case .goAway(let retryAfter):
                try controllerSide.goAway(retryAfterMilliseconds: retryAfter)
            }
        }
    }
}
