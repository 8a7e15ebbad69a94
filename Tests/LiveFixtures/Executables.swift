import Glibc

/// The path of `name`, an executable product of this package, built next to the running test
/// bundle (`swift build --build-tests` builds every product).
public func builtExecutable(_ name: String) throws -> String {
    var buffer = [CChar](repeating: 0, count: 4096)
    let length = readlink("/proc/self/exe", &buffer, buffer.count - 1)
    guard length > 0 else { throw ChildProcess.Failure("cannot read /proc/self/exe") }
    var directory = String(decoding: buffer.prefix(length).map { UInt8(bitPattern: $0) }, as: UTF8.self)
    // .build/<config>/WSKitPackageTests.xctest (a file on Linux, a folder elsewhere) → .build/<config>/
    while let slash = directory.lastIndex(of: "/") {
        directory = String(directory[..<slash])
        if access(directory + "/" + name, X_OK) == 0 { return directory + "/" + name }
        if directory.hasSuffix(".build") || directory.isEmpty { break }
    }
    throw ChildProcess.Failure("\(name) was not built next to the tests (swift build --build-tests builds it)")
}

/// The first of `names` found on `PATH` (or in /usr/bin, /usr/local/bin, /usr/sbin), as a path; a
/// name that contains a slash is taken as a path. Throws `install`, the advice on how to get one,
/// when none is there: tests that need a system tool fail loudly, they never skip.
public func installedExecutable(_ names: [String], install: String) throws -> String {
    var directories = (getenv("PATH").map { String(cString: $0) } ?? "").split(separator: ":").map(String.init)
    directories += ["/usr/bin", "/usr/local/bin", "/usr/sbin"]
    for name in names {
        if name.contains("/") {
            if access(name, X_OK) == 0 { return name }
            continue
        }
        for directory in directories where access(directory + "/" + name, X_OK) == 0 {
            return directory + "/" + name
        }
    }
    throw ChildProcess.Failure(install)
}
