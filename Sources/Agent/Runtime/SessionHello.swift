#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import Logging
import StewardProtocol

/// Builds the `Hello` that opens every session: version, boot id, spool and job inventory, facts.
enum SessionHello {
    static func make(supervisor: JobSupervisor, facts: FactsCollector, logger: Logger) async -> Wire.Hello {
        var hello = Wire.Hello()
        hello.agentVersion = StewardVersion.current
        let inventory = await supervisor.inventory()
        hello.spooledJobIds = inventory.spooledJobIDs
        hello.activeJobIds = inventory.activeJobIDs
        do {
            let collected = try facts.collect()
            hello.bootID = collected.bootID
            hello.factsJson = Data(try StructuredJSON.encode(collected))
        } catch {
            // Facts are informative; the session must not depend on /proc being readable.
            logger.warning("cannot collect host facts for Hello", metadata: ["error": "\(error)"])
            hello.bootID = (try? facts.currentBootID()) ?? ""
        }
        return hello
    }
}
