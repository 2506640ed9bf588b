import TMSCore

/// `tms sae --json`: the SAE report, its blocks spelled as in a snapshot's `sae` section
/// (see `SAE+JSON.swift`).
///
/// ```
/// { "loss_convention": "…", "sae_loss": "…", "config": { …RunConfig.fields, with "sae"… },
///   "model_steps", "model_seconds", "steps", "seconds", "steps_per_second", "threads",
///   "eval_samples", "diverged" (only if so),
///   "summary": { "recovery_mean", "recovery_best", "dead_fraction_mean" },
///   "instances": [ { "parameters": {…}, "metrics": {… "held_out": {…}} }, … ] }
/// ```
extension SAEReport {
  /// What the SAE's loss and reconstruction mean, written into the report.
  public static let saeLoss =
    "E||h - h_hat||^2 + lambda E||z||_1: squared error summed over the m hidden dimensions, "
    + "mean over samples; mse is that / m"

  /// The report as UTF-8 JSON text, ending in a newline.
  public func json() -> [UInt8] {
    var w = JSONWriter()
    func line(_ key: String, _ value: JSONValue) {
      w.raw(",\n  \"\(key)\": ")
      w.value(value, indent: 2)
    }
    w.raw("{\n  \"loss_convention\": ")
    w.string(Snapshot.lossConvention)
    line("sae_loss", .string(Self.saeLoss))
    line("config", .object(RunConfig.fields.written(config)))
    line("model_steps", .int(modelSteps))
    line("model_seconds", .double(modelSeconds))
    line("steps", .int(steps))
    line("seconds", .double(seconds))
    line("steps_per_second", .double(stepsPerSecond))
    line("threads", .int(threads))
    line("eval_samples", .int(evalSamples))
    if let diverged { line("diverged", .string(diverged)) }
    line(
      "summary",
      .object(
        JSONObject([
          ("recovery_mean", .double(meanRecovery)), ("recovery_best", .double(bestRecovery)),
          ("dead_fraction_mean", .double(meanDeadFraction)),
        ])))
    w.raw(",\n  \"instances\": [")
    for (s, inst) in instances.enumerated() {
      w.raw(s == 0 ? "\n    {" : ",\n    {")
      w.raw("\n      \"parameters\": ")
      w.saeParameters(inst.parameters, indent: 6)
      w.raw(",\n      \"metrics\": ")
      w.saeMetrics(inst.metrics, hidden: config.hidden, indent: 6)
      w.raw("\n    }")
    }
    w.raw(instances.isEmpty ? "]\n}\n" : "\n  ]\n}\n")
    return w.bytes
  }
}
