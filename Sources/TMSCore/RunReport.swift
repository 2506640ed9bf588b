/// The result of a headless run, as `tms train` prints it (a table, or JSON).
///
/// Losses are in the notebook's convention (mean over batch and features) on a fresh
/// held-out batch; the paper's convention (sum over features) is the same value × n.
public struct RunReport: Sendable {
  /// One instance's result.
  public struct Instance: Sendable {
    /// The trained weights.
    public var parameters: Parameters
    /// Metrics and geometry of the weights, with the held-out loss as `evalLoss` and its
    /// standard error as `evalLossError`.
    public var metrics: InstanceMetrics
    /// The held-out loss estimate behind `metrics.evalLoss` (mean, standard error, samples).
    public var loss: LossEstimate
    /// The measured attack gain beside its Lipschitz bound (``AttackResult``).
    public var attack: AttackResult

    /// The standard error of `metrics.evalLoss`.
    public var lossStandardError: Double { loss.standardError }
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
  /// The most held-out samples per instance an `evalLoss` may draw (each instance's
  /// `loss.samples` says how many it did).
  public var evalSamples: Int
  /// Why training stopped early, when it did.
  public var diverged: String?
  /// One entry per instance.
  public var instances: [Instance]

  /// Evaluates and attacks every instance of `run` and collects the report: held-out losses
  /// to `loss`'s relative standard error within at most `evalSamples` sampled inputs each
  /// (`loss.maximumSamples` is replaced by it), attacks with `attack`; both seeded with the
  /// run's seed unless their settings give one. `stepsTaken` over `seconds` is the speed.
  public static func make(
    run: Run, seconds: Double, stepsTaken: Int, evalSamples: Int,
    loss: LossEstimate.Settings? = nil, attack: AttackResult.Settings? = nil
  ) -> RunReport {
    var lossSettings = loss ?? LossEstimate.Settings(seed: run.config.training.seed)
    lossSettings.maximumSamples = evalSamples
    lossSettings.minimumSamples = min(lossSettings.minimumSamples, evalSamples)
    let losses = run.estimateLosses(settings: lossSettings)
    let attacks = run.attacks(
      settings: attack ?? AttackResult.Settings(seed: run.config.training.seed))
    let instances = run.mapInstances { k -> Instance in
      var metrics = run.metrics(instance: k, evalLoss: losses[k].mean)
      metrics.evalLossError = losses[k].standardError
      metrics.gram = []  // n² per instance, which a report does not print
      return Instance(
        parameters: run.parameters(instance: k), metrics: metrics, loss: losses[k],
        attack: attacks[k])
    }
    return RunReport(
      config: run.config, steps: run.step, seconds: seconds,
      stepsPerSecond: seconds > 0 ? Double(stepsTaken) / seconds : 0, threads: run.threads,
      evalSamples: evalSamples,
      diverged: run.divergence.map { "instance \($0.instance): \($0.reason)" },
      instances: instances)
  }
}
