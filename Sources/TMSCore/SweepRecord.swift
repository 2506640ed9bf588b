/// One line of a sweep's result file as read back: the point, its axis values, its
/// configuration and the numbers a table, a merge or the sweep view needs.
///
/// The line's full content is in ``object``; the typed fields are the ones read often.
public struct SweepRecord: Sendable {
  /// The point's number in the sweep.
  public var point: Int
  /// Each axis key's value, in axis order.
  public var axes: JSONObject
  /// The point's configuration as written.
  public var config: JSONObject
  /// The winning seed.
  public var bestSeed: Int
  /// The winning model's held-out loss (notebook convention); NaN when not finite.
  public var evalLoss: Double
  /// Its standard error; NaN when unknown.
  public var evalLossError: Double
  /// Every seed's held-out loss.
  public var seedLosses: [Double]
  /// ‖W_i‖ of the winning model.
  public var norms: [Double]
  /// s_i of the winning model.
  public var superposition: [Double]
  /// D* of the winning model.
  public var dimensionsPerFeature: Double
  /// Represented features of the winning model.
  public var represented: Int
  /// Its geometry label.
  public var geometry: String
  /// The whole line.
  public var object: JSONObject

  /// Reads a result line's object, naming `where` (file and line) in a one-line error.
  public init(_ o: JSONObject, where place: String) throws(ConfigError) {
    func need(_ key: String) throws(ConfigError) -> JSONValue {
      guard let v = o[key] else { throw ConfigError(field: "\(place): \(key)", "is missing") }
      return v
    }
    func number(_ key: String) throws(ConfigError) -> Double {
      let v = try need(key)
      return v == .null ? .nan : try FieldReader.number(v, "\(place): \(key)")
    }
    func numbers(_ key: String) throws(ConfigError) -> [Double] {
      try FieldReader.list(try need(key), "\(place): \(key)").enumerated().map {
        (i, v) throws(ConfigError) in
        v == .null ? .nan : try FieldReader.number(v, "\(place): \(key)[\(i)]")
      }
    }
    point = try FieldReader.integer(try need("point"), "\(place): point", in: 0...Int.max)
    axes = try FieldReader.object(try need("axes"), "\(place): axes")
    config = try FieldReader.object(try need("config"), "\(place): config")
    bestSeed = try FieldReader.integer(try need("best_seed"), "\(place): best_seed", in: 0...1024)
    evalLoss = try number("eval_loss")
    evalLossError = try number("eval_loss_se")
    seedLosses = try numbers("seed_losses")
    norms = try numbers("norms")
    superposition = try numbers("superposition")
    dimensionsPerFeature = try number("dimensions_per_feature")
    represented = try FieldReader.integer(
      try need("represented"), "\(place): represented", in: 0...Int.max)
    geometry = try FieldReader.string(try need("geometry"), "\(place): geometry")
    object = o
  }

  /// The point's configuration as a run (one instance), as the sweep view opens it.
  public func runConfig() throws(ConfigError) -> RunConfig {
    var c = RunConfig()
    try RunConfig.fields.read(config, into: &c, FieldReading(path: "config"))
    try c.validate()
    return c
  }
}
