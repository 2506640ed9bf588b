import Synchronization

/// A shared counter handing out instance indexes to worker threads.
final class AtomicCounter: Sendable {
  private let value = Atomic<Int>(0)

  /// Returns the current value and increments it.
  func increment() -> Int { value.add(1, ordering: .relaxed).oldValue }
}
