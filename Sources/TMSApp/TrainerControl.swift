import TMSCore

/// The trainer as the explorer sees it: the latest published picture of the run, and the
/// commands that steer it. The live ``Trainer`` (a background thread) and the synchronous
/// ``SteppedTrainer`` (tests, which step by hand) both implement it, so the explorer's
/// commands and its reading of snapshots never depend on which one runs.
public protocol TrainerControl: AnyObject, Sendable {
  /// The latest published picture of the run.
  var snapshot: TrainingSnapshot { get }
  /// Pauses when running, resumes when paused (also continues after a divergence).
  func togglePause()
  /// Pauses.
  func pause()
  /// Resumes.
  func resume()
  /// Runs exactly `count` steps, then pauses.
  func step(_ count: Int)
  /// Re-initialises the weights with `seed` (or the current seed).
  func reset(seed: UInt64?)
  /// Replaces the configuration: data and optimiser fields act on the current weights,
  /// shapes, model and seed re-initialise; an invalid one is rejected with a notice.
  func apply(_ config: RunConfig)
  /// Limits training to `stepsPerSecond` (nil = full speed).
  func setThrottle(stepsPerSecond: Double?)
  /// A complete, resumable copy of the run (nil when the trainer does not answer), with the
  /// recorded history when `history` is set and the trainer records.
  func checkpoint(timeout: Duration, history: Bool) -> Snapshot?
  /// Trains `seeds` seeds of `instance`'s configuration and keeps the best when it beats the
  /// instance (progress and outcome in ``TrainingSnapshot/seedSearch``).
  func bestOfSeeds(instance: Int, seeds: Int)
  /// Stops a best-of-seeds search still training.
  func cancelSeedSearch()
}

extension TrainerControl {
  /// A copy of the run without its recorded history.
  public func checkpoint(timeout: Duration) -> Snapshot? {
    checkpoint(timeout: timeout, history: false)
  }
}

extension Trainer: TrainerControl {
  /// Replaces the configuration (``Trainer/update(_:)`` with the whole value).
  public func apply(_ config: RunConfig) { update { $0 = config } }
}
