import WSKitContract

extension Message where Payload: Codable {
    /// With `import WSKitValidation`, a message with a `Codable` payload validates it with
    /// ``CodableValidator``: no `payloadValidator` to write. (``Empty`` payloads keep
    /// WSKitContract's `EmptyValidator`, which is more specific.)
    public static var payloadValidator: CodableValidator<Payload> { CodableValidator() }
}

extension RPC where Response: Codable {
    /// With `import WSKitValidation`, an RPC with a `Codable` response validates it with
    /// ``CodableValidator`` (``Empty`` responses keep WSKitContract's `EmptyValidator`).
    public static var responseValidator: CodableValidator<Response> { CodableValidator() }
}
