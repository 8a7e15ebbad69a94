import WSKitTLS

/// A client session and a server session connected in memory: `pump` moves each side's pending
/// output into the other until both are quiet, collecting the plaintext each side receives.
final class TLSPair {
    let client: TLSSession
    let server: TLSSession
    var clientReceived: [UInt8] = []
    var serverReceived: [UInt8] = []
    var clientError: TLSError?
    var serverError: TLSError?
    private let scratch = UnsafeMutableRawBufferPointer.allocate(byteCount: 16 * 1024, alignment: 16)

    init(client: TLSSession, server: TLSSession) {
        self.client = client
        self.server = server
    }

    deinit { scratch.deallocate() }

    /// Starts the client's handshake and pumps until quiet.
    func handshake() {
        do { try client.start() } catch { clientError = error }
        pump()
    }

    /// Moves bytes both ways until neither side has output (or one failed).
    func pump() {
        var rounds = 0
        while rounds < 100, client.hasPendingOutput || server.hasPendingOutput {
            rounds += 1
            move(from: client, to: server, error: &serverError) { self.serverReceived.append(contentsOf: $0) }
            move(from: server, to: client, error: &clientError) { self.clientReceived.append(contentsOf: $0) }
        }
    }

    private func move(from sender: TLSSession, to receiver: TLSSession, error: inout TLSError?, _ collect: (UnsafeMutableRawBufferPointer) -> Void) {
        guard sender.hasPendingOutput else { return }
        let bytes = sender.withPendingOutput { Array($0) }
        sender.consumeOutput(bytes.count)
        guard error == nil else { return }
        do {
            _ = try bytes.withUnsafeBytes { raw in
                try receiver.receive(raw, plaintext: scratch) { chunk in
                    collect(chunk)
                    return true
                }
            }
        } catch let failure as TLSError {
            error = failure
        } catch {}
    }
}
