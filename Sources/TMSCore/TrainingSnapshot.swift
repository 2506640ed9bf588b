/// What the trainer is doing.
public enum TrainerStatus: Sendable, Equatable {
  /// Training as fast as allowed.
  case running
  /// Waiting for resume or single steps.
  case paused
  /// Stopped on a non-finite loss or weight; the last finite parameters are kept.
  case diverged(instance: Int, reason: String)

  /// One word for status lines: `running`, `paused`, `diverged`.
  public var word: String {
    switch self {
    case .running: "running"
    case .paused: "paused"
    case .diverged: "diverged"
    }
  }
}

/// One instance as a screen draws it: parameters and metrics, frozen at publication.
public struct InstanceSnapshot: Sendable, Equatable {
  /// The weights.
  public var parameters: Parameters
  /// Metrics computed from them.
  public var metrics: InstanceMetrics

  /// An instance of these weights and metrics.
  public init(parameters: Parameters, metrics: InstanceMetrics) {
    self.parameters = parameters
    self.metrics = metrics
  }
}

/// A bounded history of per-instance training loss (notebook convention).
///
/// Holds at most `capacity` points; when full, every other point is dropped and the sampling
/// stride doubles, so the whole run stays visible at bounded memory.
public struct LossHistory: Sendable, Equatable {
  /// Steps at which the losses were recorded.
  public private(set) var steps: [Int] = []
  /// `loss[p][k]`: instance k's loss EMA at point p.
  public private(set) var loss: [[Double]] = []
  /// Maximum number of points kept.
  public var capacity: Int
  /// Minimum number of steps between recorded points.
  public private(set) var stride: Int = 1

  /// An empty history.
  public init(capacity: Int = 512) { self.capacity = max(4, capacity) }

  /// A history with exactly these points (a saved one). `loss[p]` holds one value per
  /// instance for `steps[p]`; steps increase and there are at most `capacity` of them.
  public init(capacity: Int, stride: Int, steps: [Int], loss: [[Double]]) {
    self.capacity = max(4, capacity)
    self.stride = max(1, stride)
    self.steps = steps
    self.loss = loss
  }

  /// Records a point unless it comes less than `stride` steps after the previous one.
  public mutating func record(step: Int, losses: [Double]) {
    if let last = steps.last, step - last < stride { return }
    steps.append(step)
    loss.append(losses)
    if steps.count > capacity {
      steps = steps.enumerated().filter { $0.offset % 2 == 0 }.map(\.element)
      loss = loss.enumerated().filter { $0.offset % 2 == 0 }.map(\.element)
      stride *= 2
    }
  }

  /// Instance k's loss series.
  public func series(instance k: Int) -> [Double] {
    loss.map { k < $0.count ? $0[k] : .nan }
  }
}

/// An immutable picture of a run, published by the ``Trainer`` and read by screens.
///
/// A final class so that publishing and reading swap one reference under a lock: a reader
/// never sees a half-written state and never holds up the trainer.
public final class TrainingSnapshot: Sendable {
  /// Increases with every publication.
  public let version: Int
  /// The configuration in force at `step`.
  public let config: RunConfig
  /// Steps since the weights were initialised.
  public let step: Int
  /// Recent training speed.
  public let stepsPerSecond: Double
  /// Worker threads in use.
  public let threads: Int
  /// Running, paused or diverged.
  public let status: TrainerStatus
  /// The last rejected edit or other notice, for a toast; `nil` when none.
  public let notice: String?
  /// Per-instance weights and metrics.
  public let instances: [InstanceSnapshot]
  /// Loss over steps.
  public let lossHistory: LossHistory
  /// Every feature's D_i over steps (empty for runs too large to record).
  public let dimensionalityHistory: DimensionalityHistory
  /// The number of control commands the trainer had applied when it published this.
  public let appliedCommands: Int
  /// The step limit of a throttled run, steps per second; `nil` = full speed.
  public let throttle: Double?
  /// The SAE training on the frozen model, once it has started (``RunConfig/sae``).
  public let sae: SAESnapshot?
  /// The latest best-of-seeds search, training or ended; nil before the first.
  public let seedSearch: SeedSearchStatus?
  /// The recorded history (keyframes and events), nil when the trainer does not record.
  public let history: RunHistory?
  /// For a picture of a recorded frame, the live run's step meanwhile; nil for the live run.
  public let liveStep: Int?

  /// Creates a snapshot.
  public init(
    version: Int, config: RunConfig, step: Int, stepsPerSecond: Double, threads: Int,
    status: TrainerStatus, notice: String?, instances: [InstanceSnapshot],
    lossHistory: LossHistory, appliedCommands: Int, throttle: Double?,
    dimensionalityHistory: DimensionalityHistory = DimensionalityHistory(),
    sae: SAESnapshot? = nil, seedSearch: SeedSearchStatus? = nil, history: RunHistory? = nil,
    liveStep: Int? = nil
  ) {
    self.version = version
    self.config = config
    self.step = step
    self.stepsPerSecond = stepsPerSecond
    self.threads = threads
    self.status = status
    self.notice = notice
    self.instances = instances
    self.lossHistory = lossHistory
    self.dimensionalityHistory = dimensionalityHistory
    self.appliedCommands = appliedCommands
    self.throttle = throttle
    self.sae = sae
    self.seedSearch = seedSearch
    self.history = history
    self.liveStep = liveStep
  }
}
