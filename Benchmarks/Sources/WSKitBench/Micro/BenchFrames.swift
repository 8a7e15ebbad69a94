/// The inbound `CHAT` frame the benchmarks dispatch (`ChatMessage` in `WSKitBenchRouter`).
let chatFrame = Array(
    #"{"type":"CHAT","meta":{"correlationId":"8f14e45f-ceea-4e7a-9b7c-1e8f0f2a9d11"},"payload":{"text":"hello, world","roomId":"room-1","limit":50,"ratio":0.5,"urgent":true}}"#.utf8)

/// The inbound `BENCH_ECHO` frame the benchmarks dispatch (`BenchEcho` in `WSKitBenchRouter`).
let benchEchoFrame = Array(#"{"type":"BENCH_ECHO","meta":{"correlationId":"c0000001"},"payload":{"text":"xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"}}"#.utf8)
