import TMSCore

/// A ``TrainerControl`` that trains only when told, on the calling thread: every command
/// acts before it returns and publishes a new snapshot, so the explorer's input tests run
/// without threads, sleeps or waiting. "Running" means ``advance(steps:)`` trains; `step`
/// trains at once; neither happens otherwise.
///
/// Not thread-safe: one thread (a test) owns it. It records the loss and D_i histories as
/// the live trainer does, so the views that plot them have something to draw.
public final class SteppedTrainer: TrainerControl, @unchecked Sendable {
  /// The run it trains.
  public let run: Run
  private var paused: Bool
  private var throttle: Double?
  private var notice: String?
  private var history = LossHistory()
  private var dimensions = DimensionalityHistory()
  private var version = 0
  private var searches = 0
  private var seedSearch: SeedSearchStatus?
  private var recording: RunHistory?
  private var published: TrainingSnapshot

  /// Wraps `run`, paused unless `paused` is false, its loss plot starting from `history`
  /// (a saved run's); records keyframes into `recording` as the live trainer does (every
  /// frame on schedule, nothing skipped for cost), when given.
  public init(
    run: Run, paused: Bool = true, history: LossHistory = LossHistory(),
    recording: RunHistory? = nil
  ) {
    self.run = run
    self.paused = paused
    self.history = history
    self.recording = recording
    published = TrainingSnapshot.capture(run, evalSamples: 0, version: 0)
    publish()
  }

  /// The snapshot published after the last command.
  public var snapshot: TrainingSnapshot { published }

  /// Trains `steps` steps if running (not paused, not diverged); the explorer's "time
  /// passing".
  public func advance(steps: Int) {
    guard !paused else { return }
    train(steps)
  }

  /// Pauses when running, resumes when paused (clearing a divergence).
  public func togglePause() {
    paused.toggle()
    if !paused { run.clearDivergence() }
    publish()
  }

  /// Pauses.
  public func pause() {
    paused = true
    publish()
  }

  /// Resumes (clearing a divergence); training happens in ``advance(steps:)``.
  public func resume() {
    paused = false
    run.clearDivergence()
    publish()
  }

  /// Trains `count` steps now, then pauses.
  public func step(_ count: Int) {
    paused = true
    run.clearDivergence()
    train(max(1, count))
  }

  /// Re-initialises the weights (with `seed`, or the current one) and the histories.
  public func reset(seed: UInt64?) {
    run.reset(seed: seed)
    history = LossHistory()
    dimensions = DimensionalityHistory()
    recording = recording.map { RunHistory(budget: $0.budget) }
    publish()
  }

  /// Applies `config` (re-initialising when it must), or publishes a notice rejecting it.
  public func apply(_ config: RunConfig) {
    var c = config
    c.conformShapes()
    do {
      if try run.apply(c) {
        history = LossHistory()
        dimensions = DimensionalityHistory()
        recording = recording.map { RunHistory(budget: $0.budget) }
      }
      notice = nil
    } catch {
      notice = "rejected: \(error.description)"
    }
    publish()
  }

  /// Records the throttle (shown in the snapshot; a stepped trainer has no speed).
  public func setThrottle(stepsPerSecond: Double?) {
    throttle = stepsPerSecond
    publish()
  }

  /// Runs a whole best-of-seeds search now (``LiveSeedSearch``), adopting the best seed when
  /// it beats the instance, and publishes its outcome.
  public func bestOfSeeds(instance: Int, seeds: Int) {
    searches += 1
    var search = LiveSeedSearch(run: run, instance: instance, seeds: seeds, id: searches)
    while search.isActive { search.advance(run: run, steps: 1_000) }
    seedSearch = search.status
    publish()
  }

  /// Nothing to stop: a stepped trainer's searches end before ``bestOfSeeds(instance:seeds:)``
  /// returns.
  public func cancelSeedSearch() {}

  /// The run's complete state now.
  public func checkpoint(timeout: Duration, history withHistory: Bool) -> Snapshot? {
    var snap = run.snapshot(history: history)
    if withHistory { snap.history = recording?.ending(at: run) }
    return snap
  }

  private func train(_ steps: Int) {
    var left = steps
    while left > 0 {
      recordIfDue()
      let n = min(left, max(1, (recording?.nextStep ?? Int.max) - run.step))
      let done = run.advance(steps: n)
      left -= n
      if done < n || run.divergence != nil { break }
    }
    history.record(step: run.step, losses: run.trainLossEMA)
    if run.divergence != nil { paused = true }
    publish()
  }

  private func recordIfDue() { recording?.recordIfDue(run) }

  private func publish() {
    recordIfDue()
    version += 1
    let status: TrainerStatus =
      if let d = run.divergence {
        .diverged(instance: d.instance, reason: d.reason)
      } else if paused { .paused } else { .running }
    let captured = TrainingSnapshot.capture(run, status: status, evalSamples: 0, version: version)
    dimensions.record(
      step: run.step, dimensionality: captured.instances.map(\.metrics.dimensionality))
    published = TrainingSnapshot(
      version: version, config: run.config, step: run.step, stepsPerSecond: 0,
      threads: run.threads, status: status, notice: notice ?? run.saeNotice,
      instances: captured.instances, lossHistory: history, appliedCommands: version,
      throttle: throttle, dimensionalityHistory: dimensions, sae: captured.sae,
      seedSearch: seedSearch, history: recording)
  }
}
