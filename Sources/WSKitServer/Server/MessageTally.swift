/// The per-message counts one event loop has made since it last added them to the server's
/// metrics (ADR 0126).
///
/// Plain integers, not atomics: only the loop's thread touches a loop's tally, so counting a
/// message is two additions in memory. The loop publishes the tally (`ServerMetrics.publish`)
/// before it writes anything in an iteration and again at the end of the iteration, so a reply a
/// client reads was counted, with the request it answers, before it went out, and a scrape lags
/// the loop by at most the iteration in progress.
struct MessageTally {
    var messagesReceived = 0
    var bytesReceived = 0
    var messagesSent = 0
    var bytesSent = 0
    /// Sends queued behind a backlog (counted with `messagesSent`).
    var sendsBuffered = 0
    var sendsDropped = 0

    /// Whether nothing was counted (bytes and buffered sends are only counted with a message).
    @inline(__always)
    var isEmpty: Bool { messagesReceived | messagesSent | sendsDropped == 0 }

    /// A message received with `bytes` of payload.
    @inline(__always)
    mutating func received(bytes: Int) {
        messagesReceived &+= 1
        bytesReceived &+= bytes
    }

    /// A message queued with `bytes` of frames; `buffered`: behind a backlog.
    @inline(__always)
    mutating func sent(bytes: Int, buffered: Bool) {
        messagesSent &+= 1
        bytesSent &+= bytes
        if buffered { sendsBuffered &+= 1 }
    }

    /// A send refused (closed connection, or over the buffer limit).
    @inline(__always)
    mutating func dropped() {
        sendsDropped &+= 1
    }
}
