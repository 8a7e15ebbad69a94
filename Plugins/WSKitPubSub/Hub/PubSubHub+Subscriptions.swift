import WSKitRouter

extension PubSubHub {
    /// Normalises and de-duplicates topics, keeping the first occurrence's order.
    func normalized(_ topics: [String]) -> [String] {
        var seen = Set<String>()
        var result: [String] = []
        result.reserveCapacity(topics.count)
        for topic in topics {
            let name = configuration.topicRules.normalize(topic)
            if seen.insert(name).inserted { result.append(name) }
        }
        return result
    }

    /// Validates and authorises topics a connection wants to subscribe to (in the given order;
    /// the first problem wins).
    func admit(_ topics: [String], connection: ConnectionCore) throws(PubSubError) {
        for topic in topics {
            if let reason = configuration.topicRules.check(topic) {
                throw PubSubError(.invalidTopic, topic: topic, reason: reason, message: "Invalid topic: \(reason)")
            }
        }
        guard let authorize = configuration.authorize else { return }
        for topic in topics {
            let access = TopicAccess(action: .subscribe, topic: topic, clientId: connection.clientId, connection: connection)
            if !authorize(access) {
                throw PubSubError(.aclSubscribe, topic: topic, message: "Not allowed to subscribe to \"\(topic)\"")
            }
        }
    }

    private func closedError(_ topic: String?) -> PubSubError {
        PubSubError(.connectionClosed, topic: topic, message: "The connection is closed")
    }

    /// Subscribes a connection to `topics`, atomically: every new topic is normalised,
    /// validated, authorised and counted against the limit before any is added; topics already
    /// subscribed are skipped with no side effect. Returns once the adapter confirmed interest.
    func subscribe(
        _ topics: [String], state: PubSubConnectionState, connection: ConnectionCore
    ) async throws(PubSubError) -> TopicsChange {
        let wanted = normalized(topics)
        if connection.isClosed { throw closedError(wanted.first) }
        let candidates = try index.withLock { _ throws(PubSubError) -> [String] in
            guard let member = state.member, !member.closed else { throw closedError(wanted.first) }
            return wanted.filter { member.memberships[$0] == nil }
        }
        if candidates.isEmpty { return TopicsChange(total: count(state)) }
        try admit(candidates, connection: connection)
        let limit = configuration.maxTopicsPerConnection
        let added = try index.withLock { index throws(PubSubError) -> [String] in
            guard let member = state.member, !member.closed else { throw closedError(candidates.first) }
            let fresh = candidates.filter { member.memberships[$0] == nil }
            if member.order.count + fresh.count > limit {
                throw PubSubError(
                    .topicLimitExceeded, topic: fresh.first,
                    message: "At most \(limit) topics per connection (\(member.order.count) subscribed)")
            }
            var activated: [String] = []
            for topic in fresh where index.insert(member, into: topic) { activated.append(topic) }
            if !activated.isEmpty { adapter.updateInterest(subscribe: activated, unsubscribe: []) }
            return fresh
        }
        try await confirm(added, state: state, restoring: [])
        return TopicsChange(added: added, total: count(state))
    }

    /// Replaces a connection's topics with `topics`: removals first (so a swap at the limit
    /// works), then additions; all or nothing.
    func replace(
        _ topics: [String], state: PubSubConnectionState, connection: ConnectionCore
    ) async throws(PubSubError) -> TopicsChange {
        let wanted = normalized(topics)
        if connection.isClosed { throw closedError(wanted.first) }
        let wantedSet = Set(wanted)
        var admitted = Set<String>()
        let limit = configuration.maxTopicsPerConnection
        while true {
            let candidates = try index.withLock { _ throws(PubSubError) -> [String] in
                guard let member = state.member, !member.closed else { throw closedError(wanted.first) }
                return wanted.filter { member.memberships[$0] == nil && !admitted.contains($0) }
            }
            try admit(candidates, connection: connection)
            admitted.formUnion(candidates)
            // nil: a topic was removed meanwhile and needs admitting first.
            let change = try index.withLock { index throws(PubSubError) -> TopicsChange? in
                guard let member = state.member, !member.closed else { throw closedError(wanted.first) }
                let added = wanted.filter { member.memberships[$0] == nil }
                if added.contains(where: { !admitted.contains($0) }) { return nil }
                let removed = member.order.filter { !wantedSet.contains($0) }
                if member.order.count - removed.count + added.count > limit {
                    throw PubSubError(
                        .topicLimitExceeded, topic: added.first,
                        message: "At most \(limit) topics per connection (\(wanted.count) requested)")
                }
                var deactivated: [String] = []
                for topic in removed where index.remove(member, from: topic) == true { deactivated.append(topic) }
                var activated: [String] = []
                for topic in added where index.insert(member, into: topic) { activated.append(topic) }
                if !activated.isEmpty || !deactivated.isEmpty {
                    adapter.updateInterest(subscribe: activated, unsubscribe: deactivated)
                }
                return TopicsChange(added: added, removed: removed, total: member.order.count)
            }
            guard var change else { continue }
            try await confirm(change.added, state: state, restoring: change.removed)
            change.total = count(state)
            return change
        }
    }

    /// Waits for the adapter to confirm `added`; on failure removes them again (and re-adds
    /// `restoring`, the topics a replace removed) and throws `ADAPTER_ERROR`.
    func confirm(_ added: [String], state: PubSubConnectionState, restoring: [String]) async throws(PubSubError) {
        guard !added.isEmpty, case let .failure(error) = await adapter.confirmInterest(added) else { return }
        index.withLock { index in
            guard let member = state.member else { return }
            var deactivated: [String] = []
            for topic in added where index.remove(member, from: topic) == true { deactivated.append(topic) }
            var activated: [String] = []
            if !member.closed {
                for topic in restoring where member.memberships[topic] == nil && index.insert(member, into: topic) {
                    activated.append(topic)
                }
            }
            if !activated.isEmpty || !deactivated.isEmpty {
                adapter.updateInterest(subscribe: activated, unsubscribe: deactivated)
            }
        }
        throw PubSubError(.adapterError, topic: added.first, message: "The subscription could not be confirmed: \(error)")
    }

    /// Unsubscribes a connection from `topics`; topics it does not have (even invalid names)
    /// are skipped without error.
    func unsubscribe(_ topics: [String], state: PubSubConnectionState) -> TopicsChange {
        unsubscribe(normalized: normalized(topics), state: state)
    }

    private func unsubscribe(normalized names: [String], state: PubSubConnectionState) -> TopicsChange {
        index.withLock { index in
            guard let member = state.member else { return TopicsChange(total: 0) }
            var removed: [String] = []
            var deactivated: [String] = []
            for topic in names {
                guard let last = index.remove(member, from: topic) else { continue }
                removed.append(topic)
                if last { deactivated.append(topic) }
            }
            if !deactivated.isEmpty { adapter.updateInterest(subscribe: [], unsubscribe: deactivated) }
            return TopicsChange(removed: removed, total: member.order.count)
        }
    }

    /// Unsubscribes a connection from everything.
    func clear(_ state: PubSubConnectionState) -> TopicsChange {
        unsubscribe(normalized: topics(of: state), state: state)
    }

    /// A connection's topics, in subscription order.
    func topics(of state: PubSubConnectionState) -> [String] {
        index.withLock { _ in state.member?.order ?? [] }
    }

    /// Whether a connection is subscribed to `topic` (normalised here).
    func has(_ topic: String, state: PubSubConnectionState) -> Bool {
        let name = configuration.topicRules.normalize(topic)
        return index.withLock { _ in state.member?.memberships[name] != nil }
    }

    /// How many topics a connection has.
    func count(_ state: PubSubConnectionState) -> Int {
        index.withLock { _ in state.member?.order.count ?? 0 }
    }
}
