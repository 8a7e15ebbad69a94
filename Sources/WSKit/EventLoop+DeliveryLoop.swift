import WSKitRouter
import WSKitServer

/// An event loop is where fan-out delivers its connections' frames: `inEventLoop` and `execute`
/// (FIFO, one eventfd wake-up when the loop sleeps) are exactly what ``DeliveryLoop`` asks.
extension EventLoop: DeliveryLoop {}
