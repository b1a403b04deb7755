import Prometheus

/// The controller's Prometheus metrics, kept in a registry of its own.
///
/// Nothing goes through the global `MetricsSystem`: each controller (and each test) owns its registry, so
/// several controllers in one process never share or clash over counters. `GET /metrics` emits it.
public struct ControllerMetrics: Sendable {
    /// Where every metric below lives; `GET /metrics` emits it as Prometheus text.
    public let registry: PrometheusCollectorRegistry
    let agentsOnline: Gauge
    let agentConnections: Counter
    let agentSessions: Counter
    let jobsFinished: Counter

    public init(registry: PrometheusCollectorRegistry = PrometheusCollectorRegistry()) {
        self.registry = registry
        agentsOnline = registry.makeGauge(descriptor: Self.descriptor(
            "agents_online", unit: "", help: "Agents with an authenticated session right now."))
        agentConnections = registry.makeCounter(descriptor: Self.descriptor(
            "agent_connections", help: "Connections accepted on the agent port, before TLS."))
        agentSessions = registry.makeCounter(descriptor: Self.descriptor(
            "agent_sessions", help: "Agent sessions that were authorized and went online."))
        jobsFinished = registry.makeCounter(descriptor: Self.descriptor(
            "jobs_finished", help: "Jobs whose every run reached a final state."))
    }

    /// Counts one refused request, connection or message (`steward_rejections_total{entry, reason}`).
    public func rejected(_ entry: RejectionEntry, _ reason: RejectionReason) {
        registry.makeCounter(
            descriptor: Self.descriptor("rejections", help: "Input the controller refused, by entry point and reason."),
            labels: [("entry", entry.rawValue), ("reason", reason.rawValue)]
        ).increment()
    }

    /// Counts one job stored and scheduled (`steward_jobs_submitted_total{source}`).
    func jobSubmitted(source: JobSource) {
        registry.makeCounter(
            descriptor: Self.descriptor("jobs_submitted", help: "Jobs submitted, by where they were asked for."),
            labels: [("source", source.rawValue)]
        ).increment()
    }

    /// Counts one result an agent reported and the store recorded (`steward_run_results_total{status}`).
    func runResultRecorded(status: RunStatus) {
        registry.makeCounter(
            descriptor: Self.descriptor("run_results", help: "Run results reported by agents and recorded, by run status."),
            labels: [("status", status.rawValue)]
        ).increment()
    }

    func agentConnectionAccepted() { agentConnections.increment() }

    func agentSessionStarted() { agentSessions.increment() }

    func jobFinished() { jobsFinished.increment() }

    /// The registry in Prometheus' text exposition format (0.0.4), with the online gauge brought up to date.
    func exposition(agentsOnline online: Int) -> [UInt8] {
        agentsOnline.set(Int64(online))
        var buffer: [UInt8] = []
        buffer.reserveCapacity(4096)
        registry.emit(into: &buffer)
        return buffer
    }

    /// `steward_<name>_<unit>`; every family keeps one help text, as the registry requires.
    private static func descriptor(_ name: String, unit: String = "total", help: String) -> MetricNameDescriptor {
        MetricNameDescriptor(namespace: "steward", metricName: name, unitName: unit, helpText: help)
    }
}
