/// One recorded moment of a run: every instance's weights at `step`, with the configuration
/// then in force, each instance's training loss and geometry label. Immutable and shared by
/// reference, so a published history costs one pointer per frame to copy.
///
/// Metrics are not kept (WᵀW alone is n² floats per instance); ``RunHistory/trainingSnapshot(frame:live:)``
/// recomputes them from the weights when a frame is shown.
public final class Keyframe: Sendable {
  /// Steps since the weights were initialised.
  public let step: Int
  /// The configuration in force at `step` (shared with its neighbours while unchanged).
  public let config: RunConfig
  /// Each instance's W and b (W₁, W₂, b for abs).
  public let parameters: [Parameters]
  /// Each instance's training-loss EMA (notebook convention); NaN before the first step.
  public let trainLoss: [Double]
  /// Each instance's geometry label (``GeometryLabel/text``).
  public let labels: [String]
  /// Each instance's feature dimensionalities D_i (n per instance), so the D_i-over-steps
  /// plot of a replayed run needs no metrics per frame.
  public let dimensionality: [[Float]]

  /// A frame of these values; `dimensionality` is computed from the weights when not given.
  public init(
    step: Int, config: RunConfig, parameters: [Parameters], trainLoss: [Double], labels: [String],
    dimensionality: [[Double]]? = nil
  ) {
    self.step = step
    self.config = config
    self.parameters = parameters
    self.trainLoss = trainLoss
    self.labels = labels
    let d =
      dimensionality
      ?? parameters.map { InstanceMetrics.dimensionalities(of: $0.W, hidden: config.hidden) }
    self.dimensionality = d.map { $0.map(Float.init) }
  }

  /// Bytes the frame holds, counting each Swift array's 32-byte header: what the memory
  /// budget is charged (the configuration is shared between frames and not counted).
  public var bytes: Int {
    let header = 32
    var total = 64 + 2 * header + trainLoss.count * 8
    for p in parameters {
      total += header + p.W.count * 8 + p.W.reduce(0) { $0 + header + $1.count * 4 }
      if let W2 = p.W2 {
        total += header + W2.count * 8 + W2.reduce(0) { $0 + header + $1.count * 4 }
      }
      total += header + p.b.count * 4
    }
    for l in labels { total += 16 + l.utf8.count }
    total += header + dimensionality.reduce(0) { $0 + header + $1.count * 4 }
    return total
  }
}

extension Keyframe: Equatable {
  /// Frames are equal when every recorded value is (the replay test compares a saved
  /// history with the live one).
  public static func == (a: Keyframe, b: Keyframe) -> Bool {
    a.step == b.step && a.config == b.config && a.parameters == b.parameters
      && a.labels == b.labels && a.dimensionality == b.dimensionality
      && a.trainLoss.count == b.trainLoss.count
      && zip(a.trainLoss, b.trainLoss).allSatisfy { $0 == $1 || ($0.isNaN && $1.isNaN) }
  }
}
