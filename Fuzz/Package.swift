// swift-tools-version:6.1
// libFuzzer targets for the wire protocol. A package of its own so that the sanitizer flags never
// reach the main build: `scripts/fuzz.sh` builds it with `--sanitize=fuzzer -Xswiftc -sanitize=fuzzer,address`.
import PackageDescription

let fuzzTargets = ["FuzzFrameDecoder", "FuzzSessionStateMachines", "FuzzPayloads"]

let package = Package(
    name: "StewardFuzz",
    platforms: [.macOS(.v15)],
    dependencies: [
        .package(name: "Steward", path: ".."),
    ],
    targets: fuzzTargets.map { name in
        .executableTarget(
            name: name,
            dependencies: [.product(name: "StewardProtocolTestUtils", package: "Steward")],
            swiftSettings: [.unsafeFlags(["-parse-as-library"])]
        )
    }
)
