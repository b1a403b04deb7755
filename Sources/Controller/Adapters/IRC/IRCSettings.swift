import NIOSSL

/// One `platform: irc` entry of `controller.yaml`, checked.
///
/// ```yaml
/// chat:
///   - platform: irc
///     server: irc.libera.chat:6697
///     tls: true                          # default; the certificate is verified (system roots, or ca_file)
///     ca_file: /etc/steward/irc-ca.pem   # optional: trust only this CA (or self-signed certificate)
///     nick: steward                      # alternates steward_, steward__, ... when taken
///     sasl_user: steward                 # optional SASL PLAIN; sasl_password_file / sasl_password_env
///     password_file: /etc/steward/irc-pass   # optional server password (PASS)
///     channels: ["#ops"]                 # quoted: an unquoted # starts a YAML comment
///     send_interval: 500ms               # or 2/s; at most send_burst (default 4) lines back to back
/// ```
public struct IRCSettings: Sendable {
    public var name: String
    public var host: String
    public var port: Int
    public var tls: Bool
    public var caFile: String?
    public var nick: String
    public var username: String
    public var realname: String
    var serverPassword: String?
    var sasl: IRCConnectionStateMachine.SASLCredentials?
    public var channels: [String]
    /// Extra names people may address the bot by (`ops-bot: metrics all`), besides its nickname.
    public var names: [String]
    public var prefix: String
    public var sendInterval: Duration
    public var sendBurst: Int
    public var rejoinDelay: Duration
    public var connectTimeout: Duration
    public var registrationTimeout: Duration
    /// Longest reply, in lines, before the rest is cut with a pointer (IRC has no long messages).
    public var maxLinesPerReply: Int

    /// The state machine's part of the settings.
    var session: IRCConnectionStateMachine.Configuration {
        IRCConnectionStateMachine.Configuration(
            nick: nick, username: username, realname: realname, serverPassword: serverPassword, sasl: sasl,
            channels: channels, rejoinDelay: rejoinDelay, registrationTimeout: registrationTimeout)
    }

    /// `host:port` for logs and errors.
    public var endpoint: String { host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)" }

    /// The TLS client context: full verification against the system roots, or only `ca_file`'s certificates.
    func makeTLSContext() throws -> NIOSSLContext? {
        guard tls else { return nil }
        var configuration = TLSConfiguration.makeClientConfiguration()
        configuration.certificateVerification = .fullVerification
        if let caFile { configuration.trustRoots = .certificates(try NIOSSLCertificate.fromPEMFile(caFile)) }
        return try NIOSSLContext(configuration: configuration)
    }
}

extension IRCSettings: CustomStringConvertible {
    /// Never the passwords.
    public var description: String {
        "IRCSettings(name: \(name), server: \(endpoint), tls: \(tls), nick: \(nick), channels: \(channels), sasl: \(sasl != nil))"
    }
}
