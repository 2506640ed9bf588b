import TMSCore

/// Values derived from a snapshot that cost too much to compute on every frame: computed
/// once per snapshot version, outside drawing, and read by the panels.
public struct DerivedValues: Sendable {
  /// The snapshot version these are for (−1: none yet).
  public let version: Int
  /// Every instance's attack gain ‖WᵀW‖₂ (NaN when too large to compute live).
  public let attackGains: [Double]
  /// When the gains were computed.
  let gainsComputed: ContinuousClock.Instant
  /// The configuration the gains belong to.
  let gainsConfig: RunConfig?
  /// The focused instance's interference s_i split by the sign of Ŵ_i·W_j:
  /// (Σ over positive dots, Σ over negative dots), per feature.
  public let interference: [(pos: Double, neg: Double)]
  /// The instance `interference` is for.
  let interferenceInstance: Int

  /// Nothing derived yet.
  public static let empty = DerivedValues(
    version: -1, attackGains: [], gainsComputed: .now, gainsConfig: nil, interference: [],
    interferenceInstance: -1)

  /// Largest K·(n·m² + 8m³) (the Gram and Jacobi work of the attack gain) computed live,
  /// about 20 ms; the 200→20 × 20 preset is 2.9 million.
  static let attackGainLiveLimit = 12_000_000

  /// The values for `snapshot` with instance `focused` shown, reusing `previous` where it
  /// still holds. The attack gains are computed only when a view shows them
  /// (`attackGains`), and then at most twice a second while training runs (a few
  /// milliseconds for 200→20 × 20); a paused or reconfigured run gets them afresh.
  public static func update(
    _ previous: DerivedValues, snapshot: TrainingSnapshot, focused: Int,
    now: ContinuousClock.Instant, attackGains wanted: Bool = true
  ) -> DerivedValues {
    let k = min(max(0, focused), snapshot.instances.count - 1)
    let haveGains = previous.attackGains.count == snapshot.instances.count
    if previous.version == snapshot.version && previous.interferenceInstance == k
      && (haveGains || !wanted)
    {
      return previous
    }
    var gains = wanted ? previous.attackGains : []
    var computed = previous.gainsComputed
    let fresh =
      previous.gainsConfig != snapshot.config || !haveGains || snapshot.status != .running
      || now - previous.gainsComputed >= .milliseconds(500)
    if wanted && fresh && (previous.version != snapshot.version || !haveGains) {
      gains = attackGains(snapshot)
      computed = now
    }
    return DerivedValues(
      version: snapshot.version, attackGains: gains, gainsComputed: computed,
      gainsConfig: snapshot.config, interference: interference(snapshot.instances[k]),
      interferenceInstance: k)
  }

  /// Every instance's gain, or NaN for all above ``attackGainLiveLimit`` (the headless
  /// `tms train` table and JSON have it for any size).
  static func attackGains(_ snapshot: TrainingSnapshot) -> [Double] {
    let c = snapshot.config
    let m = c.hidden
    let work = c.instances * (c.features * m * m + 8 * m * m * m)
    guard m <= AttackGain.exactUpTo, work <= attackGainLiveLimit else {
      return Array(repeating: .nan, count: snapshot.instances.count)
    }
    return snapshot.instances.map {
      AttackGain.of($0.parameters.W, W2: $0.parameters.W2, hidden: m)
    }
  }

  /// s_i split by the sign of Ŵ_i·W_j, from WᵀW.
  static func interference(_ inst: InstanceSnapshot) -> [(pos: Double, neg: Double)] {
    let g = inst.metrics.gram
    let norms = inst.metrics.norms
    let n = norms.count
    guard g.count == n * n else { return Array(repeating: (0, 0), count: n) }
    return (0..<n).map { i in
      guard norms[i] > 1e-6 else { return (0, 0) }
      var pos = 0.0
      var neg = 0.0
      for j in 0..<n where j != i {
        let d = Double(g[i * n + j]) / norms[i]
        if d > 0 { pos += d * d } else { neg += d * d }
      }
      return (pos, neg)
    }
  }
}
