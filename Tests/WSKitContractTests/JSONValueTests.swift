import Testing
import WSKitContract

@Suite("JSONValue and JSONObject")
struct JSONValueTests {
    @Test("object subscript replaces in place, appends new keys, and nil removes")
    func objectMutation() {
        var object: JSONObject = ["a": 1, "b": 2]
        object["a"] = 10
        object["c"] = 3
        #expect(object.keys == ["a", "b", "c"])
        #expect(object["a"] == 10)
        object["b"] = nil
        #expect(object.keys == ["a", "c"])
        #expect(object.removeValue(forKey: "a") == 10)
        #expect(object.removeValue(forKey: "missing") == nil)
        #expect(object.count == 1)
    }

    @Test("object equality and hashing ignore key order")
    func orderInsensitiveEquality() {
        let first: JSONObject = ["a": 1, "b": [true]]
        let second: JSONObject = ["b": [true], "a": 1]
        #expect(first == second)
        #expect(first.hashValue == second.hashValue)
        #expect(first != ["a": 1, "b": [false]])
        #expect(first != ["a": 1])
        #expect(Set<JSONValue>([.object(first), .object(second)]).count == 1)
    }

    @Test("accessors return a value only for the matching case")
    func accessors() {
        let value: JSONValue = ["n": 3, "f": 2.5, "s": "x", "b": true, "a": [1], "z": nil]
        #expect(value["n"]?.intValue == 3)
        #expect(value["f"]?.intValue == nil)
        #expect(value["f"]?.doubleValue == 2.5)
        #expect(value["s"]?.stringValue == "x")
        #expect(value["b"]?.boolValue == true)
        #expect(value["a"]?[0] == 1)
        #expect(value["a"]?[1] == nil)
        #expect(value["z"]?.isNull == true)
        #expect(value["missing"] == nil)
        #expect(value["s"]?.arrayValue == nil)
    }

    @Test("JSONPath renders dotted paths with indices and quotes odd keys")
    func paths() {
        #expect(JSONPath.payload.appending(key: "items").appending(index: 3).appending(key: "name").description == "payload.items[3].name")
        #expect(JSONPath.root.description == "")
        #expect(JSONPath.root.appending(index: 0).description == "[0]")
        #expect(JSONPath.payload.appending(key: "first name").description == #"payload["first name"]"#)
        #expect(JSONPath.payload.appending(key: "1x").description == #"payload["1x"]"#)
        #expect(JSONPath.meta.appending(JSONPath(["a", 2])).description == "meta.a[2]")
    }
}
