// swift-tools-version:6.2
// WSKit: typed, real-time WebSocket applications in Swift (Swift 6.2 or later: the router starts
// handlers with `Task.immediate`). No package dependencies: only the
// toolchain and system C libraries.
import PackageDescription

let package = Package(
    name: "WSKit",
    products: [
        .library(name: "WSKitProtocol", targets: ["WSKitProtocol"]),
        .library(name: "WSKitServer", targets: ["WSKitServer"]),
        // The metrics seam: sink protocol, standard metrics, in-memory registry, Prometheus text.
        .library(name: "WSKitMetrics", targets: ["WSKitMetrics"]),
        // TLS on the system's OpenSSL 3.
        .library(name: "WSKitTLS", targets: ["WSKitTLS"]),
        .library(name: "WSKit", targets: ["WSKit"]),
        .executable(name: "wskit-echo", targets: ["WSKitEcho"]),
        .executable(name: "wskit-composition-example", targets: ["WSKitCompositionExample"]),
        // The composition example's app (feature routers, session, upgrade hook), hosted unchanged
        // by the example's executable and by the Vapor and Hummingbird examples in Integrations/.
        .library(name: "WSKitCompositionApp", targets: ["WSKitCompositionApp"]),
        // The demo: multi-room chat with a web page; `swift run wskit-demo`.
        .executable(name: "wskit-demo", targets: ["WSKitDemoServer"]),
        // Tic-tac-toe: rooms, spectators, rematches, seats that survive a reconnect.
        .executable(name: "wskit-example-tictactoe", targets: ["WSKitTicTacToeServer"]),
        // A collaborative board: versioned deltas, per-field last writer wins, throttled cursors.
        .executable(name: "wskit-example-board", targets: ["WSKitBoardServer"]),
        // Flow control: a live feed that outruns some of its clients.
        .executable(name: "wskit-example-flowcontrol", targets: ["WSKitFlowControlExample"]),
        // Products of the client.
        .library(name: "WSKitClient", targets: ["WSKitClient"]),
        .executable(name: "wskit-autobahn-client", targets: ["WSKitAutobahnClient"]),
        // Products of the wire contract and validators.
        .library(name: "WSKitContract", targets: ["WSKitContract"]),
        .library(name: "WSKitValidation", targets: ["WSKitValidation"]),
        // Products of the router, harness and plugins.
        .library(name: "WSKitRouter", targets: ["WSKitRouter"]),
        .library(name: "WSKitTesting", targets: ["WSKitTesting"]),
        .library(name: "WSKitMessaging", targets: ["WSKitMessaging"]),
        .library(name: "WSKitRPC", targets: ["WSKitRPC"]),
        // Redis client.
        .library(name: "WSKitRedis", targets: ["WSKitRedis"]),
        // The benchmark suite.
        .executable(name: "wskit-bench", targets: ["WSKitBench"]),
        // The benchmark router (typed CHAT and the BENCH_ECHO RPC), also hosted on Vapor and
        // Hummingbird by Integrations/'s wskit-host-bench.
        .library(name: "WSKitBenchRouter", targets: ["WSKitBenchRouter"]),
        // Rate limiting and heartbeat plugins.
        .library(name: "WSKitRateLimit", targets: ["WSKitRateLimit"]),
        .library(name: "WSKitRateLimitRedis", targets: ["WSKitRateLimitRedis"]),
        .library(name: "WSKitHeartbeat", targets: ["WSKitHeartbeat"]),
        // Pub/sub plugin and its Redis adapter.
        .library(name: "WSKitPubSub", targets: ["WSKitPubSub"]),
        .library(name: "WSKitPubSubRedis", targets: ["WSKitPubSubRedis"]),
        .executable(name: "wskit-scaleout", targets: ["WSKitScaleOut"]),
        // Descriptions of an app (JSON Schema, AsyncAPI) derived from its Swift types.
        .library(name: "WSKitDescription", targets: ["WSKitDescription"]),
        // The command-line client: connect, send, call, describe.
        .executable(name: "wskit", targets: ["WSKitCLI"]),
        // Presence plugin and its Redis store.
        .library(name: "WSKitPresence", targets: ["WSKitPresence"]),
        .library(name: "WSKitPresenceRedis", targets: ["WSKitPresenceRedis"]),
    ],
    targets: [
        // Foundation: C shim, sans-I/O protocol core, epoll server adapter.
        .target(name: "CWSKitShims", path: "Sources/CWSKitShims"),
        // zlib for permessage-deflate: the system library, no package dependency.
        .systemLibrary(name: "CZlib", path: "Sources/CZlib", providers: [.apt(["zlib1g-dev"])]),
        .target(name: "WSKitProtocol", dependencies: ["CZlib"], path: "Sources/WSKitProtocol"),
        // The metrics seam (no I/O, no dependency): sink protocol, standard metrics, registry and
        // Prometheus text (ADR 0110).
        .target(name: "WSKitMetrics", path: "Sources/WSKitMetrics"),
        // TLS: the system's OpenSSL 3 and a sans-I/O TLS session over it (ADR 0080).
        .systemLibrary(name: "COpenSSL", path: "Sources/COpenSSL", providers: [.apt(["libssl-dev"])]),
        .target(name: "WSKitTLS", dependencies: ["COpenSSL"], path: "Sources/WSKitTLS"),
        .target(name: "WSKitServer", dependencies: ["WSKitProtocol", "CWSKitShims", "WSKitTLS", "WSKitMetrics"], path: "Sources/WSKitServer"),
        // Client: its own portable sockets, no epoll; TLS (wss://) through OpenSSL on Linux.
        .target(
            name: "WSKitClient",
            dependencies: ["WSKitProtocol", "WSKitContract", .target(name: "WSKitTLS", condition: .when(platforms: [.linux]))],
            path: "Sources/WSKitClient"
        ),
        // Wire contract and validators.
        // libm: `Int(exactly: Double)` and friends, inlined into the app, call `trunc`; a package
        // that imports only WSKitContract (no Glibc) would not link without it.
        .target(
            name: "WSKitContract", path: "Sources/WSKitContract",
            linkerSettings: [.linkedLibrary("m", .when(platforms: [.linux]))]
        ),
        .target(name: "WSKitValidation", dependencies: ["WSKitContract"], path: "Sources/WSKitValidation"),
        // Router core, harness and plugins.
        .target(name: "WSKitRouter", dependencies: ["WSKitContract", "WSKitMetrics"], path: "Sources/WSKitRouter"),
        .target(name: "WSKitTesting", dependencies: ["WSKitRouter", "WSKitContract"], path: "Sources/WSKitTesting"),
        .target(name: "WSKitMessaging", dependencies: ["WSKitRouter", "WSKitContract"], path: "Plugins/WSKitMessaging"),
        .target(name: "WSKitRPC", dependencies: ["WSKitRouter", "WSKitContract"], path: "Plugins/WSKitRPC"),
        // Redis client: sans-I/O RESP core plus its own socket and I/O thread; depends on nothing.
        .target(name: "WSKitRedis", dependencies: [], path: "Sources/WSKitRedis"),
        // Rate limiting (in-memory and Redis limiters) and heartbeat plugins.
        .target(name: "WSKitRateLimit", dependencies: ["WSKitRouter", "WSKitContract"], path: "Plugins/WSKitRateLimit"),
        .target(
            name: "WSKitRateLimitRedis", dependencies: ["WSKitRateLimit", "WSKitRedis"],
            path: "Plugins/WSKitRateLimitRedis"
        ),
        .target(name: "WSKitHeartbeat", dependencies: ["WSKitRouter", "WSKitContract"], path: "Plugins/WSKitHeartbeat"),
        // Pub/sub plugin and its Redis adapter.
        .target(
            name: "WSKitPubSub", dependencies: ["WSKitRouter", "WSKitContract", "WSKitMetrics"],
            path: "Plugins/WSKitPubSub"
        ),
        .target(
            name: "WSKitPubSubRedis", dependencies: ["WSKitPubSub", "WSKitRedis", "WSKitRouter"],
            path: "Plugins/WSKitPubSubRedis"
        ),
        // Presence plugin (in-memory store) and its Redis store.
        .target(
            name: "WSKitPresence", dependencies: ["WSKitRouter", "WSKitContract", "WSKitPubSub"], path: "Plugins/WSKitPresence"
        ),
        .target(
            name: "WSKitPresenceRedis", dependencies: ["WSKitPresence", "WSKitRedis", "WSKitContract"],
            path: "Plugins/WSKitPresenceRedis"
        ),

        // The umbrella: router hosted on the epoll server, re-exporting the validators and the
        // standard plugins (one `import WSKit` for app code; the lean targets stay available).
        .target(
            name: "WSKit",
            dependencies: [
                "WSKitContract", "WSKitProtocol", "WSKitRouter", "WSKitServer", "WSKitValidation",
                "WSKitMessaging", "WSKitRPC", "WSKitPubSub", "WSKitRateLimit", "WSKitHeartbeat", "WSKitPresence", "WSKitMetrics",
            ],
            path: "Sources/WSKit"
        ),

        // Examples.
        // The demo: the chat library (its page and browser client embedded in the
        // committed EmbeddedAssets.swift, see Examples/Demo/AssetEmbedder), its executable, and
        // SQLite through the system library (examples only). No build-tool plugin: SwiftPM builds
        // a package's plugins for every package that depends on it.
        .systemLibrary(name: "CSQLite", path: "Examples/CSQLite", providers: [.apt(["libsqlite3-dev"])]),
        // The examples' web side: the browser client embedded once, and the static page server.
        .target(name: "WSKitExampleWeb", dependencies: ["WSKit"], path: "Examples/Web"),
        .target(
            name: "WSKitDemo",
            dependencies: [
                "WSKit", "WSKitPubSubRedis", "WSKitPresenceRedis", "WSKitRedis", "WSKitDescription", "CSQLite", "WSKitExampleWeb",
            ],
            path: "Examples/Demo/Chat"
        ),
        .executableTarget(name: "WSKitDemoServer", dependencies: ["WSKitDemo", "CWSKitShims"], path: "Examples/Demo/Main"),
        .target(name: "WSKitCompositionApp", dependencies: ["WSKit"], path: "Examples/Composition/App"),
        // Tic-tac-toe: the game and its server (page embedded like the demo's), and its executable.
        .target(name: "WSKitTicTacToe", dependencies: ["WSKit", "WSKitExampleWeb"], path: "Examples/TicTacToe/Game"),
        .executableTarget(
            name: "WSKitTicTacToeServer", dependencies: ["WSKitTicTacToe", "CWSKitShims"], path: "Examples/TicTacToe/Main"
        ),
        // The collaborative board: its sync logic and server (page embedded), and its executable.
        .target(name: "WSKitBoard", dependencies: ["WSKit", "WSKitExampleWeb"], path: "Examples/Board/Sync"),
        .executableTarget(name: "WSKitBoardServer", dependencies: ["WSKitBoard", "CWSKitShims"], path: "Examples/Board/Main"),
        .executableTarget(
            name: "WSKitCompositionExample",
            dependencies: ["WSKit", "WSKitDescription", "WSKitCompositionApp"],
            path: "Examples/Composition/Main"
        ),
        // The getting-started guide's app (docs/guide.md quotes these files; WSKitGuideTests runs
        // them and checks the quotes).
        .target(name: "WSKitGuide", dependencies: ["WSKit"], path: "Examples/Guide"),
        // Flow control: a live feed that outruns some of its clients (the library, its executable).
        .target(name: "WSKitFlowControl", dependencies: ["WSKit"], path: "Examples/FlowControl/Feed"),
        .executableTarget(
            name: "WSKitFlowControlExample", dependencies: ["WSKitFlowControl", "CWSKitShims"],
            path: "Examples/FlowControl/Main"
        ),
        .executableTarget(name: "WSKitEcho", dependencies: ["WSKitServer", "WSKit", "WSKitPubSub"], path: "Examples/Echo"),
        .executableTarget(
            name: "WSKitAutobahnClient", dependencies: ["WSKitClient", "WSKitProtocol"],
            path: "Examples/AutobahnClient"
        ),

        // The benchmark suite: wskit-bench, its load generator and allocation counter (C
        // targets), and the report logic (table, JSON, comparison) that its tests cover.
        .target(name: "CWSKitLoad", path: "Benchmarks/Sources/CWSKitLoad"),
        .target(name: "CWSKitBenchSupport", path: "Benchmarks/Sources/CWSKitBenchSupport"),
        .target(name: "WSKitBenchCore", dependencies: ["WSKitContract"], path: "Benchmarks/Sources/WSKitBenchCore"),
        .target(
            name: "WSKitBenchRouter",
            dependencies: ["WSKitContract", "WSKitValidation", "WSKitRouter", "WSKitMessaging", "WSKitRPC"],
            path: "Benchmarks/Sources/WSKitBenchRouter"
        ),
        .executableTarget(
            name: "WSKitBench",
            dependencies: [
                "WSKitBenchCore", "WSKitBenchRouter", "CWSKitLoad", "CWSKitBenchSupport", "WSKit", "WSKitProtocol", "WSKitContract",
                "WSKitValidation", "WSKitRouter", "WSKitTesting", "WSKitMessaging", "WSKitRPC", "WSKitPubSub",
                "WSKitRedis", "WSKitPresence", "WSKitPresenceRedis", "WSKitMetrics", "WSKitPubSubRedis",
            ],
            path: "Benchmarks/Sources/WSKitBench"
        ),

        // Tests.
        .testTarget(
            name: "WSKitFlowControlTests", dependencies: ["WSKitFlowControl", "WSKit", "WSKitLiveFixtures"],
            path: "Tests/WSKitFlowControlTests"
        ),
        .testTarget(name: "WSKitProtocolTests", dependencies: ["WSKitProtocol"], path: "Tests/WSKitProtocolTests"),
        // Tests of the metrics seam: registry and Prometheus text, and the counts a scripted
        // client run leaves in a scrape of a server's /metrics.
        .testTarget(
            name: "WSKitMetricsTests",
            dependencies: ["WSKitMetrics", "WSKit", "WSKitLiveFixtures", "WSKitTestMessages"],
            path: "Tests/WSKitMetricsTests"
        ),
        // Tests of the TLS layer: two sessions in memory, certificates made by the test run.
        .testTarget(name: "WSKitTLSTests", dependencies: ["WSKitTLS", "WSKitLiveFixtures"], path: "Tests/WSKitTLSTests"),
        .testTarget(
            name: "WSKitClientTests",
            dependencies: [
                "WSKitClient", "WSKitServer", "WSKitProtocol", "WSKitContract",
                "WSKit", "WSKitMessaging", "WSKitRPC", "WSKitValidation", "WSKitLiveFixtures", "WSKitTestMessages",
                "WSKitPresence",
            ],
            path: "Tests/WSKitClientTests"
        ),
        .testTarget(
            name: "WSKitTests",
            dependencies: [
                "WSKit", "WSKitMessaging", "WSKitRPC", "WSKitValidation", "WSKitLiveFixtures", "WSKitTestMessages",
                "WSKitCompositionApp", "WSKitTesting",
            ],
            path: "Tests/WSKitTests"
        ),
        // Live fixtures shared by the test targets: real servers, sockets, child processes
        // (redis-server, example executables), waiting helpers.
        .target(name: "WSKitLiveFixtures", dependencies: ["WSKitServer", "WSKitProtocol", "CWSKitShims"], path: "Tests/LiveFixtures"),
        // The message and RPC types shared by the test targets (one definition of each wire type).
        .target(name: "WSKitTestMessages", dependencies: ["WSKitContract", "WSKitValidation"], path: "Tests/Messages"),
        .testTarget(
            name: "WSKitServerTests",
            dependencies: ["WSKitServer", "WSKitProtocol", "CWSKitShims", "WSKitLiveFixtures", "WSKitEcho", "WSKitMetrics"],
            path: "Tests/WSKitServerTests"
        ),
        // Tests of the wire contract and validators.
        .testTarget(name: "WSKitContractTests", dependencies: ["WSKitContract"], path: "Tests/WSKitContractTests"),
        .testTarget(
            name: "WSKitValidationTests", dependencies: ["WSKitValidation", "WSKitContract", "WSKitTestMessages"],
            path: "Tests/WSKitValidationTests"
        ),
        // Tests of the router, harness and plugins.
        .testTarget(
            name: "WSKitRouterTests",
            dependencies: [
                "WSKitRouter", "WSKitTesting", "WSKitMessaging", "WSKitRPC", "WSKitValidation", "WSKitContract",
                "WSKitTestMessages",
            ],
            path: "Tests/WSKitRouterTests"
        ),
        // Tests of the messaging and RPC plugins (typed sends and their straight-to-buffer writing;
        // RPC terminal rules, progress, cancellation, the call table, inline handlers).
        .testTarget(
            name: "WSKitMessagingTests",
            dependencies: [
                "WSKitMessaging", "WSKitRPC", "WSKitRouter", "WSKitTesting", "WSKitValidation", "WSKitContract",
                "WSKitTestMessages",
            ],
            path: "Tests/WSKitMessagingTests"
        ),
        .testTarget(
            name: "WSKitRPCTests",
            dependencies: [
                "WSKitRPC", "WSKitMessaging", "WSKitRouter", "WSKitTesting", "WSKitValidation", "WSKitContract",
                "WSKitTestMessages",
            ],
            path: "Tests/WSKitRPCTests"
        ),
        // Tests of the demo: protocol over real sockets, persistence, Redis scale-out, browser.
        // Tests of the guide's app, and that docs/guide.md quotes its files exactly.
        .testTarget(
            name: "WSKitGuideTests", dependencies: ["WSKitGuide", "WSKit", "WSKitTesting", "WSKitClient"],
            path: "Tests/WSKitGuideTests"
        ),
        .testTarget(
            name: "WSKitDemoTests",
            dependencies: [
                "WSKitDemo", "WSKitDemoServer", "WSKit", "WSKitLiveFixtures", "WSKitDescription", "WSKitTicTacToe",
                "WSKitTicTacToeServer", "WSKitClient", "WSKitBoard", "WSKitFlowControl",
            ],
            path: "Tests/WSKitDemoTests"
        ),
        // Pub/sub scale-out example: one instance of a chat scaled out through Redis.
        .executableTarget(
            name: "WSKitScaleOut",
            dependencies: [
                "WSKit", "WSKitMessaging", "WSKitPubSub", "WSKitPubSubRedis", "WSKitRedis", "WSKitValidation", "CWSKitShims",
            ],
            path: "Examples/ScaleOut"
        ),
        // Tests of the pub/sub plugin: harness, real sockets, real Redis, two processes.
        .testTarget(
            name: "WSKitPubSubTests",
            dependencies: [
                "WSKitPubSub", "WSKitPubSubRedis", "WSKitRedis", "WSKit", "WSKitTesting", "WSKitRouter", "WSKitMessaging",
                "WSKitValidation", "WSKitContract", "WSKitLiveFixtures", "WSKitScaleOut", "WSKitEcho", "WSKitClient",
            ],
            path: "Tests/WSKitPubSubTests"
        ),
        // Tests of the presence plugin: merge rules in the harness, leases on the fake clock.
        .testTarget(
            name: "WSKitPresenceTests",
            dependencies: [
                "WSKitPresence", "WSKitPresenceRedis", "WSKitRedis", "WSKitTesting", "WSKitRouter", "WSKitContract",
                "WSKitMessaging", "WSKitValidation", "WSKitLiveFixtures", "WSKitPresenceNode", "WSKit",
            ],
            path: "Tests/WSKitPresenceTests"
        ),
        // A presence server instance for the two-process tests (wskit-presence-node, test-only).
        .executableTarget(
            name: "WSKitPresenceNode",
            dependencies: [
                "WSKit", "WSKitMessaging", "WSKitPresence", "WSKitPresenceRedis", "WSKitRedis", "WSKitValidation", "CWSKitShims",
            ],
            path: "Tests/PresenceNode"
        ),
        // Tests of the Redis client, against a real redis-server.
        .testTarget(name: "WSKitRedisTests", dependencies: ["WSKitRedis", "WSKitLiveFixtures"], path: "Tests/WSKitRedisTests"),
        // Tests of the benchmark suite's table, JSON and comparison.
        .testTarget(name: "WSKitBenchTests", dependencies: ["WSKitBenchCore"], path: "Tests/WSKitBenchTests"),
        // Tests of the rate limiting and heartbeat plugins: harness, real sockets.
        .testTarget(
            name: "WSKitRateLimitTests",
            dependencies: [
                "WSKitRateLimit", "WSKitTesting", "WSKitRouter", "WSKitContract", "WSKitMessaging", "WSKitRPC",
                "WSKitValidation", "WSKit", "WSKitLiveFixtures",
            ],
            path: "Tests/WSKitRateLimitTests"
        ),
        .testTarget(
            name: "WSKitHeartbeatTests",
            dependencies: [
                "WSKitHeartbeat", "WSKitTesting", "WSKitRouter", "WSKitContract", "WSKitMessaging", "WSKitValidation",
                "WSKit", "WSKitLiveFixtures",
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
            path: "Tests/RateLimitNode"
        ),
        .testTarget(
            name: "WSKitRateLimitRedisTests",
            dependencies: [
                "WSKitRateLimitRedis", "WSKitRateLimit", "WSKitRedis", "WSKitLiveFixtures", "WSKitTesting", "WSKitRouter",
                "WSKitContract", "WSKitMessaging", "WSKitRPC", "WSKitValidation", "WSKit", "WSKitRateLimitNode",
            ],
            path: "Tests/WSKitRateLimitRedisTests"
        ),
        // Descriptions of an app: its routes and pushes as JSON Schemas and an AsyncAPI document.
        .target(
            name: "WSKitDescription",
            dependencies: ["WSKitRouter", "WSKitContract", "WSKitValidation", "WSKitServer", "WSKitProtocol"],
            path: "Sources/WSKitDescription"
        ),
        .executableTarget(name: "WSKitCLI", dependencies: ["WSKitClient"], path: "Sources/WSKitCLI"),
        .testTarget(
            name: "WSKitDescriptionTests",
            dependencies: [
                "WSKit", "WSKitDescription", "WSKitRouter", "WSKitRPC", "WSKitMessaging", "WSKitContract", "WSKitValidation",
                "WSKitLiveFixtures", "WSKitCLI", "WSKitCompositionExample",
            ],
            path: "Tests/WSKitDescriptionTests"
        ),
    ],
    swiftLanguageModes: [.v6]
)
