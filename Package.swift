// swift-tools-version:6.1
import PackageDescription

let package = Package(
    name: "rta-gateway",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "rta-gateway", targets: ["rta-gateway"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.2"),
        .package(url: "https://github.com/swift-server/async-http-client.git", from: "1.37.0"),
        .package(url: "https://github.com/apple/swift-nio-ssl.git", from: "2.37.6"),
        .package(url: "https://github.com/jpsim/Yams.git", from: "6.2.2"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/vapor/jwt-kit.git", from: "5.8.0"),
        .package(url: "https://github.com/apple/swift-crypto.git", "3.12.3"..<"5.0.0"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-metrics.git", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus.git", from: "2.4.1"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.13.0"),
    ],
    targets: [
        // C libraries: thin system-library shims, each wrapped once by one Swift module.
        .systemLibrary(
            name: "CNgtcp2", pkgConfig: "libngtcp2_crypto_gnutls",
            providers: [.apt(["libngtcp2-dev", "libngtcp2-crypto-gnutls-dev", "libgnutls28-dev"])]),
        .systemLibrary(
            name: "CNghttp3", pkgConfig: "libnghttp3",
            providers: [.apt(["libnghttp3-dev"])]),
        .systemLibrary(
            name: "CSodium", pkgConfig: "libsodium",
            providers: [.apt(["libsodium-dev"])]),

        .target(
            name: "QUICTransport",
            dependencies: [
                "CNgtcp2",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
            ]),
        .target(
            name: "HTTP3",
            dependencies: [
                "QUICTransport", "CNghttp3",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
            ]),
        .target(name: "Cedar"),
        .target(name: "Sodium", dependencies: ["CSodium"]),
        .target(
            name: "GatewayPolicy",
            dependencies: ["Cedar", "GatewayConfig", .product(name: "Logging", package: "swift-log")]),
        .target(name: "RTATokens", dependencies: ["Sodium"]),
        .target(
            name: "AuditLog",
            dependencies: [
                "Sodium", .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
            ]),
        .target(name: "GatewayConfig", dependencies: ["Yams"]),
        .target(
            name: "TokenExchange",
            dependencies: [
                "RTATokens", "Sodium",
                .product(name: "JWTKit", package: "jwt-kit"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
            ]),
        .target(
            name: "Signals",
            dependencies: [
                "RTATokens", "Sodium", "TokenExchange",
                .product(name: "JWTKit", package: "jwt-kit"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
            ]),
        .target(
            name: "SSFTransmitter",
            dependencies: [
                "Sodium", "TokenExchange",
                .product(name: "JWTKit", package: "jwt-kit"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ]),
        .target(
            name: "DevIdentityProvider",
            dependencies: [
                .product(name: "JWTKit", package: "jwt-kit"),
                .product(name: "CryptoExtras", package: "swift-crypto"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ]),
        .target(
            name: "Gateway",
            dependencies: [
                "HTTP3", "QUICTransport", "GatewayConfig",
                "RTATokens", "TokenExchange", "AuditLog", "GatewayPolicy", "Sodium", "Cedar", "Signals",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]),
        .target(
            name: "DemoUpstream",
            dependencies: [
                "Sodium",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ]),
        .target(
            name: "GatewayTesting",
            dependencies: [
                "DemoUpstream",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
            ]),
        .executableTarget(
            name: "rta-gateway",
            dependencies: [
                "Gateway", "GatewayConfig", "GatewayPolicy", "DemoUpstream", "Cedar",
                "AuditLog", "DevIdentityProvider", "SSFTransmitter",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]),

        .testTarget(
            name: "HTTP3Tests",
            dependencies: [
                "HTTP3", "QUICTransport", "GatewayTesting",
                .product(name: "NIOPosix", package: "swift-nio"),
            ]),
        .testTarget(name: "CedarTests", dependencies: ["Cedar"]),
        .testTarget(name: "CLITests", dependencies: ["GatewayTesting", "AuditLog"]),
        .testTarget(name: "GatewayPolicyTests", dependencies: ["GatewayPolicy", "Cedar", "GatewayConfig"]),
        .testTarget(name: "GatewayConfigTests", dependencies: ["GatewayConfig"]),
        .testTarget(name: "SodiumTests", dependencies: ["Sodium"], exclude: ["Fixtures"]),
        .testTarget(name: "RTATokensTests", dependencies: ["RTATokens"]),
        .testTarget(name: "AuditLogTests", dependencies: ["AuditLog"]),
        .testTarget(
            name: "SignalsTests",
            dependencies: ["Signals", "SSFTransmitter", "RTATokens", "GatewayTesting"]),
        .testTarget(
            name: "TokenExchangeTests",
            dependencies: [
                "TokenExchange", "DevIdentityProvider", "RTATokens", "Sodium", "GatewayTesting",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "JWTKit", package: "jwt-kit"),
                .product(name: "NIOCore", package: "swift-nio"),
            ]),
        .testTarget(
            name: "GatewayTests",
            dependencies: [
                "Gateway", "GatewayConfig", "GatewayTesting", "DemoUpstream", "HTTP3",
                "DevIdentityProvider", "RTATokens", "Sodium", "AuditLog", "SSFTransmitter",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
            ]),
    ]
)
