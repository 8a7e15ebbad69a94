import WSKitContract

extension Message where Payload: Codable {
    /// With `import WSKitValidation`, a message with a `Codable` payload validates it with
    /// ``CodableValidator``: no `payloadValidator` to write. (``Empty`` payloads keep
    /// WSKitContract's `EmptyValidator`, which is more specific.)
    public static var payloadValidator: CodableValidator<Payload> { CodableValidator() }
}
