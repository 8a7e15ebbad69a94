import Testing
import WSKitContract

@Suite("JSON parsing")
struct JSONParseTests {
    @Test("parses every RFC 8259 value kind")
    func valueKinds() throws {
        let value = try JSON.parse(#"{"a":[1,-2.5,true,false,null,"x"],"b":{}}"#)
        #expect(value == ["a": [1, -2.5, true, false, nil, "x"], "b": [:]])
    }
}
