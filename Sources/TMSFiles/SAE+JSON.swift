import TMSCore

/// The SAE blocks a snapshot and `tms sae --json` share, one writer each so both documents
/// spell every key the same way:
///
/// ```
/// "parameters": { "W_enc": [[…m…] × d], "b_enc": [d], "W_dec": [[…m…] × d], "b_dec": [m] }
///     (W_dec's row j is latent j's direction, W_dec's column j in the equations)
/// "metrics": { "l1_coefficient", "model_instance", "step", "loss", "reconstruction",
///              "mse", "l0", "firing": [d], "dead": [d], "dead_fraction", "resamples",
///              "recovery", "feature_recovery": [n], "feature_latent": [n],
///              "latent_feature": [d], "represented": [n], "represented_threshold",
///              "cosine": [[…n…] × d], "divergence" (only if so),
///              "held_out": { "samples", "reconstruction", "mse", "l0", "l1", "firing",
///                            "model_loss", "spliced_loss", "spliced_loss_increase" } (when measured) }
/// ```
/// `reconstruction` is E‖h − ĥ‖² (summed over the m hidden dimensions, mean over samples),
/// `mse` the same divided by m; `loss`, `reconstruction` and `l0` outside `held_out` are the
/// training EMAs. Model losses are the notebook convention. Non-finite values are `null`.
extension JSONWriter {
  /// W_enc, b_enc, W_dec (as latent directions) and b_dec.
  mutating func saeParameters(_ p: SAEParameters, indent: Int) {
    let pad = String(repeating: " ", count: indent + 2)
    raw("{\n" + pad + "\"W_enc\": ")
    matrix(p.encoder, indent: indent + 2) { $0.floats($1) }
    raw(",\n" + pad + "\"b_enc\": ")
    floats(p.encoderBias)
    raw(",\n" + pad + "\"W_dec\": ")
    matrix(p.decoder, indent: indent + 2) { $0.floats($1) }
    raw(",\n" + pad + "\"b_dec\": ")
    floats(p.decoderBias)
    newline(indent)
    raw("}")
  }

  /// One SAE instance's metrics on a model with m hidden dimensions.
  mutating func saeMetrics(_ s: SAEMetrics, hidden m: Int, indent: Int) {
    value(.object(SAEJSON.metrics(s, hidden: m)), indent: indent)
  }
}

/// The SAE metrics block as a JSON object (see ``JSONWriter/saeMetrics(_:hidden:indent:)``).
enum SAEJSON {
  static func metrics(_ s: SAEMetrics, hidden m: Int) -> JSONObject {
    let n = s.featureRecovery.count
    var o: [(String, JSONValue)] = [
      ("l1_coefficient", .double(s.l1Coefficient)), ("model_instance", .int(s.modelInstance)),
      ("step", .int(s.step)), ("loss", .double(s.loss)),
      ("reconstruction", .double(s.reconstruction)),
      ("mse", .double(s.reconstruction / Double(max(1, m)))), ("l0", .double(s.l0)),
      ("firing", .doubles(s.firing)), ("dead", .array(s.dead.map(JSONValue.bool))),
      ("dead_fraction", .double(s.deadFraction)), ("resamples", .int(s.resamples)),
      ("recovery", .double(s.recovery)), ("feature_recovery", .doubles(s.featureRecovery)),
      ("feature_latent", .array(s.featureLatent.map(JSONValue.int))),
      ("latent_feature", .array(s.latentFeature.map(JSONValue.int))),
      ("represented", .array(s.represented.map(JSONValue.bool))),
      ("represented_threshold", .double(s.representedThreshold)),
      (
        "cosine",
        .array(
          (0..<s.latentFeature.count).map { j in
            .array((0..<n).map { .float(s.cosine[j * n + $0]) })
          })
      ),
    ]
    if let d = s.divergence { o.append(("divergence", .string(d))) }
    if let h = s.heldOut {
      o.append(
        (
          "held_out",
          .object(
            JSONObject([
              ("samples", .int(h.samples)), ("reconstruction", .double(h.reconstruction)),
              ("mse", .double(h.reconstruction / Double(max(1, m)))), ("l0", .double(h.l0)),
              ("l1", .double(h.l1)), ("firing", .doubles(h.firing)),
              ("model_loss", .double(h.modelLoss)), ("spliced_loss", .double(h.splicedLoss)),
              ("spliced_loss_increase", .double(h.splicedLoss - h.modelLoss)),
            ]))
        ))
    }
    return JSONObject(o)
  }
}

extension Snapshot {
  /// Writes the `sae` section (only called when the snapshot has one):
  ///
  /// ```
  /// "sae": { "step": N, "instances": [ {
  ///     "parameters": {…}, "optimizer": { "step": t, "m": {…}, "v": {…} },
  ///     "random": { "lanes": [32 × uint32], "group": uint64, "resample": uint64 },
  ///     "last_fired": [d], "last_resampled": [d], "frequency": [d], "resamples": r,
  ///     "loss_ema", "reconstruction_ema", "l0_ema", "last_loss", "divergence",
  ///     "metrics": {…} (for readers; recomputed on load) }, … ] }
  /// ```
  func writeSAE(_ state: SAEState, into w: inout JSONWriter) {
    let shown = saeSnapshot()
    w.raw(",\n  \"sae\": {\n    \"step\": ")
    w.int(state.step)
    w.raw(",\n    \"instances\": [")
    for (s, inst) in state.instances.enumerated() {
      w.raw(s == 0 ? "\n      {" : ",\n      {")
      w.raw("\n        \"parameters\": ")
      w.saeParameters(inst.parameters, indent: 8)
      w.raw(",\n        \"optimizer\": {\n          \"step\": ")
      w.int(inst.optimizer.step)
      w.raw(",\n          \"m\": ")
      w.saeParameters(inst.optimizer.first, indent: 10)
      w.raw(",\n          \"v\": ")
      w.saeParameters(inst.optimizer.second, indent: 10)
      w.raw("\n        },\n        \"random\": {\n          \"lanes\": ")
      w.list(inst.random.lanes) { $0.int($1) }
      w.raw(",\n          \"group\": ")
      w.int(inst.random.group)
      w.raw(",\n          \"resample\": ")
      w.int(inst.random.resample)
      w.raw("\n        },\n        \"last_fired\": ")
      w.list(inst.lastFired) { $0.int($1) }
      w.raw(",\n        \"last_resampled\": ")
      w.list(inst.lastResampled) { $0.int($1) }
      w.raw(",\n        \"frequency\": ")
      w.doubles(inst.frequency)
      w.raw(",\n        \"resamples\": ")
      w.int(inst.resamples)
      for (key, x) in [
        ("loss_ema", inst.lossEMA), ("reconstruction_ema", inst.reconstructionEMA),
        ("l0_ema", inst.l0EMA), ("last_loss", inst.lastLoss),
      ] {
        w.raw(",\n        \"\(key)\": ")
        w.double(x)
      }
      w.raw(",\n        \"divergence\": ")
      if let d = inst.divergence { w.string(d) } else { w.raw("null") }
      if let metrics = shown?.instances[s].metrics {
        w.raw(",\n        \"metrics\": ")
        w.saeMetrics(metrics, hidden: config.hidden, indent: 8)
      }
      w.raw("\n      }")
    }
    w.raw(state.instances.isEmpty ? "]\n  }" : "\n    ]\n  }")
  }
}

extension SnapshotReader {
  /// The `sae` section (version 2), checked against `config.sae`.
  func sae(_ v: JSONValue, config: RunConfig) throws(SnapshotError) -> Snapshot.SAEState {
    let path = "sae"
    guard let c = config.sae else {
      throw fail(path, "the snapshot has an SAE state but config.sae is missing")
    }
    let m = config.hidden
    let d = c.latents
    let o = try object(v, path)
    let step = try int(try member(o, "step", path), "\(path).step")
    let items = try list(try member(o, "instances", path), "\(path).instances")
    guard items.count == c.instances else {
      throw fail(
        "\(path).instances",
        "has \(items.count) entries, expected one per SAE instance (config.sae.instances = \(c.instances))"
      )
    }
    func block(_ v: JSONValue, _ p: String) throws(SnapshotError) -> SAEParameters {
      let b = try object(v, p)
      return SAEParameters(
        encoder: try matrix(try member(b, "W_enc", p), "\(p).W_enc", n: d, m: m, rows: "latents"),
        encoderBias: try floats(try member(b, "b_enc", p), "\(p).b_enc", count: d, what: "latents"),
        decoder: try matrix(try member(b, "W_dec", p), "\(p).W_dec", n: d, m: m, rows: "latents"),
        decoderBias: try floats(try member(b, "b_dec", p), "\(p).b_dec", count: m, what: "m"))
    }
    func ints(_ v: JSONValue, _ p: String) throws(SnapshotError) -> [Int] {
      let a = try list(v, p)
      guard a.count == d else { throw fail(p, "has \(a.count) values, expected latents = \(d)") }
      var out: [Int] = []
      for (j, x) in a.enumerated() { out.append(try int(x, "\(p)[\(j)]")) }
      return out
    }
    var instances: [Snapshot.SAEInstanceState] = []
    for (s, item) in items.enumerated() {
      let p = "\(path).instances[\(s)]"
      let io = try object(item, p)
      let op = "\(p).optimizer"
      let oo = try object(try member(io, "optimizer", p), op)
      let rp = "\(p).random"
      let ro = try object(try member(io, "random", p), rp)
      var lanes: [UInt32] = []
      for (j, x) in try list(try member(ro, "lanes", rp), "\(rp).lanes").enumerated() {
        lanes.append(try integer(x, "\(rp).lanes[\(j)]", UInt32.self))
      }
      let fp = "\(p).frequency"
      let freqItems = try list(try member(io, "frequency", p), fp)
      guard freqItems.count == d else {
        throw fail(fp, "has \(freqItems.count) values, expected latents = \(d)")
      }
      var frequency: [Double] = []
      for (j, x) in freqItems.enumerated() {
        frequency.append(try optionalDouble(x, "\(fp)[\(j)]"))
      }
      var divergence: String? = nil
      switch io["divergence"] {
      case nil, .null?: break
      case .string(let text)?: divergence = text
      case let other?: throw fail("\(p).divergence", "must be a string or null, got \(other.kind)")
      }
      func scalar(_ key: String) throws(SnapshotError) -> Double {
        try optionalDouble(try member(io, key, p), "\(p).\(key)")
      }
      instances.append(
        Snapshot.SAEInstanceState(
          parameters: try block(try member(io, "parameters", p), "\(p).parameters"),
          optimizer: Snapshot.SAEOptimizerState(
            step: try int(try member(oo, "step", op), "\(op).step"),
            first: try block(try member(oo, "m", op), "\(op).m"),
            second: try block(try member(oo, "v", op), "\(op).v")),
          random: Snapshot.SAERandomState(
            lanes: lanes,
            group: try integer(try member(ro, "group", rp), "\(rp).group", UInt64.self),
            resample: try integer(try member(ro, "resample", rp), "\(rp).resample", UInt64.self)),
          lastFired: try ints(try member(io, "last_fired", p), "\(p).last_fired"),
          lastResampled: try ints(try member(io, "last_resampled", p), "\(p).last_resampled"),
          frequency: frequency,
          resamples: try int(try member(io, "resamples", p), "\(p).resamples"),
          lossEMA: try scalar("loss_ema"), reconstructionEMA: try scalar("reconstruction_ema"),
          l0EMA: try scalar("l0_ema"), lastLoss: try scalar("last_loss"), divergence: divergence))
    }
    return Snapshot.SAEState(step: step, instances: instances)
  }
}
