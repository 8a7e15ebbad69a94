import WSKitRouter
import WSKitServer

/// An event loop is where fan-out delivers its connections' frames: `inEventLoop` and `execute`
/// (FIFO among calls from other threads, one eventfd wake-up when the loop sleeps) are what
/// ``DeliveryLoop`` asks.
extension EventLoop: DeliveryLoop {}
