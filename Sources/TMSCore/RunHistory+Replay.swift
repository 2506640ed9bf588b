extension RunHistory {
  /// The run as it was at frame `index`, for the explorer's panels: the frame's weights and
  /// configuration with their metrics recomputed (what a live snapshot at that step showed,
  /// less the held-out loss), and the live run's status, speed and histories, so the status
  /// line and the loss plots keep showing training going on.
  public func trainingSnapshot(frame index: Int, live: TrainingSnapshot) -> TrainingSnapshot {
    let f = frames[min(max(0, index), frames.count - 1)]
    let c = f.config
    let instances = f.parameters.indices.map { k in
      InstanceSnapshot(
        parameters: f.parameters[k],
        metrics: InstanceMetrics.compute(
          parameters: f.parameters[k], hidden: c.hidden, model: c.model,
          featureProbability: c.featureProbability[k], importance: c.importance[k],
          trainLoss: f.trainLoss[k], evalLoss: .nan, groups: c.groups))
    }
    return TrainingSnapshot(
      version: live.version, config: c, step: f.step, stepsPerSecond: live.stepsPerSecond,
      threads: live.threads, status: live.status, notice: nil, instances: instances,
      lossHistory: live.lossHistory, appliedCommands: live.appliedCommands,
      throttle: live.throttle, dimensionalityHistory: live.dimensionalityHistory,
      history: self, liveStep: live.step)
  }
}
