import TMSKernels

/// How a model is trained: the optimiser, its schedule, the run's length and its seeding.
///
/// A run (``RunConfig``) and a phase sweep (``PhaseSweepConfig``) share these, declared once
/// in ``fields``. Defaults are the notebook's: AdamW lr 1e-3, betas (0.9, 0.999), eps 1e-8,
/// decoupled weight decay 0.01 on every parameter including b, batch 1024, 10,000 steps,
/// constant schedule; the initial scale defaults to the notebook's Xavier normal of the
/// whole batched tensor, which the owner of these settings computes (it depends on shapes).
public struct TrainingSettings: Sendable, Equatable {
  /// Samples per step.
  public var batchSize: Int
  /// Base learning rate of AdamW.
  public var learningRate: Double
  /// AdamW β₁.
  public var beta1: Double
  /// AdamW β₂.
  public var beta2: Double
  /// AdamW ε.
  public var epsilon: Double
  /// Decoupled weight decay, applied to every parameter including b.
  public var weightDecay: Double
  /// Learning-rate schedule over `steps`.
  public var schedule: Schedule
  /// Length of a headless run and the horizon of the schedule (0 = open-ended, constant lr).
  public var steps: Int
  /// Seed of every random stream (initialisation and data).
  public var seed: UInt64
  /// Standard deviation of the initial weights; `nil` means the notebook's Xavier normal.
  public var initStd: Double?

  /// Settings with the notebook's defaults for anything not given.
  public init(
    batchSize: Int = 1024, learningRate: Double = 1e-3, beta1: Double = 0.9,
    beta2: Double = 0.999, epsilon: Double = 1e-8, weightDecay: Double = 0.01,
    schedule: Schedule = .constant, steps: Int = 10_000, seed: UInt64 = 0,
    initStd: Double? = nil
  ) {
    self.batchSize = batchSize
    self.learningRate = learningRate
    self.beta1 = beta1
    self.beta2 = beta2
    self.epsilon = epsilon
    self.weightDecay = weightDecay
    self.schedule = schedule
    self.steps = steps
    self.seed = seed
    self.initStd = initStd
  }

  /// Largest batch.
  public static let maxBatch = 1 << 16
  /// Longest run.
  public static let maxSteps = 1_000_000_000

  /// Every training field, in the order files list them.
  public static let fields: [ConfigField<TrainingSettings>] = [
    .integer(
      "batch_size", \.batchSize, in: 1...maxBatch, flag: "batch", help: "Samples per step",
      live: true),
    .number("lr", \.learningRate, .positive, flag: "lr", help: "AdamW learning rate", live: true),
    .number("beta1", \.beta1, .unitHalfOpen, flag: "beta1", help: "AdamW β₁", live: true),
    .number("beta2", \.beta2, .unitHalfOpen, flag: "beta2", help: "AdamW β₂", live: true),
    .number("eps", \.epsilon, .positive, flag: "eps", help: "AdamW ε", live: true),
    .number(
      "weight_decay", \.weightDecay, .nonNegative, flag: "weight-decay",
      help: "AdamW decoupled weight decay (on W and b)", live: true),
    .choice(
      "schedule", \.schedule, flag: "schedule", help: "Learning-rate schedule over the steps",
      live: true),
    .integer(
      "steps", \.steps, in: 0...maxSteps, flag: "steps",
      help: "Training steps (the schedule's horizon; 0 = open-ended)", live: true),
    .integer(
      "seed", \.seed, in: 0...UInt64.max, flag: "seed",
      help: "Seed of every random stream (initialisation and data)", live: false),
    .optionalNumber(
      "init_std", \.initStd, .positive, flag: "init-std",
      help: "Standard deviation of the initial weights (default: the notebook's Xavier normal)",
      live: false),
  ]

  /// AdamW's settings at zero-based `step`: the schedule's factor applied to the base rate.
  package func stepSettings(at step: Int) -> InstanceEngine.StepSettings {
    let f = schedule.factor(step: step, steps: steps)
    return InstanceEngine.StepSettings(
      learningRate: Float(learningRate * f), beta1: Float(beta1), beta2: Float(beta2),
      epsilon: Float(epsilon), weightDecay: Float(weightDecay))
  }
}
