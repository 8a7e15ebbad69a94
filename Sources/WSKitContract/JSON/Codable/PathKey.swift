/// A coding key for the coding paths the JSON encoders and `WSKitValidation`'s decoder hand to
/// `encode(to:)` and `init(from:)` implementations (`package`: shared by the package's modules,
/// not public API).
package struct PathKey: CodingKey {
    package var stringValue: String
    package var intValue: Int?
    package init(stringValue: String) { self.stringValue = stringValue; intValue = nil }
    package init(intValue: Int) { stringValue = "\(intValue)"; self.intValue = intValue }
}
