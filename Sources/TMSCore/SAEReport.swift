/// The result of a headless SAE run, as `tms sae` prints it (a table, or JSON).
///
/// Model losses are the notebook's convention; the SAE's reconstruction is E‖h − ĥ‖² (sum
/// over the m hidden dimensions, mean over samples), measured on held-out samples.
public struct SAEReport: Sendable {
  /// The configuration (its `sae` is the SAE trained).
  public var config: RunConfig
  /// Steps the model had trained when it was frozen.
  public var modelSteps: Int
  /// Wall time of the model's training in this command (0 when it came from a snapshot).
  public var modelSeconds: Double
  /// SAE steps trained.
  public var steps: Int
  /// Wall time of the SAE's training.
  public var seconds: Double
  /// SAE steps per second of wall time (one step = every SAE instance once).
  public var stepsPerSecond: Double
  /// Worker threads.
  public var threads: Int
  /// Held-out samples per SAE instance behind every `heldOut`.
  public var evalSamples: Int
  /// Why training stopped early, when it did.
  public var diverged: String?
  /// One entry per SAE instance, with held-out measurements.
  public var instances: [SAEInstanceSnapshot]

  /// Measures every SAE instance of `run` on `evalSamples` held-out samples and collects the
  /// report; `stepsTaken` over `seconds` is the speed.
  public static func make(
    run: Run, modelSeconds: Double, seconds: Double, stepsTaken: Int, evalSamples: Int
  ) -> SAEReport {
    let heldOut = run.evaluateSAE(samples: evalSamples)
    let sae = run.saeSnapshot(heldOut: heldOut)
    return SAEReport(
      config: run.config, modelSteps: run.step, modelSeconds: modelSeconds,
      steps: run.saeStep, seconds: seconds,
      stepsPerSecond: seconds > 0 ? Double(stepsTaken) / seconds : 0, threads: run.threads,
      evalSamples: evalSamples,
      diverged: run.divergence.map { "model instance \($0.instance): \($0.reason)" },
      instances: sae?.instances ?? [])
  }

  /// Mean recovery over the SAE instances (NaN when none has one).
  public var meanRecovery: Double {
    let r = instances.map(\.metrics.recovery).filter(\.isFinite)
    return r.isEmpty ? .nan : r.reduce(0, +) / Double(r.count)
  }

  /// The best SAE instance's recovery.
  public var bestRecovery: Double {
    instances.map(\.metrics.recovery).filter(\.isFinite).max() ?? .nan
  }

  /// Mean dead-latent fraction over the SAE instances.
  public var meanDeadFraction: Double {
    instances.isEmpty
      ? .nan
      : instances.map(\.metrics.deadFraction).reduce(0, +) / Double(instances.count)
  }
}
