import TMSCore

extension Experiment {
  /// Adversarial vulnerability as the code companion ran it (notes §9.10): 20→5, I = 0.9^i,
  /// 40 instances with 1/(1−S) = linspace(1, 10, 40), linear and relu-output, best of 5
  /// seeds; vulnerability = (ReLU attacked loss − ReLU loss) ÷ (linear attacked loss −
  /// linear loss) for the worst feature i. Claim: it tracks features per dimension ‖W‖_F²/m.
  public static let adversarial = Experiment(
    name: "adversarial",
    title: "Superposition and adversarial vulnerability",
    claim:
      "Models in superposition are more vulnerable to small adversarial perturbations, in "
      + "step with the number of features per dimension ‖W‖_F²/m.",
    setup: { quick in
      "20→5, I = 0.9^i, \(quick ? 10 : 40) instances with 1/(1−S) = linspace(1, 10), linear and "
        + "relu-output, 10,000 steps, best of \(quick ? 2 : 5) seeds; attack on feature i: "
        + "δ = 0.1·(WᵀW)_{:,i}/‖(WᵀW)_{:,i}‖ on 4,096 held-out inputs"
    },
    train: { context in
      var data = ExperimentData(quick: context.quick)
      let count = context.pick(full: 40, quick: 10)
      let seeds = context.pick(full: 5, quick: 2)
      for (index, model) in [ModelKind.linear, .reluOutput].enumerated() {
        var config = try ShippedPreset.config("adversarial", steps: 10_000)
        config.model = model
        config.instances = count
        config.featureProbability = (0..<count).map { k in
          let inverse = 1 + 9 * Double(k) / Double(count - 1)
          return Array(repeating: 1 / inverse, count: config.features)
        }
        config.importance = Array(repeating: config.importance[0], count: count)
        let run = try TrainedRun.train(config, seeds: seeds, context: context) {
          context.progress((Double(index) + $0) / 2)
        }
        data.runs.append((model.rawValue, run))
      }
      return data
    },
    check: { data in
      guard let linear = data.run("linear"), let relu = data.run("relu-output") else { return [] }
      return checkAdversarial(linear: linear, relu: relu)
    })

  /// Per instance: vulnerability (worst-feature ReLU loss increase ÷ worst-feature linear
  /// loss increase) and the ReLU model's features per dimension ‖W‖_F²/m.
  public static func vulnerability(linear: TrainedRun, relu: TrainedRun) -> [(
    vulnerability: Double, featuresPerDimension: Double
  )] {
    (0..<relu.config.instances).map { k in
      func worst(_ run: TrainedRun) -> Double {
        FeatureAttack.lossIncrease(
          run.parameters[k], model: run.config.model,
          featureProbability: run.config.featureProbability[k],
          importance: run.config.importance[k]
        ).max() ?? 0
      }
      let m = Double(relu.config.hidden)
      let frob = relu.parameters[k].W.reduce(0.0) { acc, row in
        acc + row.reduce(0.0) { $0 + Double($1) * Double($1) }
      }
      return (worst(relu) / worst(linear), frob / m)
    }
  }

  static func checkAdversarial(linear: TrainedRun, relu: TrainedRun) -> [ClaimRow] {
    let v = vulnerability(linear: linear, relu: relu)
    let first = v.first
    let last = v.last
    let attacks = (0..<relu.config.instances).map { k in
      AttackResult.measure(relu.parameters[k], config: relu.config, instance: k)
    }
    let ends = [0, attacks.count - 1].map { k in
      "1/(1−S) = \(ClaimRule.number(1 / relu.probability(k))): worst \(ClaimRule.number(attacks[k].worstGain)), "
        + "bound \(ClaimRule.number(attacks[k].bound))"
    }
    return [
      ClaimRule.correlationAtLeast(
        "the ReLU model's measured attack gain against ‖W‖_F²/m", attacks.map(\.worstGain),
        v.map(\.featuresPerDimension), minimum: 0.8,
        paper: "vulnerability tracks features per dimension",
        detail: "; gain = worst ‖y(x+δ) − y(x)‖/ε by projected gradient ascent, ε = 0.1 ("
          + ends.joined(separator: "; ") + ")"),
      ClaimRule.correlationAtLeast(
        "vulnerability (notes §9.10) against ‖W‖_F²/m", v.map(\.vulnerability),
        v.map(\.featuresPerDimension), minimum: 0.8, paper: "tracks features per dimension"),
      ClaimRule.property(
        "vulnerability, dense → sparsest",
        holds: (last?.vulnerability ?? 0) > (first?.vulnerability ?? .infinity),
        paper: "grows with sparsity",
        tms: "\(ClaimRule.number(first?.vulnerability ?? .nan)) → "
          + ClaimRule.number(last?.vulnerability ?? .nan),
        rule: "larger at 1/(1−S) = 10 than at 1"),
    ]
  }
}
