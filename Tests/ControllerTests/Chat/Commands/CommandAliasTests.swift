import Testing

@testable import StewardController

/// Aliases from `commands.yaml`: matching, parameter validation, and safe substitution.
@Suite struct CommandAliasTests {
    let parser: ChatCommandParser

    init() throws {
        parser = try CommandAliasFixtures.parser()
    }

    @Test func loadsEveryAliasInFileOrder() {
        #expect(parser.aliases.map(\.name) == ["deploy", "tail-log", "bounce", "silence", "greet", "say", "zone-load"])
        #expect(parser.aliases[1].trigger == "tail")
        #expect(parser.aliases[1].parameters["lines"]?.kind == .int(min: 1, max: 1000))
        #expect(parser.aliases[4].parameters["who"]?.kind == .string(pattern: "[a-z]+", maxLength: 8))
    }

    static let resolved: [(String, ChatCommand)] = [
        (
            "deploy api to prod",
            .alias(
                name: "deploy", parameters: ["app": "api", "env": "prod"], action: .exec(command: "deploy", arguments: ["api", "--env=prod"]),
                target: .labels(["role": "api", "env": "prod"]), options: JobOptions())
        ),
        (
            "Deploy API TO Prod --dry-run",
            .alias(
                name: "deploy", parameters: ["app": "api", "env": "prod"], action: .exec(command: "deploy", arguments: ["api", "--env=prod"]),
                target: .labels(["role": "api", "env": "prod"]), options: JobOptions(dryRun: true))
        ),
        (
            "deploy --batch 2 web to staging",
            .alias(
                name: "deploy", parameters: ["app": "web", "env": "staging"],
                action: .exec(command: "deploy", arguments: ["web", "--env=staging"]),
                target: .labels(["role": "web", "env": "staging"]), options: JobOptions(batch: .count(2)))
        ),
        (
            "tail 007 of web-1",
            .alias(
                name: "tail-log", parameters: ["lines": "7", "host": "web-1"], action: .exec(command: "tail-log", arguments: ["7"]),
                target: .names(["web-1"]), options: JobOptions())
        ),
        (
            "tail 50 of web-*",
            .alias(
                name: "tail-log", parameters: ["lines": "50", "host": "web-*"], action: .exec(command: "tail-log", arguments: ["50"]),
                target: .glob("web-*"), options: JobOptions())
        ),
        (
            "tail 1000 of 'web-1, web-2'",
            .alias(
                name: "tail-log", parameters: ["lines": "1000", "host": "web-1,web-2"], action: .exec(command: "tail-log", arguments: ["1000"]),
                target: .names(["web-1", "web-2"]), options: JobOptions())
        ),
        (
            "bounce web",
            .alias(
                name: "bounce", parameters: ["app": "web"], action: .service(operation: .restart, unit: "web.service"),
                target: .labels(["role": "web"]), options: JobOptions())
        ),
        (
            "silence db-1 for 30m --timeout 1m",
            .alias(
                name: "silence", parameters: ["host": "db-1", "time": "30m"], action: .exec(command: "silence", arguments: ["--for", "30m"]),
                target: .names(["db-1"]), options: JobOptions(timeout: .seconds(60)))
        ),
        (
            "greet bob",
            .alias(name: "greet", parameters: ["who": "bob"], action: .exec(command: "greet", arguments: ["bob"]), target: .all, options: JobOptions())
        ),
        (
            #"say "$(rm -rf /)" in eu-1"#,
            .alias(
                name: "say", parameters: ["text": "$(rm -rf /)", "zone": "eu-1"], action: .exec(command: "say", arguments: ["$(rm -rf /)"]),
                target: .labels(["zone": "eu-1"]), options: JobOptions())
        ),
        (
            "load of eu",
            .alias(name: "zone-load", parameters: ["zone": "eu"], action: .metrics, target: .labels(["zone": "eu"]), options: JobOptions())
        ),
    ]

    @Test(arguments: resolved)
    func resolvesAliasToAJob(text: String, expected: ChatCommand) throws {
        let command = try parser.parse(text)
        #expect(command == expected)
    }

    @Test func aliasesNeedThePermissionOfTheirJob() throws {
        #expect(try parser.parse("deploy api to prod").permission == "exec:deploy")
        #expect(try parser.parse("bounce web").permission == "service.restart")
        #expect(try parser.parse("load of eu").permission == "metrics")
        #expect(try parser.parse("load of eu").verb == "zone-load")
    }

    static let refused: [(String, String)] = [
        ("deploy db to prod", "is not one of api, web"),
        ("deploy api to dev", "is not one of staging, prod"),
        ("tail 5000 of web-1", "is above the maximum 1000"),
        ("tail 0 of web-1", "is below the minimum 1"),
        ("tail -5 of web-1", "is below the minimum 1"),
        ("tail ten of web-1", "is not a whole number"),
        ("tail 99999999999999999999999 of web-1", "is not a whole number"),
        ("tail 10 of 'a,b;c'", "is not a host selector"),
        ("tail 10 of '$(id)'", "is not a host selector"),
        ("silence db-1 for 10x", "is not a duration"),
        ("silence db-1 for 25h", "is not a duration"),
        ("greet Bob1", "does not match the pattern"),
        ("greet -rf", "must not start with `-`"),
        ("greet abcdefghi", "is longer than 8 characters"),
        ("greet ''", "is empty"),
        ("say hi in 'eu,role=db'", "cannot be part of a selector"),
        ("say hi in 'eu*'", "cannot be part of a selector"),
        ("say hi in 'eu=x'", "cannot be part of a selector"),
        ("deploy api prod", "does not take these words"),
        ("deploy api to prod now", "does not take these words"),
        (#"deploy api "to" prod"#, "does not take these words"),
    ]

    @Test(arguments: refused)
    func refusesBadValuesWithTheUsageLine(text: String, reason: String) throws {
        let error = try #require(chatParseError(text, parser: parser))
        #expect(error.code == .badArguments)
        #expect(error.message.contains(reason), "\(error.message)")
        #expect(error.usage?.hasSuffix("[OPTIONS]") == true)
    }

    @Test func valueErrorsPointAtTheWord() throws {
        #expect(chatParseError("tail 5000 of web-1", parser: parser)?.offset == 5)
        #expect(chatParseError("deploy api to dev", parser: parser)?.usage == "deploy {app} to {env} [OPTIONS]")
    }

    @Test func typosSuggestAliasTriggers() throws {
        let error = try #require(chatParseError("deplyo api to prod", parser: parser))
        #expect(error.code == .unknownCommand)
        #expect(error.suggestion == "deploy")
        #expect(chatParseError("tial 5 of web-1", parser: parser)?.suggestion == "tail")
    }

    @Test func optionsStillApplyToAliases() throws {
        let error = try #require(chatParseError("deploy api to prod --dryrun", parser: parser))
        #expect(error.code == .badOption)
        #expect(error.suggestion == "--dry-run")
    }

    @Test func helpKnowsAliasesByNameAndFirstWord() throws {
        #expect(try parser.parse("help tail-log") == .help(topic: "tail-log"))
        #expect(try parser.parse("help tail") == .help(topic: "tail"))
        #expect(parser.usage("tail-log") == "tail {lines} of {host} [OPTIONS]")
        #expect(parser.usage("deploy") == "deploy {app} to {env} [OPTIONS]")
        let entry = try #require(parser.catalogue.first { $0.verb == "tail-log" })
        #expect(entry.permission == "exec:tail-log")
        #expect(entry.summary == "Runs exec:tail-log; lines: a number from 1 to 1000; host: a host selector such as web-1, web-* or role=web")
        #expect(parser.catalogue.first { $0.verb == "deploy" }?.summary.hasPrefix("Deploy an app to an environment; app: one of api, web") == true)
        #expect(parser.catalogue.count == ChatCommandCatalogue.builtins.count + 7)
    }

    @Test func builtInVerbsWinOverAliases() throws {
        // The loader refuses shadowing aliases; a hand-built one must still never take over a built-in verb.
        let shadow = CommandAlias(
            name: "evil", pattern: [.word("reboot"), .parameter("host")], parameters: ["host": AliasParameter(name: "host", kind: .host)],
            action: .fixed(.reboot), target: "{host}")
        let command = try ChatCommandParser(aliases: [shadow]).parse("reboot web-1")
        #expect(command == .job(action: .reboot, target: .names(["web-1"]), options: JobOptions()))
    }

    @Test func aliasesSharingAFirstWordAreTriedInOrder() throws {
        let file = """
            commands:
              logs-short:
                pattern: logs {host}
                params: {host: {type: host}}
                action: {exec: logs}
                target: "{host}"
              logs-long:
                pattern: logs {host} last {n}
                params: {host: {type: host}, n: {type: int, max: 500}}
                action: {exec: logs, args: ["-n", "{n}"]}
                target: "{host}"
            """
        let parser = ChatCommandParser(aliases: try CommandsFile.parse(file))
        #expect(try parser.parse("logs web-1").verb == "logs-short")
        #expect(try parser.parse("logs web-1 last 20").job?.action == .exec(command: "logs", arguments: ["-n", "20"]))
        #expect(parser.usage("logs") == "logs {host} [OPTIONS] or logs {host} last {n} [OPTIONS]")
        #expect(chatParseError("logs web-1 last 501", parser: parser)?.message.contains("above the maximum 500") == true)
    }
}
