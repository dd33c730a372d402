// swift-tools-version:6.1
import Foundation
import PackageDescription

let package = Package(
    name: "hubs",
    platforms: [.macOS(.v13)],
    products: [
        .library(name: "HubsCore", targets: ["HubsCore"]),
        .executable(name: "hubs", targets: ["hubs"]),
    ],
    dependencies: [
        .package(url: "https://github.com/jpsim/Yams.git", exact: "6.2.2"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", exact: "1.8.2"),
        .package(url: "https://github.com/yaslab/CSV.swift.git", exact: "2.5.2"),
        .package(url: "https://github.com/hummingbird-project/swift-mustache.git", exact: "2.1.1"),
        // The workbench's HTTP server (`hubs serve`, built as its own executable, hubs-serve, so
        // that `swift run hubs score` does not build it): swift-nio, whose HTTP parser reads in
        // linear time and limits header sizes. (Hummingbird, on the same parser, brings
        // swift-distributed-tracing, whose unhandled files SwiftPM warns about on every build.)
        .package(url: "https://github.com/apple/swift-nio.git", exact: "2.101.3"),
    ],
    targets: [
        // The batch evaluator's kernel, in C so that it can be compiled for several vector
        // widths (AVX-512, AVX2, SSE2) and the widest the processor runs chosen at start.
        .target(name: "CHubsKernels"),
        .target(
            name: "HubsCore",
            dependencies: [
                "CHubsKernels",
                .product(name: "Yams", package: "Yams"), .product(name: "CSV", package: "CSV.swift"),
                .product(name: "Mustache", package: "swift-mustache"),
            ]
        ),
        // `hubs serve`: the workbench in the browser, over the prepared assessment. A front end
        // like the CLI: it serves, HubsCore computes and renders. `hubs serve` runs the
        // hubs-serve executable next to it (building it on first use in a checkout).
        .target(
            name: "HubsServe",
            dependencies: [
                "HubsCore", .product(name: "NIOCore", package: "swift-nio"), .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ]
        ),
        // `hubs lsp`: the Language Server Protocol over stdio (Foundation's JSON; no LSP library is
        // in the mirror).
        .target(name: "HubsLSP", dependencies: ["HubsCore"]),
        .executableTarget(
            name: "hubs-serve",
            dependencies: ["HubsServe", "HubsCore"],
            path: "Sources/hubs-serve"
        ),
        .executableTarget(
            name: "hubs",
            dependencies: [
                "HubsCore", "HubsLSP",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            // A release build links Swift's runtime and Foundation in (as `swift build
            // --static-swift-stdlib` would): the process then starts without loading and
            // relocating a dozen shared libraries, about half of `hubs --version`'s time.
            // (The libraries that a module compiled for shared linking does not name itself.)
            linkerSettings: [
                .unsafeFlags(
                    ["-static-stdlib", "-Xlinker", "--start-group"]
                        + ["_FoundationICU", "CoreFoundation", "_FoundationCShims", "_FoundationCollections", "swiftSynchronization"]
                        .flatMap { ["-Xlinker", "-l\($0)"] } + ["-Xlinker", "--end-group"],
                    .when(configuration: .release))
            ]
        ),
        // Shared by the tests and the benchmark: temporary folders, running the binary, golden
        // files, position markers, seeded synthetic policies. Not part of the shipped library.
        .target(
            name: "HubsTestSupport",
            dependencies: ["HubsCore"]
        ),
        .executableTarget(
            name: "hubs-bench",
            dependencies: ["HubsCore", "HubsTestSupport"],
            path: "Sources/hubs-bench"
        ),
        .testTarget(
            name: "HubsCoreTests",
            dependencies: ["HubsCore", "HubsTestSupport"]
        ),
        .testTarget(
            name: "HubsLSPTests",
            dependencies: ["HubsCore", "HubsLSP", "HubsTestSupport"]
        ),
        .testTarget(
            name: "HubsServeTests",
            dependencies: ["HubsCore", "HubsServe", "HubsTestSupport"]
        ),
        .testTarget(
            name: "hubsTests",
            dependencies: ["HubsCore", "HubsTestSupport", "hubs", "hubs-bench", "hubs-serve"],
            exclude: ["golden"]
        ),
    ]
)

// The fuzz targets (scripts/fuzz) are part of the package only when asked for: they need
// -sanitize=fuzzer, which supplies `main`, and would not link in an ordinary build.
if ProcessInfo.processInfo.environment["HUBS_FUZZ"] == "1" {
    package.targets.append(
        .executableTarget(name: "hubs-fuzz", dependencies: ["HubsCore", "HubsLSP"], path: "Sources/hubs-fuzz"))
}
