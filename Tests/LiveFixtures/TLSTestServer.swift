import WSKitServer

/// `testConfiguration()` serving TLS with the test certificate `leaf` (`localhost` by default: valid
/// for localhost and 127.0.0.1, chain with the test CA).
public func tlsTestConfiguration(_ certificates: TestCertificates, leaf: String = "localhost", loops: Int = 1) -> ServerConfiguration {
    var configuration = testConfiguration(loops: loops)
    let chain = leaf == "localhost" ? "localhost-chain.pem" : "\(leaf).pem"
    configuration.tls = TLSServerConfiguration(certificateChainFile: certificates.path(chain), privateKeyFile: certificates.path("\(leaf).key"))
    return configuration
}
