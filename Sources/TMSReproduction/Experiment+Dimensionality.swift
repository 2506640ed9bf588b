import TMSCore

extension Experiment {
  /// Feature dimensionality, 200→20 with equal importance (notes §9.6–9.7): D* = 1 dense;
  /// within 0.03 of ½ for 1/(1−S) ≈ 2.2–3.5 with 2m features at D = ½; triangles (⅔) before
  /// the plateau, pentagons (⅖) and square antiprisms (⅜) after; D* ≈ 0.137 at 1/(1−S) = 20;
  /// Σ D_i ≈ m throughout.
  public static let dimensionality = Experiment(
    name: "dimensionality",
    title: "Feature dimensionality: 200 features in 20 dimensions",
    claim:
      "Dimensions per feature D* falls from 1 as features get sparser but sticks at ½ "
      + "(antipodal pairs) over a range of sparsity, and individual features sit at the "
      + "tight-frame fractions 1, ½, ⅔, ⅖, ⅜.",
    setup: { quick in
      "preset dimensionality (relu-output 200→20, I = 1, 20 instances p = 20^(−k/19)), "
        + "\(quick ? "3,000" : "10,000") steps, 1 seed (200 features per instance average out "
        + "single-feature minima)"
    },
    train: { context in
      let config = try ShippedPreset.config(
        "dimensionality", steps: context.pick(full: 10_000, quick: 3_000))
      var data = ExperimentData(quick: context.quick)
      data.runs = [
        (
          "relu-output",
          try TrainedRun.train(config, seeds: 1, context: context, progress: context.progress)
        )
      ]
      return data
    },
    check: { data in
      data.run("relu-output").map { checkDimensionality($0, quick: data.quick) } ?? []
    })

  static func checkDimensionality(_ run: TrainedRun, quick: Bool) -> [ClaimRow] {
    let m = Double(run.config.hidden)
    let K = run.config.instances
    let inverse = (0..<K).map { 1 / run.probability($0) }
    let dStar = (0..<K).map { run.metrics[$0].dimensionsPerFeature }
    var rows: [ClaimRow] = []
    rows.append(
      ClaimRule.absolute(
        "D* at p = 1", measured: dStar[0], target: 1, absolute: 0.03, paper: "1"))
    let plateau = (0..<K).filter { inverse[$0] >= 2.2 && inverse[$0] <= 3.5 }
    let worst = plateau.map { abs(dStar[$0] - 0.5) }.max() ?? .infinity
    let atHalf = plateau.map { k in
      run.metrics[k].dimensionality.filter { abs($0 - 0.5) <= 0.012 }.count
    }
    let plateauRow = ClaimRule.property(
      "D* for 1/(1−S) in 2.2–3.5", holds: !plateau.isEmpty && worst <= 0.03,
      paper: "within 0.03 of ½",
      tms: plateau.map { "\(ClaimRule.number(inverse[$0])): \(ClaimRule.number(dStar[$0]))" }
        .joined(separator: ", "),
      rule: "every instance within 0.03 of ½", value: worst)
    let pairsRow = ClaimRule.property(
      "features at D = ½ on the plateau", holds: atHalf.contains { $0 >= 2 * Int(m) - 2 },
      paper: "2m = \(2 * Int(m))", tms: atHalf.map(String.init).joined(separator: ", "),
      rule: "some plateau instance with ≥ 2m − 2 features within 0.012 of ½")
    let last = K - 1
    let endRow = ClaimRule.absolute(
      "D* at 1/(1−S) = \(ClaimRule.number(inverse[last]))", measured: dStar[last], target: 0.137,
      absolute: 0.01, paper: "≈ 0.137")
    if quick {
      rows += [plateauRow, pairsRow, endRow].map(Experiment.needsFullRun)
    } else {
      rows += [plateauRow, pairsRow, endRow]
    }
    let sums = (0..<K).map { run.metrics[$0].dimensionality.reduce(0, +) }
    let worstSum = sums.map { abs($0 - m) / m }.max() ?? .infinity
    rows.append(
      ClaimRule.property(
        "Σ D_i", holds: worstSum <= 0.05, paper: "≈ m = \(Int(m))",
        tms: "\(ClaimRule.number(sums.min() ?? 0))–\(ClaimRule.number(sums.max() ?? 0))",
        rule: "within 5% of m in every instance", value: worstSum))
    func count(_ fraction: Double, where keep: (Double) -> Bool) -> Int {
      (0..<K).filter { keep(inverse[$0]) }.map { k in
        run.metrics[k].dimensionality.filter { abs($0 - fraction) <= 0.012 }.count
      }.reduce(0, +)
    }
    rows.append(
      ClaimRule.observation(
        "features at ⅔ before the plateau (1/(1−S) < 2.2)", paper: "triangles appear",
        tms: "\(count(2.0 / 3) { $0 < 2.2 })"))
    rows.append(
      ClaimRule.observation(
        "features at ⅖ and ⅜ after it (1/(1−S) > 3.5)",
        paper: "pentagons and square antiprisms appear",
        tms: "\(count(0.4) { $0 > 3.5 }) at ⅖, \(count(0.375) { $0 > 3.5 }) at ⅜"))
    return rows
  }

  /// A row the `--quick` run reports but does not judge: its short training has not reached
  /// the state the claim is about. The report counts these.
  static func needsFullRun(_ row: ClaimRow) -> ClaimRow {
    var r = row
    r.verdict = .info
    r.tolerance = "not judged in --quick (needs the full run): " + r.tolerance
    return r
  }
}
