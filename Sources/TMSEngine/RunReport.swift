/// The result of a headless run, as `tms train --json` prints it.
///
/// Losses are in the notebook's convention (mean over batch and features) on a fresh
/// evaluation batch; `loss_paper` is the same value × n (the paper's sum over features).
public struct RunReport: Codable, Sendable {
  /// One instance's result.
  public struct Instance: Codable, Sendable {
    /// p_i = 1 − S_i.
    public var feature_probability: [Double]
    /// I_i.
    public var importance: [Double]
    /// Held-out loss, notebook convention.
    public var loss: Double
    /// The same loss × n (the paper's sum over features).
    public var loss_paper: Double
    /// n arrays of length m: `W[i]` is feature i's direction.
    public var W: [[Float]]
    /// abs only: decoder rows, n arrays of length m.
    public var W2: [[Float]]?
    /// Output bias.
    public var b: [Float]
    /// ‖W_i‖.
    public var norms: [Double]
    /// s_i = Σ_{j≠i} (Ŵ_i·W_j)².
    public var superposition: [Double]
    /// D_i = ‖W_i‖² / Σ_j (Ŵ_i·W_j)².
    public var dimensionality: [Double]
    /// D* = m/‖W‖_F².
    public var dimensions_per_feature: Double
    /// ‖WᵀW‖₂, the worst-case gain of an input perturbation (``AttackGain``).
    public var attack_gain: Double
    /// Features with ‖W_i‖ > `represented_threshold`.
    public var represented: Int
    /// The represented threshold (0.5).
    public var represented_threshold: Double
    /// relu-hidden and abs: per neuron max_f |W_kf|/‖W_k‖.
    public var monosemanticity: [Double]?
    /// The arrangement's label, e.g. `5 features in a pentagon`.
    public var geometry: String
    /// The labelled groups behind `geometry`.
    public var geometry_groups: [GeometryLabel.Group]
  }

  /// The configuration trained.
  public var config: RunConfig
  /// Steps trained.
  public var steps: Int
  /// Wall time of training.
  public var seconds: Double
  /// steps / seconds.
  public var steps_per_second: Double
  /// Worker threads.
  public var threads: Int
  /// Held-out samples per instance behind `loss`.
  public var eval_samples: Int
  /// Why training stopped early, when it did.
  public var diverged: String?
  /// One entry per instance.
  public var instances: [Instance]

  /// Evaluates `run` on `evalSamples` held-out samples per instance and collects the report.
  public static func make(run: Run, seconds: Double, steps: Int, evalSamples: Int) -> RunReport {
    let losses = run.evaluate(samples: evalSamples)
    let n = Double(run.config.features)
    let instances = (0..<run.config.instances).map { k -> Instance in
      let p = run.parameters(instance: k)
      let m = run.metrics(instance: k, evalLoss: losses[k])
      return Instance(
        feature_probability: m.featureProbability, importance: m.importance, loss: losses[k],
        loss_paper: losses[k] * n, W: p.W, W2: p.W2, b: p.b, norms: m.norms,
        superposition: m.superposition, dimensionality: m.dimensionality,
        dimensions_per_feature: m.dimensionsPerFeature,
        attack_gain: AttackGain.of(p.W, W2: p.W2, hidden: run.config.hidden),
        represented: m.represented,
        represented_threshold: m.representedThreshold,
        monosemanticity: m.monosemanticity.isEmpty ? nil : m.monosemanticity,
        geometry: m.geometry.text, geometry_groups: m.geometry.groups)
    }
    let d = run.divergence.map { "instance \($0.instance): \($0.reason)" }
    return RunReport(
      config: run.config, steps: steps, seconds: seconds,
      steps_per_second: seconds > 0 ? Double(steps) / seconds : 0, threads: run.threads,
      eval_samples: evalSamples, diverged: d, instances: instances)
  }
}
