import TMSKernels
import Foundation
import Synchronization

/// Progress of a running sweep: the cell that just finished and the counts so far.
public struct PhaseSweepProgress: Sendable {
  /// The finished cell (its `row` and `column` say where it goes).
  public var cell: PhaseCell
  /// Finished cells, this one included.
  public var completed: Int
  /// G².
  public var total: Int
  /// Seconds since the sweep started.
  public var seconds: Double
}

/// Trains a phase diagram: for every cell (p, r) of a G×G grid, `seeds` n→m relu-output
/// models (more where the cell is not settled, up to `maxSeeds`), and keeps the one with the
/// lowest exact expected loss, or the prototype solution that beats them all (the rule:
/// ``isSettled(labels:bestLoss:previousBest:floorLoss:tolerance:)``).
///
/// Work is split by cell: each batch of a cell is its own ``Run`` of K = seeds instances
/// (seeded from the sweep seed, the cell index and the batch, see
/// ``PhaseSweepConfig/runConfig(row:column:batch:)``), and a cell trains on one worker thread
/// from start to finish, so a cell's result is bit-identical whatever the
/// thread count and whichever thread took it. Cells are handed out coarse to fine (every 8th
/// row and column first, then every 4th, …), so a partial diagram already covers the grid.
///
/// Use from the explorer: `start(threads:progress:completion:)` trains on background threads
/// and returns at once; read ``snapshot`` (a consistent copy, cheap) whenever you redraw, or
/// react to `progress`, which runs on a worker thread once per finished cell, one call at a
/// time, after the cell is in the snapshot. ``cancel()`` stops within one chunk of 1,000
/// steps of one cell; the partial result keeps every cell finished so far.
public final class PhaseSweep: Sendable {
  /// The configuration.
  public let config: PhaseSweepConfig
  /// Cell indexes (row·G + column) in the order they are trained.
  public let order: [Int]

  private struct State: Sendable {
    var result: PhaseSweepResult
    var start: ContinuousClock.Instant?
    var final: PhaseSweepResult?
  }

  private let state: Locked<State>
  private let cancelFlag = Atomic<Bool>(false)
  private let failed = Atomic<Bool>(false)
  private let callbackLock = Locked<Int>(0)
  private let finished = DispatchSemaphore(value: 0)
  private let started = Atomic<Bool>(false)

  /// Steps between cancellation checks inside a cell.
  static let chunkSteps = 1000

  /// Validates `config` and prepares an empty diagram.
  public convenience init(config: PhaseSweepConfig) throws(ConfigError) {
    try config.validate()
    self.init(unvalidated: config)
  }

  /// A sweep that is already over: `result` as its final diagram (a saved diagram, or one
  /// built from fixed weights). It never trains; ``start(threads:onThreadStart:progress:completion:)``
  /// does nothing and ``wait()`` returns `result`.
  public init(finished result: PhaseSweepResult) {
    config = result.config
    order = Self.coarseToFineOrder(grid: result.config.grid)
    state = Locked(State(result: result, start: nil, final: result))
    started.store(true, ordering: .releasing)
    finished.signal()
  }

  /// Prepares `config` without validating it (tests of how a failing cell is reported).
  init(unvalidated config: PhaseSweepConfig) {
    self.config = config
    order = Self.coarseToFineOrder(grid: config.grid)
    state = Locked(State(result: PhaseSweepResult(config: config, threads: 1)))
  }

  /// The diagram so far: a copy, consistent (every cell in it is complete), safe to read
  /// from any thread while the sweep runs.
  public var snapshot: PhaseSweepResult {
    state.withLock { s in
      var r = s.result
      if let start = s.start, s.final == nil {
        r.seconds = (ContinuousClock.now - start).secondsValue
      }
      return r
    }
  }

  /// Asks the sweep to stop; the running cells stop at their next chunk boundary and are
  /// left out. Permanent: a cancelled sweep does not train again.
  public func cancel() { cancelFlag.store(true, ordering: .releasing) }

  /// True after ``cancel()``.
  public var isCancelled: Bool { cancelFlag.load(ordering: .acquiring) }

  /// True once a run has returned (finished or cancelled).
  public var isFinished: Bool { state.withLock { $0.final != nil } }

  /// Trains every cell on `threads` threads (the caller's included) and returns the diagram,
  /// partial if cancelled or if a cell could not be trained (then ``PhaseSweepResult/failure``
  /// says which and why, and the other workers stop too). `onThreadStart` runs first on each extra worker thread; `progress`
  /// runs after each cell, on the worker that trained it, one call at a time. Call once.
  @discardableResult
  public func run(
    threads: Int = 1, onThreadStart: (@Sendable () -> Void)? = nil,
    progress: (@Sendable (PhaseSweepProgress) -> Void)? = nil
  ) -> PhaseSweepResult {
    let workers = max(1, min(threads, order.count))
    let clock = ContinuousClock()
    let start = clock.now
    state.withLock {
      $0.result = PhaseSweepResult(config: config, threads: workers)
      $0.start = start
      $0.final = nil
    }
    let next = AtomicCounter()
    let shouldStop: @Sendable () -> Bool = {
      self.isCancelled || self.failed.load(ordering: .acquiring)
    }
    let body: @Sendable (Int) -> Void = { _ in
      while !shouldStop() {
        let k = next.increment()
        if k >= self.order.count { break }
        let index = self.order[k]
        let row = index / self.config.grid
        let column = index % self.config.grid
        do {
          // nil only when stopped (cancelled, or another cell failed).
          guard
            let cell = try Self.trainCell(
              self.config, row: row, column: column, shouldStop: shouldStop)
          else { break }
          self.publish(cell, start: start, progress: progress)
        } catch {
          let p = self.config.featureProbability[row]
          let r = self.config.relativeImportance[column]
          self.fail("cell at row \(row), column \(column) (p = \(p), r = \(r)): \(error)")
          break
        }
      }
    }
    if workers == 1 {
      body(0)
    } else {
      let pool = WorkerPool(threads: workers, onStart: onThreadStart)
      pool.run(body)
    }
    return state.withLock { s in
      s.result.seconds = (clock.now - start).secondsValue
      s.result.cancelled = isCancelled && !s.result.isComplete
      s.final = s.result
      return s.result
    }
  }

  /// Runs ``run(threads:onThreadStart:progress:)`` on a new background thread and returns at
  /// once; `completion` receives the final (or cancelled) diagram on that thread. Once only.
  public func start(
    threads: Int, onThreadStart: (@Sendable () -> Void)? = nil,
    progress: (@Sendable (PhaseSweepProgress) -> Void)? = nil,
    completion: (@Sendable (PhaseSweepResult) -> Void)? = nil
  ) {
    guard !started.exchange(true, ordering: .acquiringAndReleasing) else { return }
    let thread = Thread { [self] in
      onThreadStart?()
      let result = run(threads: threads, onThreadStart: onThreadStart, progress: progress)
      completion?(result)
      finished.signal()
    }
    thread.name = "tms-phase-sweep"
    thread.stackSize = 8 << 20
    thread.start()
  }

  /// Blocks until a sweep begun with ``start(threads:onThreadStart:progress:completion:)``
  /// returns, and gives its diagram (the current snapshot when none was started).
  public func wait() -> PhaseSweepResult {
    if started.load(ordering: .acquiring) {
      finished.wait()
      finished.signal()
    }
    return state.withLock { $0.final ?? $0.result }
  }

  /// Records the first failure and stops every worker.
  private func fail(_ message: String) {
    state.withLock { s in
      if s.result.failure == nil { s.result.failure = message }
    }
    failed.store(true, ordering: .releasing)
  }

  private func publish(
    _ cell: PhaseCell, start: ContinuousClock.Instant,
    progress: (@Sendable (PhaseSweepProgress) -> Void)?
  ) {
    // The callback lock orders publication and callbacks alike, so `completed` only grows
    // from one call to the next.
    callbackLock.withLock { _ in
      let update = state.withLock { s -> PhaseSweepProgress in
        s.result.cells[cell.row][cell.column] = cell
        s.result.completed += 1
        s.result.instanceSteps += cell.seedsTrained * config.training.steps
        let seconds = (ContinuousClock.now - start).secondsValue
        s.result.seconds = seconds
        return PhaseSweepProgress(
          cell: cell, completed: s.result.completed, total: s.result.total, seconds: seconds)
      }
      progress?(update)
    }
  }

  /// Trains cell (row, column) to completion: batches of `seeds` seeds until the cell is
  /// settled (``isSettled(labels:bestLoss:previousBest:floorLoss:tolerance:)``) or another
  /// batch would pass max(`seeds`, `maxSeeds`), then ``decideCell(_:row:column:seeds:floor:)``.
  /// Nil when `shouldStop` turned true first, an error when the cell's run configuration is
  /// invalid.
  static func trainCell(
    _ config: PhaseSweepConfig, row: Int, column: Int, shouldStop: () -> Bool
  ) throws(ConfigError) -> PhaseCell? {
    let floor =
      config.prototypeFloor
      ? prototypeFloor(
        config, probability: config.featureProbability[row],
        relativeImportance: config.relativeImportance[column]) : nil
    var seeds: [PhaseSeed] = []
    var previousBest: Double?
    var batch = 0
    while true {
      guard
        let trained = try trainBatch(
          config, row: row, column: column, batch: batch, shouldStop: shouldStop)
      else { return nil }
      seeds += trained
      batch += 1
      let best = bestLoss(seeds)
      // Seeds that all diverged say the learning rate is too high; more would diverge too.
      if seeds.count + config.seeds > config.seedCap || seeds.allSatisfy(\.diverged)
        || isSettled(
          labels: seeds.map(\.label), bestLoss: best, previousBest: previousBest,
          floorLoss: floor?.seed.loss, tolerance: config.floorTolerance)
      {
        break
      }
      previousBest = best
    }
    return decideCell(config, row: row, column: column, seeds: seeds, floor: floor)
  }

  /// Trains batch `batch` of cell (row, column) (``PhaseSweepConfig/runConfig(row:column:batch:)``)
  /// and scores its seeds; nil when `shouldStop` turned true first.
  static func trainBatch(
    _ config: PhaseSweepConfig, row: Int, column: Int, batch: Int, shouldStop: () -> Bool
  ) throws(ConfigError) -> [PhaseSeed]? {
    let rc = config.runConfig(row: row, column: column, batch: batch)
    let run = try Run(config: rc, threads: 1)
    if config.antitheticInit {
      for k in Swift.stride(from: 1, to: rc.instances, by: 2) {
        var p = run.parameters(instance: k - 1)
        p.W[config.extraFeature] = p.W[config.extraFeature].map { -$0 }
        run.setParameters(p, instance: k)
      }
    }
    var done = 0
    while done < config.training.steps {
      if shouldStop() { return nil }
      let chunk = min(chunkSteps, config.training.steps - done)
      run.train(steps: chunk)
      done += chunk
    }
    return seeds(of: run, config: config)
  }

  /// Every seed of a trained run, scored: the exact expected loss of its weights (a diverged
  /// seed keeps its last finite weights, which are scored like any other; NaN when it has
  /// none) and its extra feature's norm, superposition and label.
  static func seeds(of run: Run, config: PhaseSweepConfig) -> [PhaseSeed] {
    let rc = run.config
    let e = config.extraFeature
    let diverged = Set(run.divergedInstances)
    return (0..<rc.instances).map { k in
      let p = run.parameters(instance: k)
      let loss =
        p.isFinite
        ? expectedLoss(
          parameters: p, model: rc.model, featureProbability: rc.featureProbability[k],
          importance: rc.importance[k], points: config.lossPoints) : .nan
      let m = run.metrics(instance: k)
      return PhaseSeed(
        parameters: p, loss: loss, norm: m.norms[e], superposition: m.superposition[e],
        label: config.thresholds.label(norm: m.norms[e], superposition: m.superposition[e]),
        diverged: diverged.contains(k))
    }
  }

  /// The winning seed of a cell: a seed that did not diverge before any that did, then the
  /// lowest finite loss, then the lower index.
  static func winner(losses: [Double], diverged: [Int]) -> Int {
    func rank(_ k: Int) -> (Int, Double) {
      (diverged.contains(k) ? 1 : 0, losses[k].isFinite ? losses[k] : .infinity)
    }
    var best = 0
    for k in losses.indices.dropFirst() where rank(k) < rank(best) { best = k }
    return best
  }

  /// Row-major cell indexes, coarse to fine: the cells on every s-th row and column for
  /// s = the largest power of two below G, then s/2, …, 1, each cell once.
  public static func coarseToFineOrder(grid g: Int) -> [Int] {
    var stride = 1
    while stride * 2 < g { stride *= 2 }
    var seen = [Bool](repeating: false, count: g * g)
    var order: [Int] = []
    order.reserveCapacity(g * g)
    while stride >= 1 {
      for row in Swift.stride(from: 0, to: g, by: stride) {
        for column in Swift.stride(from: 0, to: g, by: stride) where !seen[row * g + column] {
          seen[row * g + column] = true
          order.append(row * g + column)
        }
      }
      stride /= 2
    }
    return order
  }
}
