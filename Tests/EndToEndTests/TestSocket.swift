import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// A non-blocking TCP socket to 127.0.0.1 for test clients (IRC, plain HTTP): reads never block a
/// concurrency thread, they poll and sleep, and every wait has a deadline.
final class TestSocket: @unchecked Sendable {
    private let descriptor: Int32
    private var closed = false

    init(port: Int) throws {
        descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard descriptor >= 0 else { throw HarnessError("socket() failed: errno \(errno)") }
        var address = Self.loopback(port: port)
        let result = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard result == 0 else {
            let error = errno
            Glibc.close(descriptor)
            throw HarnessError("cannot connect to 127.0.0.1:\(port): errno \(error)")
        }
        _ = fcntl(descriptor, F_SETFL, fcntl(descriptor, F_GETFL) | O_NONBLOCK)
    }

    static func loopback(port: Int) -> sockaddr_in {
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        return address
    }

    /// A port on 127.0.0.1 that was free a moment ago (bound to port 0, then released).
    static func freePort() throws -> Int {
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { Glibc.close(descriptor) }
        var address = loopback(port: 0)
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { pointer in
                bind(descriptor, pointer, length) == 0 && getsockname(descriptor, pointer, &length) == 0
            }
        }
        guard bound else { throw HarnessError("cannot find a free port: errno \(errno)") }
        return Int(UInt16(bigEndian: address.sin_port))
    }

    func write(_ bytes: [UInt8]) async throws {
        var offset = 0
        let deadline = ContinuousClock.now + .seconds(10)
        while offset < bytes.count {
            let sent = bytes[offset...].withUnsafeBytes { send(descriptor, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            if sent > 0 {
                offset += sent
            } else if errno == EAGAIN || errno == EWOULDBLOCK, ContinuousClock.now < deadline {
                try await Task.sleep(for: .milliseconds(5))
            } else {
                throw HarnessError("send failed: errno \(errno)")
            }
        }
    }

    /// Whatever has arrived (possibly nothing); nil once the peer closed.
    func readAvailable() throws -> [UInt8]? {
        var buffer = [UInt8](repeating: 0, count: 16 * 1024)
        let count = buffer.withUnsafeMutableBytes { recv(descriptor, $0.baseAddress, $0.count, 0) }
        if count > 0 { return Array(buffer.prefix(count)) }
        if count == 0 { return nil }
        if errno == EAGAIN || errno == EWOULDBLOCK { return [] }
        if errno == ECONNRESET { return nil }
        throw HarnessError("recv failed: errno \(errno)")
    }

    func close() {
        guard !closed else { return }
        closed = true
        Glibc.close(descriptor)
    }

    deinit { close() }

    /// `GET path` over HTTP/1.0 (the controller's API on loopback); the response body.
    static func httpGet(_ baseURL: String, _ path: String) async throws -> Data {
        guard let url = URL(string: baseURL), let port = url.port else { throw HarnessError("not a URL with a port: \(baseURL)") }
        let socket = try TestSocket(port: port)
        defer { socket.close() }
        try await socket.write(Array("GET \(path) HTTP/1.0\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n".utf8))
        var response: [UInt8] = []
        let deadline = ContinuousClock.now + .seconds(10)
        while true {
            guard let chunk = try socket.readAvailable() else { break }
            response += chunk
            if chunk.isEmpty {
                guard ContinuousClock.now < deadline else { throw HarnessError("no complete answer to GET \(path) within 10 s") }
                try await Task.sleep(for: .milliseconds(10))
            }
        }
        let separator: [UInt8] = Array("\r\n\r\n".utf8)
        guard let end = response.indices.first(where: { response[$0...].starts(with: separator) }) else {
            throw HarnessError("no HTTP header in \(String(decoding: response, as: UTF8.self))")
        }
        return Data(response[(end + separator.count)...])
    }
}
