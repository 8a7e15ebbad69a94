import WSKitContract

extension RouterRuntime {
    /// Runs the open hooks, then either opens the connection (draining frames that arrived
    /// meanwhile) or refuses it.
    func runOpen(_ connection: RouterConnection<ConnectionData, Plugins>) async {
        let context = OpenContext(connection: connection)
        var refusal: ConnectionRefusal?
        do {
            for hook in pluginOpenHooks { try await hook(context) }
            for hook in openHooks { try await hook(context) }
        } catch let error as ConnectionRefusal {
            refusal = error
        } catch {
            connection.report(RouterErrorEvent(phase: .open, error: error, clientId: connection.clientId))
            refusal = ConnectionRefusal(code: 1011, reason: "Internal error")
        }
        if let refusal {
            connection.lifecycle.withLock { $0 = .closed }
            connection.decision.resolve(.refused(code: refusal.code, reason: refusal.reason))
            connection.close(code: refusal.code, reason: refusal.reason)
            connection.shutDown()
            await runHooks(pluginCloseHooks, CloseContext(connection: connection, code: refusal.code, reason: refusal.reason))
            return
        }
        connection.decision.resolve(.accepted)
        // Drain the backlog one frame at a time, so frames received meanwhile stay in order.
        while true {
            let step = connection.lifecycle.withLock { state -> OpenStep in
                guard case .opening(var backlog, let closeReport) = state else { return .done }
                if let closeReport {
                    state = .closed
                    return .close(closeReport.code, closeReport.reason)
                }
                if backlog.isEmpty {
                    state = .open
                    return .done
                }
                state = .closed
                let frame = backlog.removeFirst()
                state = .opening(backlog: backlog, closeReport: nil)
                return .frame(frame)
            }
            switch step {
            case .frame(let frame):
                frame.withUnsafeBytes { dispatcher.dispatch($0, on: connection) }
            case .close(let code, let reason):
                connection.shutDown()
                await runCloseHooks(connection, code: code, reason: reason)
                return
            case .done:
                return
            }
        }
    }

    /// Runs `onClose` hooks, then plugin close hooks, in a task of their own.
    func runClose(_ connection: RouterConnection<ConnectionData, Plugins>, code: UInt16, reason: String) {
        connection.spawn { [self] in await self.runCloseHooks(connection, code: code, reason: reason) }
    }

    func runCloseHooks(_ connection: RouterConnection<ConnectionData, Plugins>, code: UInt16, reason: String) async {
        let context = CloseContext(connection: connection, code: code, reason: reason)
        await runHooks(closeHooks, context)
        await runHooks(pluginCloseHooks, context)
    }

    private func runHooks(_ hooks: [CloseHook<ConnectionData, Plugins>], _ context: CloseContext<ConnectionData, Plugins>) async {
        for hook in hooks {
            do {
                try await hook(context)
            } catch {
                context.connection.report(RouterErrorEvent(phase: .close, error: error, clientId: context.connection.clientId))
            }
        }
    }

    enum OpenStep {
        case frame([UInt8])
        case close(UInt16, String)
        case done
    }
}
