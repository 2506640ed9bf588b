/// What a sweep records about one finished point: every seed's held-out loss and shape, and
/// the winning seed's metrics (and weights, when asked).
public struct SweepPointResult: Sendable {
  /// One seed's model.
  public struct Seed: Sendable, Equatable {
    /// Held-out loss (notebook convention) on ``SweepSpec/evalSamples`` samples.
    public var evalLoss: Double
    /// Its standard error from the independent evaluation batches (NaN with one batch).
    public var evalLossError: Double
    /// Features with ‖W_i‖ > 0.5.
    public var represented: Int
    /// D* = m/‖W‖_F².
    public var dimensionsPerFeature: Double
    /// The named arrangement.
    public var geometry: String
    /// Why the model stopped early (a non-finite loss or weight), if it did.
    public var diverged: String?

    /// A seed's record from its parts.
    public init(
      evalLoss: Double, evalLossError: Double, represented: Int, dimensionsPerFeature: Double,
      geometry: String, diverged: String?
    ) {
      self.evalLoss = evalLoss
      self.evalLossError = evalLossError
      self.represented = represented
      self.dimensionsPerFeature = dimensionsPerFeature
      self.geometry = geometry
      self.diverged = diverged
    }
  }

  /// The point.
  public var point: SweepPoint
  /// Every seed, in order.
  public var seeds: [Seed]
  /// The winning seed: the lowest finite held-out loss (ties: the lower seed).
  public var best: Int
  /// The winning model's metrics.
  public var metrics: InstanceMetrics
  /// The winning model's weights (recorded when the sweep asks for them).
  public var parameters: Parameters?

  /// A result from its parts.
  public init(
    point: SweepPoint, seeds: [Seed], best: Int, metrics: InstanceMetrics,
    parameters: Parameters?
  ) {
    self.point = point
    self.seeds = seeds
    self.best = best
    self.metrics = metrics
    self.parameters = parameters
  }

  /// Mean of the seeds' finite losses and its standard error across seeds
  /// (s/√k with the sample standard deviation s; NaN with fewer than two).
  public var seedLossSpread: (mean: Double, standardError: Double) {
    let xs = seeds.map(\.evalLoss).filter(\.isFinite)
    guard !xs.isEmpty else { return (.nan, .nan) }
    let k = Double(xs.count)
    let mean = xs.reduce(0, +) / k
    guard xs.count > 1 else { return (mean, .nan) }
    let variance = xs.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / (k - 1)
    return (mean, (variance / k).squareRoot())
  }

  /// The winning seed among `losses`: the lowest finite one, the lower index on ties, 0 when
  /// none is finite.
  public static func winner(_ losses: [Double]) -> Int {
    var best = 0
    for k in losses.indices.dropFirst() where losses[k].isFinite {
      if !losses[best].isFinite || losses[k] < losses[best] { best = k }
    }
    return best
  }
}
