// swift-tools-version:6.0
// Peer WebSocket servers that WSKit is benchmarked against. This is a separate package so that WSKit's
// own Package.swift stays dependency-free; nothing in WSKit depends on it.
//
// Build:  nice -n 10 swift build -c release --package-path Benchmarks/Peers \
//             --scratch-path Benchmarks/Peers/.build
// (or Benchmarks/scripts/build-peers.sh). Versions are pinned exactly to the copies available offline.
import PackageDescription

let package = Package(
    name: "WSKitPeers",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "peer-vapor", targets: ["peer-vapor"]),
        .executable(name: "peer-hummingbird", targets: ["peer-hummingbird"]),
        .executable(name: "peer-flyingfox", targets: ["peer-flyingfox"]),
    ],
    dependencies: [
        .package(url: "https://github.com/vapor/vapor", exact: "4.122.3"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", exact: "2.28.1"),
        .package(url: "https://github.com/hummingbird-project/hummingbird-websocket", exact: "2.8.1"),
        .package(url: "https://github.com/swhitty/FlyingFox", exact: "0.27.1"),
        .package(url: "https://github.com/apple/swift-log", exact: "1.16.2"),
        // Whatever Vapor and Hummingbird resolve to (2.101.x here); named for NIOWebSocket's opcodes.
        .package(url: "https://github.com/apple/swift-nio", from: "2.81.0"),
        // TLS for the Vapor and Hummingbird peers (`--tls-cert`/`--tls-key`): NIOSSL on BoringSSL.
        .package(url: "https://github.com/apple/swift-nio-ssl", exact: "2.37.6"),
    ],
    targets: [
        // Command-line parsing shared by the three servers (no dependencies).
        .target(name: "PeerSupport", path: "Sources/PeerSupport"),
        .executableTarget(
            name: "peer-vapor",
            dependencies: [
                "PeerSupport",
                .product(name: "Vapor", package: "vapor"),
                .product(name: "NIOWebSocket", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "Logging", package: "swift-log"),
            ],
            path: "Sources/peer-vapor"
        ),
        .executableTarget(
            name: "peer-hummingbird",
            dependencies: [
                "PeerSupport",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdCore", package: "hummingbird"),
                .product(name: "HummingbirdWebSocket", package: "hummingbird-websocket"),
                // permessage-deflate (`--deflate`), on compress-nio's zlib.
                .product(name: "HummingbirdWSCompression", package: "hummingbird-websocket"),
                .product(name: "HummingbirdTLS", package: "hummingbird"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "Logging", package: "swift-log"),
            ],
            path: "Sources/peer-hummingbird"
        ),
        .executableTarget(
            name: "peer-flyingfox",
            dependencies: [
                "PeerSupport",
                .product(name: "FlyingFox", package: "FlyingFox"),
            ],
            path: "Sources/peer-flyingfox"
        ),
    ],
    swiftLanguageModes: [.v6]
)
