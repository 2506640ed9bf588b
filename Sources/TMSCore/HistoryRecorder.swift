/// Records a ``RunHistory`` from a run trained headless (`tms train --record`), at a bounded
/// cost: a due frame is taken only while the time spent taking frames stays under
/// ``share`` of the time spent training (plus ``allowance``, so the first steps are taken one
/// by one); otherwise it waits for the next piece. The live ``Trainer`` keeps the same
/// accounting around its publications.
public struct HistoryRecorder: Sendable {
  /// The history recorded so far.
  public private(set) var history: RunHistory
  private var cost = Duration.zero
  private var training = Duration.zero
  /// The share of training time frames may cost.
  public static let share = 0.03
  /// Recording time allowed before any training time has accrued.
  public static let allowance = Duration.milliseconds(60)

  /// A recorder continuing `history` (an empty one with its budget to start).
  public init(history: RunHistory) { self.history = history }

  /// True while a due frame may be taken now.
  public var mayRecord: Bool { cost <= training * Self.share + Self.allowance }

  /// The most steps to train before the next frame is due, when one may be taken; nil when
  /// recording has to wait for training time to accrue.
  public func stepsToNextFrame(from step: Int) -> Int? {
    mayRecord ? max(1, history.nextStep - step) : nil
  }

  /// Counts `duration` of training.
  public mutating func trained(_ duration: Duration) { training += duration }

  /// Takes a frame of `run` when one is due and may be taken.
  public mutating func recordIfDue(_ run: Run) {
    guard mayRecord, history.isDue(step: run.step) else { return }
    let clock = ContinuousClock()
    let t0 = clock.now
    history.record(
      step: run.step, config: run.config,
      instances: Trainer.instanceSnapshots(run: run, evalLoss: nil))
    cost += clock.now - t0
  }
}
