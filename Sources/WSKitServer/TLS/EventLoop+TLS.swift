extension EventLoop {
    /// Where a TLS connection reads ciphertext: the upper half of the loop's read buffer.
    var tlsCiphertextBuffer: UnsafeMutableRawBufferPointer {
        UnsafeMutableRawBufferPointer(rebasing: readBuffer[(readBuffer.count / 2)...])
    }

    /// Where a TLS connection decrypts to: the lower half of the loop's read buffer (so the
    /// ciphertext being decrypted is never overwritten).
    var tlsPlaintextBuffer: UnsafeMutableRawBufferPointer {
        UnsafeMutableRawBufferPointer(rebasing: readBuffer[..<(readBuffer.count / 2)])
    }
}
