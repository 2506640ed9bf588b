import TMSKernels

/// How vulnerable one instance is to small input perturbations, measured by attacking it, next
/// to the bound that limits any attack (the paper's claim: superposition makes models
/// vulnerable, in step with features per dimension).
///
/// The attack is projected gradient ascent on the output change
/// O(δ) = ½‖y(x+δ) − y(x)‖² over the sphere ‖δ‖₂ = ε, from held-out points x drawn from the
/// instance's own distribution: δ ← ε·∇O(δ)/‖∇O(δ)‖ with
/// ∇O = Encᵀ (φ'(a) ⊙ Decᵀ (ψ'(z) ⊙ (y(x+δ) − y(x)))) — for the linear model this is power
/// iteration on WᵀW·WᵀW, which converges to the top singular direction. Where every output
/// ReLU is shut (a sparse x = 0 with negative biases) ∇O is 0, so half the restarts first
/// climb the pre-activation change ½‖z(x+δ) − z(x)‖², which opens them. The output change is
/// not constrained to keep x + δ inside the data's range. The gain is ‖y(x+δ*) − y(x)‖/ε for
/// the best δ* found; it is a lower bound on the true worst case, and never exceeds ``bound``.
public struct AttackResult: Sendable, Equatable {
  /// ‖Dec‖₂·‖Enc‖₂ (= σ_max(W)² tied): the Lipschitz constant of the model's layers, which no
  /// perturbation can beat (ReLUs are 1-Lipschitz); exact for the linear model only
  /// (``AttackGain``).
  public var bound: Double
  /// The largest gain the attack reached over the points.
  public var worstGain: Double
  /// The mean over points of the gain reached at each.
  public var meanGain: Double
  /// ε, the perturbation's L2 norm.
  public var epsilon: Double
  /// Points attacked.
  public var points: Int

  /// Creates a result from its parts.
  public init(bound: Double, worstGain: Double, meanGain: Double, epsilon: Double, points: Int) {
    self.bound = bound
    self.worstGain = worstGain
    self.meanGain = meanGain
    self.epsilon = epsilon
    self.points = points
  }

  /// How the attack is run.
  public struct Settings: Sendable, Equatable {
    /// ε, the L2 norm of every perturbation.
    public var epsilon: Double
    /// Held-out points attacked (fewer when ``workLimit`` asks).
    public var points: Int
    /// Random starting directions per point.
    public var restarts: Int
    /// Ascent steps per restart.
    public var iterations: Int
    /// Seed of the points and starting directions (with the instance index).
    public var seed: UInt64

    /// Creates settings: ε = 0.1 (the adversarial experiment's size), 16 points, 4 restarts,
    /// 40 steps each.
    public init(
      epsilon: Double = 0.1, points: Int = 16, restarts: Int = 4, iterations: Int = 40,
      seed: UInt64 = 0
    ) {
      self.epsilon = epsilon
      self.points = points
      self.restarts = restarts
      self.iterations = iterations
      self.seed = seed
    }

    /// Most multiply-adds (points × restarts × steps × 4nm) one instance's attack may take
    /// (about 0.1 s); above it fewer points are attacked, at least two.
    public static let workLimit = 100_000_000
  }

  /// Attacks instance `k`'s `parameters` under `config`'s model and data. Deterministic for
  /// a seed.
  public static func measure(
    _ parameters: Parameters, config: RunConfig, instance k: Int, settings: Settings = Settings()
  ) -> AttackResult {
    let f = ModelFunction(parameters, model: config.model, importance: config.importance[k])
    let bound = AttackGain.of(parameters)
    let eps = settings.epsilon
    guard f.n > 0, f.m > 0, eps > 0, eps.isFinite, settings.points > 0 else {
      return AttackResult(bound: bound, worstGain: 0, meanGain: 0, epsilon: eps, points: 0)
    }
    let data = InputDistribution(config: config, instance: k)
    let restarts = max(1, settings.restarts)
    let iterations = min(1_000_000, max(0, settings.iterations))
    let perPoint = Double(restarts) * Double(iterations + 1) * 4 * Double(f.n * f.m)
    let points = min(settings.points, max(2, Int(min(1e9, Double(Settings.workLimit) / perPoint))))
    var rng = SplitMix64(
      seed: SplitMix64.streamSeed(seed: settings.seed, instance: k, purpose: 0xA77A))
    var attacker = Attacker(f)
    var active: [Int] = []
    var values: [Double] = []
    var gains: [Double] = []
    for _ in 0..<points {
      data.sample(atLeast: 0, rng: &rng, active: &active, values: &values)
      var x = [Double](repeating: 0, count: f.n)
      for (t, i) in active.enumerated() { x[i] = values[t] }
      var best = 0.0
      for r in 0..<restarts {
        let change = attacker.ascend(
          from: x, epsilon: eps, iterations: iterations, openFirst: r % 2 == 1, rng: &rng)
        best = max(best, change)
      }
      gains.append(best / eps)
    }
    return AttackResult(
      bound: bound, worstGain: gains.max() ?? 0,
      meanGain: gains.reduce(0, +) / Double(max(1, gains.count)), epsilon: eps, points: points)
  }
}

/// The attack's working state for one instance: forward and backward passes on dense inputs.
package struct Attacker {
  let f: ModelFunction
  var a: [Double]
  var h: [Double]
  var z: [Double]
  var dz: [Double]
  var dh: [Double]

  package init(_ f: ModelFunction) {
    self.f = f
    a = Array(repeating: 0, count: f.m)
    h = a
    dh = a
    z = Array(repeating: 0, count: f.n)
    dz = z
  }

  /// z(x) (output pre-activations), leaving a and h of x behind.
  package mutating func forward(_ x: [Double]) -> [Double] {
    f.hiddenPre(dense: x, into: &a)
    f.outputPre(hidden: a, h: &h, into: &z)
    return z
  }

  /// ∇_x ½‖y(x) − y₀‖² (or, `preActivation`, of ½‖z(x) − z₀‖²) at x, with ‖y(x) − y₀‖.
  package mutating func gradient(at x: [Double], base z0: [Double], preActivation: Bool)
    -> (gradient: [Double], change: Double)
  {
    let zx = forward(x)
    var change = 0.0
    for i in 0..<f.n {
      let dy = f.output(zx[i]) - f.output(z0[i])
      change += dy * dy
      if preActivation {
        dz[i] = zx[i] - z0[i]
      } else {
        dz[i] = f.outputReLU && zx[i] <= 0 ? 0 : dy
      }
    }
    let m = f.m
    f.dec.withUnsafeBufferPointer { d in
      dh.withUnsafeMutableBufferPointer { out in
        let o = out.baseAddress!
        o.update(repeating: 0, count: m)
        for i in 0..<f.n where dz[i] != 0 {
          ModelFunction.axpy(dz[i], d.baseAddress! + i * m, o, m)
        }
      }
    }
    if f.hiddenReLU { for j in 0..<m where a[j] <= 0 { dh[j] = 0 } }
    var grad = [Double](repeating: 0, count: f.n)
    f.enc.withUnsafeBufferPointer { e in
      dh.withUnsafeBufferPointer { g in
        for i in 0..<f.n { grad[i] = ModelFunction.dot(e.baseAddress! + i * m, g.baseAddress!, m) }
      }
    }
    return (grad, change.squareRoot())
  }

  /// The largest ‖y(x+δ) − y(x)‖ found by `iterations` projected ascent steps on ‖δ‖ = ε from
  /// a random direction; with `openFirst` the first half climbs the pre-activation change.
  mutating func ascend(
    from x: [Double], epsilon: Double, iterations: Int, openFirst: Bool, rng: inout SplitMix64
  ) -> Double {
    let z0 = forward(x)
    var delta = (0..<f.n).map { _ in rng.nextNormal() }
    guard Self.rescale(&delta, to: epsilon) else { return 0 }
    var best = 0.0
    var moved = x
    for t in 0...iterations {
      for i in 0..<f.n { moved[i] = x[i] + delta[i] }
      var (grad, change) = gradient(
        at: moved, base: z0, preActivation: openFirst && t < iterations / 2)
      best = max(best, change)
      guard t < iterations else { break }
      if !Self.rescale(&grad, to: epsilon) {
        (grad, _) = gradient(at: moved, base: z0, preActivation: true)
        guard Self.rescale(&grad, to: epsilon) else { break }
      }
      delta = grad
    }
    return best
  }

  /// Scales v to norm r; false when v is 0 or not finite.
  static func rescale(_ v: inout [Double], to r: Double) -> Bool {
    let norm = v.reduce(0) { $0 + $1 * $1 }.squareRoot()
    guard norm > 0, norm.isFinite else { return false }
    for i in v.indices { v[i] *= r / norm }
    return true
  }
}
