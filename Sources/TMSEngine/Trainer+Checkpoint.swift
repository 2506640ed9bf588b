import Synchronization

/// Saving a live run: a consistent copy taken on the training thread.
extension Trainer {
  /// A complete, resumable ``Snapshot`` of `run` — which must be the ``Run`` this trainer was
  /// created with — taken on the training thread between two chunks of steps, so weights,
  /// optimiser moments, random streams and step all belong to the same instant while training
  /// goes on. The loss history is the trainer's, up to that step; the held-out loss is
  /// evaluated on the same samples the trainer uses.
  ///
  /// Blocks the calling thread for about one chunk (a few milliseconds; call it from the UI
  /// or a background thread, never from the training thread) and returns `nil` when the
  /// trainer does not answer within `timeout` (not started, or shut down). Writing the file
  /// (``SnapshotStore/save(_:to:force:date:)``) can then happen on any thread.
  ///
  /// It rides on ``update(_:)`` with an edit that leaves the configuration unchanged, so it is
  /// queued in order with the user's other commands; the one side effect is that a pending
  /// notice (a rejected edit's message) is cleared.
  public func checkpoint(of run: Run, timeout: Duration = .seconds(10)) -> Snapshot? {
    let taken = CheckpointBox()
    let box = UncheckedBox(run)
    update { _ in
      let r = box.value
      taken.store(r.snapshot(evalLoss: r.evaluate(samples: r.config.batchSize)))
    }
    guard let published = waitUntilApplied(timeout: timeout), var snap = taken.take() else {
      return nil
    }
    let h = published.lossHistory
    let keep = h.steps.indices.filter { h.steps[$0] <= snap.step }
    snap.lossHistory = LossHistory.restored(
      capacity: h.capacity, stride: h.stride, steps: keep.map { h.steps[$0] },
      loss: keep.map { h.loss[$0] })
    return snap
  }
}

/// Hands a snapshot from the training thread to the waiting caller.
final class CheckpointBox: Sendable {
  private let value = Mutex<Snapshot?>(nil)
  func store(_ s: Snapshot) { value.withLock { $0 = s } }
  func take() -> Snapshot? { value.withLock { $0.take() } }
}
