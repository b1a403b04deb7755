import Foundation
import StewardProtocol

/// One populated instance of every message, for round-trip tests.
public enum SampleMessages {
    public static var all: [StewardMessage] {
        var enroll = Wire.EnrollRequest()
        enroll.tokenSecret = Data(Array(repeating: 7, count: 32))
        enroll.name = "web-01"
        enroll.csrDer = Data([0x30, 0x82, 0x01])
        enroll.agentVersion = "0.1.0"
        enroll.factsJson = Data(Array(#"{"hostname":"web-01"}"#.utf8))

        var enrolled = Wire.EnrollResponse()
        enrolled.agentID = "agt_01"
        enrolled.certificateDer = Data([1, 2, 3])
        enrolled.caCertificateDer = Data([4, 5, 6])
        enrolled.jobSigningPublicKey = Data(Array(repeating: 9, count: 32))
        enrolled.labels = ["role": "web", "env": "prod"]

        var hello = Wire.Hello()
        hello.minVersion = 1
        hello.maxVersion = 1
        hello.agentVersion = "0.1.0"
        hello.bootID = "boot-a"
        hello.spooledJobIds = ["01J1", "01J2"]
        hello.activeJobIds = ["01J3"]

        var welcome = Wire.Welcome()
        welcome.version = 1
        welcome.agentID = "agt_01"
        welcome.heartbeatIntervalMs = 10_000
        welcome.serverTimeMs = 1_700_000_000_000

        var ping = Wire.Ping()
        ping.nonce = 42
        var pong = Wire.Pong()
        pong.nonce = 42

        var offer = Wire.JobOffer()
        offer.spec = Data([1, 2, 3])
        offer.signature = Data(Array(repeating: 3, count: 64))

        var accepted = Wire.JobAccepted()
        accepted.jobID = "01J1"
        accepted.startedMs = 5

        var rejected = Wire.JobRejected()
        rejected.jobID = "01J1"
        rejected.code = "policy_denied"
        rejected.reason = "reboot is not allowed"

        var output = Wire.Output()
        output.jobID = "01J1"
        output.stream = .stderr
        output.offset = 65_536
        output.data = Data(Array("hello\n".utf8))

        var outputAck = Wire.OutputAck()
        outputAck.jobID = "01J1"
        outputAck.stream = .stdout
        outputAck.offset = 6

        var result = Wire.JobResult()
        result.jobID = "01J1"
        result.status = .failed
        result.exited = true
        result.exitCode = 3
        result.startedMs = 10
        result.finishedMs = 20
        result.stdoutBytes = 6
        result.outputTruncated = true

        var resultAck = Wire.ResultAck()
        resultAck.jobID = "01J1"
        var cancel = Wire.Cancel()
        cancel.jobID = "01J1"
        var facts = Wire.FactsUpdate()
        facts.factsJson = Data(Array("{}".utf8))
        var renew = Wire.RenewCertificate()
        renew.csrDer = Data([9, 9])
        var renewed = Wire.CertificateRenewed()
        renewed.certificateDer = Data([8, 8])

        return [
            .enrollRequest(enroll), .enrollResponse(enrolled), .hello(hello), .welcome(welcome), .ping(ping),
            .pong(pong), .jobOffer(offer), .jobAccepted(accepted), .jobRejected(rejected), .output(output),
            .outputAck(outputAck), .jobResult(result), .resultAck(resultAck), .cancel(cancel), .factsUpdate(facts),
            .renewCertificate(renew), .certificateRenewed(renewed),
            .goAway(reason: "shutting down", retryAfterMilliseconds: 2_000),
            .error(.versionMismatch, "no common version"),
        ]
    }
}
