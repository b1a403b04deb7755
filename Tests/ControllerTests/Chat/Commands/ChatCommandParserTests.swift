import Testing

@testable import StewardController

/// Valid commands: every verb, options in several positions, quoting.
@Suite struct ChatCommandParserTests {
    static let none = JobOptions()

    static let valid: [(String, ChatCommand)] = [
        ("help", .help(topic: nil)),
        ("HELP Restart", .help(topic: "restart")),
        ("agents", .agents(selector: nil)),
        ("agents role=web", .agents(selector: .labels(["role": "web"]))),
        ("agents web-1, web-2", .agents(selector: .names(["web-1", "web-2"]))),
        ("ping all", .job(action: .ping, target: .all, options: none)),
        ("facts web-1", .job(action: .facts, target: .names(["web-1"]), options: none)),
        ("metrics web-*", .job(action: .metrics, target: .glob("web-*"), options: none)),
        ("Metrics on web-1, web-2", .job(action: .metrics, target: .names(["web-1", "web-2"]), options: none)),
        ("metrics on", .job(action: .metrics, target: .names(["on"]), options: none)),
        ("reboot db-1", .job(action: .reboot, target: .names(["db-1"]), options: none)),
        ("restart nginx on web-*", .job(action: .service(operation: .restart, unit: "nginx"), target: .glob("web-*"), options: none)),
        (
            "status nginx.service on role=web,env=prod",
            .job(action: .service(operation: .status, unit: "nginx.service"), target: .labels(["role": "web", "env": "prod"]), options: none)
        ),
        ("start 'getty@tty1' ON db-1", .job(action: .service(operation: .start, unit: "getty@tty1"), target: .names(["db-1"]), options: none)),
        ("stop cron on all", .job(action: .service(operation: .stop, unit: "cron"), target: .all, options: none)),
        ("run disk-usage on all", .job(action: .exec(command: "disk-usage", arguments: []), target: .all, options: none)),
        ("run df -h /var on web-1", .job(action: .exec(command: "df", arguments: ["-h", "/var"]), target: .names(["web-1"]), options: none)),
        (
            #"run grep "--count" 'hello world' on web-1"#,
            .job(action: .exec(command: "grep", arguments: ["--count", "hello world"]), target: .names(["web-1"]), options: none)
        ),
        (#"run echo "on" on web-1"#, .job(action: .exec(command: "echo", arguments: ["on"]), target: .names(["web-1"]), options: none)),
        ("run echo on on web-1", .job(action: .exec(command: "echo", arguments: ["on"]), target: .names(["web-1"]), options: none)),
        (#"run echo "" on web-1"#, .job(action: .exec(command: "echo", arguments: [""]), target: .names(["web-1"]), options: none)),
        (#"run echo "say \"hi\" \\ now" on web-1"#, .job(action: .exec(command: "echo", arguments: [#"say "hi" \ now"#]), target: .names(["web-1"]), options: none)),
        ("run echo it’s on web-1", .job(action: .exec(command: "echo", arguments: ["it’s"]), target: .names(["web-1"]), options: none)),
        ("run echo “two words” on web-1", .job(action: .exec(command: "echo", arguments: ["two words"]), target: .names(["web-1"]), options: none)),
        ("history web-1", .history(host: "web-1", limit: 10)),
        ("history web-1 25", .history(host: "web-1", limit: 25)),
        ("job 01j5abcdef", .jobStatus(id: "01J5ABCDEF")),
        ("cancel 01J5ABCDEFGHJKMNPQRSTVWXYZ", .cancel(id: "01J5ABCDEFGHJKMNPQRSTVWXYZ")),
        ("approve 01J5ABC", .approve(id: "01J5ABC")),
        ("deny 01J5ABC", .deny(id: "01J5ABC")),
        ("whoami", .whoami),
        ("YES", .confirm),
        ("  metrics\n all\t", .job(action: .metrics, target: .all, options: none)),
        ("metrics\u{00A0}all", .job(action: .metrics, target: .all, options: none)),
    ]

    @Test(arguments: valid)
    func parsesValidCommand(text: String, expected: ChatCommand) throws {
        #expect(try ChatCommandParser().parse(text) == expected)
    }

    static let withOptions: [(String, ChatCommand)] = [
        ("metrics all --dry-run", .job(action: .metrics, target: .all, options: JobOptions(dryRun: true))),
        ("metrics --batch 5 all", .job(action: .metrics, target: .all, options: JobOptions(batch: .count(5)))),
        (
            "metrics all --batch=25% --max-errors 2 --timeout 5m --dry-run",
            .job(
                action: .metrics, target: .all,
                options: JobOptions(batch: .percent(25), maxErrors: .count(2), timeout: .seconds(300), dryRun: true))
        ),
        (
            "restart nginx --timeout 30s on web-1",
            .job(action: .service(operation: .restart, unit: "nginx"), target: .names(["web-1"]), options: JobOptions(timeout: .seconds(30)))
        ),
        (
            "restart --max-errors 10% nginx on --batch 1 role=web",
            .job(
                action: .service(operation: .restart, unit: "nginx"), target: .labels(["role": "web"]),
                options: JobOptions(batch: .count(1), maxErrors: .percent(10)))
        ),
        (
            "run deploy --batch 2 v1.2 on role=web --timeout 1h",
            .job(
                action: .exec(command: "deploy", arguments: ["v1.2"]), target: .labels(["role": "web"]),
                options: JobOptions(batch: .count(2), timeout: .seconds(3600)))
        ),
        ("reboot db-1 --MAX-ERRORS 0", .job(action: .reboot, target: .names(["db-1"]), options: JobOptions(maxErrors: .count(0)))),
        ("run ls -- on web-1", .job(action: .exec(command: "ls", arguments: ["--"]), target: .names(["web-1"]), options: none)),
    ]

    @Test(arguments: withOptions)
    func parsesOptionsAnywhereAfterTheVerb(text: String, expected: ChatCommand) throws {
        #expect(try ChatCommandParser().parse(text) == expected)
    }

    @Test func permissionsNameTheActionAndItsTarget() throws {
        let parser = ChatCommandParser()
        #expect(try parser.parse("restart nginx on all").permission == "service.restart")
        #expect(try parser.parse("run disk-usage on all").permission == "exec:disk-usage")
        #expect(try parser.parse("metrics all").permission == "metrics")
        #expect(try parser.parse("reboot all").permission == "reboot")
        #expect(try parser.parse("approve 01J").permission == "approve")
        #expect(try parser.parse("deny 01J").permission == "deny")
        #expect(try parser.parse("help").permission == "help")
        #expect(try parser.parse("whoami").permission == "whoami")
        #expect(try parser.parse("history web-1").permission == "history")
        #expect(try parser.parse("yes").permission == nil)
        #expect(try parser.parse("restart nginx on all").verb == "restart")
        #expect(try parser.parse("run x on all").verb == "run")
    }

    @Test func jobAccessorCoversJobVerbsOnly() throws {
        let parser = ChatCommandParser()
        let job = try #require(try parser.parse("ping web-1 --dry-run").job)
        #expect(job.action == .ping)
        #expect(job.target == .names(["web-1"]))
        #expect(job.options.dryRun)
        #expect(try parser.parse("history web-1").job == nil)
    }

    @Test func usageAndCatalogueCoverEveryVerb() {
        let parser = ChatCommandParser()
        #expect(parser.usage("Restart") == "restart SERVICE on SELECTOR [OPTIONS]")
        #expect(parser.usage("run") == "run NAME [ARGS...] on SELECTOR [OPTIONS]")
        #expect(parser.usage("nope") == nil)
        let verbs = parser.catalogue.map(\.verb)
        #expect(verbs.count == 18)
        #expect(Set(verbs).count == verbs.count)
        #expect(parser.catalogue.first { $0.verb == "run" }?.permission == "exec:NAME")
        #expect(parser.catalogue.first { $0.verb == "restart" }?.permission == "service.restart")
        for verb in verbs where verb != "help" {
            #expect(throws: Never.self, "\(verb) is a known help topic") { try parser.parse("help \(verb)") }
        }
    }
}
