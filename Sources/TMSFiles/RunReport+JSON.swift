import TMSCore

/// `tms train --json`: the run report in the snapshot's spelling (see
/// `InstanceResult+JSON.swift` for the blocks both share).
///
/// ```
/// { "loss_convention": "…", "config": { …RunConfig.fields… }, "steps": N, "seconds": s,
///   "steps_per_second": r, "threads": t, "eval_samples": e, "diverged": "…" (only if so),
///   "instances": [ { "feature_probability": [n], "importance": [n],
///                    "parameters": {…}, "metrics": {…}, "geometry": {…} }, … ] }
/// ```
extension RunReport {
  /// The report as UTF-8 JSON text, ending in a newline.
  public func json() -> [UInt8] {
    var w = JSONWriter()
    let n = config.features
    w.raw("{\n  \"loss_convention\": ")
    w.string(Snapshot.lossConvention)
    w.raw(",\n  \"config\": ")
    w.value(.object(RunConfig.fields.written(config)), indent: 2)
    w.raw(",\n  \"steps\": ")
    w.int(steps)
    w.raw(",\n  \"seconds\": ")
    w.double(seconds)
    w.raw(",\n  \"steps_per_second\": ")
    w.double(stepsPerSecond)
    w.raw(",\n  \"threads\": ")
    w.int(threads)
    w.raw(",\n  \"eval_samples\": ")
    w.int(evalSamples)
    if let diverged {
      w.raw(",\n  \"diverged\": ")
      w.string(diverged)
    }
    w.raw(",\n  \"instances\": [")
    for (k, inst) in instances.enumerated() {
      w.raw(k == 0 ? "\n    {" : ",\n    {")
      w.raw("\n      \"feature_probability\": ")
      w.doubles(inst.metrics.featureProbability)
      w.raw(",\n      \"importance\": ")
      w.doubles(inst.metrics.importance)
      w.raw(",\n      \"parameters\": ")
      w.parameters(inst.parameters, abs: !config.model.isTied, indent: 6)
      w.raw(",\n      \"metrics\": ")
      w.metrics(
        inst.metrics, attackBound: inst.attack.bound, attack: inst.attack,
        samples: inst.loss.samples, features: n, indent: 6)
      w.raw(",\n      \"geometry\": ")
      w.geometry(inst.metrics.geometry, indent: 6)
      w.raw("\n    }")
    }
    w.raw(instances.isEmpty ? "]\n}\n" : "\n  ]\n}\n")
    return w.bytes
  }
}

/// `tms sweep phase --json`: the grid, cell by cell, and the analytic agreement.
///
/// ```
/// { "loss_convention": "…", "config": { …PhaseSweepConfig.fields… },
///   "feature_probability": [G], "relative_importance": [G], "analytic_boundary": [G],
///   "completed", "total", "cancelled", "diverged_cells", "prototype_cells", "seeds_trained",
///   "failure" (only if so), "seconds", "threads", "instance_steps",
///   "agreement": { "probability_factor", "importance_factor", "counted", "agreeing",
///                  "fraction", "trained_agreeing", "trained_fraction", "prototype_decided",
///                  "finished", "finished_agreeing", "disagreements" },
///   "cells": [[ { "row", "column", "feature_probability", "relative_importance", "norm",
///                 "superposition", "loss", "label", "winning_seed", "seed_losses",
///                 "seed_labels", "parameters", "analytic_label", "analytic_loss",
///                 "trained_label", "trained_loss", "prototype" (only if a prototype decided
///                 the cell), "floor_loss" (with the floor on),
///                 "diverged_seeds" (only if some seed diverged) } | null ]] }
/// ```
extension PhaseSweepResult {
  /// The result as UTF-8 JSON text, ending in a newline; `agreement` is added when given.
  public func json(agreement: PhaseAgreement?) -> [UInt8] {
    var w = JSONWriter()
    func line(_ key: String, _ value: JSONValue) {
      w.raw(",\n  \"\(key)\": ")
      w.value(value, indent: 2)
    }
    w.raw("{\n  \"loss_convention\": ")
    w.string(lossConvention)
    line("config", .object(PhaseSweepConfig.fields.written(config)))
    line("feature_probability", .doubles(featureProbability))
    line("relative_importance", .doubles(relativeImportance))
    if let analyticBoundary { line("analytic_boundary", .doubles(analyticBoundary)) }
    line("completed", .int(completed))
    line("total", .int(total))
    line("cancelled", .bool(cancelled))
    line("diverged_cells", .int(divergedCells.count))
    line("prototype_cells", .int(prototypeCells.count))
    line("seeds_trained", .int(seedsTrained))
    if let failure { line("failure", .string(failure)) }
    line("seconds", .double(seconds))
    line("threads", .int(threads))
    line("instance_steps", .int(instanceSteps))
    if let a = agreement {
      line(
        "agreement",
        .object(
          JSONObject([
            ("probability_factor", .double(a.probabilityFactor)),
            ("importance_factor", .double(a.importanceFactor)), ("counted", .int(a.counted)),
            ("agreeing", .int(a.agreeing)), ("fraction", .double(a.fraction)),
            ("trained_agreeing", .int(a.trainedAgreeing)),
            ("trained_fraction", .double(a.trainedFraction)),
            ("prototype_decided", .int(a.prototypeDecided)), ("finished", .int(a.finished)),
            ("finished_agreeing", .int(a.finishedAgreeing)),
            ("disagreements", .array(a.disagreements.map { .array($0.map(JSONValue.int)) })),
          ])))
    }
    w.raw(",\n  \"cells\": ")
    w.matrix(cells, indent: 2) { w, row in
      w.raw("[")
      for (j, cell) in row.enumerated() {
        if j > 0 { w.raw(",") }
        w.newline(6)
        guard let c = cell else {
          w.raw("null")
          continue
        }
        var o: [(String, JSONValue)] = [
          ("row", .int(c.row)), ("column", .int(c.column)),
          ("feature_probability", .double(c.featureProbability)),
          ("relative_importance", .double(c.relativeImportance)), ("norm", .double(c.norm)),
          ("superposition", .double(c.superposition)), ("loss", .double(c.loss)),
          ("label", .string(c.label.rawValue)), ("winning_seed", .int(c.winningSeed)),
          ("seed_losses", .doubles(c.seedLosses)),
          ("seed_labels", .array(c.seedLabels.map { .string($0.rawValue) })),
          (
            "parameters",
            .object(
              JSONObject([
                ("W", .array(c.parameters.W.map { .array($0.map(JSONValue.float)) })),
                ("b", .array(c.parameters.b.map(JSONValue.float))),
              ]))
          ),
        ]
        if let l = c.analyticLabel { o.append(("analytic_label", .string(l.rawValue))) }
        if let l = c.analyticLoss { o.append(("analytic_loss", .double(l))) }
        o.append(("trained_label", .string(c.trainedLabel.rawValue)))
        o.append(("trained_loss", .double(c.trainedLoss)))
        if let q = c.prototype { o.append(("prototype", .string(q.rawValue))) }
        if let f = c.floorLoss { o.append(("floor_loss", .double(f))) }
        if c.diverged { o.append(("diverged_seeds", .array(c.divergedSeeds.map(JSONValue.int)))) }
        w.value(.object(JSONObject(o)), indent: 6)
      }
      w.newline(4)
      w.raw("]")
    }
    w.raw("\n}\n")
    return w.bytes
  }
}
