import Glibc
import Testing
import WSKitLiveFixtures

/// Python `websockets` (which offers permessage-deflate by default) against the wskit-echo
/// executable, through a `FrameTap` that counts compressed frames on the wire.
@Suite("permessage-deflate interop: Python websockets client against wskit-echo", .serialized)
struct CompressionInteropTests {
    static let client = #"""
    import json, sys
    from websockets.sync.client import connect

    with connect(sys.argv[1], max_size=2**24) as ws:
        header = ws.response.headers.get("Sec-WebSocket-Extensions")
        stats = {"in_rsv1": 0, "out_rsv1": 0}
        for ext in ws.protocol.extensions:
            decode, encode = ext.decode, ext.encode
            def counting_decode(frame, *, max_size=None, decode=decode):
                stats["in_rsv1"] += frame.rsv1
                return decode(frame, max_size=max_size)
            def counting_encode(frame, encode=encode):
                frame = encode(frame)
                stats["out_rsv1"] += frame.rsv1
                return frame
            ext.decode, ext.encode = counting_decode, counting_encode
        ok = True
        for i in range(20):
            text = json.dumps({"type": "chat", "seq": i, "text": "hello wskit " * (5 + i * 40)})
            ws.send(text)
            ok = ok and ws.recv() == text
        data = bytes(range(256)) * 400
        ws.send(data)
        ok = ok and ws.recv() == data
        print(f"ok={ok}")
        print(f"header={header}")
        print(f"in_rsv1={stats['in_rsv1']}")
        print(f"out_rsv1={stats['out_rsv1']}")
    """#

    /// Starts wskit-echo on a free port with `flags`.
    static func echo(_ flags: [String] = []) async throws -> (ChildProcess, Int) {
        let port = freePort()
        let process = try ChildProcess(try builtExecutable("wskit-echo"), ["--port", String(port), "--loops", "1"] + flags)
        try await process.waitForPort(port)
        return (process, port)
    }

    /// Runs the Python client against `url`; returns its `key=value` lines.
    static func run(_ url: String) async throws -> [String: String] {
        let output = try await runPythonScript(client, arguments: [url])
        var result: [String: String] = [:]
        for line in output.split(separator: "\n") {
            guard let equals = line.firstIndex(of: "=") else { continue }
            result[String(line[..<equals])] = String(line[line.index(after: equals)...])
        }
        return result
    }

    @Test("negotiated by default; compressed frames flow both ways and every echo matches")
    func compressedBothWays() async throws {
        let (echo, port) = try await Self.echo()
        defer { echo.terminate() }
        let tap = try FrameTap(upstreamPort: port)
        let result = try await Self.run("ws://127.0.0.1:\(tap.port)/")
        #expect(result["ok"] == "True")
        let header = result["header"] ?? ""
        #expect(header.hasPrefix("permessage-deflate"), "negotiated: \(header)")
        // Python compresses every message; wskit-echo those of at least 128 bytes: all but the
        // first (95 bytes).
        #expect(result["out_rsv1"] == "21")
        #expect(result["in_rsv1"] == "20")
        #expect(tap.toServer.compressedFrames == 21)
        #expect(tap.toClient.compressedFrames == 20)
        #expect(tap.toClient.dataFrames == 21)
    }

    @Test("--no-deflate declines the offer: messages flow uncompressed")
    func disabledByFlag() async throws {
        let (echo, port) = try await Self.echo(["--no-deflate"])
        defer { echo.terminate() }
        let tap = try FrameTap(upstreamPort: port)
        let result = try await Self.run("ws://127.0.0.1:\(tap.port)/")
        #expect(result["ok"] == "True")
        #expect(result["header"] == "None")
        #expect(tap.toServer.dataFrames == 21 && tap.toServer.compressedFrames == 0)
        #expect(tap.toClient.compressedFrames == 0)
    }
}
