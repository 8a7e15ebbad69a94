// swift-tools-version:6.2
// WSKit in the Swift server ecosystem: bridges from WSKit's own seams to swift-metrics, swift-log
// and ServiceLifecycle. A separate package so that WSKit's Package.swift stays dependency-free;
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
    ],
    dependencies: [
        .package(name: "WSKit", path: ".."),
        .package(url: "https://github.com/apple/swift-metrics", exact: "2.13.0"),
        .package(url: "https://github.com/apple/swift-log", exact: "1.16.2"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", exact: "2.13.0"),
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
        .testTarget(
            name: "WSKitIntegrationsTests",
            dependencies: [
                "WSKitSwiftMetrics", "WSKitSwiftLog", "WSKitServiceLifecycle",
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
