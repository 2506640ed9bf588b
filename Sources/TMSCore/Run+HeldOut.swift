/// Held-out measurements of every instance from its current weights, on the run's threads.
extension Run {
  /// Each instance's held-out loss with its standard error (``LossEstimate``), stratified
  /// over the number of active features; `settings.seed` with the instance index seeds the
  /// samples, so the result does not depend on the thread count.
  public func estimateLosses(settings: LossEstimate.Settings = LossEstimate.Settings())
    -> [LossEstimate]
  {
    let config = self.config
    let parameters = (0..<config.instances).map { self.parameters(instance: $0) }
    return mapInstances { k in
      LossEstimate.estimate(parameters[k], config: config, instance: k, settings: settings)
    }
  }

  /// ``estimateLosses(settings:)`` with at most `samples` sampled inputs per instance, seeded
  /// with the run's seed: the live trainer's and a captured snapshot's held-out loss.
  public func estimateLosses(samples: Int) -> [LossEstimate] {
    estimateLosses(
      settings: LossEstimate.Settings(
        maximumSamples: samples, minimumSamples: min(samples, 4096), seed: config.training.seed))
  }

  /// Each instance attacked as ``AttackResult/measure(_:config:instance:settings:)`` does.
  public func attacks(settings: AttackResult.Settings = AttackResult.Settings())
    -> [AttackResult]
  {
    let config = self.config
    let parameters = (0..<config.instances).map { self.parameters(instance: $0) }
    return mapInstances { k in
      AttackResult.measure(parameters[k], config: config, instance: k, settings: settings)
    }
  }
}
