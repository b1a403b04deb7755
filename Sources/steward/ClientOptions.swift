import ArgumentParser
import Foundation
import StewardController

/// Options every admin command shares: where the controller's state is, and the output format.
struct ClientOptions: ParsableArguments {
    @Option(name: .long, help: "Controller state directory (default: $STEWARD_STATE_DIR, /var/lib/steward as root, else ~/.local/state/steward).")
    var stateDir: String?

    @Flag(name: .long, help: "Print machine-readable JSON.")
    var json = false

    func client() throws -> StewardClient {
        try StewardClient.fromStateDirectory(stateDir ?? ControllerConfiguration.defaultStateDirectory())
    }

    func printJSON<T: Encodable>(_ value: T) throws {
        let encoder = API.encoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        print(String(decoding: try encoder.encode(value), as: UTF8.self))
    }
}

/// Runs a command body, turning any failure into one line on stderr and exit status 1.
func reportingFailures(_ body: () async throws -> Void) async throws {
    do {
        try await body()
    } catch let exit as ExitCode {
        throw exit
    } catch {
        FileHandle.standardError.write(Data("error: \(error)\n".utf8))
        throw ExitCode.failure
    }
}
