import Foundation
import Synchronization

/// A fixed set of worker threads that run one job on all of them at once, the caller
/// included.
///
/// Dispatch's `concurrentPerform` on Linux sometimes runs every iteration on the calling
/// thread (its thread pool does not always grow while the caller is busy), which halved
/// training speed on two cores; dedicated threads make the parallelism dependable. The
/// threads end when the pool is released.
final class WorkerPool: Sendable {
  /// State shared with the worker threads (they must not retain the pool itself).
  private final class Shared: Sendable {
    let start: [DispatchSemaphore]
    let done = DispatchSemaphore(value: 0)
    let job = Locked<(@Sendable (Int) -> Void)?>(nil)
    let stopping = Atomic<Bool>(false)

    init(workers: Int) { start = (0..<workers).map { _ in DispatchSemaphore(value: 0) } }

    func loop(_ w: Int) {
      while true {
        start[w - 1].wait()
        if stopping.load(ordering: .acquiring) { return }
        let body = job.withLock { $0 }
        body?(w)
        done.signal()
      }
    }
  }

  /// Number of threads a job runs on, the caller included.
  let threads: Int
  private let shared: Shared

  /// Starts `threads − 1` workers; each runs `onStart` first (the explorer blocks terminal
  /// signals there so that only the UI thread handles them).
  init(threads: Int, onStart: (@Sendable () -> Void)? = nil) {
    self.threads = max(1, threads)
    let shared = Shared(workers: self.threads - 1)
    self.shared = shared
    for w in 1..<self.threads {
      let t = Thread {
        onStart?()
        shared.loop(w)
      }
      t.name = "tms-worker-\(w)"
      t.stackSize = 4 << 20
      t.start()
    }
  }

  deinit {
    shared.stopping.store(true, ordering: .releasing)
    for s in shared.start { s.signal() }
  }

  /// Runs `body(worker)` for worker = 0 (the caller) … threads−1 and returns when all finish.
  func run(_ body: @escaping @Sendable (Int) -> Void) {
    guard threads > 1 else {
      body(0)
      return
    }
    shared.job.withLock { $0 = body }
    for s in shared.start { s.signal() }
    body(0)
    for _ in 1..<threads { shared.done.wait() }
    shared.job.withLock { $0 = nil }
  }
}
