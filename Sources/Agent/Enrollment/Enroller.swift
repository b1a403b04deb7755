#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import Crypto
import Logging
import NIOCore
import NIOPosix
import StewardProtocol
import Synchronization
import X509

/// Enrolls this host with a controller: `steward-agent enroll --token stw1_... --name web-01`.
///
/// Parses the token, makes the key and CSR here, dials the token's controller trusting only the
/// pinned CA, sends `EnrollRequest`, and stores what the controller issued (certificate, CA,
/// job-signing key, agent id, labels) in the state directory. Every failure is one clear line.
public struct Enroller: Sendable {
    public var stateDirectory: AgentStateDirectory
    /// Host facts sent with the request (the controller shows them before anyone accepts the agent).
    public var facts: @Sendable () throws -> HostFacts
    public var responseTimeout: Duration
    public var eventLoopGroup: any EventLoopGroup
    public var now: @Sendable () -> Int64
    public var logger: Logger

    public init(
        stateDirectory: AgentStateDirectory,
        facts: @escaping @Sendable () throws -> HostFacts,
        responseTimeout: Duration = .seconds(30),
        eventLoopGroup: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton,
        now: @escaping @Sendable () -> Int64 = CommandRunner.Configuration.systemWallClockMillis,
        logger: Logger
    ) {
        self.stateDirectory = stateDirectory
        self.facts = facts
        self.responseTimeout = responseTimeout
        self.eventLoopGroup = eventLoopGroup
        self.now = now
        self.logger = logger
    }

    public func enroll(_ request: EnrollmentRequest) async throws -> AgentRecord {
        let token: JoinToken
        do {
            token = try JoinToken(parsing: request.token.trimmingWhitespace)
        } catch let error as TokenError {
            throw AgentRuntimeError(.invalidArgument, "invalid join token: \(error.message)")
        }
        if let problem = EnrollmentRequest.problem(withName: request.name) {
            throw AgentRuntimeError(.invalidArgument, problem)
        }
        if stateDirectory.isEnrolled, !request.force {
            let existing = try? stateDirectory.loadRecord()
            let who = existing.map { "as \($0.name) (\($0.agentID)) with \($0.controller)" } ?? "in \(stateDirectory.path)"
            throw AgentRuntimeError(.alreadyEnrolled, "this agent is already enrolled \(who); use --force to enroll again")
        }
        try stateDirectory.prepare()

        let key = AgentKeyPair.generate()
        var message = Wire.EnrollRequest()
        message.tokenSecret = Data(token.secret)
        message.name = request.name
        message.csrDer = Data(try key.makeCSR(name: request.name))
        message.agentVersion = StewardVersion.current
        do {
            message.factsJson = Data(try StructuredJSON.encode(try facts()))
        } catch {
            logger.warning("enrolling without host facts", metadata: ["error": "\(error)"])
        }

        logger.info("enrolling", metadata: ["controller.address": "\(token.controller)", "agent.name": "\(request.name)"])
        let response = try await exchange(message, token: token)
        let issued = try EnrollmentResponseCheck.validate(response, key: key, token: token)
        return try store(issued, key: key, name: request.name, controller: token.controller)
    }

    /// One request, one answer, on a connection that trusts only the pinned CA.
    private func exchange(_ request: Wire.EnrollRequest, token: JoinToken) async throws -> Wire.EnrollResponse {
        let rejection = Mutex<String?>(nil)
        let tls = try AgentTLS.enrollment(
            pinnedCAFingerprint: token.caFingerprint,
            onRejection: { error in rejection.withLock { $0 = error.message } })
        let endpoint = try ControllerEndpoint(parsing: token.controller)
        let connector = ControllerConnector(endpoint: endpoint, eventLoopGroup: eventLoopGroup) {
            try tls.makeClientHandler()
        }
        let answer: StewardMessage?
        do {
            let channel = try await connector.connect()
            let timeout = responseTimeout
            answer = try await channel.executeThenClose { inbound, outbound in
                try await outbound.write(.enrollRequest(request))
                return try await withThrowingTaskGroup(of: StewardMessage?.self) { group in
                    group.addTask {
                        for try await message in inbound { return message }
                        return nil
                    }
                    group.addTask {
                        try await Task.sleep(for: timeout)
                        throw AgentRuntimeError(.timedOut, "the controller at \(endpoint) did not answer within \(timeout)")
                    }
                    defer { group.cancelAll() }
                    return try await group.next() ?? nil
                }
            }
        } catch let error as AgentRuntimeError {
            throw error
        } catch {
            if let reason = rejection.withLock({ $0 }) {
                throw AgentRuntimeError(
                    .connectionFailed, "the controller at \(endpoint) is not the one in the token: \(reason)")
            }
            throw AgentRuntimeError(.connectionFailed, "enrollment with \(endpoint) failed: \(error)")
        }
        switch answer {
        case .enrollResponse(let response)?:
            return response
        case .error(let error)?:
            throw AgentRuntimeError(.refused, "the controller refused the enrollment: \(error.message)")
        case let other?:
            throw AgentRuntimeError(.invalidResponse, "the controller answered with \(other.name) instead of EnrollResponse")
        case nil:
            throw AgentRuntimeError(.connectionFailed, "the controller at \(endpoint) closed the connection without answering")
        }
    }

    private func store(_ issued: EnrollmentResponseCheck.Issued, key: AgentKeyPair, name: String, controller: String) throws -> AgentRecord {
        let record = AgentRecord(
            agentID: issued.agentID, name: name, controller: controller, labels: issued.labels,
            enrolledAtMilliseconds: now())
        do {
            try key.save(to: stateDirectory.privateKeyPath)
            try SecureFile.write(issued.caDER, to: stateDirectory.caCertificatePath)
            try SecureFile.write(issued.jobSigningKey, to: stateDirectory.jobSigningKeyPath)
            try SecureFile.write(issued.certificateDER, to: stateDirectory.certificatePath)
            // The record goes last: its presence is what `isEnrolled` means.
            try stateDirectory.saveRecord(record)
        } catch {
            throw AgentRuntimeError(.corruptState, "enrolled, but cannot store the identity in \(stateDirectory.path): \(error)")
        }
        logger.info("enrolled", metadata: ["agent.id": "\(record.agentID)", "agent.name": "\(name)"])
        return record
    }
}

private extension String {
    var trimmingWhitespace: String {
        let isSpace: (Character) -> Bool = { $0 == " " || $0 == "\n" || $0 == "\t" || $0 == "\r" }
        return String(drop(while: isSpace).reversed().drop(while: isSpace).reversed())
    }
}
