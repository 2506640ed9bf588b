import TMSCore
import TMSKernels
import Testing

/// The measured attack: its gradient, and where it stands against the Lipschitz bound.
@Suite struct AttackTests {
  /// Parameters of n features in m dimensions with N(0, scale²) entries and biases `bias`.
  static func random(
    n: Int, m: Int, model: ModelKind, seed: UInt64, scale: Double = 0.6, bias: Double? = nil
  ) -> Parameters {
    var rng = SplitMix64(seed: seed)
    func matrix() -> [[Float]] {
      (0..<n).map { _ in (0..<m).map { _ in Float(scale * rng.nextNormal()) } }
    }
    let W = matrix()
    let W2 = model.isTied ? nil : matrix()
    let b = (0..<n).map { _ in Float(bias ?? 0.2 * rng.nextNormal()) }
    return Parameters(W: W, W2: W2, b: b)
  }

  static func config(_ model: ModelKind, n: Int, m: Int, p: Double = 0.5) -> RunConfig {
    var c = RunConfig(model: model, features: n, hidden: m)
    c.setUniformProbability(p)
    return c
  }

  /// ∇_δ ½‖y(x+δ) − y(x)‖², as the attack climbs it, against central differences, for every
  /// model kind (and the pre-activation objective the attack opens shut outputs with).
  @Test(arguments: ModelKind.allCases)
  func gradientMatchesFiniteDifferences(_ model: ModelKind) {
    let (n, m) = (6, 3)
    let f = ModelFunction(
      Self.random(n: n, m: m, model: model, seed: 7), model: model,
      importance: Array(repeating: 1, count: n))
    var attacker = Attacker(f)
    var rng = SplitMix64(seed: 11)
    let x = (0..<n).map { _ in rng.nextUnit() }
    let delta = (0..<n).map { _ in 0.3 * rng.nextNormal() }
    let z0 = attacker.forward(x)
    for pre in [false, true] {
      func objective(_ d: [Double]) -> Double {
        let z = attacker.forward(zip(x, d).map(+))
        return 0.5
          * zip(z, z0).reduce(0) { s, p in
            let diff = pre ? p.0 - p.1 : f.output(p.0) - f.output(p.1)
            return s + diff * diff
          }
      }
      let (grad, change) = attacker.gradient(
        at: zip(x, delta).map(+), base: z0, preActivation: pre)
      if !pre { #expect(abs(change * change / 2 - objective(delta)) < 1e-12) }
      #expect(grad.contains { abs($0) > 1e-3 }, "a gradient that can be checked")
      for i in 0..<n {
        let h = 1e-6
        var up = delta
        var down = delta
        up[i] += h
        down[i] -= h
        let numeric = (objective(up) - objective(down)) / (2 * h)
        #expect(abs(numeric - grad[i]) < 1e-6 * max(1, abs(numeric)), "\(model) ∂/∂δ\(i)")
      }
    }
  }

  /// The linear model's attack reaches σ_max(W)² (within 1%), and no more, from every point.
  @Test func linearReachesItsBound() {
    let c = Self.config(.linear, n: 8, m: 3)
    let p = Self.random(n: 8, m: 3, model: .linear, seed: 3)
    let a = AttackResult.measure(p, config: c, instance: 0)
    #expect(a.bound > 1)
    #expect(a.worstGain <= a.bound * (1 + 1e-9))
    #expect(a.meanGain >= a.bound * 0.99, "\(a)")
  }

  /// relu-output with every output active near every input (b = 5) is linear there: the
  /// attack reaches the bound.
  @Test func reluOutputReachesItsBoundWhereNothingClips() {
    let c = Self.config(.reluOutput, n: 8, m: 3)
    let p = Self.random(n: 8, m: 3, model: .reluOutput, seed: 5, bias: 5)
    let a = AttackResult.measure(p, config: c, instance: 0)
    #expect(a.worstGain <= a.bound * (1 + 1e-9))
    #expect(a.worstGain >= a.bound * 0.99, "\(a)")
  }

  /// No attack beats the Lipschitz bound, for any model or seed.
  @Test(arguments: ModelKind.allCases)
  func neverExceedsTheBound(_ model: ModelKind) {
    for seed: UInt64 in 1...4 {
      let c = Self.config(model, n: 10, m: 4, p: 0.3)
      let p = Self.random(n: 10, m: 4, model: model, seed: seed, scale: 0.8)
      let a = AttackResult.measure(p, config: c, instance: 0)
      #expect(a.worstGain <= a.bound * (1 + 1e-9), "\(model) seed \(seed): \(a)")
      #expect(a.worstGain > 0 && a.meanGain <= a.worstGain)
    }
  }

  /// The abs model computing |x_i| with two neurons per feature, W₁ columns (1, −1) and W₂
  /// rows (1, 1): its linear part W₂W₁ is exactly 0, which the old gain reported, while the
  /// network moves |x| by up to ‖δ‖ (gain 1, reached where the sign of x cannot flip).
  @Test func absGainIsNotItsLinearPart() {
    let W1: [[Float]] = [[1, -1, 0, 0], [0, 0, 1, -1]]
    let W2: [[Float]] = [[1, 1, 0, 0], [0, 0, 1, 1]]
    let p = Parameters(W: W1, W2: W2, b: [0, 0])
    var linearPart = 0.0
    for i in 0..<2 {
      for k in 0..<2 {
        let e = zip(W2[i], W1[k]).reduce(Float(0)) { $0 + $1.0 * $1.1 }
        linearPart = max(linearPart, Double(abs(e)))
      }
    }
    #expect(linearPart == 0)
    let c = Self.config(.abs, n: 2, m: 4, p: 1)
    let a = AttackResult.measure(p, config: c, instance: 0)
    #expect(abs(a.bound - 2) < 1e-9, "‖W₂‖₂·‖W₁‖₂ = √2·√2")
    #expect(a.worstGain > 0.99 && a.worstGain <= 1 + 1e-9, "\(a)")
  }

  /// A seed gives one result; another seed attacks other points.
  @Test func deterministicForASeed() {
    let c = Self.config(.reluOutput, n: 10, m: 3, p: 0.2)
    let p = Self.random(n: 10, m: 3, model: .reluOutput, seed: 9)
    let one = AttackResult.measure(p, config: c, instance: 0, settings: .init(seed: 1))
    #expect(one == AttackResult.measure(p, config: c, instance: 0, settings: .init(seed: 1)))
    #expect(one != AttackResult.measure(p, config: c, instance: 0, settings: .init(seed: 2)))
  }
}
