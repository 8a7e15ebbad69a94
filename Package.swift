// swift-tools-version:6.0
// WSKit: typed, real-time WebSocket applications in Swift. No package dependencies: only the
// toolchain and system C libraries.
import PackageDescription

/// Settings shared by every Swift target (Swift 6 language mode is set package-wide below).
let strict: [SwiftSetting] = []

let package = Package(
    name: "WSKit",
    products: [
        .library(name: "WSKitProtocol", targets: ["WSKitProtocol"]),
        .library(name: "WSKitServer", targets: ["WSKitServer"]),
        .library(name: "WSKit", targets: ["WSKit"]),
        .executable(name: "wskit-echo", targets: ["WSKitEcho"]),
        .executable(name: "wskit-composition-example", targets: ["WSKitCompositionExample"]),
        // The demo (issue 6): multi-room chat with a web page; `swift run wskit-demo`.
        .executable(name: "wskit-demo", targets: ["WSKitDemoServer"]),
        // Products of the client (issue 5).
        .library(name: "WSKitClient", targets: ["WSKitClient"]),
        .executable(name: "wskit-autobahn-client", targets: ["WSKitAutobahnClient"]),
        // Products of the wire contract and validators (issue 3).
        .library(name: "WSKitContract", targets: ["WSKitContract"]),
        .library(name: "WSKitValidation", targets: ["WSKitValidation"]),
        // Products of the router, harness and plugins (issue 3).
        .library(name: "WSKitRouter", targets: ["WSKitRouter"]),
        .library(name: "WSKitTesting", targets: ["WSKitTesting"]),
        .library(name: "WSKitMessaging", targets: ["WSKitMessaging"]),
        .library(name: "WSKitRPC", targets: ["WSKitRPC"]),
        // Redis client (issue 4).
        .library(name: "WSKitRedis", targets: ["WSKitRedis"]),
        // The benchmark suite (issue 7).
        .executable(name: "wskit-bench", targets: ["WSKitBench"]),
        // Rate limiting and heartbeat plugins (issue 4).
        .library(name: "WSKitRateLimit", targets: ["WSKitRateLimit"]),
        .library(name: "WSKitRateLimitRedis", targets: ["WSKitRateLimitRedis"]),
        .library(name: "WSKitHeartbeat", targets: ["WSKitHeartbeat"]),
        // Pub/sub plugin and its Redis adapter (issue 4).
        .library(name: "WSKitPubSub", targets: ["WSKitPubSub"]),
        .library(name: "WSKitPubSubRedis", targets: ["WSKitPubSubRedis"]),
        .executable(name: "wskit-scaleout", targets: ["WSKitScaleOut"]),
    ],
    targets: [
        // Foundation: C shim, sans-I/O protocol core, epoll server adapter.
        .target(name: "CWSKitShims", path: "Sources/CWSKitShims"),
        // zlib for permessage-deflate (issue 14): the system library, no package dependency.
        .systemLibrary(name: "CZlib", path: "Sources/CZlib", providers: [.apt(["zlib1g-dev"])]),
        .target(name: "WSKitProtocol", dependencies: ["CZlib"], path: "Sources/WSKitProtocol", swiftSettings: strict),
        .target(
            name: "WSKitServer",
            dependencies: ["WSKitProtocol", "CWSKitShims"],
            path: "Sources/WSKitServer",
            swiftSettings: strict
        ),
        // Client (issue 5): its own portable sockets, no epoll.
        .target(name: "WSKitClient", dependencies: ["WSKitProtocol", "WSKitContract"], path: "Sources/WSKitClient", swiftSettings: strict),


        // Wire contract and validators (issue 3).
        .target(name: "WSKitContract", path: "Sources/WSKitContract", swiftSettings: strict),
        .target(name: "WSKitValidation", dependencies: ["WSKitContract"], path: "Sources/WSKitValidation", swiftSettings: strict),
        // Router core, harness and plugins (issue 3).
        .target(name: "WSKitRouter", dependencies: ["WSKitContract"], path: "Sources/WSKitRouter", swiftSettings: strict),
        .target(name: "WSKitTesting", dependencies: ["WSKitRouter", "WSKitContract"], path: "Sources/WSKitTesting", swiftSettings: strict),
        .target(name: "WSKitMessaging", dependencies: ["WSKitRouter", "WSKitContract"], path: "Plugins/WSKitMessaging", swiftSettings: strict),
        .target(name: "WSKitRPC", dependencies: ["WSKitRouter", "WSKitContract"], path: "Plugins/WSKitRPC", swiftSettings: strict),
        // Redis client (issue 4): sans-I/O RESP core plus its own socket and I/O thread; depends on nothing.
        .target(name: "WSKitRedis", dependencies: [], path: "Sources/WSKitRedis", swiftSettings: strict),
        // Rate limiting (in-memory and Redis limiters) and heartbeat plugins (issue 4).
        .target(name: "WSKitRateLimit", dependencies: ["WSKitRouter", "WSKitContract"], path: "Plugins/WSKitRateLimit", swiftSettings: strict),
        .target(
            name: "WSKitRateLimitRedis", dependencies: ["WSKitRateLimit", "WSKitRedis"],
            path: "Plugins/WSKitRateLimitRedis", swiftSettings: strict
        ),
        .target(name: "WSKitHeartbeat", dependencies: ["WSKitRouter", "WSKitProtocol"], path: "Plugins/WSKitHeartbeat", swiftSettings: strict),
        // Pub/sub plugin (issue 4) and its Redis adapter.
        .target(
            name: "WSKitPubSub", dependencies: ["WSKitRouter", "WSKitContract", "WSKitProtocol"],
            path: "Plugins/WSKitPubSub", swiftSettings: strict
        ),
        .target(
            name: "WSKitPubSubRedis", dependencies: ["WSKitPubSub", "WSKitRedis", "WSKitRouter"],
            path: "Plugins/WSKitPubSubRedis", swiftSettings: strict
        ),

        // The umbrella: router hosted on the epoll server.
        .target(
            name: "WSKit",
            dependencies: ["WSKitContract", "WSKitProtocol", "WSKitRouter", "WSKitServer"],
            path: "Sources/WSKit",
            swiftSettings: strict
        ),

        // Examples.
        // The demo (issue 6): the chat library, its executable, SQLite through the system library
        // (examples only), and the build tool that embeds the page and browser client.
        .systemLibrary(name: "CSQLite", path: "Examples/CSQLite", providers: [.apt(["libsqlite3-dev"])]),
        .target(
            name: "WSKitDemo",
            dependencies: [
                "WSKit", "WSKitMessaging", "WSKitRPC", "WSKitValidation", "WSKitPubSub", "WSKitPubSubRedis",
                "WSKitRateLimit", "WSKitHeartbeat", "WSKitRedis", "CSQLite",
            ],
            path: "Examples/Demo/Chat",
            swiftSettings: strict,
            plugins: ["WSKitDemoAssets"]
        ),
        .executableTarget(name: "WSKitDemoServer", dependencies: ["WSKitDemo", "CWSKitShims"], path: "Examples/Demo/Main", swiftSettings: strict),
        .executableTarget(name: "WSKitDemoAssetEmbedder", path: "Examples/Demo/AssetEmbedder", swiftSettings: strict),
        .plugin(name: "WSKitDemoAssets", capability: .buildTool(), dependencies: ["WSKitDemoAssetEmbedder"], path: "Examples/Demo/AssetPlugin"),
        .executableTarget(
            name: "WSKitCompositionExample",
            dependencies: ["WSKit", "WSKitMessaging", "WSKitRPC", "WSKitValidation"],
            path: "Examples/Composition",
            swiftSettings: strict
        ),
        .executableTarget(
            name: "WSKitEcho", dependencies: ["WSKitServer", "WSKit", "WSKitPubSub"], path: "Examples/Echo",
            swiftSettings: strict
        ),
        .executableTarget(
            name: "WSKitAutobahnClient", dependencies: ["WSKitClient", "WSKitProtocol"],
            path: "Examples/AutobahnClient", swiftSettings: strict
        ),

        // The benchmark suite (issue 7): wskit-bench, its load generator and allocation counter (C
        // targets), and the report logic (table, JSON, comparison) that its tests cover.
        .target(name: "CWSKitLoad", path: "Benchmarks/Sources/CWSKitLoad"),
        .target(name: "CWSKitBenchSupport", path: "Benchmarks/Sources/CWSKitBenchSupport"),
        .target(name: "WSKitBenchCore", dependencies: ["WSKitContract"], path: "Benchmarks/Sources/WSKitBenchCore", swiftSettings: strict),
        .executableTarget(
            name: "WSKitBench",
            dependencies: [
                "WSKitBenchCore", "CWSKitLoad", "CWSKitBenchSupport", "WSKit", "WSKitProtocol", "WSKitContract",
                "WSKitValidation", "WSKitRouter", "WSKitTesting", "WSKitMessaging", "WSKitRPC", "WSKitPubSub",
                "WSKitRedis",
            ],
            path: "Benchmarks/Sources/WSKitBench",
            swiftSettings: strict
        ),

        // Tests.
        .testTarget(name: "WSKitProtocolTests", dependencies: ["WSKitProtocol"], path: "Tests/WSKitProtocolTests"),
        .testTarget(
            name: "WSKitClientTests",
            dependencies: [
                "WSKitClient", "WSKitServer", "WSKitProtocol", "WSKitContract",
                "WSKit", "WSKitMessaging", "WSKitRPC", "WSKitValidation", "WSKitTestSupport", "WSKitTestContract",
            ],
            path: "Tests/WSKitClientTests"
        ),
        .testTarget(
            name: "WSKitTests",
            dependencies: [
                "WSKit", "WSKitMessaging", "WSKitRPC", "WSKitValidation", "WSKitTestSupport", "WSKitTestContract",
                "WSKitCompositionExample",
            ],
            path: "Tests/WSKitTests"
        ),
        .target(name: "WSKitTestSupport", dependencies: ["WSKitServer", "WSKitProtocol", "CWSKitShims"], path: "Tests/Support"),
        // The message and RPC types shared by the test targets (one definition of each wire type).
        .target(name: "WSKitTestContract", dependencies: ["WSKitContract", "WSKitValidation"], path: "Tests/Contract"),
        .testTarget(
            name: "WSKitServerTests",
            dependencies: ["WSKitServer", "WSKitProtocol", "CWSKitShims", "WSKitTestSupport", "WSKitEcho"],
            path: "Tests/WSKitServerTests"
        ),
        // Tests of the wire contract and validators (issue 3).
        .testTarget(name: "WSKitContractTests", dependencies: ["WSKitContract"], path: "Tests/WSKitContractTests"),
        .testTarget(
            name: "WSKitValidationTests", dependencies: ["WSKitValidation", "WSKitContract", "WSKitTestContract"],
            path: "Tests/WSKitValidationTests"
        ),
        // Tests of the router, harness and plugins (issue 3).
        .testTarget(
            name: "WSKitRouterTests",
            dependencies: [
                "WSKitRouter", "WSKitTesting", "WSKitMessaging", "WSKitRPC", "WSKitValidation", "WSKitContract",
                "WSKitTestContract",
            ],
            path: "Tests/WSKitRouterTests"
        ),
        // Tests of the demo (issue 6): protocol over real sockets, persistence, Redis scale-out, browser.
        .testTarget(
            name: "WSKitDemoTests",
            dependencies: ["WSKitDemo", "WSKitDemoServer", "WSKit", "WSKitTestSupport"],
            path: "Tests/WSKitDemoTests"
        ),
        // Pub/sub scale-out example (issue 4): one instance of a chat scaled out through Redis.
        .executableTarget(
            name: "WSKitScaleOut",
            dependencies: [
                "WSKit", "WSKitMessaging", "WSKitPubSub", "WSKitPubSubRedis", "WSKitRedis", "WSKitValidation", "CWSKitShims",
            ],
            path: "Examples/ScaleOut", swiftSettings: strict
        ),
        // Tests of the pub/sub plugin (issue 4): harness, real sockets, real Redis, two processes.
        .testTarget(
            name: "WSKitPubSubTests",
            dependencies: [
                "WSKitPubSub", "WSKitPubSubRedis", "WSKitRedis", "WSKit", "WSKitTesting", "WSKitMessaging",
                "WSKitValidation", "WSKitContract", "WSKitTestSupport", "WSKitScaleOut", "WSKitEcho",
            ],
            path: "Tests/WSKitPubSubTests"
        ),
        // Tests of the Redis client, against a real redis-server (issue 4).
        .testTarget(name: "WSKitRedisTests", dependencies: ["WSKitRedis", "WSKitTestSupport"], path: "Tests/WSKitRedisTests"),
        // Tests of the benchmark suite's table, JSON and comparison (issue 7).
        .testTarget(name: "WSKitBenchTests", dependencies: ["WSKitBenchCore"], path: "Tests/WSKitBenchTests"),
        // Tests of the rate limiting and heartbeat plugins (issue 4): harness, real sockets.
        .testTarget(
            name: "WSKitRateLimitTests",
            dependencies: [
                "WSKitRateLimit", "WSKitTesting", "WSKitRouter", "WSKitContract", "WSKitMessaging", "WSKitRPC",
                "WSKitValidation", "WSKit", "WSKitTestSupport",
            ],
            path: "Tests/WSKitRateLimitTests"
        ),
        .testTarget(
            name: "WSKitHeartbeatTests",
            dependencies: [
                "WSKitHeartbeat", "WSKitTesting", "WSKitRouter", "WSKitContract", "WSKitMessaging", "WSKitValidation",
                "WSKit", "WSKitTestSupport",
            ],
            path: "Tests/WSKitHeartbeatTests"
        ),
        // The Redis rate limiter against a real redis-server, including a limit shared by two
        // server processes (wskit-ratelimit-node, a test-only executable).
        .executableTarget(
            name: "WSKitRateLimitNode",
            dependencies: [
                "WSKit", "WSKitMessaging", "WSKitRateLimit", "WSKitRateLimitRedis", "WSKitRedis", "WSKitValidation", "CWSKitShims",
            ],
            path: "Tests/RateLimitNode", swiftSettings: strict
        ),
        .testTarget(
            name: "WSKitRateLimitRedisTests",
            dependencies: [
                "WSKitRateLimitRedis", "WSKitRateLimit", "WSKitRedis", "WSKitTestSupport", "WSKitTesting", "WSKitRouter",
                "WSKitContract", "WSKitMessaging", "WSKitRPC", "WSKitValidation", "WSKit", "WSKitRateLimitNode",
            ],
            path: "Tests/WSKitRateLimitRedisTests"
        ),
    ],
    swiftLanguageModes: [.v6]
)
