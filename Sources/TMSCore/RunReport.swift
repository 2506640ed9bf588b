/// The result of a headless run, as `tms train` prints it (a table, or JSON).
///
/// Losses are in the notebook's convention (mean over batch and features) on a fresh
/// held-out batch; the paper's convention (sum over features) is the same value × n.
public struct RunReport: Sendable {
  /// One instance's result.
  public struct Instance: Sendable {
    /// The trained weights.
    public var parameters: Parameters
    /// Metrics and geometry of the weights, with the held-out loss as `evalLoss`.
    public var metrics: InstanceMetrics
    /// ‖WᵀW‖₂, the worst-case gain of an input perturbation (``AttackGain``).
    public var attackGain: Double
  }

  /// The configuration trained.
  public var config: RunConfig
  /// Steps trained.
  public var steps: Int
  /// Wall time of training.
  public var seconds: Double
  /// Steps per second of wall time.
  public var stepsPerSecond: Double
  /// Worker threads.
  public var threads: Int
  /// Held-out samples per instance behind each `evalLoss`.
  public var evalSamples: Int
  /// Why training stopped early, when it did.
  public var diverged: String?
  /// One entry per instance.
  public var instances: [Instance]

  /// Evaluates `run` on `evalSamples` held-out samples per instance and collects the report;
  /// `stepsTaken` over `seconds` is the speed.
  public static func make(run: Run, seconds: Double, stepsTaken: Int, evalSamples: Int)
    -> RunReport
  {
    let losses = run.evaluate(samples: evalSamples)
    let instances = run.mapInstances { k -> Instance in
      let p = run.parameters(instance: k)
      var metrics = run.metrics(instance: k, evalLoss: losses[k])
      metrics.gram = []  // n² per instance, which a report does not print
      return Instance(
        parameters: p, metrics: metrics,
        attackGain: AttackGain.of(p.W, W2: p.W2, hidden: run.config.hidden))
    }
    return RunReport(
      config: run.config, steps: run.step, seconds: seconds,
      stepsPerSecond: seconds > 0 ? Double(stepsTaken) / seconds : 0, threads: run.threads,
      evalSamples: evalSamples,
      diverged: run.divergence.map { "instance \($0.instance): \($0.reason)" },
      instances: instances)
  }
}
