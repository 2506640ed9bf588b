/// Records a ``RunHistory`` from a run trained headless (`tms train --record`): every due
/// frame, so the frames of a seed are the same on every machine and at every thread count,
/// and a last frame at the step training stopped.
///
/// A frame costs one metrics computation per instance; log spacing keeps that to about
/// 1/g + ln(g·S)/g frames for S steps (≈ 535 by step 100,000), a fraction of a percent of the
/// training time except for the first 64 steps, which are recorded one by one.
/// (The live ``Trainer`` records at its publications instead and skips frames that would
/// cost more than ``share`` of its training time, so the explorer never stalls.)
public struct HistoryRecorder: Sendable {
  /// The history recorded so far.
  public private(set) var history: RunHistory
  /// The share of training time the live trainer's extra frames may cost.
  public static let share = 0.03
  /// Recording time the live trainer allows before any training time has accrued.
  public static let allowance = Duration.milliseconds(60)

  /// A recorder continuing `history` (an empty one with its budget to start).
  public init(history: RunHistory) { self.history = history }

  /// The most steps to train before the next frame is due.
  public func stepsToNextFrame(from step: Int) -> Int { max(1, history.nextStep - step) }

  /// Takes a frame of `run` when one is due.
  public mutating func recordIfDue(_ run: Run) { history.recordIfDue(run) }

  /// Takes a frame of `run` at the step training stopped, unless the last frame is there.
  public mutating func recordLast(_ run: Run) { history = history.ending(at: run) }
}

extension RunHistory {
  /// Records `run` as it is now, computing its instances' metrics (a trainer that has just
  /// published them passes those to ``record(step:config:instances:)`` instead).
  public mutating func record(_ run: Run) {
    record(
      step: run.step, config: run.config,
      instances: Trainer.instanceSnapshots(run: run, evalLoss: nil))
  }

  /// Records `run` when a frame is due at its step.
  public mutating func recordIfDue(_ run: Run) {
    if isDue(step: run.step) { record(run) }
  }

  /// This history with a last frame at `run`'s step when it lacks one: what a snapshot saves,
  /// so a replay of the file ends on the saved weights.
  public func ending(at run: Run) -> RunHistory {
    var copy = self
    if (frames.last?.step ?? -1) < run.step { copy.record(run) }
    return copy
  }
}
