/// A best-of-seeds search as the live trainers run it: started on one instance of the run,
/// trained in chunks between the trainer's commands, then measured, and the best seed
/// adopted by the instance when it beats the instance's own weights.
///
/// The seeds are the run's seed s and the k − 1 after it (s, s + 1, …, each on the
/// instance's own stream, see ``SeedSearch``), trained for the steps the run has taken (its
/// configured steps when it has taken none). So the first trial replays the instance as the
/// run trained it, and the instance ends no worse than it was, on its held-out samples.
///
/// Owned by the thread that owns the run; it trains on the run's worker threads, so the run
/// must not train meanwhile.
public struct LiveSeedSearch {
  /// Progress, then the outcome.
  public private(set) var status: SeedSearchStatus
  /// The trials, nil once ended (or when the search could not start).
  private var search: SeedSearch?

  /// Held-out samples each loss of a live search is measured on (the headless default).
  public static let evalSamples = 32_768

  /// Starts a search of `seeds` seeds for `run`'s `instance`, numbered `id`. One that cannot
  /// start (no steps taken yet, the model frozen under its SAE, too many seeds) ends at once
  /// with a ``SeedSearchOutcome/failed(_:)`` outcome.
  public init(run: Run, instance: Int, seeds: Int, id: Int) {
    let steps = run.step > 0 ? run.step : run.config.training.steps
    status = SeedSearchStatus(id: id, instance: instance, seeds: seeds, steps: steps)
    guard !run.saeStarted else {
      status.outcome = .failed("the model is frozen while its SAE trains")
      return
    }
    guard steps > 0 else {
      status.outcome = .failed("no steps taken yet: train first, then compare seeds")
      return
    }
    do {
      search = try SeedSearch(
        run: run, instances: [instance], seeds: run.consecutiveSeeds(seeds), steps: steps,
        evalSamples: Self.evalSamples)
    } catch {
      status.outcome = .failed(error.description)
    }
  }

  /// True while the seeds train.
  public var isActive: Bool { search != nil }

  /// Trains the seeds up to `steps` more steps; at the end measures them and, when the best
  /// beats the instance's weights, puts it into `run` (``Run/adopt(_:)``). Returns true when
  /// this ended the search.
  @discardableResult
  public mutating func advance(run: Run, steps: Int) -> Bool {
    guard let search else { return false }
    search.advance(steps: steps)
    status.completedSteps = search.completedSteps
    guard search.isFinished else { return false }
    self.search = nil
    let result = search.results()[0]
    guard result.improves else {
      status.outcome = .kept(bestSeed: result.seed, bestLoss: result.loss, loss: result.lossBefore)
      return true
    }
    do {
      try run.adopt(result)
      status.outcome = .adopted(seed: result.seed, loss: result.loss, before: result.lossBefore)
    } catch {
      status.outcome = .failed(error.description)
    }
    return true
  }

  /// Stops a search still training, saying `reason`; the instance is unchanged.
  public mutating func cancel(_ reason: String) {
    guard search != nil else { return }
    search = nil
    status.outcome = .cancelled(reason)
  }
}
