// swift-tools-version:6.1
// In-process micro-benchmark of the gateway's per-request enforcement steps (token
// validation, Cedar decision, audit append), kept out of the main package so the
// gateway and its tests never depend on benchmark code. The library targets are
// symlinks to the main package's sources (SwiftPM refuses target paths outside the
// package root), so the benchmark always measures the code in this checkout, like
// Benchmarks/cedar. Build in release: see run.sh and README.md.
import PackageDescription

let package = Package(
    name: "enforcement-benchmarks",
    platforms: [.macOS(.v14)],
    dependencies: [
        .package(url: "https://github.com/jpsim/Yams.git", from: "6.2.2"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-crypto.git", "3.12.3"..<"5.0.0"),
    ],
    targets: [
        .systemLibrary(name: "CSodium", pkgConfig: "libsodium", providers: [.apt(["libsodium-dev"])]),
        .target(name: "Sodium", dependencies: ["CSodium"]),
        .target(name: "RTATokens", dependencies: ["Sodium"]),
        .target(name: "Cedar"),
        .target(name: "GatewayConfig", dependencies: ["Yams"]),
        .target(
            name: "GatewayPolicy",
            dependencies: ["Cedar", "GatewayConfig", .product(name: "Logging", package: "swift-log")]),
        .target(
            name: "AuditLog",
            dependencies: [
                "Sodium", .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
            ]),
        .executableTarget(
            name: "enforcement-bench",
            dependencies: [
                "RTATokens", "Sodium", "Cedar", "GatewayConfig", "GatewayPolicy", "AuditLog",
                .product(name: "Logging", package: "swift-log"),
            ],
            // One task drives the fixture from top-level code; the libraries keep Swift 6 checking.
            swiftSettings: [.swiftLanguageMode(.v5)]),
    ]
)
