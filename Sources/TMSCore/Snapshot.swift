import TMSKernels
import Foundation

/// A saved run: everything needed to rebuild it exactly, plus what a reader wants to see.
///
/// A snapshot holds the full ``RunConfig`` (seed and instance sweep included), the step, and
/// per instance the parameters, the AdamW state (step count t and both moments of every
/// parameter), the random streams (the eight xoshiro128++ lanes of the data stream and the
/// group stream's SplitMix64 state), the loss EMA, and the metrics with the geometry label,
/// together with the run's ``LossHistory``. Restoring it into a ``Run`` (``Run/init(snapshot:threads:onThreadStart:)``)
/// and training N steps gives bit for bit the weights the original run had after N more
/// steps, whatever the thread count.
///
/// On disk it is one JSON document (see ``encoded()`` and ``decode(_:file:)``) whose first
/// keys are `"format": "tms-snapshot"` and `"version": 1` (2 when it holds an SAE, see
/// ``sae``). Every Float and Double is printed
/// in its shortest round-trip form and parsed back correctly rounded, so values survive
/// exactly; NaN losses (before the first step) are written as `null`.
public struct Snapshot: Sendable {
  /// The `format` name in every snapshot file.
  public static let formatName = "tms-snapshot"
  /// The newest schema version this build writes; it reads this version and older ones.
  /// Version 2 added the SAE (``sae`` and `config.sae`), version 3 the recorded history
  /// (``history``); a snapshot without them is still written as version 1, byte for byte as
  /// before.
  public static let formatVersion = 3
  /// What every loss in tms's JSON means, written into each document.
  public static let lossConvention =
    "notebook: mean over batch and features of I_i (target_i - x'_i)^2; the paper's is this × n"

  /// The configuration in force at `step`.
  public var config: RunConfig
  /// Steps since the weights were initialised (the schedule's position).
  public var step: Int
  /// Per-instance state, `config.instances` of them.
  public var instances: [InstanceState]
  /// Loss over training.
  public var lossHistory: LossHistory
  /// When the snapshot was taken, ISO 8601 (informational).
  public var created: String
  /// The SAE's training state, when the run's SAE had started (``RunConfig/sae``).
  public var sae: SAEState?
  /// The recorded history (keyframes and events), when the save asked for it.
  public var history: RunHistory?

  /// The version this snapshot is written as: 3 with a recorded history, 2 with an SAE
  /// state or configuration, else 1 (so a file without them reads in older builds).
  public var version: Int { history != nil ? 3 : sae != nil || config.sae != nil ? 2 : 1 }

  /// Creates a snapshot from its parts (``Run/snapshot(history:evalLoss:)`` is the usual way).
  public init(
    config: RunConfig, step: Int, instances: [InstanceState], lossHistory: LossHistory,
    created: String, sae: SAEState? = nil, history: RunHistory? = nil
  ) {
    self.config = config
    self.step = step
    self.instances = instances
    self.lossHistory = lossHistory
    self.created = created
    self.sae = sae
    self.history = history
  }
}

extension Snapshot {
  /// One instance's complete state.
  public struct InstanceState: Sendable {
    /// W and b (W₁, W₂, b for `abs`).
    public var parameters: Parameters
    /// AdamW state.
    public var optimizer: OptimizerState
    /// Random streams, positioned at the next step.
    public var random: RandomState
    /// Exponential moving average of the training loss (NaN before the first step).
    public var trainLossEMA: Double
    /// Loss of the latest training batch (NaN before the first step).
    public var lastTrainLoss: Double
    /// Why the instance stopped, when it diverged; `nil` otherwise.
    public var divergence: String?
    /// Metrics and geometry label of `parameters` (derived; recomputed on load).
    public var metrics: InstanceMetrics

    /// Creates an instance state.
    public init(
      parameters: Parameters, optimizer: OptimizerState, random: RandomState,
      trainLossEMA: Double, lastTrainLoss: Double, divergence: String?, metrics: InstanceMetrics
    ) {
      self.parameters = parameters
      self.optimizer = optimizer
      self.random = random
      self.trainLossEMA = trainLossEMA
      self.lastTrainLoss = lastTrainLoss
      self.divergence = divergence
      self.metrics = metrics
    }
  }

  /// AdamW's state for one instance, laid out like ``Parameters`` (n rows of m).
  ///
  /// `step` is t, the number of updates applied, which sets the bias corrections
  /// 1 − β₁ᵗ and 1 − β₂ᵗ of the next update.
  public struct OptimizerState: Sendable, Equatable {
    /// t, the number of AdamW updates so far.
    public var step: Int
    /// First moment of W (of W₁ for `abs`).
    public var mW: [[Float]]
    /// Second moment of W (of W₁ for `abs`).
    public var vW: [[Float]]
    /// First moment of W₂ (`abs` only).
    public var mW2: [[Float]]?
    /// Second moment of W₂ (`abs` only).
    public var vW2: [[Float]]?
    /// First moment of b.
    public var mb: [Float]
    /// Second moment of b.
    public var vb: [Float]

    /// Creates an optimiser state.
    public init(
      step: Int, mW: [[Float]], vW: [[Float]], mW2: [[Float]]?, vW2: [[Float]]?, mb: [Float],
      vb: [Float]
    ) {
      self.step = step
      self.mW = mW
      self.vW = vW
      self.mW2 = mW2
      self.vW2 = vW2
      self.mb = mb
      self.vb = vb
    }
  }

  /// The positions of an instance's random streams.
  public struct RandomState: Sendable, Equatable {
    /// The data stream: eight xoshiro128++ generators, as 32 words `s0[0…7], s1[0…7],
    /// s2[0…7], s3[0…7]` (lane l of state word w is `lanes[8w + l]`).
    public var lanes: [UInt32]
    /// The SplitMix64 state of the correlated/anticorrelated group stream.
    public var group: UInt64

    /// Creates a random state.
    public init(lanes: [UInt32], group: UInt64) {
      self.lanes = lanes
      self.group = group
    }
  }
}

extension Snapshot {
  /// The snapshot as the explorer's screens and `tms show` draw it.
  public func trainingSnapshot(version: Int = 1, status: TrainerStatus = .paused)
    -> TrainingSnapshot
  {
    TrainingSnapshot(
      version: version, config: config, step: step, stepsPerSecond: 0, threads: 1,
      status: status, notice: nil,
      instances: instances.map {
        InstanceSnapshot(parameters: $0.parameters, metrics: $0.metrics)
      }, lossHistory: lossHistory, appliedCommands: 0, throttle: nil, sae: saeSnapshot(),
      history: history)
  }

  /// A file name that says what the snapshot holds: `<name>-<step>-<yyyyMMdd-HHmmss>.json`,
  /// the name reduced to letters, digits, `.`, `_` and `-`.
  public func suggestedFileName(date: Date = Date()) -> String {
    let safe = String(
      config.name.unicodeScalars.map { c -> Character in
        let ok =
          c.isASCII
          && (c.properties.isAlphabetic || ("0"..."9").contains(c)
            || "._-".unicodeScalars.contains(c))
        return ok ? Character(c) : "-"
      })
    let name = safe.isEmpty || safe.hasPrefix(".") ? "run" + safe : safe
    return "\(name)-\(step)-\(Self.stamp(date)).json"
  }

  /// Local time as `yyyyMMdd-HHmmss`.
  static func stamp(_ date: Date) -> String {
    var t = time_t(date.timeIntervalSince1970.rounded(.down))
    var parts = tm()
    localtime_r(&t, &parts)
    func two(_ v: Int32) -> String { v < 10 ? "0\(v)" : "\(v)" }
    return "\(parts.tm_year + 1900)\(two(parts.tm_mon + 1))\(two(parts.tm_mday))-"
      + "\(two(parts.tm_hour))\(two(parts.tm_min))\(two(parts.tm_sec))"
  }

  /// UTC time as ISO 8601 with seconds, `2025-01-31T12:00:00Z`.
  static func iso8601(_ date: Date) -> String {
    var t = time_t(date.timeIntervalSince1970.rounded(.down))
    var p = tm()
    gmtime_r(&t, &p)
    func two(_ v: Int32) -> String { v < 10 ? "0\(v)" : "\(v)" }
    return "\(p.tm_year + 1900)-\(two(p.tm_mon + 1))-\(two(p.tm_mday))T"
      + "\(two(p.tm_hour)):\(two(p.tm_min)):\(two(p.tm_sec))Z"
  }
}

extension Snapshot {
  /// The timestamp part of ``suggestedFileName(date:)`` (for tests and tools that look for
  /// a file).
  public static func stampForTests(_ date: Date) -> String { stamp(date) }
}
