#if canImport(Glibc)
import Glibc
#endif
import Testing
@testable import StewardAgent

@Suite("OutputLedger")
struct OutputLedgerTests {
    @Test func sharesOneBudgetAcrossStreamsAndNumbersEachStream() async {
        let ledger = OutputLedger(limit: 10)
        #expect(await ledger.reserve(.stdout, count: 6) == .init(offset: 0, count: 6))
        #expect(await ledger.reserve(.stderr, count: 6) == .init(offset: 0, count: 4))
        #expect(await ledger.reserve(.stdout, count: 3) == .init(offset: 6, count: 0))
        #expect(await ledger.bytes(.stdout) == 6)
        #expect(await ledger.bytes(.stderr) == 4)
        #expect(await ledger.droppedBytes == 5)
        #expect(await ledger.truncated)
    }

    @Test func isNotTruncatedWhenOutputFitsExactly() async {
        let ledger = OutputLedger(limit: 4)
        #expect(await ledger.reserve(.stdout, count: 4) == .init(offset: 0, count: 4))
        #expect(await !ledger.truncated)
    }
}

@Suite("ProcessTable")
struct ProcessTableTests {
    @Test func parsesStatWithParenthesesAndSpacesInTheName() throws {
        let fields = try #require(ProcessTable.parseStat("4242 (evil) Z 1 99 (x) S 1 7 7 0 -1 4194560"))
        #expect(fields.state == "S")
        #expect(fields.processGroup == 7)
    }

    @Test func rejectsMalformedStat() {
        #expect(ProcessTable.parseStat("garbage") == nil)
        #expect(ProcessTable.parseStat("1 (x) S 1") == nil)
    }

    @Test func seesItsOwnProcessAsRunning() {
        #expect(!ProcessTable.isGone(getpid()))
        #expect(ProcessTable.hasRunningProcess(inGroup: getpgrp()))
    }
}
