/// One seed's model in a best-of-seeds search: its seed and its held-out loss.
public struct SeedTrial: Sendable, Equatable {
  /// The training seed of every random stream of this model (initialisation and data).
  public var seed: UInt64
  /// Held-out loss after the search's steps (notebook convention: mean over samples and
  /// features of I_i (x_i − x'_i)²; the paper's is this × n), on the searched instance's own
  /// held-out samples, so every seed and the weights before are measured on the same data.
  public var loss: Double
  /// Standard error of `loss` from its independent held-out batches (NaN with one batch).
  public var standardError: Double
  /// True when the model stopped on a non-finite value; its weights are then the last
  /// healthy ones (see ``Run/divergence``), and still compete.
  public var diverged: Bool

  /// A trial of `seed` that reached `loss`.
  public init(seed: UInt64, loss: Double, standardError: Double, diverged: Bool) {
    self.seed = seed
    self.loss = loss
    self.standardError = standardError
    self.diverged = diverged
  }
}

/// The outcome of training one instance's exact configuration from several seeds: every
/// seed's held-out loss, the best one's complete training state, and the loss of the weights
/// the instance had when the search started.
///
/// Single runs stop in local minima (the intro's sparsest instance finds four features at a
/// loss 1.6× the pentagon's); the paper's figures show the best of several seeds, which is
/// what this picks: the trial with the lowest held-out loss ℓ_s, ties to the earlier seed.
public struct BestOfSeeds: Sendable {
  /// The instance searched, in the run it came from.
  public var instance: Int
  /// Steps every seed trained (fewer only when every seed diverged before the end).
  public var steps: Int
  /// Every seed's outcome, in the order the seeds were given.
  public var trials: [SeedTrial]
  /// Index in ``trials`` of the lowest finite held-out loss (0 when none is finite).
  public var bestIndex: Int
  /// Held-out loss of the instance's own weights when the search started, on the same
  /// samples as the trials.
  public var lossBefore: Double
  /// Standard error of ``lossBefore``.
  public var standardErrorBefore: Double
  /// The best seed's complete state after its steps: weights, AdamW moments and step, random
  /// streams and loss trackers, ready for ``Run/adopt(_:)``.
  public var state: Snapshot.InstanceState

  /// Assembles an outcome (``SeedSearch/results()`` is the usual way).
  public init(
    instance: Int, steps: Int, trials: [SeedTrial], bestIndex: Int, lossBefore: Double,
    standardErrorBefore: Double, state: Snapshot.InstanceState
  ) {
    self.instance = instance
    self.steps = steps
    self.trials = trials
    self.bestIndex = bestIndex
    self.lossBefore = lossBefore
    self.standardErrorBefore = standardErrorBefore
    self.state = state
  }

  /// The best trial.
  public var best: SeedTrial { trials[bestIndex] }
  /// The best trial's seed.
  public var seed: UInt64 { best.seed }
  /// The best trial's held-out loss (notebook convention).
  public var loss: Double { best.loss }
  /// The best trial's weights.
  public var parameters: Parameters { state.parameters }
  /// True when the best seed's held-out loss is strictly below that of the weights the
  /// instance had (the live explorer adopts only then).
  public var improves: Bool { loss < lossBefore }

  /// The index of the lowest finite loss, the first on ties; 0 when none is finite.
  static func bestIndex(_ losses: [Double]) -> Int {
    var best = 0
    var bestLoss = Double.infinity
    for (j, loss) in losses.enumerated() where loss.isFinite && loss < bestLoss {
      best = j
      bestLoss = loss
    }
    return best
  }
}
