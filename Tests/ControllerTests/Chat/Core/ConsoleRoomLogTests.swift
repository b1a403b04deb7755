import StewardController
import Testing

@Suite struct ConsoleRoomLogTests {
    @Test func editedMessagesReappearWithAHigherRevisionAndRoomsStayApart() async {
        let log = ConsoleRoomLog(maxMessagesPerRoom: 3)
        let first = await log.append(room: "ops", author: "steward", reply: .text("job 1: 0/2 done"))
        await log.append(room: "other", author: "bob", reply: .text("hi"))
        let seen = await log.page(room: "ops", after: 0)
        #expect(seen.messages.map(\.text) == ["job 1: 0/2 done"])
        #expect(await log.replace(room: "ops", id: first, with: .text("job 1: 2/2 done")))
        let next = await log.page(room: "ops", after: seen.revision)
        #expect(next.messages.map(\.id) == [first])
        #expect(next.messages.first?.text == "job 1: 2/2 done")
        #expect(await log.page(room: "ops", after: next.revision).messages.isEmpty)
    }

    @Test func keepsOnlyTheNewestMessagesPerRoom() async {
        let log = ConsoleRoomLog(maxMessagesPerRoom: 3)
        var ids: [String] = []
        for index in 1...5 { ids.append(await log.append(room: "ops", author: "steward", reply: .text("m\(index)"))) }
        #expect(await log.page(room: "ops", after: 0).messages.map(\.text) == ["m3", "m4", "m5"])
        #expect(await log.replace(room: "ops", id: ids[0], with: .text("gone")) == false)
    }
}
