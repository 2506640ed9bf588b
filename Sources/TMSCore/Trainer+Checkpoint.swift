import Dispatch
import Synchronization

/// Saving a live run: a consistent copy taken on the training thread.
extension Trainer {
  /// A complete, resumable ``Snapshot`` of the trainer's run, taken on the training thread
  /// between two chunks of steps, so weights, optimiser moments, random streams, step and
  /// loss history all belong to the same instant while training goes on. The held-out loss is
  /// evaluated afterwards on the calling thread, on the same samples the trainer uses, so the
  /// training thread is held only for the copy (about 3 ms at n = 200, m = 20, K = 20).
  ///
  /// Blocks the calling thread for about one chunk plus the evaluation (call it from the UI
  /// or a background thread, never from the training thread) and returns `nil` when the
  /// trainer does not answer within `timeout` (not started, or shut down). Writing the file
  /// (``SnapshotStore/save(_:to:force:date:)``) can then happen on any thread.
  ///
  /// It is queued in order with the user's other commands (a reset pressed after `s` comes
  /// after the copy) and changes nothing else: no evaluation, no notice cleared. With
  /// `history`, the recorded keyframes and events go into the snapshot too (when recording),
  /// with a last frame at the saved step, so a replay of the file ends on the saved weights.
  public func checkpoint(timeout: Duration = .seconds(10), history withHistory: Bool = false)
    -> Snapshot?
  {
    let taken = CheckpointBox()
    let done = DispatchSemaphore(value: 0)
    send(
      .checkpoint { run, history, recording in
        var snap = run.snapshot(history: history)
        if withHistory { snap.history = recording?.ending(at: run) }
        taken.store(snap)
        done.signal()
      })
    guard done.wait(timeout: .now() + timeout.secondsValue) == .success, var snap = taken.take()
    else {
      return nil
    }
    // The held-out loss costs a forward pass per instance (tens of milliseconds at n = 200,
    // K = 20): evaluate it here, on a copy rebuilt from the snapshot, rather than stall the
    // training thread. The copy has the same weights and held-out samples, so the same loss.
    if let copy = try? Run(snapshot: snap, threads: 1) {
      let loss = copy.estimateLosses(samples: snap.config.training.batchSize)
      for k in snap.instances.indices {
        snap.instances[k].metrics.evalLoss = loss[k].mean
        snap.instances[k].metrics.evalLossError = loss[k].standardError
      }
    }
    return snap
  }
}

/// Hands a snapshot from the training thread to the waiting caller.
final class CheckpointBox: Sendable {
  private let value = Locked<Snapshot?>(nil)
  func store(_ s: Snapshot) { value.withLock { $0 = s } }
  func take() -> Snapshot? { value.withLock { $0.take() } }
}
