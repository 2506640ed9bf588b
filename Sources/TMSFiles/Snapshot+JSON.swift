import Foundation
import TMSCore

/// The snapshot file: one JSON document, written readably (one matrix row per line).
///
/// ```
/// { "format": "tms-snapshot", "version": 1, "created": "…Z",
///   "loss_convention": "notebook…", "step": 10000,
///   "config": { …RunConfig, snake_case… },
///   "instances": [ {
///       "parameters": { "W": [[W_0…], …n rows of m], "b": [n] },        (abs: W1, W2, b)
///       "optimizer": { "step": t, "m_W": …, "v_W": …, "m_b": …, "v_b": … },
///       "random": { "lanes": [32 × uint32], "group": uint64 },
///       "train_loss_ema": x, "last_train_loss": x, "divergence": null,
///       "metrics": { "eval_loss", "norms", "superposition", "dimensionality", … },
///       "geometry": { "text", "groups", "dropped" } }, … ],
///   "loss_history": { "capacity", "stride", "steps": [...], "loss": [[K values], …] },
///   "sae": { … } }        (only when the run's SAE had started; see `SAE+JSON.swift`)
/// ```
/// `version` is 1, 2 when the snapshot has an SAE (state or configuration), 3 when it holds
/// a recorded history (`"history"`, see `Snapshot+History.swift`): a snapshot without them
/// is written exactly as before they existed.
///
/// `metrics` and `geometry` are for readers (Python, jq); on load they are recomputed from
/// the weights, which is what they were computed from.
extension Snapshot {
  /// The document as UTF-8 bytes. Checks the snapshot first (``validate()``), so a file that
  /// was written can always be read back.
  public func encoded() throws(SnapshotError) -> [UInt8] {
    try validate()
    var w = JSONWriter()
    let n = config.features
    let m = config.hidden
    // A recorded history's frames hold about a third of their JSON text in memory (four
    // bytes a float against about thirteen characters); reserving it too saves the copies a
    // growing array makes, a sizeable part of the peak memory of a large save.
    w.bytes.reserveCapacity(
      64 * 1024 + config.instances * n * (3 * m + 12) * 13 + 3 * (history?.bytes ?? 0))
    w.raw("{\n  \"format\": ")
    w.string(Self.formatName)
    w.raw(",\n  \"version\": ")
    w.int(version)
    w.raw(",\n  \"created\": ")
    w.string(created)
    w.raw(",\n  \"loss_convention\": ")
    w.string(Self.lossConvention)
    w.raw(",\n  \"step\": ")
    w.int(step)
    w.raw(",\n  \"config\": ")
    w.value(.object(RunConfig.fields.written(config)), indent: 2)
    w.raw(",\n  \"instances\": [")
    let abs = !config.model.isTied
    for (k, s) in instances.enumerated() {
      w.raw(k == 0 ? "\n    {" : ",\n    {")
      w.raw("\n      \"parameters\": ")
      w.parameters(s.parameters, abs: abs, indent: 6)
      w.raw(",\n      \"optimizer\": {\n        \"step\": ")
      let o = s.optimizer
      w.int(o.step)
      let wName = abs ? "W1" : "W"
      w.raw(",\n        \"m_\(wName)\": ")
      w.matrix(o.mW, indent: 8) { $0.floats($1) }
      w.raw(",\n        \"v_\(wName)\": ")
      w.matrix(o.vW, indent: 8) { $0.floats($1) }
      if abs, let mW2 = o.mW2, let vW2 = o.vW2 {
        w.raw(",\n        \"m_W2\": ")
        w.matrix(mW2, indent: 8) { $0.floats($1) }
        w.raw(",\n        \"v_W2\": ")
        w.matrix(vW2, indent: 8) { $0.floats($1) }
      }
      w.raw(",\n        \"m_b\": ")
      w.floats(o.mb)
      w.raw(",\n        \"v_b\": ")
      w.floats(o.vb)
      w.raw("\n      },\n      \"random\": {\n        \"lanes\": ")
      w.list(s.random.lanes) { $0.int($1) }
      w.raw(",\n        \"group\": ")
      w.int(s.random.group)
      w.raw("\n      },\n      \"train_loss_ema\": ")
      w.double(s.trainLossEMA)
      w.raw(",\n      \"last_train_loss\": ")
      w.double(s.lastTrainLoss)
      w.raw(",\n      \"divergence\": ")
      if let d = s.divergence { w.string(d) } else { w.raw("null") }
      w.raw(",\n      \"metrics\": ")
      w.metrics(s.metrics, attackBound: AttackGain.of(s.parameters), features: n, indent: 6)
      w.raw(",\n      \"geometry\": ")
      w.geometry(s.metrics.geometry, indent: 6)
      w.raw("\n    }")
    }
    w.raw(instances.isEmpty ? "],\n" : "\n  ],\n")
    w.raw("  \"loss_history\": {\n    \"capacity\": ")
    w.int(lossHistory.capacity)
    w.raw(",\n    \"stride\": ")
    w.int(lossHistory.stride)
    w.raw(",\n    \"steps\": ")
    w.list(lossHistory.steps) { $0.int($1) }
    w.raw(",\n    \"loss\": ")
    w.matrix(lossHistory.loss, indent: 4) { $0.doubles($1) }
    w.raw("\n  }")
    if let sae { writeSAE(sae, into: &w) }
    if let history { writeHistory(history, into: &w) }
    w.raw("\n}\n")
    return w.bytes
  }
}

extension Snapshot {
  /// Reads a snapshot document. `file` names it in errors. Checks the format name and
  /// version, every array size and value (NaN or infinite weights, negative second moments,
  /// a dead random lane…), and the config's own rules; recomputes the metrics.
  public static func decode(_ bytes: [UInt8], file: String) throws(SnapshotError) -> Snapshot {
    let root: JSONValue
    do {
      root = try JSONParser.parse(bytes)
    } catch {
      if error.truncated {
        throw SnapshotError(file: file, "truncated: \(error.message)")
      }
      let (line, col) = JSONParser.position(of: error.offset, in: bytes)
      throw SnapshotError(
        file: file, "not valid JSON at line \(line), column \(col): \(error.message)")
    }
    do {
      return try SnapshotReader().snapshot(root)
    } catch {
      // The message may quote the file's own text (a key, a string value): escaped and cut.
      throw SnapshotError(file: file, DisplayText.escaped(error.message, limit: 400))
    }
  }

  /// The largest `step` a snapshot may hold, 2⁵³: every reader (a JSON number is a double
  /// in most languages) sees it exactly, and a resumed run can add its steps without the
  /// count overflowing. `tms train --resume` refuses `--steps` that would pass it.
  public static let maxStep = 1 << 53
}

/// Turns a parsed document into a ``Snapshot``, naming the JSON path of every problem.
struct SnapshotReader {

  func fail(_ path: String, _ message: String) -> SnapshotError {
    SnapshotError(file: "", path.isEmpty ? message : "\(path): \(message)")
  }

  func object(_ v: JSONValue, _ path: String) throws(SnapshotError) -> JSONObject {
    guard case .object(let o) = v else { throw fail(path, "must be an object, got \(v.kind)") }
    return o
  }

  func member(_ o: JSONObject, _ key: String, _ path: String) throws(SnapshotError) -> JSONValue {
    guard let v = o[key] else { throw fail(path.isEmpty ? key : "\(path).\(key)", "is missing") }
    return v
  }

  func integer<T: FixedWidthInteger>(_ v: JSONValue, _ path: String, _: T.Type)
    throws(SnapshotError) -> T
  {
    guard case .number(let t) = v else { throw fail(path, "must be an integer, got \(v.kind)") }
    guard let x = T(t) else {
      throw fail(path, "must be an integer in \(T.min)…\(T.max), got \(t)")
    }
    return x
  }

  func int(_ v: JSONValue, _ path: String) throws(SnapshotError) -> Int {
    try integer(v, path, Int.self)
  }

  func float(_ v: JSONValue, _ path: String) throws(SnapshotError) -> Float {
    switch v {
    case .number(let t):
      guard let x = Float(t), x.isFinite else {
        throw fail(path, "is \(t), outside the range of a 32-bit float")
      }
      return x
    case .special(let d):
      throw fail(path, "is \(d.isNaN ? "NaN" : d > 0 ? "Infinity" : "-Infinity"); must be finite")
    default: throw fail(path, "must be a number, got \(v.kind)")
    }
  }

  /// A Double where `null` (and NaN) mean "not known".
  func optionalDouble(_ v: JSONValue, _ path: String) throws(SnapshotError) -> Double {
    switch v {
    case .null: return .nan
    case .number(let t):
      guard let x = Double(t) else { throw fail(path, "is not a number: \(t)") }
      return x
    case .special(let d): return d
    default: throw fail(path, "must be a number or null, got \(v.kind)")
    }
  }

  func list(_ v: JSONValue, _ path: String) throws(SnapshotError) -> [JSONValue] {
    guard case .array(let a) = v else { throw fail(path, "must be a list, got \(v.kind)") }
    return a
  }

  func floats(_ v: JSONValue, _ path: String, count: Int, what: String) throws(SnapshotError)
    -> [Float]
  {
    let a = try list(v, path)
    guard a.count == count else {
      throw fail(path, "has \(a.count) values, expected \(what) = \(count)")
    }
    var out = [Float]()
    out.reserveCapacity(count)
    for (j, x) in a.enumerated() { out.append(try float(x, "\(path)[\(j)]")) }
    return out
  }

  func matrix(_ v: JSONValue, _ path: String, n: Int, m: Int, rows what: String = "n")
    throws(SnapshotError) -> [[Float]]
  {
    let rows = try list(v, path)
    guard rows.count == n else {
      throw fail(path, "has \(rows.count) rows, expected \(what) = \(n)")
    }
    var out: [[Float]] = []
    out.reserveCapacity(n)
    for (i, r) in rows.enumerated() {
      out.append(try floats(r, "\(path)[\(i)]", count: m, what: "m"))
    }
    return out
  }

  func snapshot(_ root: JSONValue) throws(SnapshotError) -> Snapshot {
    guard case .object(let top) = root else {
      throw fail("", "not a tms snapshot (the document is \(root.kind), not an object)")
    }
    guard let formatValue = top["format"] else {
      throw fail("", "not a tms snapshot (no \"format\" field)")
    }
    guard case .string(let format) = formatValue, format == Snapshot.formatName else {
      let shown = if case .string(let s) = formatValue { "\"\(s)\"" } else { formatValue.kind }
      throw fail("", "not a tms snapshot (format is \(shown), expected \"\(Snapshot.formatName)\")")
    }
    let version = try int(try member(top, "version", ""), "version")
    guard version <= Snapshot.formatVersion else {
      throw fail(
        "",
        "snapshot version \(version) is newer than this tms reads (up to \(Snapshot.formatVersion)); update tms"
      )
    }
    guard version >= 1 else { throw fail("version", "must be ≥ 1, got \(version)") }
    let config = try self.config(try member(top, "config", ""), version: version)
    let step = try int(try member(top, "step", ""), "step")
    guard step >= 0 else { throw fail("step", "must be ≥ 0, got \(step)") }
    guard step <= Snapshot.maxStep else {
      throw fail("step", "must be at most 2^53 = \(Snapshot.maxStep), got \(step)")
    }
    var created = ""
    if let c = top["created"], case .string(let s) = c { created = s }
    let items = try list(try member(top, "instances", ""), "instances")
    guard items.count == config.instances else {
      throw fail(
        "instances",
        "has \(items.count) entries, expected one per instance (config.instances = \(config.instances))"
      )
    }
    var instances: [Snapshot.InstanceState] = []
    for (k, item) in items.enumerated() {
      instances.append(try instance(item, "instances[\(k)]", config: config, k: k))
    }
    let history = try lossHistory(try member(top, "loss_history", ""), instances: config.instances)
    var saeState: Snapshot.SAEState? = nil
    if let v = top["sae"] {
      guard version >= 2 else {
        throw fail("sae", "an SAE needs snapshot version 2, but the file says \(version)")
      }
      saeState = try sae(v, config: config)
    }
    var recorded: RunHistory? = nil
    if let v = top["history"] {
      guard version >= 3 else {
        throw fail(
          "history", "a recorded history needs snapshot version 3, but the file says \(version)")
      }
      recorded = try self.history(v, config: config)
    }
    let s = Snapshot(
      config: config, step: step, instances: instances, lossHistory: history, created: created,
      sae: saeState, history: recorded)
    try s.validate()
    return s
  }

  /// The run configuration, read by its field table: a key the table does not know is an
  /// error, and a field the snapshot's version predates gets its default.
  func config(_ v: JSONValue, version: Int) throws(SnapshotError) -> RunConfig {
    var config = RunConfig()
    do {
      let o = try FieldReader.object(v, "config")
      try RunConfig.fields.read(o, into: &config, FieldReading(path: "config", version: version))
      try config.validate()
    } catch {
      throw fail(
        error.field.hasPrefix("config") ? error.field : "config.\(error.field)", error.message)
    }
    return config
  }

  func instance(_ v: JSONValue, _ path: String, config: RunConfig, k: Int) throws(SnapshotError)
    -> Snapshot.InstanceState
  {
    let o = try object(v, path)
    let n = config.features
    let m = config.hidden
    let abs = !config.model.isTied
    let wName = abs ? "W1" : "W"
    let pp = "\(path).parameters"
    let po = try object(try member(o, "parameters", path), pp)
    if abs, po["W"] != nil, po["W1"] == nil {
      throw fail("\(pp).W", "the abs model stores W1 and W2, not W")
    }
    if !abs, po["W1"] != nil, po["W"] == nil {
      throw fail(
        "\(pp).W1", "only the abs model has W1; the \(config.model.rawValue) model stores W")
    }
    let W = try matrix(try member(po, wName, pp), "\(pp).\(wName)", n: n, m: m)
    var W2: [[Float]]? = nil
    if abs {
      W2 = try matrix(try member(po, "W2", pp), "\(pp).W2", n: n, m: m)
    } else if po["W2"] != nil {
      throw fail("\(pp).W2", "only the abs model has W2")
    }
    let b = try floats(try member(po, "b", pp), "\(pp).b", count: n, what: "n")
    let op = "\(path).optimizer"
    let oo = try object(try member(o, "optimizer", path), op)
    func mat(_ key: String) throws(SnapshotError) -> [[Float]] {
      try matrix(try member(oo, key, op), "\(op).\(key)", n: n, m: m)
    }
    let optimizer = Snapshot.OptimizerState(
      step: try int(try member(oo, "step", op), "\(op).step"),
      mW: try mat("m_\(wName)"), vW: try mat("v_\(wName)"),
      mW2: abs ? try mat("m_W2") : nil, vW2: abs ? try mat("v_W2") : nil,
      mb: try floats(try member(oo, "m_b", op), "\(op).m_b", count: n, what: "n"),
      vb: try floats(try member(oo, "v_b", op), "\(op).v_b", count: n, what: "n"))
    let rp = "\(path).random"
    let ro = try object(try member(o, "random", path), rp)
    let laneItems = try list(try member(ro, "lanes", rp), "\(rp).lanes")
    var lanes: [UInt32] = []
    for (j, x) in laneItems.enumerated() {
      lanes.append(try integer(x, "\(rp).lanes[\(j)]", UInt32.self))
    }
    let random = Snapshot.RandomState(
      lanes: lanes, group: try integer(try member(ro, "group", rp), "\(rp).group", UInt64.self))
    let ema = try optionalDouble(try member(o, "train_loss_ema", path), "\(path).train_loss_ema")
    let last =
      try o["last_train_loss"].map { v throws(SnapshotError) in
        try optionalDouble(v, "\(path).last_train_loss")
      } ?? .nan
    var divergence: String? = nil
    switch o["divergence"] {
    case nil, .null?: break
    case .string(let s)?: divergence = s
    case let other?: throw fail("\(path).divergence", "must be a string or null, got \(other.kind)")
    }
    var evalLoss = Double.nan
    var evalLossError = Double.nan
    var threshold = 0.5
    if let mv = o["metrics"] {
      let mo = try object(mv, "\(path).metrics")
      if let e = mo["eval_loss"] { evalLoss = try optionalDouble(e, "\(path).metrics.eval_loss") }
      if let e = mo["eval_loss_se"] {
        evalLossError = try optionalDouble(e, "\(path).metrics.eval_loss_se")
      }
      if let t = mo["represented_threshold"] {
        threshold = try optionalDouble(t, "\(path).metrics.represented_threshold")
        guard threshold.isFinite, threshold >= 0 else {
          throw fail("\(path).metrics.represented_threshold", "must be a finite number ≥ 0")
        }
      }
    }
    let parameters = Parameters(W: W, W2: W2, b: b)
    var metrics = InstanceMetrics.compute(
      parameters: parameters, hidden: m, model: config.model,
      featureProbability: config.featureProbability[k], importance: config.importance[k],
      trainLoss: ema, evalLoss: evalLoss, threshold: threshold, groups: config.groups)
    metrics.evalLossError = evalLossError
    return Snapshot.InstanceState(
      parameters: parameters, optimizer: optimizer, random: random, trainLossEMA: ema,
      lastTrainLoss: last, divergence: divergence, metrics: metrics)
  }

  func lossHistory(_ v: JSONValue, instances: Int) throws(SnapshotError) -> LossHistory {
    let path = "loss_history"
    let o = try object(v, path)
    let capacity = try int(try member(o, "capacity", path), "\(path).capacity")
    let stride = try int(try member(o, "stride", path), "\(path).stride")
    guard capacity >= 4 else { throw fail("\(path).capacity", "must be ≥ 4, got \(capacity)") }
    guard stride >= 1 else { throw fail("\(path).stride", "must be ≥ 1, got \(stride)") }
    let stepItems = try list(try member(o, "steps", path), "\(path).steps")
    var steps: [Int] = []
    for (i, x) in stepItems.enumerated() {
      let s = try int(x, "\(path).steps[\(i)]")
      if let last = steps.last, s <= last {
        throw fail("\(path).steps[\(i)]", "must increase, got \(s) after \(last)")
      }
      steps.append(s)
    }
    guard steps.count <= capacity else {
      throw fail("\(path).steps", "has \(steps.count) points, more than the capacity \(capacity)")
    }
    let rows = try list(try member(o, "loss", path), "\(path).loss")
    guard rows.count == steps.count else {
      throw fail("\(path).loss", "has \(rows.count) rows, expected one per step (\(steps.count))")
    }
    var loss: [[Double]] = []
    for (i, r) in rows.enumerated() {
      let a = try list(r, "\(path).loss[\(i)]")
      guard a.count == instances else {
        throw fail(
          "\(path).loss[\(i)]", "has \(a.count) values, expected one per instance (\(instances))")
      }
      var row: [Double] = []
      for (k, x) in a.enumerated() { row.append(try optionalDouble(x, "\(path).loss[\(i)][\(k)]")) }
      loss.append(row)
    }
    return LossHistory(capacity: capacity, stride: stride, steps: steps, loss: loss)
  }
}
