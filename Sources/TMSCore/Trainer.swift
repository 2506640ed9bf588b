import Dispatch
import Foundation
import Synchronization

/// Trains a ``Run`` live on its own thread while a screen watches and steers it.
///
/// Commands (`pause`, `update`, `reset`, …) are queued and applied between steps, so a
/// change of sparsity or importance acts on the *current* weights at the next step and the
/// user watches the phase change happen. The trainer publishes an immutable
/// ``TrainingSnapshot`` at most every `publishInterval`; readers take it with ``snapshot``,
/// which only swaps a reference under a lock, so a slow reader never slows training.
///
/// Training runs in chunks of steps sized to take about `chunkTarget`, so commands take
/// effect within a few milliseconds while the per-chunk overhead stays negligible.
public final class Trainer: Sendable {
  /// A queued control command.
  enum Command: Sendable {
    case pause, resume, togglePause
    case step(Int)
    case reset(UInt64?)
    case update(@Sendable (inout RunConfig) -> Void)
    case throttle(Double?)
    /// Runs on the training thread between two chunks with the run and its loss history.
    case checkpoint(@Sendable (Run, LossHistory, RunHistory?) -> Void)
    case bestOfSeeds(instance: Int, seeds: Int)
    case cancelSeedSearch
  }

  struct Control: Sendable {
    var queue: [Command] = []
    var issued = 0
    var shutdown = false
  }

  private let control = Locked(Control())
  private let latest: Locked<TrainingSnapshot>
  private let wake = DispatchSemaphore(value: 0)
  private let finished = DispatchSemaphore(value: 0)
  private let started = Atomic<Bool>(false)
  private let owned: Locked<Run?>
  /// Minimum time between publications.
  public let publishInterval: Duration
  /// Target duration of one chunk of steps.
  public let chunkTarget: Duration

  /// The loss history the training thread starts from.
  let initialHistory: LossHistory
  /// The recorded history the training thread starts from (nil: no recording).
  let initialRecording: RunHistory?
  /// Runs first on the training thread (the explorer blocks terminal signals there).
  let onThreadStart: (@Sendable () -> Void)?

  /// Wraps `run` (which the trainer owns from now on); starts paused when `paused` is true.
  /// `history` continues a loss history already recorded (a run resumed from a snapshot).
  /// `recording` turns recording on: keyframes go into it (an empty ``RunHistory`` with the
  /// memory budget, or a saved one to continue), and every snapshot publishes it.
  public init(
    run: Run, paused: Bool = false, publishInterval: Duration = .milliseconds(16),
    chunkTarget: Duration = .milliseconds(4), history: LossHistory = LossHistory(),
    recording: RunHistory? = nil, onThreadStart: (@Sendable () -> Void)? = nil
  ) {
    self.onThreadStart = onThreadStart
    self.initialHistory = history
    self.initialRecording = recording
    self.publishInterval = publishInterval
    self.chunkTarget = chunkTarget
    owned = Locked(run)
    let snap = TrainingSnapshot.capture(
      run, status: paused ? .paused : .running, evalSamples: 0, history: history, version: 0,
      recording: recording)
    latest = Locked(snap)
    if paused {
      control.withLock {
        $0.queue.append(.pause)
        $0.issued += 1
      }
    }
  }

  /// The latest published snapshot (cheap: a reference swap under a lock).
  public var snapshot: TrainingSnapshot { latest.withLock { $0 } }

  /// Starts the training thread (once).
  public func start() {
    guard !started.exchange(true, ordering: .acquiringAndReleasing) else { return }
    guard
      let run = owned.withLock({ r -> Run? in
        let x = r
        r = nil
        return x
      })
    else { return }
    let box = UncheckedBox(run)
    let thread = Thread { [self] in
      self.onThreadStart?()
      self.loop(box.value)
      self.finished.signal()
    }
    thread.name = "tms-trainer"
    thread.stackSize = 8 << 20
    thread.start()
  }

  /// Stops the training thread and waits for it to finish its current chunk.
  public func shutdown() {
    control.withLock { $0.shutdown = true }
    wake.signal()
    if started.load(ordering: .acquiring) { finished.wait() }
  }

  func send(_ c: Command) {
    control.withLock {
      $0.queue.append(c)
      $0.issued += 1
    }
    wake.signal()
  }

  /// Pauses after the current chunk.
  public func pause() { send(.pause) }
  /// Resumes full-speed (or throttled) training; also continues after a divergence.
  public func resume() { send(.resume) }
  /// Pauses when running, resumes when paused.
  public func togglePause() { send(.togglePause) }
  /// Runs exactly `count` steps, then pauses.
  public func step(_ count: Int = 1) { send(.step(max(1, count))) }
  /// Re-initialises the weights with `seed` (or the current seed) and restarts the streams.
  public func reset(seed: UInt64? = nil) { send(.reset(seed)) }
  /// Edits the configuration. Data, importance and optimiser fields act on the current
  /// weights at the next step; n, m, K, model, seed or init std re-initialise. An invalid
  /// result is rejected with a notice in the next snapshot and the old configuration kept.
  public func update(_ edit: @Sendable @escaping (inout RunConfig) -> Void) { send(.update(edit)) }
  /// Limits training to `stepsPerSecond` (nil = full speed).
  public func setThrottle(stepsPerSecond: Double?) { send(.throttle(stepsPerSecond)) }
  /// Trains `seeds` seeds of `instance`'s exact configuration side by side on the training
  /// thread, in chunks between commands, and puts the best into the instance when it beats
  /// the instance's weights (see ``LiveSeedSearch``). The run holds meanwhile (the seeds get
  /// the cores); snapshots publish the progress and the outcome (``TrainingSnapshot/seedSearch``).
  /// A reset or configuration edit cancels it, as does a new search.
  public func bestOfSeeds(instance: Int, seeds: Int) {
    send(.bestOfSeeds(instance: instance, seeds: seeds))
  }
  /// Stops a best-of-seeds search still training; the instance keeps its weights.
  public func cancelSeedSearch() { send(.cancelSeedSearch) }

  /// Blocks until every command sent so far is applied and a snapshot reflecting it is
  /// published (for tests and headless scripts; a UI never calls this). Returns nil on timeout.
  @discardableResult
  public func waitUntilApplied(timeout: Duration = .seconds(10)) -> TrainingSnapshot? {
    let target = control.withLock { $0.issued }
    let clock = ContinuousClock()
    let deadline = clock.now + timeout
    while clock.now < deadline {
      let s = snapshot
      if s.appliedCommands >= target { return s }
      wake.signal()
      Thread.sleep(forTimeInterval: 0.001)
    }
    return nil
  }

  // MARK: - The training thread

  private func loop(_ run: Run) {
    let clock = ContinuousClock()
    var paused = false
    var pendingSteps = 0
    var throttle: Double? = nil
    var applied = 0
    // `step` commands whose steps are not all trained yet: a snapshot counts them as applied
    // only once they are (chunks end at due frames, so steps may span several chunks).
    var heldSteps = 0
    var notice: String? = nil
    var history = initialHistory
    var dimensions = DimensionalityHistory()
    var chunk = 1
    var speed = 0.0
    var version = latest.withLock { $0.version }
    var lastPublish = clock.now - publishInterval
    var lastEval = clock.now - .seconds(10)
    // Publishing computes every instance's metrics on this thread, which is also a training
    // worker; the interval stretches so that publishing costs at most ~3% of training time.
    var publishCost = Duration.zero
    var evalLoss: [LossEstimate]? = nil
    var saeHeldOut: [SAEHeldOut]? = nil
    var dirty = true
    var throttleStart = clock.now
    var throttleSteps = 0
    var search: LiveSeedSearch? = nil
    var searches = 0
    var searchChunk = 1
    var recording = initialRecording
    // Frames recorded between publications cost what a publication costs; they are taken
    // only while that cost stays under `recordShare` of the training time (plus a start-up
    // allowance, so the first steps are recorded densely).
    var recordCost = Duration.zero
    var trainTime = Duration.zero

    while true {
      let (commands, stop) = control.withLock { c -> ([Command], Bool) in
        let q = c.queue
        c.queue.removeAll(keepingCapacity: true)
        return (q, c.shutdown)
      }
      if stop { break }
      for command in commands {
        switch command {
        case .pause: paused = true
        case .resume:
          paused = false
          pendingSteps = 0
          run.clearDivergence()
          restartThrottleWindow()
        case .togglePause:
          paused.toggle()
          if !paused {
            run.clearDivergence()
            restartThrottleWindow()
          }
        case .step(let n):
          paused = true
          pendingSteps += n
          heldSteps += 1
          run.clearDivergence()
        case .reset(let seed):
          search?.cancel("the run was re-initialised")
          run.reset(seed: seed)
          history = LossHistory()
          dimensions = DimensionalityHistory()
          recording = recording.map { RunHistory(budget: $0.budget) }
          evalLoss = nil
          saeHeldOut = nil
          lastEval = clock.now - .seconds(10)
        case .update(let edit):
          search?.cancel("the configuration changed")
          var c = run.config
          edit(&c)
          c.conformShapes()
          do {
            if try run.apply(c) {
              history = LossHistory()
              dimensions = DimensionalityHistory()
              recording = recording.map { RunHistory(budget: $0.budget) }
              evalLoss = nil
            }
            saeHeldOut = nil
            lastEval = clock.now - .seconds(10)
            notice = nil
          } catch {
            notice = "rejected: \(error.description)"
          }
        case .throttle(let rate):
          throttle = rate.flatMap { $0 > 0 && $0.isFinite ? $0 : nil }
          throttleStart = clock.now
          throttleSteps = 0
        case .checkpoint(let take):
          take(run, history, recording)
        case .bestOfSeeds(let instance, let seeds):
          search?.cancel("a new search started")
          searches += 1
          search = LiveSeedSearch(run: run, instance: instance, seeds: seeds, id: searches)
          searchChunk = 1
        case .cancelSeedSearch:
          search?.cancel("cancelled")
        }
        applied += 1
        dirty = true
      }

      let searching = search?.isActive ?? false
      if searching { advanceSearch() }
      let diverged = run.divergence
      let canRun = !searching && diverged == nil && (!paused || pendingSteps > 0)
      let framesAllowed =
        recordCost <= trainTime * HistoryRecorder.share + HistoryRecorder.allowance
      if canRun, framesAllowed, recording?.isDue(step: run.step) == true {
        let t0 = clock.now
        publish()
        recordCost += clock.now - t0
      }
      if canRun {
        var n = paused ? pendingSteps : chunk
        var capped = false
        if framesAllowed, let r = recording, r.nextStep - run.step < n {
          n = max(1, r.nextStep - run.step)
          capped = true
        }
        if let rate = throttle, !paused {
          let elapsed = (clock.now - throttleStart).secondsValue
          let allowed = Int(elapsed * rate) - throttleSteps
          n = min(n, max(0, allowed))
          if n == 0 {
            publishIfDue()
            _ = wake.wait(timeout: .now() + .milliseconds(Int(max(1, min(20, 1000 / rate)))))
            continue
          }
        }
        let t0 = clock.now
        let saeBefore = run.saeStarted
        let done = run.advance(steps: n)
        if run.saeStarted != saeBefore { saeHeldOut = nil }
        trainTime += clock.now - t0
        let dt = (clock.now - t0).secondsValue
        throttleSteps += done
        if paused { pendingSteps = run.divergence == nil ? max(0, pendingSteps - done) : 0 }
        if run.divergence != nil {
          // Steps after a blow-up stop at once: neither the chunk size nor the speed may
          // learn from them, or the next resume runs 100,000-step chunks blind.
          chunk = 1
        } else if dt > 0 {
          // Throttled, the time between chunks is spent waiting: the rate shown is steps over
          // wall time since the throttle window opened, not over compute time.
          let rate =
            throttle != nil && !paused
            ? Double(throttleSteps) / max(1e-3, (clock.now - throttleStart).secondsValue)
            : Double(done) / dt
          speed = speed == 0 || throttle != nil ? rate : 0.8 * speed + 0.2 * rate
          if !paused && !capped { chunk = resized(chunk, took: dt) }
        }
        history.record(step: run.step, losses: run.trainLossEMA)
        dirty = true
        if run.divergence != nil { paused = true }
      }
      publishIfDue()
      if !canRun && !searching {
        _ = wake.wait(timeout: .now() + .milliseconds(50))
      }

      // One chunk of the seed search; at its end the instance may hold new weights, whose
      // held-out loss is measured at the next publication.
      func advanceSearch() {
        let t0 = clock.now
        let ended = search?.advance(run: run, steps: searchChunk) ?? false
        let dt = (clock.now - t0).secondsValue
        if dt > 0 { searchChunk = resized(searchChunk, took: dt) }
        if ended, case .adopted = search?.status.outcome { lastEval = clock.now - .seconds(10) }
        dirty = true
      }

      // The next chunk's size: about `chunkTarget` at the speed just measured.
      func resized(_ size: Int, took dt: Double) -> Int {
        let target = chunkTarget.secondsValue
        var next = max(1, min(100_000, Int(Double(size) * target / dt)))
        if dt < target / 2 { next = max(next, next * 2) }
        return next
      }

      // A throttle allows `rate` steps per second of running time: time spent paused must not
      // turn into a burst of catch-up steps.
      func restartThrottleWindow() {
        throttleStart = clock.now
        throttleSteps = 0
      }

      func publishIfDue() {
        let now = clock.now
        let interval = max(publishInterval, publishCost * 30)
        guard dirty, now - lastPublish >= interval || (!canRun && !searching) else { return }
        publish()
      }

      // Publishes a snapshot now, recording a frame when one is due.
      func publish() {
        let now = clock.now
        if now - lastEval >= max(.seconds(1), publishCost * 100) {
          evalLoss = run.estimateLosses(samples: run.config.training.batchSize)
          saeHeldOut = run.saeStarted ? run.evaluateSAE(samples: Self.saeEvalSamples) : nil
          lastEval = now
        }
        version += 1
        if pendingSteps == 0 || !canRun { heldSteps = 0 }
        let status: TrainerStatus =
          if let d = run.divergence {
            .diverged(instance: d.instance, reason: d.reason)
          } else if paused { .paused } else { .running }
        let instances = Self.instanceSnapshots(run: run, evalLoss: evalLoss)
        dimensions.record(step: run.step, dimensionality: instances.map(\.metrics.dimensionality))
        if recording?.isDue(step: run.step) == true {
          recording?.record(step: run.step, config: run.config, instances: instances)
        }
        let snap = TrainingSnapshot(
          version: version, config: run.config, step: run.step,
          stepsPerSecond: canRun ? speed : 0, threads: run.threads, status: status,
          notice: notice ?? run.saeNotice, instances: instances, lossHistory: history,
          appliedCommands: applied - heldSteps,
          throttle: throttle, dimensionalityHistory: dimensions,
          sae: run.saeSnapshot(heldOut: saeHeldOut), seedSearch: search?.status,
          history: recording)
        latest.withLock { $0 = snap }
        let cost = clock.now - now
        publishCost = publishCost == .zero ? cost : (publishCost * 4 + cost) / 5
        lastPublish = now
        dirty = false
      }
    }
  }

  /// Held-out samples of each live SAE measurement (about a second apart): enough for the
  /// spliced loss to a few percent at p = 0.01, a few milliseconds for 100→20.
  static let saeEvalSamples = 4096

  /// Every instance's parameters and metrics, computed on the run's workers.
  public static func instanceSnapshots(run: Run, evalLoss: [LossEstimate]?) -> [InstanceSnapshot] {
    run.mapInstances { k in
      var metrics = run.metrics(instance: k, evalLoss: evalLoss?[k].mean ?? .nan)
      metrics.evalLossError = evalLoss?[k].standardError ?? .nan
      return InstanceSnapshot(parameters: run.parameters(instance: k), metrics: metrics)
    }
  }
}

/// Moves a value that is used by one thread at a time across a thread boundary.
struct UncheckedBox<T>: @unchecked Sendable {
  let value: T
  init(_ value: T) { self.value = value }
}

extension Duration {
  /// The duration in seconds as a Double (for rates: steps/s, frames/s).
  public var secondsValue: Double {
    let (s, a) = components
    return Double(s) + Double(a) * 1e-18
  }
}

extension TrainingSnapshot {
  /// A snapshot of `run` taken synchronously on the calling thread (headless `tms show`,
  /// tests): metrics from the current weights and, when `evalSamples` > 0, the held-out loss.
  public static func capture(
    _ run: Run, status: TrainerStatus = .paused, evalSamples: Int = 1024,
    history: LossHistory = LossHistory(), version: Int = 1, recording: RunHistory? = nil
  ) -> TrainingSnapshot {
    TrainingSnapshot(
      version: version, config: run.config, step: run.step, stepsPerSecond: 0,
      threads: run.threads, status: status, notice: nil,
      instances: Trainer.instanceSnapshots(
        run: run, evalLoss: evalSamples > 0 ? run.estimateLosses(samples: evalSamples) : nil),
      lossHistory: history, appliedCommands: 0, throttle: nil,
      sae: run.saeSnapshot(heldOut: evalSamples > 0 ? run.evaluateSAE(samples: evalSamples) : nil),
      history: recording)
  }
}
