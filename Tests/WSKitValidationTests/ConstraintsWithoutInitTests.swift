import Testing
import WSKitContract
import WSKitValidation

// Payloads as an app writes them: `Codable` and constraint wrappers, no `Validatable`, no
// `init()`, so the memberwise initialiser stays (an initial value on a wrapped property keeps its
// parameter the plain type: `title: String`, not `Length<String>`).

private struct Post: Codable, Sendable, Equatable {
    @Length(1...20) var title: String = ""
    @InRange(1...5) var stars: Int? = nil
    var author: Author
    @Count(...2) var tags: [Tag] = []
}

private struct Author: Codable, Sendable, Equatable {
    @Length(2...10, pattern: "^[a-z]+$") var handle: String = ""
}

private struct Tag: Codable, Sendable, Equatable {
    @OneOf(["news", "tech"]) var name: String = "news"
}

/// A type nested in itself.
private final class Node: Codable, Sendable {
    let label: String
    let children: [Node]
}

private struct Tree: Codable, Sendable {
    @Length(1...3) var name: String
    var root: Node?
}

/// A message of the `///` example on `Message`.
private struct SendText: Message {
    struct Payload: Codable, Sendable { @Length(1...2000) var text: String }
    static let type = "SEND_TEXT"
}

@Suite("Constraints without Validatable or init()")
struct ConstraintsWithoutInitTests {
    func codes<T: Codable & Sendable>(_ type: T.Type, _ json: String) throws -> [String] {
        switch CodableValidator<T>().validate(try JSON.parse(json)) {
        case .success: return []
        case .failure(let failure): return failure.issues.map { "\($0.path): \($0.code)" }
        }
    }

    @Test("the memberwise initialiser stays and a valid payload decodes")
    func memberwise() throws {
        let post = Post(title: "hi", stars: 3, author: Author(handle: "ada"), tags: [Tag(name: "news")])
        let json = try CodableValidator<Post>().encode(post)
        #expect(try CodableValidator<Post>().validate(json).get() == post)
    }

    @Test("constraints are checked on the type and on nested types, in arrays too")
    func nested() throws {
        let found = try codes(Post.self, #"""
            {"title":"","stars":9,"author":{"handle":"A"},"tags":[{"name":"x"},{"name":"news"},{"name":"tech"}]}
            """#)
        #expect(found == [
            "title: too_small", "stars: too_big", "author.handle: too_small",
            "author.handle: invalid_string", "tags[0].name: invalid_enum_value", "tags: too_big",
        ])
    }

    @Test("absent optional wrapped values pass")
    func optional() throws {
        #expect(try codes(Post.self, #"{"title":"t","author":{"handle":"ada"},"tags":[]}"#) == [])
    }

    @Test("a type nested in itself is decoded and its siblings' constraints still apply")
    func recursive() throws {
        #expect(try codes(Tree.self, #"{"name":"abcd","root":{"label":"a","children":[{"label":"b","children":[]}]}}"#)
            == ["name: too_big"])
    }

    @Test("the `///` example on Message works as written")
    func messageExample() {
        guard case .failure(let failure) = SendText.decodePayload(["text": ""]) else {
            Issue.record("an empty text must fail")
            return
        }
        #expect(failure.issues.map(\.code) == [ValidationIssue.Code.tooSmall])
        #expect((try? SendText.decodePayload(["text": "hi"]).get())?.text == "hi")
    }

    @Test("types first met by several threads at once all get their constraints")
    func concurrentFirstUse() async {
        struct A: Codable, Sendable { @Length(1...2) var a: String }
        struct B: Codable, Sendable { @InRange(0...1) var b: Int }
        struct C: Codable, Sendable { @Count(...1) var c: [Int] }
        let refused = await withTaskGroup(of: Bool.self) { group in
            for round in 0..<30 {
                group.addTask {
                    switch round % 3 {
                    case 0: (try? CodableValidator<A>().validate(["a": "xyz"]).get()) == nil
                    case 1: (try? CodableValidator<B>().validate(["b": 7]).get()) == nil
                    default: (try? CodableValidator<C>().validate(["c": [1, 2]]).get()) == nil
                    }
                }
            }
            return await group.reduce(0) { $0 + ($1 ? 1 : 0) }
        }
        #expect(refused == 30)
    }
}
