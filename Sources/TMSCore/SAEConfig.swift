import TMSKernels

/// A sparse autoencoder (SAE) trained on the hidden activations of a trained, frozen toy
/// model: the paper's "way out" of superposition, finding the features afterwards by sparse
/// dictionary learning (Sharkey et al. 2022; §8 of the notes).
///
/// SAE instance s reads model instance ``modelInstance`` (or s mod K when nil) and learns
/// d = ``latents`` directions: with h = σ_h(W x),
///   z = ReLU(W_enc (h − b_dec) + b_enc),  ĥ = W_dec z + b_dec,
///   loss = E‖h − ĥ‖² + λ_s E‖z‖₁,
/// decoder columns kept at unit norm (``unitNormDecoder``), Adam, and dead latents resampled
/// (``resample``, after ``deadSteps`` steps without firing). Several SAEs train side by side,
/// each with its own λ (a λ sweep). Every field is declared once in ``fields``; in a run
/// configuration the SAE is the optional ``RunConfig/sae`` (key `sae`), and it starts when the
/// model has trained its `steps`.
public struct SAEConfig: Sendable, Equatable {
  /// d, the number of latents (the dictionary's size).
  public var latents: Int
  /// SAE instances trained side by side.
  public var instances: Int
  /// λ of each SAE instance (the L1 coefficient), one per instance.
  public var l1Coefficient: [Double]
  /// The model instance every SAE reads; nil: SAE instance s reads model instance s mod K.
  public var modelInstance: Int?
  /// Adam's learning rate.
  public var learningRate: Double
  /// Adam β₁.
  public var beta1: Double
  /// Adam β₂.
  public var beta2: Double
  /// Adam ε.
  public var epsilon: Double
  /// Samples per SAE step.
  public var batchSize: Int
  /// SAE steps of a headless run (`tms sae`); the explorer trains on.
  public var steps: Int
  /// Keep every decoder column at unit norm (else the L1 penalty can be dodged by shrinking
  /// z and growing W_dec).
  public var unitNormDecoder: Bool
  /// Resample dead latents.
  public var resample: Bool
  /// A latent is dead when it has not fired (z_j > 0 on any sample of a batch) for this many
  /// steps; with ``resample`` it is then resampled (at most once per as many steps).
  public var deadSteps: Int
  /// Seed of the SAE's streams (initialisation, data, resampling).
  public var seed: UInt64

  /// The teaching setup's SAE (5 latents, λ = 0.5, unit-norm decoder, resampling, Adam lr
  /// 1e-3, batch 1024) with `instances` instances; each field can be given instead.
  public init(
    latents: Int = 5, instances: Int = 1, l1Coefficient: [Double]? = nil,
    modelInstance: Int? = nil, learningRate: Double = 1e-3, beta1: Double = 0.9,
    beta2: Double = 0.999, epsilon: Double = 1e-8, batchSize: Int = 1024, steps: Int = 10_000,
    unitNormDecoder: Bool = true, resample: Bool = true, deadSteps: Int = 500, seed: UInt64 = 0
  ) {
    self.latents = latents
    self.instances = instances
    self.l1Coefficient = l1Coefficient ?? Array(repeating: 0.5, count: max(0, instances))
    self.modelInstance = modelInstance
    self.learningRate = learningRate
    self.beta1 = beta1
    self.beta2 = beta2
    self.epsilon = epsilon
    self.batchSize = batchSize
    self.steps = steps
    self.unitNormDecoder = unitNormDecoder
    self.resample = resample
    self.deadSteps = deadSteps
    self.seed = seed
  }

  /// The model instance SAE instance `s` reads, for a model of `modelInstances` instances.
  public func source(of s: Int, modelInstances: Int) -> Int {
    modelInstance ?? (s % max(1, modelInstances))
  }

  /// Sets λ of every SAE instance.
  public mutating func setL1(_ lambda: Double) {
    l1Coefficient = Array(repeating: lambda, count: instances)
  }

  /// Sets λ log-spaced from `low` (instance 0) to `high` (the last instance).
  public mutating func setL1Sweep(from low: Double, to high: Double) {
    l1Coefficient = Curve.logRange(from: low, to: high, count: instances)
  }

  /// Fits the λ list to ``instances``: keeps what fits and extends with the last value.
  public mutating func conformShapes() {
    if l1Coefficient.count > instances {
      l1Coefficient = Array(l1Coefficient.prefix(max(0, instances)))
    }
    while l1Coefficient.count < instances { l1Coefficient.append(l1Coefficient.last ?? 0.5) }
  }

  /// Adam's and the step's settings for the kernels.
  package var stepSettings: SAEEngine.StepSettings {
    SAEEngine.StepSettings(
      learningRate: Float(learningRate), beta1: Float(beta1), beta2: Float(beta2),
      epsilon: Float(epsilon), unitNormDecoder: unitNormDecoder, resample: resample,
      deadSteps: deadSteps)
  }

  /// True when a change from `old` to `new` needs fresh SAE weights: a field that is not
  /// ``ConfigField/live`` (latents, instances, the model instance read, the seed) changed.
  public static func needsReinitialisation(from old: SAEConfig, to new: SAEConfig) -> Bool {
    fields.contains { !$0.live && !$0.same(old, new) }
  }

  /// Checks every field, throwing the first problem with the field's name and range.
  public func validate() throws(ConfigError) {
    try Self.fields.check(self)
  }
}
