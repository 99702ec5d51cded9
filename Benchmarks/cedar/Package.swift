// swift-tools-version:6.1
// Benchmarks for the Cedar policy engine, kept out of the main package so the gateway
// never depends on benchmark tooling. `Sources/Cedar` is a symlink to the engine's
// sources (SwiftPM refuses target paths outside the package root), so the benchmark
// always measures the code in this checkout. Build in release: see run.sh.
import PackageDescription

let package = Package(
    name: "cedar-benchmarks",
    dependencies: [
        // Counts malloc calls (allocations per authorization); nothing else.
        .package(url: "https://github.com/ordo-one/malloc-interposer.git", exact: "1.6.1"),
    ],
    targets: [
        .target(name: "Cedar"),
        .executableTarget(
            name: "cedar-bench",
            dependencies: ["Cedar", .product(name: "MallocInterposerSwift", package: "malloc-interposer")]),
    ]
)
