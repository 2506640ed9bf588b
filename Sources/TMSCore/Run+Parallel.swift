/// Slots for per-instance results written by worker threads: slot k is written by exactly
/// one thread, through a buffer allocated once (no Array access is shared between threads),
/// and ``WorkerPool/run(_:)`` returning orders every write before the read.
private final class ResultSlots<T>: @unchecked Sendable {
  private let slots: UnsafeMutableBufferPointer<T?>

  init(count: Int) {
    slots = .allocate(capacity: count)
    slots.initialize(repeating: nil)
  }

  deinit {
    _ = slots.deinitialize()
    slots.deallocate()
  }

  func set(_ k: Int, _ value: T) { slots[k] = value }

  func values() -> [T] { slots.map { $0! } }
}

extension Run {
  /// `body(k)` for every instance k, instances handed out to the run's worker threads, the
  /// results in instance order.
  ///
  /// Publishing a snapshot and the held-out evaluation run on the training thread between
  /// chunks; done serially they leave the other workers idle for their whole duration (on
  /// 2 cores a 200→20 × 20 evaluation idled one core for ~30 ms a second). Each instance's
  /// result depends on that instance alone, so it is the same whatever the thread count.
  func mapInstances<T>(_ body: @escaping @Sendable (Int) -> T) -> [T] {
    mapParallel(engines.count, body)
  }

  /// `body(k)` for k = 0 … count−1 handed out to the run's worker threads, the results in
  /// order (the SAE's instances use it too).
  func mapParallel<T>(_ count: Int, _ body: @escaping @Sendable (Int) -> T) -> [T] {
    guard min(threads, count) > 1 else { return (0..<count).map(body) }
    let slots = ResultSlots<T>(count: count)
    let next = AtomicCounter()
    pool.run { _ in
      while true {
        let k = next.increment()
        if k >= count { break }
        slots.set(k, body(k))
      }
    }
    return slots.values()
  }
}
