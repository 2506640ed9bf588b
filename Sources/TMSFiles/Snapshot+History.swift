import TMSCore

/// The recorded history in a snapshot file (version 3):
///
/// ```
///   "history": { "budget_bytes": 67108864, "spacing": 0.015625, "thinned": 0,
///     "configs": [ {…RunConfig…}, … ],            (each distinct configuration once)
///     "frames": [ { "step": 0, "config": 0, "train_loss": [K], "labels": [K],
///                   "parameters": [ { "W": [[…]], "b": […] }, … K ] }, … ],
///     "events": [ { "step", "instance", "kind": "geometry", "from", "to" }
///              | { "step", "instance", "kind": "dimensionality", "features": […],
///                  "from": 0.5, "to": 0.4 }, … ] }
/// ```
extension Snapshot {
  func writeHistory(_ h: RunHistory, into w: inout JSONWriter) {
    var configs: [RunConfig] = []
    var index: [Int] = []
    for f in h.frames {
      if let i = configs.lastIndex(of: f.config) {
        index.append(i)
      } else {
        configs.append(f.config)
        index.append(configs.count - 1)
      }
    }
    let abs = !config.model.isTied
    w.raw(",\n  \"history\": {\n    \"budget_bytes\": ")
    w.int(h.budget)
    w.raw(",\n    \"spacing\": ")
    w.double(h.spacing)
    w.raw(",\n    \"thinned\": ")
    w.int(h.thinned)
    w.raw(",\n    \"configs\": [")
    for (i, c) in configs.enumerated() {
      w.raw(i == 0 ? "\n      " : ",\n      ")
      w.value(.object(RunConfig.fields.written(c)), indent: 6)
    }
    w.raw(configs.isEmpty ? "],\n    \"frames\": [" : "\n    ],\n    \"frames\": [")
    for (f, frame) in h.frames.enumerated() {
      w.raw(f == 0 ? "\n      {\"step\": " : ",\n      {\"step\": ")
      w.int(frame.step)
      w.raw(", \"config\": ")
      w.int(index[f])
      w.raw(", \"train_loss\": ")
      w.doubles(frame.trainLoss)
      w.raw(",\n        \"labels\": ")
      w.list(frame.labels) { $0.string($1) }
      w.raw(",\n        \"parameters\": [")
      for (k, p) in frame.parameters.enumerated() {
        w.raw(k == 0 ? "\n          " : ",\n          ")
        w.parameters(p, abs: abs, indent: 10)
      }
      w.raw("]}")
    }
    w.raw(h.frames.isEmpty ? "],\n    \"events\": [" : "\n    ],\n    \"events\": [")
    for (e, event) in h.events.enumerated() {
      w.raw(e == 0 ? "\n      {\"step\": " : ",\n      {\"step\": ")
      w.int(event.step)
      w.raw(", \"instance\": ")
      w.int(event.instance)
      switch event.kind {
      case .geometry(let from, let to):
        w.raw(", \"kind\": \"geometry\", \"from\": ")
        w.string(from)
        w.raw(", \"to\": ")
        w.string(to)
      case .dimensionality(let features, let from, let to):
        w.raw(", \"kind\": \"dimensionality\", \"features\": ")
        w.list(features) { $0.int($1) }
        w.raw(", \"from\": ")
        w.double(from)
        w.raw(", \"to\": ")
        w.double(to)
      }
      w.raw("}")
    }
    w.raw(h.events.isEmpty ? "]\n  }" : "\n    ]\n  }")
  }
}

extension SnapshotReader {
  /// The `history` object of a version-3 snapshot, checked against the run's configuration.
  func history(_ v: JSONValue, config: RunConfig) throws(SnapshotError) -> RunHistory {
    let path = "history"
    let o = try object(v, path)
    let budget = try int(try member(o, "budget_bytes", path), "\(path).budget_bytes")
    guard budget >= 0 else { throw fail("\(path).budget_bytes", "must be ≥ 0, got \(budget)") }
    let spacing = try optionalDouble(try member(o, "spacing", path), "\(path).spacing")
    let thinned = try int(try member(o, "thinned", path), "\(path).thinned")
    var configs: [RunConfig] = []
    for (i, c) in try list(try member(o, "configs", path), "\(path).configs").enumerated() {
      do {
        configs.append(try self.config(c, version: Snapshot.formatVersion))
      } catch {
        throw fail("\(path).configs[\(i)]", error.message)
      }
    }
    let n = config.features
    let m = config.hidden
    let abs = !config.model.isTied
    let wName = abs ? "W1" : "W"
    var frames: [Keyframe] = []
    for (f, item) in try list(try member(o, "frames", path), "\(path).frames").enumerated() {
      let p = "\(path).frames[\(f)]"
      let fo = try object(item, p)
      let step = try int(try member(fo, "step", p), "\(p).step")
      let ci = try int(try member(fo, "config", p), "\(p).config")
      guard configs.indices.contains(ci) else {
        throw fail("\(p).config", "must index history.configs (0…\(configs.count - 1)), got \(ci)")
      }
      var loss: [Double] = []
      for (k, x) in try list(try member(fo, "train_loss", p), "\(p).train_loss").enumerated() {
        loss.append(try optionalDouble(x, "\(p).train_loss[\(k)]"))
      }
      var labels: [String] = []
      for (k, x) in try list(try member(fo, "labels", p), "\(p).labels").enumerated() {
        guard case .string(let s) = x else {
          throw fail("\(p).labels[\(k)]", "must be a string, got \(x.kind)")
        }
        labels.append(s)
      }
      var parameters: [Parameters] = []
      for (k, x) in try list(try member(fo, "parameters", p), "\(p).parameters").enumerated() {
        let pp = "\(p).parameters[\(k)]"
        let po = try object(x, pp)
        let W = try matrix(try member(po, wName, pp), "\(pp).\(wName)", n: n, m: m)
        let W2 = abs ? try matrix(try member(po, "W2", pp), "\(pp).W2", n: n, m: m) : nil
        let b = try floats(try member(po, "b", pp), "\(pp).b", count: n, what: "n")
        parameters.append(Parameters(W: W, W2: W2, b: b))
      }
      frames.append(
        Keyframe(
          step: step, config: configs[ci], parameters: parameters, trainLoss: loss, labels: labels
        ))
    }
    var events: [HistoryEvent] = []
    for (e, item) in try list(try member(o, "events", path), "\(path).events").enumerated() {
      let p = "\(path).events[\(e)]"
      let eo = try object(item, p)
      let step = try int(try member(eo, "step", p), "\(p).step")
      let instance = try int(try member(eo, "instance", p), "\(p).instance")
      guard case .string(let kind) = try member(eo, "kind", p) else {
        throw fail("\(p).kind", "must be \"geometry\" or \"dimensionality\"")
      }
      switch kind {
      case "geometry":
        guard case .string(let from) = try member(eo, "from", p),
          case .string(let to) = try member(eo, "to", p)
        else { throw fail(p, "a geometry event's from and to must be strings") }
        events.append(
          HistoryEvent(step: step, instance: instance, kind: .geometry(from: from, to: to)))
      case "dimensionality":
        var features: [Int] = []
        for (i, x) in try list(try member(eo, "features", p), "\(p).features").enumerated() {
          features.append(try int(x, "\(p).features[\(i)]"))
        }
        let from = try optionalDouble(try member(eo, "from", p), "\(p).from")
        let to = try optionalDouble(try member(eo, "to", p), "\(p).to")
        guard from.isFinite, to.isFinite else {
          throw fail(p, "a dimensionality event's from and to must be finite numbers")
        }
        events.append(
          HistoryEvent(
            step: step, instance: instance,
            kind: .dimensionality(features: features, from: from, to: to)))
      default:
        throw fail("\(p).kind", "must be \"geometry\" or \"dimensionality\", got \"\(kind)\"")
      }
    }
    return RunHistory(
      budget: budget, spacing: spacing, thinned: thinned, frames: frames, events: events)
  }
}
