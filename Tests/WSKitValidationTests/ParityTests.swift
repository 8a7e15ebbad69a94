import Testing
import WSKitContract
import WSKitValidation

/// One payload declared twice: as a Swift type with wrappers and as a schema. Both validators must
/// report the same issues, in the same order, with the same messages.
struct Order: Codable, Sendable, Validatable {
    @Length(1...10) var customer: String
    @InRange(1...99) var quantity: Int
    @OneOf(["standard", "express"]) var shipping: String
    var notes: String?
    @Count(1...3) var items: [LineItem]
    var gift: Bool?
    var tier: Tier = .free
}

enum Tier: String, Codable, Sendable, CaseIterable { case free, pro }

struct LineItem: Codable, Sendable, Validatable {
    @Pattern("^[A-Z]{3}-[0-9]+$") var sku: String
    @InRange(0.01...10_000.0) var price: Double
}

/// Built anew for each test and dropped with it: a `Schema` kept in a global until exit is reported
/// by LeakSanitizer (its indirect-enum boxes are reachable only through tagged pointers, ADR 0097),
/// so the AddressSanitizer run of these tests could not come out clean (ADR 0128).
var orderSchema: Schema {
    Schema.object([
        "customer": .string(length: 1...10),
        "quantity": .integer(range: 1...99),
        "shipping": .oneOf(["standard", "express"]),
        "notes": .optional(.string),
        "items": .array(.object([
            "sku": .string(pattern: "^[A-Z]{3}-[0-9]+$"),
            "price": .number(range: 0.01...10_000.0),
        ]), count: 1...3),
        "gift": .optional(.boolean),
        "tier": .oneOf(["free", "pro"]),
    ])
}

@Suite("Codable and schema validators agree")
struct ParityTests {
    @Test("same issues for the same input", arguments: [
        #"{"customer":"Ann","quantity":2,"shipping":"express","items":[{"sku":"ABC-1","price":9.5}],"tier":"pro"}"#,
        #"{"customer":"","quantity":0,"shipping":"drone","items":[],"tier":"gold"}"#,
        #"{"customer":"A very long name","quantity":100,"shipping":"standard","items":[{"sku":"abc","price":0},{"sku":"ABC-2"},{"price":"1"}],"tier":"free","gift":"yes"}"#,
        #"{"customer":5,"quantity":1.5,"shipping":null,"notes":3,"items":{},"tier":1}"#,
        #"{"quantity":2,"items":[{"sku":"ABC-1","price":1,"discount":2},1],"tier":"pro","admin":true,"zz":null}"#,
        #"[]"#,
        #"{"customer":"Ann","quantity":2,"shipping":"express","notes":null,"gift":null,"items":[{"sku":"ABC-1","price":10000}],"tier":"free"}"#,
    ])
    func sameIssues(input: String) throws {
        let codable = try issues(CodableValidator<Order>(), input)
        let schema = try issues(orderSchema.validator(), input)
        #expect(codable == schema)
    }

    @Test("the parity cases are not vacuous: most inputs fail, one passes")
    func casesExercise() throws {
        let failing = try issues(CodableValidator<Order>(), #"{"customer":"","quantity":0,"shipping":"drone","items":[],"tier":"gold"}"#)
        #expect(failing.count == 5)
    }
}
