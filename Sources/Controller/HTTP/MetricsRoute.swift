import Hummingbird
import NIOCore

/// `GET /metrics`: the controller's Prometheus metrics, for any valid API token.
///
/// Outside `/api/v1` where scrapers expect it, yet behind the same bearer check (default deny): rejection
/// counts and fleet size are not for anyone who can reach the port.
struct MetricsRoute {
    let deps: APIDependencies

    /// Prometheus' text exposition format.
    static let contentType = "text/plain; version=0.0.4; charset=utf-8"

    func register(on router: Router<APIRequestContext>) {
        let deps = self.deps
        router.group("metrics")
            .add(middleware: BearerTokenMiddleware(database: deps.database, metrics: deps.metrics))
            .get { _, _ -> Response in
                let text = deps.metrics.exposition(agentsOnline: await deps.registry.count)
                return Response(
                    status: .ok, headers: [.contentType: Self.contentType], body: ResponseBody(byteBuffer: ByteBuffer(bytes: text)))
            }
    }
}
