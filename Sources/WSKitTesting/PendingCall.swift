import WSKitContract
import WSKitRouter

/// An RPC sent from a ``TestConnection``: its correlated frames as they arrive.
public struct PendingCall<R: RPC, ConnectionData: Sendable, Plugins: PluginSet>: Sendable {
    /// The request's correlation id.
    public let correlationId: String
    let connection: TestConnection<ConnectionData, Plugins>

    /// Every frame carrying this correlation id, in order (progress, terminal, anything after).
    public var frames: [TestFrame] { connection.frames.filter { $0.correlationId == correlationId } }

    /// The terminal frames (reply or `RPC_ERROR`); more than one is a bug.
    public var terminalFrames: [TestFrame] {
        frames.filter { $0.type == R.responseType || $0.type == ReservedType.rpcError }
    }

    /// The progress payloads received so far, decoded as the response's payload.
    public func progress() throws(HarnessError) -> [R.Response] {
        var payloads: [R.Response] = []
        for frame in frames where frame.type == ReservedType.rpcProgress {
            switch RPCResponse<R>.decodePayload(frame.payload) {
            case .success(let value): payloads.append(value)
            case .failure(let failure): throw HarnessError.undecodable(type: ReservedType.rpcProgress, failure)
            }
        }
        return payloads
    }

    /// Whether a terminal answer arrived.
    public var isSettled: Bool { !terminalFrames.isEmpty }

    /// The result, if settled; throws ``HarnessError/unsettled(correlationId:frames:)`` otherwise.
    public func result() throws(HarnessError) -> RPCResult<R> {
        let frames = frames
        guard let terminal = frames.first(where: { $0.type == R.responseType || $0.type == ReservedType.rpcError }) else {
            throw HarnessError.unsettled(correlationId: correlationId, frames: frames)
        }
        let outcome: RPCOutcome<R>
        if terminal.type == ReservedType.rpcError {
            guard let error = terminal.wireError else {
                throw HarnessError.unexpectedFrame(expected: "a well-formed RPC_ERROR", frame: terminal)
            }
            outcome = .error(error)
        } else {
            outcome = .reply(try terminal.decode(RPCResponse<R>.self))
        }
        return RPCResult(
            correlationId: correlationId, progress: try progress(), outcome: outcome, frames: frames,
            terminalCount: terminalFrames.count)
    }
}

/// How an RPC ended.
public enum RPCOutcome<R: RPC>: Sendable {
    /// The reply's payload.
    case reply(R.Response)
    /// The `RPC_ERROR`.
    case error(WireError)
}

/// A settled RPC: the progress updates, the outcome, and every correlated frame.
public struct RPCResult<R: RPC>: Sendable {
    /// The request's correlation id.
    public let correlationId: String
    /// Progress payloads, in order.
    public let progress: [R.Response]
    /// The first terminal answer.
    public let outcome: RPCOutcome<R>
    /// Every correlated frame, in order.
    public let frames: [TestFrame]
    /// How many terminal frames arrived (exactly one when the router is correct).
    public let terminalCount: Int

    /// The reply's payload, if the call succeeded.
    public var reply: R.Response? {
        if case .reply(let payload) = outcome { return payload }
        return nil
    }

    /// The error, if the call failed.
    public var error: WireError? {
        if case .error(let error) = outcome { return error }
        return nil
    }
}
