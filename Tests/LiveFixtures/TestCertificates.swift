import Glibc

/// Certificates for TLS tests, made by the `openssl` CLI into a fresh temporary directory once per
/// test process: a CA, and leaf certificates it signed (EC P-256 keys, PEM files).
///
/// - `localhost`: valid for `localhost` and `127.0.0.1` (`localhostChain` is it followed by the CA).
/// - `other`: valid for `other.test` (a second certificate for SNI).
/// - `expired`: valid for `localhost` and `127.0.0.1`, but expired in 2020.
/// - `wrongHost`: valid, but only for `wrong.test`.
/// - `client`: a client certificate (`CN=wskit-client`) for mutual TLS.
/// - `otherCA`: an unrelated CA (a client trusting only it rejects every leaf above).
public struct TestCertificates: Sendable {
    /// The directory holding the files.
    public let directory: String

    /// The certificates of this test process (made on first use).
    public static func shared() throws -> TestCertificates {
        try made.get()
    }

    private static let made: Result<TestCertificates, ChildProcess.Failure> = {
        do {
            return .success(try TestCertificates(makingIn: nil))
        } catch let error as ChildProcess.Failure {
            return .failure(error)
        } catch {
            return .failure(ChildProcess.Failure("\(error)"))
        }
    }()

    /// Makes a fresh set in `directory` (a new temporary directory when nil).
    public init(makingIn directory: String?) throws {
        let path: String
        if let directory {
            path = directory
        } else {
            var template = Array("/tmp/wskit-tls-XXXXXX".utf8CString)
            guard mkdtemp(&template) != nil else { throw ChildProcess.Failure("mkdtemp failed: errno \(errno)") }
            path = template.withUnsafeBufferPointer { String(cString: $0.baseAddress!) }
        }
        self.directory = path
        let script = """
            set -e
            cd '\(path)'
            cat > ca.cnf <<'CNF'
            [ ca ]
            default_ca = testca
            [ testca ]
            dir = .
            database = index.txt
            new_certs_dir = .
            serial = serial
            default_md = sha256
            policy = anything
            copy_extensions = copy
            unique_subject = no
            x509_extensions = leaf
            [ leaf ]
            basicConstraints = critical,CA:FALSE
            keyUsage = critical,digitalSignature
            extendedKeyUsage = serverAuth,clientAuth
            [ anything ]
            commonName = supplied
            CNF
            : > index.txt
            echo 01 > serial
            ec() { openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$1" 2>/dev/null; }
            ca() {
              ec "$1.key"
              openssl req -x509 -new -key "$1.key" -out "$1.pem" -days 30 -subj "/CN=$2" \\
                -addext basicConstraints=critical,CA:TRUE -addext keyUsage=critical,keyCertSign,cRLSign
            }
            ca ca "WSKit Test CA"
            ca otherca "WSKit Other CA"
            for spec in "localhost|localhost|DNS:localhost,IP:127.0.0.1|-days 30" \\
                        "other|other.test|DNS:other.test|-days 30" \\
                        "expired|localhost|DNS:localhost,IP:127.0.0.1|-startdate 20200101000000Z -enddate 20200102000000Z" \\
                        "wronghost|wrong.test|DNS:wrong.test|-days 30" \\
                        "client|wskit-client||-days 30"; do
              IFS='|' read -r name cn san dates <<SPEC
            $spec
            SPEC
              ec "$name.key"
              if [ -n "$san" ]; then
                openssl req -new -key "$name.key" -out "$name.csr" -subj "/CN=$cn" -addext "subjectAltName=$san"
              else
                openssl req -new -key "$name.key" -out "$name.csr" -subj "/CN=$cn"
              fi
              openssl ca -batch -notext -config ca.cnf -cert ca.pem -keyfile ca.key -in "$name.csr" -out "$name.pem" $dates 2>/dev/null
            done
            cat localhost.pem ca.pem > localhost-chain.pem
            """
        let shell = try ChildProcess("/bin/sh", ["-c", script])
        let deadline = monotonicSeconds() + 60
        while shell.exitStatus == nil, monotonicSeconds() < deadline { usleep(10_000) }
        guard shell.exitStatus == 0 else { throw ChildProcess.Failure("openssl could not make the test certificates: \(shell.outputTail())") }
    }

    /// The path of `name` in the directory.
    public func path(_ name: String) -> String { directory + "/" + name }

    /// The test CA's certificate.
    public var caCertificate: String { path("ca.pem") }
    /// An unrelated CA's certificate.
    public var otherCACertificate: String { path("otherca.pem") }
}
