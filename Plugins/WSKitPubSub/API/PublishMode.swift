/// Whether a publish waits for the adapter (``PublishOptions/mode``).
///
/// Either way the local subscribers have been handed the message (or it is queued for their
/// loops) when the publish returns, and publishes from one caller keep their order. The modes
/// differ only with a broker adapter (Redis):
public enum PublishMode: Sendable, Hashable {
    /// Wait for the broker's acknowledgement: the result says whether it was published and how
    /// many instances it reached. The default of the `async` entry points.
    case acknowledged
    /// Hand the message to the adapter and return without suspending: only failures known at once
    /// (the broker is down, too many publishes in flight) are returned; later ones go to
    /// `onError` and ``PubSubPlugin/onAdapterEvent``. What `publishNow` always does.
    case immediate
}
