extension RunHistory {
  /// The run as it was at frame `index`, for the explorer's panels: the frame's weights and
  /// configuration with their metrics recomputed (what a live snapshot at that step showed,
  /// less the held-out loss), and the live run's status, speed and histories, so the status
  /// line and the loss plots keep showing training going on.
  ///
  /// `instances` are the frame's ``instances(frame:)`` when the caller kept them (they cost a
  /// metrics computation per instance). The version is −1 − step, so values cached per
  /// version (the explorer's derived values) never mix a frame with the live run or another
  /// frame.
  public func trainingSnapshot(
    frame index: Int, live: TrainingSnapshot, instances: [InstanceSnapshot]? = nil
  ) -> TrainingSnapshot {
    let i = min(max(0, index), frames.count - 1)
    let f = frames[i]
    let c = f.config
    return TrainingSnapshot(
      version: -1 - f.step, config: c, step: f.step, stepsPerSecond: live.stepsPerSecond,
      threads: live.threads, status: live.status, notice: nil,
      instances: instances ?? self.instances(frame: i),
      lossHistory: live.lossHistory, appliedCommands: live.appliedCommands,
      throttle: live.throttle, dimensionalityHistory: live.dimensionalityHistory,
      history: self, liveStep: live.step)
  }

  /// Frame `index`'s instances with their metrics recomputed from the weights (no held-out
  /// loss).
  public func instances(frame index: Int) -> [InstanceSnapshot] {
    let f = frames[min(max(0, index), frames.count - 1)]
    let c = f.config
    return f.parameters.indices.map { k in
      InstanceSnapshot(
        parameters: f.parameters[k],
        metrics: InstanceMetrics.compute(
          parameters: f.parameters[k], hidden: c.hidden, model: c.model,
          featureProbability: c.featureProbability[k], importance: c.importance[k],
          trainLoss: f.trainLoss[k], evalLoss: .nan, groups: c.groups))
    }
  }
}
