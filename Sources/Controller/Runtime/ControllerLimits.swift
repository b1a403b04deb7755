/// What one controller lets its peers and its store use, each with a safe default and a
/// `controller.yaml` key (see `ControllerConfigFile`). A limit protects the controller from a hostile or
/// broken peer without losing what a well-behaved one sends: a fast agent is read more slowly, extra
/// runs wait in the queue, and only output beyond a run's cap is dropped (and the run marked truncated).
public struct ControllerLimits: Sendable, Hashable {
    /// Agent connections open at once, TLS handshakes included (`max_agent_connections`). Past it a new
    /// connection is closed as soon as it is accepted, counted as `too_many_connections`.
    public var maxAgentConnections: Int = 20_000
    /// Messages per second one agent connection may send, sustained (`agent_messages_per_second`); a
    /// burst of `agentMessageBurst` is allowed first. A faster peer is not dropped: its connection is read
    /// at this rate (TCP pushes back), and the first throttle of a connection is counted as `rate_limited`.
    public var agentMessagesPerSecond: Int = 2_000
    public var agentMessageBurst: Int = 10_000
    /// Failed enrollments one address may make per minute (`enrollment_failures_per_minute`), also the
    /// burst: past it, that address's enrollments are refused as `rate_limited`, without checking the
    /// token, until the budget refills. Successful enrollments cost nothing, so a fleet enrolls at full speed.
    public var enrollmentFailuresPerMinute: Int = 10
    /// Runs one agent has offered or running at once, over all jobs (`max_jobs_per_agent`); more wait
    /// queued (and expire at their job's delivery deadline, as for an offline agent).
    public var maxJobsPerAgent: Int = 32
    /// Output bytes stored per run, both streams together (`max_output_per_run`). Beyond it the output is
    /// acknowledged and dropped, and the run is marked truncated.
    public var maxOutputPerRun: Int64 = 16 << 20
    /// How long a finished job is kept, with its runs and output (`job_retention`); nil keeps it forever.
    /// The audit trail is never pruned.
    public var jobRetention: Duration? = .seconds(365 * 86_400)
    /// How long a finished job's output is kept (`output_retention`); the job and its runs stay in
    /// history. Nil keeps it as long as the job.
    public var outputRetention: Duration? = .seconds(90 * 86_400)

    public init() {}

    public static let `default` = ControllerLimits()
}
