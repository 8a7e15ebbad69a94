import WSKitRouter

extension PresenceHub {
    // MARK: Heartbeat timer

    /// Starts the heartbeat while this instance has entries or subscribers (under the lock).
    func ensureTimer(_ state: inout State) {
        guard state.timer == nil, !state.ticking, !state.closed else { return }
        guard !state.tracks.isEmpty || !state.subscribers.isEmpty else { return }
        state.timer = clock.schedule(after: settings.heartbeatInterval) { [weak self] in
            self?.tick()
        }
    }

    /// Stops the heartbeat once the instance has neither entries nor subscribers (under the lock).
    func stopTimerIfIdle(_ state: inout State) {
        guard state.tracks.isEmpty, state.subscribers.isEmpty else { return }
        state.timer?.cancel()
        state.timer = nil
    }

    private func tick() {
        let proceed = state.withLock { state -> Bool in
            state.timer = nil
            guard !state.closed else { return false }
            state.ticking = true
            return true
        }
        guard proceed else { return }
        Task.immediate { [self] in
            await heartbeat()
            state.withLock { state in
                state.ticking = false
                ensureTimer(&state)
            }
        }
    }

    /// One heartbeat: renew this instance's lease (re-registering when it was lost or a write
    /// failed), then remove the entries of instances whose lease expired.
    func heartbeat() async {
        let (instance, dirty, hasEntries) = state.withLock { ($0.instanceId, $0.dirty, !$0.tracks.isEmpty) }
        if dirty {
            await resync()
        } else {
            do {
                if try await !store.renew(instance: instance, lease: settings.lease, hasEntries: hasEntries) { await resync() }
            } catch {
                report(error)
            }
        }
        do {
            _ = try await store.sweep()
        } catch {
            report(error)
        }
    }

    /// Re-registers this instance under a fresh id: every local entry gets a new ref and is
    /// written again (joins), then the old id's entries are removed (leaves). Users tracked only
    /// here therefore never appear to go offline; their metas change refs.
    func resync() async {
        let plan = state.withLock { state -> (old: String, new: String, records: [(PresenceRecord, PresenceRecord)])? in
            guard !state.resyncing, !state.closed else { return nil }
            state.resyncing = true
            state.dirty = false
            let old = state.instanceId
            state.instanceId = Self.makeInstanceId()
            state.nextRef = 0
            var records: [(PresenceRecord, PresenceRecord)] = []
            var tracks: [String: Track] = [:]
            for (_, track) in state.tracks.sorted(by: { $0.key < $1.key }) {
                var record = track.record
                let previous = record
                record.ref = Self.nextRef(&state)
                tracks[record.ref] = Track(record: record, connection: track.connection)
                state.byConnection[track.connection]?[record.room] = record.ref
                records.append((record, previous))
            }
            state.tracks = tracks
            return (old, state.instanceId, records)
        }
        guard let plan else { return }
        var failed = false
        for (record, _) in plan.records {
            do {
                try await store.join(
                    record, replacing: nil, instance: plan.new, lease: settings.lease,
                    diff: PresencePayload.join(record, replacing: nil))
            } catch {
                failed = true
                report(error)
                break
            }
        }
        do {
            try await store.unregister(instance: plan.old)
        } catch {
            // Not reachable: the old id's lease expires on its own (it is never renewed again).
        }
        await removeIfGoneAfterResync(plan.records.map(\.0))
        state.withLock { state in
            state.resyncing = false
            if failed { state.dirty = true }
        }
    }

    private func removeIfGoneAfterResync(_ records: [PresenceRecord]) async {
        let gone = state.withLock { state in records.filter { state.tracks[$0.ref] == nil } }
        for record in gone {
            try? await store.leave(record, instance: Self.instance(of: record.ref), diff: PresencePayload.leave(record))
        }
    }

    // MARK: Shutdown

    /// Stops the heartbeat, removes this instance's entries from the store (leaves broadcast)
    /// and disconnects the store.
    func shutdown() async {
        let instance = state.withLock { state -> String in
            state.closed = true
            state.timer?.cancel()
            state.timer = nil
            return state.instanceId
        }
        do {
            try await store.unregister(instance: instance)
        } catch {
            report(error)
        }
        await store.shutdown()
    }
}
