// swift-tools-version:6.2
// WSKit in the Swift server ecosystem: bridges from WSKit's own seams to swift-metrics, swift-log,
// ServiceLifecycle and swift-distributed-tracing, and hosts for a WSKit router on Hummingbird
// and Vapor. A separate package so that WSKit's Package.swift stays dependency-free;
// it depends on WSKit by path. Versions are pinned to the copies in the machine's package cache.
//
// Build and test: swift test --package-path Integrations --scratch-path Integrations/.build
import PackageDescription

let package = Package(
    name: "WSKitIntegrations",
    platforms: [.macOS(.v15)],
    products: [
        .library(name: "WSKitSwiftMetrics", targets: ["WSKitSwiftMetrics"]),
        .library(name: "WSKitSwiftLog", targets: ["WSKitSwiftLog"]),
        .library(name: "WSKitServiceLifecycle", targets: ["WSKitServiceLifecycle"]),
        .library(name: "WSKitTracing", targets: ["WSKitTracing"]),
        .library(name: "WSKitHostAdapter", targets: ["WSKitHostAdapter"]),
        .library(name: "WSKitHummingbird", targets: ["WSKitHummingbird"]),
        .library(name: "WSKitVapor", targets: ["WSKitVapor"]),
        .executable(name: "wskit-hummingbird-example", targets: ["WSKitHummingbirdExample"]),
        .executable(name: "wskit-vapor-example", targets: ["WSKitVaporExample"]),
        // The benchmark router of `wskit-bench serve rpc` on Vapor or Hummingbird (Benchmarks/hosts).
        .executable(name: "wskit-host-bench", targets: ["WSKitHostBench"]),
    ],
    dependencies: [
        .package(name: "WSKit", path: ".."),
        .package(url: "https://github.com/apple/swift-metrics", exact: "2.13.0"),
        .package(url: "https://github.com/apple/swift-log", exact: "1.16.2"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", exact: "2.13.0"),
        .package(url: "https://github.com/apple/swift-distributed-tracing", exact: "1.7.3"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", exact: "2.28.1"),
        .package(url: "https://github.com/hummingbird-project/hummingbird-websocket", exact: "2.8.1"),
        .package(url: "https://github.com/vapor/vapor", exact: "4.122.3"),
        .package(url: "https://github.com/vapor/websocket-kit", exact: "2.16.2"),
        // Whatever Vapor and Hummingbird resolve to (2.101.x and 1.x here).
        .package(url: "https://github.com/apple/swift-nio", from: "2.81.0"),
        .package(url: "https://github.com/apple/swift-http-types.git", from: "1.0.0"),
    ],
    targets: [
        // WSKit's MetricsSink reporting to swift-metrics (MetricsSystem or a given factory).
        .target(
            name: "WSKitSwiftMetrics",
            dependencies: [
                .product(name: "WSKitMetrics", package: "WSKit"),
                .product(name: "CoreMetrics", package: "swift-metrics"),
            ],
            path: "Sources/WSKitSwiftMetrics"
        ),
        // WSKit's ServerLogger writing to a swift-log Logger; router errors logged with metadata.
        .target(
            name: "WSKitSwiftLog",
            dependencies: [
                .product(name: "WSKitServer", package: "WSKit"),
                .product(name: "WSKitRouter", package: "WSKit"),
                .product(name: "Logging", package: "swift-log"),
            ],
            path: "Sources/WSKitSwiftLog"
        ),
        // WebSocketServer as a ServiceLifecycle Service (graceful shutdown on SIGTERM).
        .target(
            name: "WSKitServiceLifecycle",
            dependencies: [
                .product(name: "WSKitServer", package: "WSKit"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            path: "Sources/WSKitServiceLifecycle"
        ),
        // A span per RPC (and per message) with swift-distributed-tracing, parented on the upgrade's
        // `traceparent`: a router middleware.
        .target(
            name: "WSKitTracing",
            dependencies: [
                .product(name: "WSKitRouter", package: "WSKit"),
                .product(name: "WSKitContract", package: "WSKit"),
                .product(name: "Tracing", package: "swift-distributed-tracing"),
            ],
            path: "Sources/WSKitTracing"
        ),
        // What every foreign host shares: a RouterTransport over a host's outbound writer, the
        // upgrade hook's request built from the host's request. No dependency but WSKit.
        .target(
            name: "WSKitHostAdapter",
            dependencies: [
                .product(name: "WSKitRouter", package: "WSKit"),
                .product(name: "WSKitServer", package: "WSKit"),
                .product(name: "WSKitProtocol", package: "WSKit"),
            ],
            path: "Sources/WSKitHostAdapter"
        ),
        // A WSKit router on Hummingbird 2 (hummingbird-websocket).
        .target(
            name: "WSKitHummingbird",
            dependencies: [
                "WSKitHostAdapter",
                .product(name: "WSKitRouter", package: "WSKit"),
                .product(name: "WSKitServer", package: "WSKit"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdWebSocket", package: "hummingbird-websocket"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOWebSocket", package: "swift-nio"),
            ],
            path: "Sources/WSKitHummingbird"
        ),
        // A WSKit router on Vapor 4 (websocket-kit).
        .target(
            name: "WSKitVapor",
            dependencies: [
                "WSKitHostAdapter",
                .product(name: "WSKitRouter", package: "WSKit"),
                .product(name: "WSKitServer", package: "WSKit"),
                .product(name: "Vapor", package: "vapor"),
                .product(name: "WebSocketKit", package: "websocket-kit"),
                .product(name: "NIOWebSocket", package: "swift-nio"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ],
            path: "Sources/WSKitVapor"
        ),
        // The composition example's app, unchanged, on Hummingbird and on Vapor.
        .executableTarget(
            name: "WSKitHummingbirdExample",
            dependencies: [
                "WSKitHummingbird",
                "WSKitHostAdapter",
                .product(name: "WSKitCompositionApp", package: "WSKit"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdWebSocket", package: "hummingbird-websocket"),
            ],
            path: "Examples/HummingbirdExample"
        ),
        .executableTarget(
            name: "WSKitVaporExample",
            dependencies: [
                "WSKitVapor",
                "WSKitHostAdapter",
                .product(name: "WSKitCompositionApp", package: "WSKit"),
                .product(name: "Vapor", package: "vapor"),
            ],
            path: "Examples/VaporExample"
        ),
        // The benchmark router (WSKitBenchRouter, as `wskit-bench serve rpc` hosts it) on Vapor or
        // Hummingbird, beside each host's own echo: Benchmarks/hosts/run.sh measures the cost of
        // hosting. Release build: swift build -c release --package-path Integrations
        //   --scratch-path Integrations/.build --product wskit-host-bench
        .executableTarget(
            name: "WSKitHostBench",
            dependencies: [
                "WSKitVapor",
                "WSKitHummingbird",
                "WSKitHostAdapter",
                .product(name: "WSKitBenchRouter", package: "WSKit"),
                .product(name: "Vapor", package: "vapor"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdWebSocket", package: "hummingbird-websocket"),
                .product(name: "NIOWebSocket", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
            ],
            path: "Benchmarks/HostBench"
        ),
        .testTarget(
            name: "WSKitIntegrationsTests",
            dependencies: [
                "WSKitSwiftMetrics", "WSKitSwiftLog", "WSKitServiceLifecycle", "WSKitTracing",
                "WSKitHummingbird", "WSKitVapor", "WSKitHostAdapter",
                .product(name: "WSKitCompositionApp", package: "WSKit"),
                .product(name: "WSKitClient", package: "WSKit"),
                .product(name: "InMemoryTracing", package: "swift-distributed-tracing"),
                .product(name: "Tracing", package: "swift-distributed-tracing"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Vapor", package: "vapor"),
                .product(name: "WSKit", package: "WSKit"),
                .product(name: "WSKitMetrics", package: "WSKit"),
                .product(name: "WSKitTesting", package: "WSKit"),
                .product(name: "MetricsTestKit", package: "swift-metrics"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            path: "Tests/WSKitIntegrationsTests"
        ),
    ],
    swiftLanguageModes: [.v6]
)
