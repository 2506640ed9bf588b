/// When steps go through the Gram kernel (`TileKernels.gramStep`): tied models without a hidden nonlinearity (linear, relu-output) at sparse
/// inputs, through the Gram matrix G = WᵀW.
///
/// out_s = WᵀW x_s + b = G x_s + b, so with k active inputs a sample's forward pass is k
/// rows of G (k·n multiply-adds) instead of W x_s and Wᵀh_s (2·n·m). The gradient goes back
/// through G likewise: with d_s = ∂ℓ/∂out_s and f(W) = d_sᵀWᵀW x_s,
///   ∂f/∂W = (W x_s) d_sᵀ + (W d_s) x_sᵀ,   so   ∂ℓ/∂W = W (A + Aᵀ),   A = Σ_s x_s d_sᵀ,
/// where A (n×n) gains k rows per sample (k·n multiply-adds). Per step G and W(A + Aᵀ) cost
/// n²m each, shared by the whole batch. Per sample that is about 2·k·n + 2·n²m/B against the
/// tiled kernel's 5·n·m, a win when k is well below m; ``prefersGram`` chooses.
extension InstanceEngine {
  /// Whether the Gram kernel can train this model: tied, no hidden ReLU, and n small enough
  /// that G and A (n² floats each) stay cheap to form and to keep.
  package static func gramEligible(model: KernelModel, features n: Int) -> Bool {
    model.tied && !model.hiddenReLU && n <= gramMaxFeatures
  }

  /// Largest n for the Gram kernel: G and A take 2·n·⌈n/8⌉·8 floats (8 MB at 1,024).
  static let gramMaxFeatures = 1024

  /// True when the Gram kernel is cheaper than the tiled one for `expectedActive` = Σ_i p_i
  /// active inputs per sample.
  ///
  /// The Gram kernel's per-sample work is two passes over k rows of nPad floats (each
  /// multiply-add with a load, half of them also a store); the tiled kernel's five blocked
  /// products of n·mPad with the accumulators in registers. Measured on 200→20 and 100→20
  /// (Zen 4, AVX2) the break-even is k ≈ 15 on both (k·nPad ≈ 0.65·n·mPad): at k = 10
  /// the Gram kernel takes 0.8× the tiled one's time, at k = 4 0.5×, at k = 20 1.3×.
  static func prefersGram(expectedActive k: Double, n: Int, nPad: Int, mPad: Int) -> Bool {
    k * Double(nPad) <= Double(n * mPad) * gramAdvantage
  }

  /// See ``prefersGram``.
  static let gramAdvantage = 0.6
}
