#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// A value guarded by a lock: the state the trainer's thread shares with the screens and
/// the worker threads.
///
/// A pthread mutex rather than `Synchronization.Mutex`: on Linux the latter locks with futex
/// system calls that ThreadSanitizer does not see, so it reports every access the lock
/// guards as a race (checked: two threads incrementing a `Mutex<Int>` 200,000 times each end
/// at the right count and still draw "Swift access race"), and CI's sanitizer run could not
/// tell a real race from those. ThreadSanitizer intercepts pthread locks.
package final class Locked<Value>: @unchecked Sendable {
  private var value: Value
  private let mutex: UnsafeMutablePointer<pthread_mutex_t>

  /// A lock guarding `value`.
  package init(_ value: Value) {
    self.value = value
    mutex = .allocate(capacity: 1)
    mutex.initialize(to: pthread_mutex_t())
    pthread_mutex_init(mutex, nil)
  }

  deinit {
    pthread_mutex_destroy(mutex)
    mutex.deallocate()
  }

  /// Runs `body` on the value with the lock held.
  package func withLock<R, E: Error>(_ body: (inout Value) throws(E) -> R) throws(E) -> R {
    pthread_mutex_lock(mutex)
    defer { pthread_mutex_unlock(mutex) }
    return try body(&value)
  }
}
