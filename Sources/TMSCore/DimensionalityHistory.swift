/// A bounded history of every feature's dimensionality D_i, for the learning-dynamics plot:
/// the paper's finding is that D_i moves in jumps between the tight-frame fractions as the
/// loss drops, which only a history shows.
///
/// Like ``LossHistory`` it keeps at most `capacity` points, halving them and doubling the
/// stride when full. Runs with more than `maxValues` instance×feature values are not
/// recorded (200→20 × 20 would hold 4,000 per point); `isRecording` says which.
public struct DimensionalityHistory: Sendable, Equatable {
  /// Steps at which D_i were recorded.
  public private(set) var steps: [Int] = []
  /// `values[p][k][i]`: instance k's D_i at point p.
  public private(set) var values: [[[Float]]] = []
  /// Maximum number of points kept.
  public let capacity: Int
  /// Minimum number of steps between recorded points.
  public private(set) var stride: Int = 1
  /// Largest instances × features recorded per point.
  public static let maxValues = 4096

  /// An empty history.
  public init(capacity: Int = 256) { self.capacity = max(4, capacity) }

  /// True when a run of this shape is recorded.
  public static func isRecording(instances: Int, features: Int) -> Bool {
    instances * features <= maxValues
  }

  /// Records a point (D_i per instance) unless it comes less than `stride` steps after the
  /// previous one or the shape is too large to keep.
  public mutating func record(step: Int, dimensionality: [[Double]]) {
    let count = dimensionality.reduce(0) { $0 + $1.count }
    guard count <= Self.maxValues else { return }
    if let last = steps.last, step - last < stride || step <= last { return }
    steps.append(step)
    values.append(dimensionality.map { $0.map(Float.init) })
    if steps.count > capacity {
      steps = steps.enumerated().filter { $0.offset % 2 == 0 }.map(\.element)
      values = values.enumerated().filter { $0.offset % 2 == 0 }.map(\.element)
      stride *= 2
    }
  }

  /// Feature i of instance k over the recorded steps (NaN where the point lacks it).
  public func series(instance k: Int, feature i: Int) -> [Double] {
    values.map { k < $0.count && i < $0[k].count ? Double($0[k][i]) : .nan }
  }
}
