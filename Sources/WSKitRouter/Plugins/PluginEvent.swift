/// Something a plugin did that observers may want to see — a publish, a decision, a state
/// change — as a type of the plugin's own (pub/sub's `PublishRecord`, for example).
///
/// The router knows none of these types: it only carries them from the plugin that emits one
/// (``RouterRuntime/emit(_:)``) to every ``RouterObserver/routerDidEmit(_:)``. An observer picks
/// the events it knows by casting (`event as? PublishRecord`).
public protocol PluginEvent: Sendable {}
