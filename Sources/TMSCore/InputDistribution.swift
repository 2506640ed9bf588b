import TMSKernels

/// The data distribution of one instance, as independent units, for sampling held-out inputs
/// outside the kernels (the loss estimate, the attack's starting points).
///
/// A unit is an ungrouped feature (active with its p_i) or a ``FeatureGroup`` (active with the
/// mean p of its members; then every member of a correlated group, or one member chosen
/// uniformly of an anticorrelated one). An active feature's value is uniform on [0, 1), or on
/// [−1, 1) for the abs model: the kernels' distribution.
///
/// Strata by the number K of active units: P(K = 0) = Π_u (1 − q_u) and
/// P(K = 1) = Σ_u q_u Π_{v≠u} (1 − q_v); ``sample(atLeast:rng:)`` draws from the distribution
/// conditioned on K ≥ r exactly (no rejection), unit by unit with
/// P(unit i active | r more needed) = q_i·Q_{r−1}(i+1)/Q_r(i), where
/// Q_r(i) = P(at least r units among i… are active) obeys
/// Q_r(i) = q_i·Q_{r−1}(i+1) + (1 − q_i)·Q_r(i+1), Q_0 ≡ 1.
package struct InputDistribution: Sendable {
  package struct Unit: Sendable {
    package var probability: Double
    package var members: [Int]
    /// All members active together (correlated), or exactly one of them.
    var together: Bool
  }

  package let units: [Unit]
  let signed: Bool
  /// `atLeast[r][i]` = Q_r(i) for r = 1, 2 (index 0 holds Q_1), i = 0…units.count.
  private let atLeast: [[Double]]

  package init(config: RunConfig, instance k: Int) {
    let p = config.featureProbability[k]
    let grouped = Set(config.groups.flatMap(\.features))
    var units: [Unit] = []
    for i in 0..<config.features where !grouped.contains(i) {
      units.append(Unit(probability: Self.clamp(p[i]), members: [i], together: true))
    }
    for g in config.groups {
      let q = g.features.map { p[$0] }.reduce(0, +) / Double(max(1, g.features.count))
      units.append(
        Unit(probability: Self.clamp(q), members: g.features, together: g.kind == .correlated))
    }
    self.units = units
    signed = config.model.isSigned
    let count = units.count
    var q1 = [Double](repeating: 0, count: count + 1)
    var q2 = [Double](repeating: 0, count: count + 1)
    for i in stride(from: count - 1, through: 0, by: -1) {
      let q = units[i].probability
      q1[i] = q + (1 - q) * q1[i + 1]
      q2[i] = q * q1[i + 1] + (1 - q) * q2[i + 1]
    }
    atLeast = [q1, q2]
  }

  static func clamp(_ p: Double) -> Double { p.isFinite ? min(1, max(0, p)) : 0 }

  /// P(K = 0): the input is x = 0.
  package var probabilityNone: Double { units.reduce(1) { $0 * (1 - $1.probability) } }

  /// P(K = 1 and that unit is `u`), for every unit, by prefix and suffix products (no
  /// division, so q = 1 is fine).
  var probabilityOnlyUnit: [Double] {
    let count = units.count
    var suffix = [Double](repeating: 1, count: count + 1)
    for i in stride(from: count - 1, through: 0, by: -1) {
      suffix[i] = suffix[i + 1] * (1 - units[i].probability)
    }
    var prefix = 1.0
    var out = [Double](repeating: 0, count: count)
    for i in 0..<count {
      out[i] = prefix * units[i].probability * suffix[i + 1]
      prefix *= 1 - units[i].probability
    }
    return out
  }

  /// P(K ≥ r) for r = 1, 2.
  package func probabilityAtLeast(_ r: Int) -> Double { atLeast[r - 1][0] }

  /// One value of an active feature.
  @inline(__always) func value(_ rng: inout SplitMix64) -> Double {
    let u = rng.nextUnit()
    return signed ? 2 * u - 1 : u
  }

  /// Appends unit `u`'s active features and values.
  func activate(_ u: Int, _ rng: inout SplitMix64, active: inout [Int], values: inout [Double]) {
    let unit = units[u]
    if unit.together {
      for i in unit.members {
        active.append(i)
        values.append(value(&rng))
      }
    } else {
      let pick = min(unit.members.count - 1, Int(rng.nextUnit() * Double(unit.members.count)))
      active.append(unit.members[pick])
      values.append(value(&rng))
    }
  }

  /// One input (sparse: `active` features and their `values`) from the distribution
  /// conditioned on at least `r` active units (r = 0: unconditioned; r ≤ 2). The caller
  /// ensures P(K ≥ r) > 0.
  package func sample(
    atLeast r: Int, rng: inout SplitMix64, active: inout [Int], values: inout [Double]
  ) {
    active.removeAll(keepingCapacity: true)
    values.removeAll(keepingCapacity: true)
    var need = r
    for u in units.indices {
      let q = units[u].probability
      let chance: Double
      if need == 0 {
        chance = q
      } else {
        let rest = need == 1 ? 1 : atLeast[need - 2][u + 1]
        let here = atLeast[need - 1][u]
        chance = here > 0 ? q * rest / here : 1
      }
      guard rng.nextUnit() < chance else { continue }
      activate(u, &rng, active: &active, values: &values)
      need = max(0, need - 1)
    }
  }
}
