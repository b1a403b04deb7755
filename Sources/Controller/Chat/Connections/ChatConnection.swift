import Hummingbird
import Logging

/// One configured chat platform connection (an entry of `chat:` in `controller.yaml`).
///
/// A connection owns its inbound side (a socket, a long-poll loop, or HTTP routes) and hands every
/// authenticated message to the engine with itself as the outgoing ``ChatAdapter``.
public protocol ChatConnection: Sendable {
    /// The entry's name, unique in the file.
    var name: String { get }
    var health: ChatHealthMonitor { get }
    /// Adds the HTTP routes the platform calls (events endpoints, slash commands, webhooks); most add none.
    func registerRoutes(on router: Router<APIRequestContext>)
    /// The paths `registerRoutes` serves, so two connections cannot claim the same one.
    var routePaths: [String] { get }
    /// Receives messages until cancelled, reconnecting on its own; returns when the task is cancelled.
    func run(engine: ChatEngine) async
}

extension ChatConnection {
    public func registerRoutes(on router: Router<APIRequestContext>) {}
    public var routePaths: [String] { [] }
}

/// What a connection is built with besides its settings.
public struct ChatConnectionContext: Sendable {
    public var logger: Logger
    /// A private directory (0700) for the connection's own state (a sync cursor, ...): `<state dir>/chat/<name>`;
    /// created on first use by the connection.
    public var stateDirectory: String
    /// What notifiers report on, and read to describe it (nil in tests that build adapters alone).
    public var controller: ControllerParts?
    /// Where connections that authenticate inbound requests count the ones they refuse.
    public var metrics: ControllerMetrics

    public init(
        logger: Logger, stateDirectory: String, controller: ControllerParts? = nil, metrics: ControllerMetrics = ControllerMetrics()
    ) {
        self.logger = logger
        self.stateDirectory = stateDirectory
        self.controller = controller
        self.metrics = metrics
    }
}

/// The controller parts a notifier reads: events to subscribe to, jobs to describe, agents to check.
public struct ControllerParts: Sendable {
    public var events: ControllerEvents
    public var database: StewardDatabase
    public var registry: AgentRegistry

    public init(events: ControllerEvents, database: StewardDatabase, registry: AgentRegistry) {
        self.events = events
        self.database = database
        self.registry = registry
    }
}

/// The controller's configured connections, run side by side in one service.
public struct ChatConnections: Sendable {
    public let all: [any ChatConnection]

    public init(_ all: [any ChatConnection]) {
        self.all = all
    }

    public func health() async -> [ChatHealth] {
        var snapshots: [ChatHealth] = []
        for connection in all { snapshots.append(await connection.health.snapshot) }
        return snapshots
    }

    public func registerRoutes(on router: Router<APIRequestContext>) {
        for connection in all { connection.registerRoutes(on: router) }
    }

    /// Runs every connection until cancelled; one connection failing never stops the others.
    public func run(engine: ChatEngine) async {
        await withDiscardingTaskGroup { group in
            for connection in all {
                group.addTask { await connection.run(engine: engine) }
            }
        }
    }
}
