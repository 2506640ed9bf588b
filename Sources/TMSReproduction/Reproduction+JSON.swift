import TMSCore
import TMSFiles

extension Reproduction {
  /// results.json: every section's verdict rows (with numeric values), seeds, seconds, and
  /// per trained run the kept losses ± standard error and the geometry labels, for scripts.
  ///
  /// `{ "quick", "partial", "threads", "seconds", "passed", "failed", "info",
  ///    "sections": [ { "name", "title", "claim", "setup", "command", "seconds", "seeds",
  ///      "rows": [ { "quantity", "paper", "tms", "tolerance", "verdict", "value" } ],
  ///      "runs": { role: { "model", "features", "hidden", "feature_probability", "loss",
  ///                        "loss_se", "kept_seed", "represented", "geometry" } } } ] }`
  /// Losses are in the notebook's convention (× n for the paper's).
  public func json() -> [UInt8] {
    let rows = sections.flatMap(\.rows)
    func count(_ v: Verdict) -> JSONValue { .int(rows.filter { $0.verdict == v }.count) }
    let object = JSONObject([
      ("quick", .bool(quick)), ("partial", .bool(partial)), ("threads", .int(threads)),
      ("seconds", .double(seconds)), ("passed", count(.pass)), ("failed", count(.fail)),
      ("info", count(.info)), ("not_judged_in_quick", .int(notJudgedInQuick)),
      ("loss_convention", .string("notebook: mean over batch and features; paper = × n")),
      ("sections", .array(sections.map { $0.json(quick: quick) })),
    ])
    return JSONDocument.text(.object(object))
  }
}

extension SectionResult {
  func json(quick: Bool) -> JSONValue {
    .object(
      JSONObject([
        ("name", .string(experiment.name)), ("title", .string(experiment.title)),
        ("claim", .string(experiment.claim)), ("setup", .string(experiment.setup(quick))),
        ("command", .string(experiment.command(quick: quick))), ("seconds", .double(seconds)),
        ("seeds", .int(data.seedsUsed)),
        (
          "rows",
          .array(
            rows.map { r in
              .object(
                JSONObject([
                  ("quantity", .string(r.quantity)), ("paper", .string(r.paper)),
                  ("tms", .string(r.tms)), ("tolerance", .string(r.tolerance)),
                  ("verdict", .string(r.verdict.rawValue)),
                  ("value", r.value.map(JSONValue.double) ?? .null),
                ]))
            })
        ),
        ("runs", .object(JSONObject(data.runs.map { ($0.role, $0.run.json()) }))),
      ]))
  }
}

extension TrainedRun {
  func json() -> JSONValue {
    .object(
      JSONObject([
        ("model", .string(config.model.rawValue)), ("features", .int(config.features)),
        ("hidden", .int(config.hidden)), ("seeds", .int(seeds)),
        ("feature_probability", .doubles((0..<config.instances).map(probability))),
        ("loss", .doubles(loss)), ("loss_se", .doubles(lossStandardError)),
        ("kept_seed", .array(keptSeed.map(JSONValue.int))),
        ("represented", .array(metrics.map { .int($0.represented) })),
        ("dimensions_per_feature", .doubles(metrics.map(\.dimensionsPerFeature))),
        ("geometry", .array(metrics.map { .string($0.geometry.text) })),
      ]))
  }
}

extension Experiment {
  /// The command that reproduces this section alone.
  public func command(quick: Bool) -> String {
    "tms reproduce --only \(name)" + (quick ? " --quick" : "")
  }
}
