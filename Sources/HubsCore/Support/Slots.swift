import Dispatch

/// One slot per item, filled by many threads at once, each index by one thread only, and read
/// after they have all finished: results in a fixed order whatever the threads' timing.
final class Slots<Element>: @unchecked Sendable {
    let items: UnsafeMutableBufferPointer<Element?>

    init(count: Int) {
        items = .allocate(capacity: count)
        items.initialize(repeating: nil)
    }

    /// Moves item `i` out, leaving its slot empty (no copy of the item).
    func take(_ i: Int) -> Element? {
        let item = items.moveElement(from: i)
        items.initializeElement(at: i, to: nil)
        return item
    }

    deinit {
        _ = items.deinitialize()
        items.deallocate()
    }
}

/// Runs `body` for every index of `0..<count` on up to `threads` threads side by side, index i on
/// thread i mod threads; returns when all are done.
func concurrentStride(_ count: Int, threads: Int, _ body: @Sendable (Int) -> Void) {
    let width = Swift.max(1, Swift.min(threads, 64, count))
    DispatchQueue.concurrentPerform(iterations: width) { t in
        for i in stride(from: t, to: count, by: width) { body(i) }
    }
}
