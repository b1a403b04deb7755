/// TLS names shared by the agent and the controller, so both sides agree without configuration.
public enum StewardTLS {
    /// The DNS name in the controller's server certificate; agents verify it whatever address they dial.
    public static let controllerServerName = "controller.steward.internal"
    /// The only application protocol spoken on the agent port.
    public static let alpn = "steward/1"
    /// The URI SAN prefix that binds an agent certificate to its agent id.
    public static let agentURIPrefix = "steward://agent/"
}
