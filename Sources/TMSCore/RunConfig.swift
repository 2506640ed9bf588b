import TMSKernels

/// Everything needed to build (and rebuild) a training run of K independent instances.
///
/// The model's shape and data are here; how it is trained is ``training``, the part a run
/// shares with a phase sweep. Every field is declared once in ``fields``. Defaults are the
/// notebook's (see ``TrainingSettings``), with Xavier-normal init std = √(2/(n·m + K·m)).
/// Loss values are reported in the notebook's convention (mean over batch and features); the
/// paper's convention is that value × n.
public struct RunConfig: Sendable, Equatable {
  /// Preset or run name, used in snapshot file names; free text.
  public var name: String
  /// Which of the four models.
  public var model: ModelKind
  /// n, the number of features.
  public var features: Int
  /// m, the number of hidden dimensions (neurons for relu-hidden and abs).
  public var hidden: Int
  /// K, the number of independent instances trained side by side.
  public var instances: Int
  /// p_i = 1 − S_i per instance and feature: `featureProbability[k][i]`.
  public var featureProbability: [[Double]]
  /// I_i per instance and feature: `importance[k][i]`.
  public var importance: [[Double]]
  /// Correlated and anticorrelated feature sets (the same in every instance).
  public var groups: [FeatureGroup]
  /// Optimiser, schedule, length and seed.
  public var training: TrainingSettings
  /// A sparse autoencoder to train on the model's hidden activations once the model has
  /// trained `training.steps` steps (the model is then frozen), or nil.
  public var sae: SAEConfig?

  /// Creates a configuration; unspecified fields take the notebook's defaults.
  public init(
    name: String = "custom", model: ModelKind = .reluOutput, features: Int = 5, hidden: Int = 2,
    instances: Int = 1, featureProbability: [[Double]]? = nil, importance: [[Double]]? = nil,
    groups: [FeatureGroup] = [], training: TrainingSettings = TrainingSettings(),
    sae: SAEConfig? = nil
  ) {
    self.name = name
    self.model = model
    self.features = features
    self.hidden = hidden
    self.instances = instances
    self.featureProbability =
      featureProbability
      ?? Array(repeating: Curve.constant(1, count: features), count: max(0, instances))
    self.importance =
      importance
      ?? Array(repeating: Curve.constant(1, count: features), count: max(0, instances))
    self.groups = groups
    self.training = training
    self.sae = sae
  }

  /// The standard deviation actually used to initialise W: `initStd` or √(2/(n·m + K·m)).
  public var effectiveInitStd: Double {
    training.initStd ?? libSqrt(2.0 / Double(features * hidden + instances * hidden))
  }

  /// The notebook's intro experiment: n = 5, m = 2, I = 0.9ⁱ, ten instances with
  /// p = 20^(−linspace(0, 1, 10)) from dense (p = 1) to sparse (p = 0.05).
  public static func intro() -> RunConfig {
    var c = RunConfig(name: "intro", model: .reluOutput, features: 5, hidden: 2, instances: 10)
    c.setImportanceDecay(0.9)
    c.setProbabilitySweep(from: 1, to: 0.05)
    return c
  }

  /// Sets I_i = rⁱ for every instance.
  public mutating func setImportanceDecay(_ r: Double) {
    importance = Array(repeating: Curve.geometric(r, count: features), count: instances)
  }

  /// Sets p_i = `p` for every feature of every instance.
  public mutating func setUniformProbability(_ p: Double) {
    featureProbability = Array(repeating: Curve.constant(p, count: features), count: instances)
  }

  /// Sets instance k's p (all features) log-spaced from `high` (k = 0) to `low` (k = K−1).
  public mutating func setProbabilitySweep(from high: Double, to low: Double) {
    featureProbability = Curve.logRange(from: high, to: low, count: instances).map {
      Curve.constant($0, count: features)
    }
  }

  /// Resizes the per-instance vectors after a change of n or K, keeping what still fits and
  /// extending with each row's last value (or 1), so a slider on n never loses the curves.
  public mutating func conformShapes() {
    func conform(_ rows: [[Double]], geometricFallback: Bool) -> [[Double]] {
      (0..<max(0, instances)).map { k in
        let row = rows.isEmpty ? [] : rows[min(k, rows.count - 1)]
        if row.count >= features { return Array(row.prefix(max(0, features))) }
        var out = row
        if geometricFallback, row.count >= 2, row[0] > 0 {
          let r = row[1] / row[0]
          while out.count < features { out.append((out.last ?? 1) * r) }
        } else {
          while out.count < features { out.append(row.last ?? 1) }
        }
        return out
      }
    }
    featureProbability = conform(featureProbability, geometricFallback: false)
    importance = conform(importance, geometricFallback: true)
    groups = groups.filter { $0.features.allSatisfy { $0 < features } }
    sae?.conformShapes()
  }
}
