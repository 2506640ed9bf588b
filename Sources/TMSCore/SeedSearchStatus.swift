/// A live trainer's best-of-seeds search (``Trainer/bestOfSeeds(instance:seeds:)``) as its
/// snapshots publish it: progress while the seeds train, then what became of the instance.
public struct SeedSearchStatus: Sendable, Equatable {
  /// Counts the searches this trainer started (1, 2, …), so a reader shows each outcome once.
  public var id: Int
  /// The instance searched.
  public var instance: Int
  /// How many seeds train.
  public var seeds: Int
  /// Steps each seed trains (the run's steps when the search started).
  public var steps: Int
  /// Steps the seeds have trained so far.
  public var completedSteps: Int
  /// What happened, once the search ended; nil while it trains.
  public var outcome: SeedSearchOutcome?

  /// A search's status.
  public init(
    id: Int, instance: Int, seeds: Int, steps: Int, completedSteps: Int = 0,
    outcome: SeedSearchOutcome? = nil
  ) {
    self.id = id
    self.instance = instance
    self.seeds = seeds
    self.steps = steps
    self.completedSteps = completedSteps
    self.outcome = outcome
  }

  /// Fraction of the steps trained, in [0, 1].
  public var progress: Double {
    steps > 0 ? min(1, Double(completedSteps) / Double(steps)) : 0
  }
}

/// How a best-of-seeds search ended. Losses are held-out, notebook convention (× n for the
/// paper's), all measured on the instance's own held-out samples.
public enum SeedSearchOutcome: Sendable, Equatable {
  /// The best seed beat the instance's weights and replaced them (weights, optimiser state
  /// and random streams): its seed, its loss, and the loss of the weights it replaced.
  case adopted(seed: UInt64, loss: Double, before: Double)
  /// No seed beat the instance's weights, which stay: the best seed, its loss, and the loss
  /// of the weights kept.
  case kept(bestSeed: UInt64, bestLoss: Double, loss: Double)
  /// The search could not start or finish, and why (one line).
  case failed(String)
  /// Stopped before the end, and why (one line); the instance is unchanged.
  case cancelled(String)
}
