import Glibc
import Testing
import WSKit
import WSKitDemo
import WSKitLiveFixtures

/// The chat protocol end to end: the demo server on a real port, clients on real sockets.
@Suite("Demo chat protocol over real sockets", .serialized)
struct ChatProtocolTests {
    @Test("join, presence sorted by name with selfUserId, a message stored then pushed to everyone in the room only")
    func messageFlow() async throws {
        try await withDemoServer { _, port in
            let ada = try ChatTestClient(port: port, room: "lobby", name: "Ada")
            let bob = try ChatTestClient(port: port, room: "lobby", name: "%20Bob%20")
            let joined = try ada.push("USER_JOINED")
            #expect(joined.payload?["displayName"]?.stringValue == "Bob")
            let bobId = try #require(joined.payload?["userId"]?.stringValue)
            let elsewhere = try ChatTestClient(port: port, room: "other", name: "Eve")
            // Its own room's presence (Eve alone), nothing of the lobby's.
            let ownPresence = try elsewhere.push("$ws:presence_state")
            #expect(ownPresence["meta"]?["topic"]?.stringValue == "other")
            #expect(ownPresence["payload"]?.objectValue?.values.compactMap { $0["metas"]?[0]?["displayName"]?.stringValue } == ["Eve"])

            let presence = try bob.request("LIST_PRESENCE")
            #expect(presence.type == "PRESENCE")
            #expect(presence.payload?["selfUserId"]?.stringValue == bobId)
            let names = presence.payload?["users"]?.arrayValue?.compactMap { $0["displayName"]?.stringValue }
            #expect(names == ["Ada", "Bob"])

            let sent = try ada.request("SEND_MESSAGE", #"{"text":"hello <b>room</b>"}"#)
            #expect(sent.type == "MESSAGE_SENT")
            let id = try #require(sent.payload?["id"]?.stringValue)
            for client in [ada, bob] {
                let row = try client.push("ROOM_MESSAGE").payload
                #expect(row?["id"]?.stringValue == id)
                #expect(row?["text"]?.stringValue == "hello <b>room</b>")
                #expect(row?["displayName"]?.stringValue == "Ada")
                #expect(row?["ts"]?.intValue != nil)
            }
            #expect(elsewhere.drain(for: 0.3).isEmpty, "another room hears nothing")

            let history = try bob.request("LIST_HISTORY")
            #expect(history.type == "HISTORY")
            #expect(history.payload?["messages"]?.arrayValue?.map { $0["id"]?.stringValue } == [id])

            bob.close()
            let left = try ada.push("USER_LEFT")
            #expect(left.payload?["userId"]?.stringValue == bobId)
            #expect(left.payload?["displayName"]?.stringValue == "Bob")
            let after = try ada.request("LIST_PRESENCE")
            #expect(after.payload?["users"]?.arrayValue?.count == 1)
        }
    }

    @Test("history is oldest first and limited; default 200")
    func historyLimit() async throws {
        try await withDemoServer { demo, port in
            for index in 0 ..< 205 {
                try demo.store.append(
                    ChatRow(id: "id-\(1000 + index)", ts: Int64(index), userId: "u", displayName: "U", text: "m\(index)"),
                    room: "big")
            }
            let client = try ChatTestClient(port: port, room: "big", name: "Ann")
            let three = try client.request("LIST_HISTORY", #"{"limit":3}"#).payload?["messages"]?.arrayValue
            #expect(three?.map { $0["text"]?.stringValue } == ["m202", "m203", "m204"])
            let all = try client.request("LIST_HISTORY").payload?["messages"]?.arrayValue
            #expect(all?.count == 200)
            #expect(all?.first?["text"]?.stringValue == "m5")
        }
    }

    @Test("clear history: HISTORY_CLEARED_OK to the caller, then HISTORY_CLEARED to everyone in the room")
    func clearHistory() async throws {
        try await withDemoServer { _, port in
            let ada = try ChatTestClient(port: port, room: "r", name: "Ada")
            let bob = try ChatTestClient(port: port, room: "r", name: "Bob")
            _ = try ada.request("SEND_MESSAGE", #"{"text":"one"}"#)
            let reply = try bob.request("CLEAR_HISTORY")
            #expect(reply.type == "HISTORY_CLEARED_OK")
            for client in [ada, bob] {
                let cleared = try client.push("HISTORY_CLEARED").payload
                #expect(cleared?["clearedByDisplayName"]?.stringValue == "Bob")
                #expect(cleared?["clearedByUserId"]?.stringValue != nil)
                #expect(cleared?["ts"]?.intValue != nil)
            }
            #expect(try ada.request("LIST_HISTORY").payload?["messages"]?.arrayValue?.isEmpty == true)
        }
    }

    @Test("bad input is answered with RPC_ERROR INVALID_ARGUMENT and issues; the connection stays usable")
    func validation() async throws {
        try await withDemoServer { _, port in
            let client = try ChatTestClient(port: port, room: "v", name: "Val")
            let cases: [(String, String?, String)] = [
                ("SEND_MESSAGE", #"{"text":""}"#, "payload.text"),
                ("SEND_MESSAGE", #"{"text":"\#(String(repeating: "x", count: 2001))"}"#, "payload.text"),
                ("SEND_MESSAGE", #"{"text":42}"#, "payload.text"),
                ("SEND_MESSAGE", #"{}"#, "payload.text"),
                ("SEND_MESSAGE", #"{"text":"hi","admin":true}"#, "payload.admin"),
                ("LIST_HISTORY", #"{"limit":0}"#, "payload.limit"),
                ("LIST_HISTORY", #"{"limit":501}"#, "payload.limit"),
                ("LIST_HISTORY", #"{"limit":"ten"}"#, "payload.limit"),
                ("LIST_PRESENCE", #"{"all":true}"#, "payload.all"),
                ("CLEAR_HISTORY", #"{"x":1}"#, "payload.x"),
            ]
            for (type, payload, path) in cases {
                let answer = try client.request(type, payload)
                #expect(answer.type == "RPC_ERROR", "\(type) \(payload ?? "-")")
                #expect(answer.errorCode == "INVALID_ARGUMENT", "\(type) \(payload ?? "-")")
                let paths = answer.payload?["details"]?["issues"]?.arrayValue?.compactMap { $0["path"]?.stringValue }
                #expect(paths?.contains(path) == true, "\(type) \(payload ?? "-"): \(paths ?? [])")
            }
            // Argument-less requests may omit `payload`, as WS-Kit clients do, or send `{}`.
            #expect(try client.request("LIST_PRESENCE", nil).type == "PRESENCE")
            #expect(try client.request("LIST_PRESENCE", "{}").type == "PRESENCE")
            let longest = try client.request("SEND_MESSAGE", #"{"text":"\#(String(repeating: "é", count: 2000))"}"#)
            #expect(longest.type == "MESSAGE_SENT", "2000 characters are fine")

            client.sendRaw("{not json")
            #expect(try client.push("ERROR").errorCode == "INVALID_ARGUMENT")
            #expect(try client.request("NO_SUCH_THING").errorCode == "UNIMPLEMENTED")
            #expect(try client.request("LIST_HISTORY", #"{"limit":1}"#).type == "HISTORY")
        }
    }

    @Test("more than 10 messages a second from one connection: RESOURCE_EXHAUSTED with retryAfterMs; others unaffected")
    func rateLimit() async throws {
        try await withDemoServer { _, port in
            let fast = try ChatTestClient(port: port, room: "rl", name: "Fast")
            let calm = try ChatTestClient(port: port, room: "rl", name: "Calm")
            let ids = (0 ..< 15).map { fast.sendRequest("SEND_MESSAGE", #"{"text":"spam \#($0)"}"#) }
            var refused: [JSONValue] = []
            var accepted = 0
            for id in ids {
                let answer = try fast.answer(to: id)
                if answer.type == "MESSAGE_SENT" { accepted += 1 } else { refused.append(answer) }
            }
            #expect(accepted >= 10 && accepted < 15, "accepted \(accepted)")
            let first = try #require(refused.first)
            #expect(first.type == "RPC_ERROR")
            #expect(first.errorCode == "RESOURCE_EXHAUSTED")
            let retryAfter = try #require(first.payload?["retryAfterMs"]?.intValue)
            #expect(retryAfter > 0 && retryAfter <= 1000)
            #expect(first.payload?["retryable"]?.boolValue == true)
            #expect(try calm.request("SEND_MESSAGE", #"{"text":"still fine"}"#).type == "MESSAGE_SENT")
            usleep(UInt32(retryAfter + 150) * 1000)
            #expect(try fast.request("SEND_MESSAGE", #"{"text":"after the pause"}"#).type == "MESSAGE_SENT")
        }
    }

    @Test("upgrade paths: /ws is the lobby, the name is trimmed and defaults to anon; other paths are refused")
    func upgradePaths() async throws {
        try await withDemoServer { _, port in
            let defaulted = try ChatTestClient(port: port, path: "/ws?name=%20%20")
            let presence = try defaulted.request("LIST_PRESENCE").payload?["users"]?.arrayValue
            #expect(presence?.first?["displayName"]?.stringValue == "anon")
            let lobby = try ChatTestClient(port: port, path: "/ws/lobby?name=%09Zed%20")
            #expect(try defaulted.push("USER_JOINED").payload?["displayName"]?.stringValue == "Zed")
            _ = lobby
            let refused = try RawClient(port: port).handshake(path: "/chat")
            #expect(refused.hasPrefix("HTTP/1.1 404"))
            let badRoom = try RawClient(port: port).handshake(path: "/ws/a/b")
            #expect(badRoom.hasPrefix("HTTP/1.1 400"))
        }
    }

    @Test("heartbeat: a silent connection is pinged, then closed with 4000; one that answers stays")
    func heartbeat() async throws {
        try await withDemoServer(heartbeatMs: 400) { _, port in
            // A client that answers pings (while it reads) stays connected through several rounds.
            let answering = try ChatTestClient(port: port, room: "hb", name: "Alive")
            _ = answering.drain(for: 1.5)
            #expect(try answering.request("LIST_PRESENCE").payload?["users"]?.arrayValue?.count == 1)

            // One that never answers is pinged, then closed with 4000 HEARTBEAT_TIMEOUT.
            let silent = try RawClient.upgraded(port: port, path: "/ws/hb?name=Mute")
            var sawPing = false
            var closeCode: UInt16?
            while closeCode == nil {
                let frame = try silent.readFrame()
                if frame.opcode == 0x9 { sawPing = true }
                if frame.opcode == 0x8 { closeCode = frame.closeCode }
            }
            #expect(sawPing)
            #expect(closeCode == 4000)
        }
    }

    @Test("plain HTTP: the page, the browser client, the generated client and declarations, /asyncapi.json, /healthz, 404")
    func staticFiles() async throws {
        try await withDemoServer { _, port in
            let page = try httpGet(port: port, path: "/")
            #expect(page.hasPrefix("HTTP/1.1 200"))
            #expect(page.contains("text/html"))
            #expect(page.contains("<title>WSKit chat</title>"))
            let script = try httpGet(port: port, path: "/wskit.js")
            #expect(script.contains("text/javascript"))
            #expect(script.contains("export class WSKitClient"))
            let types = try httpGet(port: port, path: "/wskit.d.ts")
            #expect(types.contains("export class WSKitClient"))
            #expect(try httpGet(port: port, path: "/app.js").contains("createTypedClient"))
            let generated = try httpGet(port: port, path: "/typed-client.js")
            #expect(generated.contains("text/javascript"))
            #expect(generated.contains("export function createTypedClient"))
            #expect(try httpGet(port: port, path: "/typed-client.d.ts").contains("export interface TypedClient"))
            #expect(try httpGet(port: port, path: "/app.d.ts").contains("export interface ClientMessages"))
            let document = try httpGet(port: port, path: "/asyncapi.json")
            #expect(document.hasPrefix("HTTP/1.1 200") && document.contains("application/json"))
            #expect(try httpGet(port: port, path: "/app.css").contains("text/css"))
            let health = try httpGet(port: port, path: "/healthz")
            #expect(health.hasPrefix("HTTP/1.1 200"))
            #expect(health.contains(#""status":"ok""#))
            #expect(try httpGet(port: port, path: "/nope").hasPrefix("HTTP/1.1 404"))
            #expect(try httpGet(port: port, path: "/", method: "POST").hasPrefix("HTTP/1.1 405"))
        }
    }
}
