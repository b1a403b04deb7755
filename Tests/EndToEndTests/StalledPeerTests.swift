import Foundation
import NIOCore
import StewardProtocol
import Testing

extension FaultSuites {
    /// Peers that hold a connection without making progress: they must be dropped at a timeout, and must
    /// not make the controller buffer without limit.
    @Suite(.serialized, .timeLimit(.minutes(5)))
    struct StalledPeerTests {
        /// Short timeouts, so each drop is observed in seconds: silent after 3 × 1 s, handshake 3 s, HTTP head 2 s.
        /// Job slots raised past the 80 offers below: at the default 32, the offers alone no longer fill the
        /// socket buffers, and the stuck write this suite is about would not happen.
        static let config = """
            heartbeat_interval: 1s
            handshake_timeout: 3s
            api_header_timeout: 2s
            max_jobs_per_agent: 100
            """

        static func startController(root: String) async throws -> ControllerUnderTest {
            let path = "\(root)/controller.yaml"
            try config.write(toFile: path, atomically: true, encoding: .utf8)
            let controller = ControllerUnderTest(root: root)
            try await controller.start(config: path)
            return controller
        }

        /// A raw TCP client trickles the start of a TLS ClientHello, one byte a second: the controller drops it at
        /// the 3 s handshake timeout although bytes keep arriving.
        @Test func aSlowlorisOnTheAgentPortIsDroppedAtTheHandshakeTimeout() async throws {
            try Harness.requireBinaries()
            try await FaultSuites.settle()
            let root = try Harness.temporaryDirectory("slowloris-agent")
            let controller = try await Self.startController(root: root)
            try await withLogsOnFailure([("controller", { controller.log })], cleanup: { await controller.stop() }) {
                let port = try #require(controller.agentAddress.split(separator: ":").last.flatMap { Int($0) })
                let (closedAfter, sent) = try await Self.trickle(Self.clientHelloStart, to: port, every: .seconds(1), for: .seconds(20))
                let after = try #require(closedAfter, "the controller still holds a peer trickling a ClientHello after 20 s")
                print("agent-port slowloris: dropped after \(after), \(sent) bytes sent")
                #expect(after >= .seconds(2) && after <= .seconds(6), "dropped at the 3 s handshake timeout (after \(after))")
                #expect(sent >= 2 && sent <= 7)
                #expect(controller.log.contains("dropped a peer that sent no message"))
            }
        }

        /// A client trickles an HTTP request head at one byte a second: the API drops it at the 2 s header
        /// timeout. A complete request is still answered, and a WebSocket upgrade is not cut by that timeout.
        @Test func aSlowlorisOnTheAPIPortIsDroppedAtTheHeaderTimeout() async throws {
            try Harness.requireBinaries()
            try await FaultSuites.settle()
            let root = try Harness.temporaryDirectory("slowloris-api")
            let controller = try await Self.startController(root: root)
            try await withLogsOnFailure([("controller", { controller.log })], cleanup: { await controller.stop() }) {
                let port = try #require(URL(string: controller.apiURL)?.port)
                let head = Array("GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nUser-Agent: slowloris\r\nX-Padding: aaaaaaaaaaaaaaaaaaaa\r\n\r\n".utf8)
                let (closedAfter, sent) = try await Self.trickle(head, to: port, every: .seconds(1), for: .seconds(20))
                let after = try #require(closedAfter, "the API still holds a client trickling its headers after 20 s")
                print("API slowloris: dropped after \(after), \(sent) of \(head.count) header bytes sent")
                #expect(after >= .milliseconds(1500) && after <= .seconds(5), "dropped at the 2 s header timeout (after \(after))")
                #expect(sent < head.count)

                // Sent at once, the same head is answered.
                let health = try await TestSocket.httpGet(controller.apiURL, "/healthz")
                #expect(String(decoding: health, as: UTF8.self).contains("\"status\":\"ok\""))

                // An upgraded live-job socket outlives the header timeout; the socket's own 5 s authentication
                // timeout is what closes it, with a WebSocket close frame.
                let socket = try TestSocket(port: port)
                defer { socket.close() }
                try await socket.write(Array("""
                    GET /api/v1/jobs/01JNOSUCHJOB0000000000000/live HTTP/1.1\r
                    Host: 127.0.0.1\r
                    Upgrade: websocket\r
                    Connection: Upgrade\r
                    Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r
                    Sec-WebSocket-Version: 13\r
                    \r

                    """.utf8))
                let opened = ContinuousClock.now
                var received: [UInt8] = []
                var closed = false
                while !closed, ContinuousClock.now - opened < .seconds(15) {
                    if let bytes = try socket.readAvailable() { received += bytes } else { closed = true }
                    try await Task.sleep(for: .milliseconds(50))
                }
                let lifetime = opened.duration(to: .now)
                let text = String(decoding: received, as: UTF8.self)
                #expect(text.hasPrefix("HTTP/1.1 101"), "\(text.prefix(200))")
                #expect(closed && lifetime >= .seconds(4), "the upgraded socket lived \(lifetime)")
                #expect(received.contains(0x88), "closed by the socket's own authentication timeout, with a close frame")
            }
        }

        /// An enrolled agent says Hello and keeps pinging, but stops reading while the controller sends it 80
        /// job offers of 60 KiB (4.7 MiB, more than the socket buffers hold), then floods it with 128 MiB of output.
        /// The controller stops reading from it (its memory grows by far less than the flood) and drops it once a
        /// write has been stuck for the silence limit (3 × 1 s).
        @Test func anAgentThatStopsReadingIsDroppedAndTheControllerStaysBounded() async throws {
            try Harness.requireBinaries()
            try await FaultSuites.settle()
            let root = try Harness.temporaryDirectory("stalled")
            let controller = try await Self.startController(root: root)
            let identity = try AgentUnderTest(root: root, name: "stalled-01", policy: Policies.standard)
            var client: StalledAgentClient?
            var pinger: Task<Void, Never>?

            try await withLogsOnFailure([("controller", { controller.log })], cleanup: { pinger?.cancel(); await client?.close(); await controller.stop() }) {
                try #require(try await identity.enroll(token: try await controller.createToken(labels: "role=web")).status == 0)
                let port = try #require(controller.agentAddress.split(separator: ":").last.flatMap { Int($0) })
                let stalled = try await StalledAgentClient.connect(port: port, agentStateDir: identity.stateDir)
                client = stalled
                try await stalled.sendHello()
                try await stalled.stopReading()
                // Alive as far as the heartbeat goes: it keeps talking, it just never listens.
                pinger = Task {
                    var ping = Wire.Ping()
                    while !Task.isCancelled {
                        ping.nonce &+= 1
                        if let frame = try? MessageCodec.frame(.ping(ping)) { stalled.channel.writeAndFlush(frame, promise: nil) }
                        try? await Task.sleep(for: .milliseconds(300))
                    }
                }
                try await Harness.eventually("the stalled agent is online") { try await controller.agents().first?.state == "online" }
                let pid = try #require(controller.process?.pid)
                let baseline = try #require(Self.residentBytes(pid: pid))

                // 80 offers of 60 KiB (the API takes bodies up to 64 KiB): 4.7 MiB, more than the kernel buffers hold.
                let argument = String(repeating: "a", count: 60 << 10)
                for _ in 0..<80 {
                    let status = try await controller.submitOverAPI(target: "stalled-01", action: ["exec", "hello", argument])
                    try #require(status == 201 || status == 200, "submit answered \(status)")
                }
                let stuckFrom = ContinuousClock.now

                // Then 512 output frames of 256 KiB: whatever the controller reads of them, it holds until handled.
                var output = Wire.Output()
                output.jobID = "01JNOSUCHJOB0000000000000"
                output.stream = .stdout
                output.data = Data(repeating: 0x41, count: 256 << 10)
                let outputFrame = try MessageCodec.frame(.output(output))
                for _ in 0..<512 { stalled.channel.writeAndFlush(outputFrame, promise: nil) }

                var peak = baseline
                var droppedAfter: Duration?
                while ContinuousClock.now - stuckFrom < .seconds(20) {
                    if let resident = Self.residentBytes(pid: pid) { peak = max(peak, resident) }
                    if droppedAfter == nil, controller.log.contains("dropped an agent that stopped reading") {
                        droppedAfter = stuckFrom.duration(to: .now)
                    }
                    if droppedAfter != nil, ContinuousClock.now - stuckFrom > .seconds(6) { break }
                    try await Task.sleep(for: .milliseconds(100))
                }
                let growth = peak - baseline
                print("stalled agent: dropped after \(droppedAfter.map { "\($0)" } ?? "never"), controller RSS \(baseline >> 20) MiB → peak \(peak >> 20) MiB (+\(growth >> 20) MiB) under 4 MiB of offers and a 128 MiB output flood")
                let dropped = try #require(droppedAfter, "the controller still holds an agent that stopped reading 20 s ago")
                #expect(dropped <= .seconds(6), "dropped at the 3 s silence limit (after \(dropped))")
                #expect(!controller.log.contains("heartbeat_timeout"), "the write watchdog dropped it, not the heartbeat")
                let metrics = try await controller.metricsText()
                #expect(FloodingPeerTests.sample(metrics, #"steward_rejections_total{entry="agent_gateway",reason="write_timeout"}"#) == 1,
                        "counted once as write_timeout")
                #expect(growth < 48 << 20, "controller memory grew by \(growth >> 20) MiB under a 128 MiB flood")
                try await Harness.eventually("the agent is offline", timeout: .seconds(10)) { try await controller.agents().first?.state == "offline" }
                // Its offers go back to the queue for when it returns; the controller still answers.
                #expect(!(try await TestSocket.httpGet(controller.apiURL, "/healthz")).isEmpty)
            }
        }

        /// Sends `bytes` one at a time, `every` apart, until the peer closes or `limit` passes; returns when it
        /// closed (from the first byte) and how many bytes were sent by then.
        static func trickle(_ bytes: [UInt8], to port: Int, every interval: Duration, for limit: Duration) async throws -> (Duration?, Int) {
            let socket = try TestSocket(port: port)
            defer { socket.close() }
            let started = ContinuousClock.now
            var sent = 0
            var nextByte = started
            while ContinuousClock.now - started < limit {
                if try socket.readAvailable() == nil { return (started.duration(to: .now), sent) }
                if ContinuousClock.now >= nextByte, sent < bytes.count {
                    do {
                        try await socket.write([bytes[sent]])
                    } catch {
                        return (started.duration(to: .now), sent)
                    }
                    sent += 1
                    nextByte = nextByte + interval
                }
                try await Task.sleep(for: .milliseconds(50))
            }
            return (nil, sent)
        }

        /// The first bytes of a TLS 1.3 ClientHello record: record header (handshake, TLS 1.0 compat, 512 bytes),
        /// handshake header (ClientHello, 508 bytes), legacy version 1.2, then random bytes.
        static let clientHelloStart: [UInt8] = [0x16, 0x03, 0x01, 0x02, 0x00, 0x01, 0x00, 0x01, 0xFC, 0x03, 0x03]
            + (0..<32).map { _ in UInt8.random(in: 0...255) }

        /// VmRSS of a process, in bytes.
        static func residentBytes(pid: Int32) -> Int? {
            guard let status = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8),
                let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmRSS:") }),
                let kilobytes = Int(line.split(whereSeparator: { $0 == " " || $0 == "\t" }).dropFirst().first ?? "")
            else { return nil }
            return kilobytes << 10
        }
    }
}
