import TMSKernelBase

/// The samples-in-lanes kernel specialised for tiny tied models (n ≤ 4 features, m ≤ 2 hidden
/// units: the 2→1 and 3→2 phase diagrams), with every hot value in registers.
///
/// Same equations as the small kernel (see `InstanceEngine+Kernels.swift`): with
/// pre = W x, h = σ_h(pre), out = Wᵀh + b, y = σ_o(out), c_i = 2 I_i/(B·n),
///   ∂ℓ/∂out_i = c_i (y_i − x_i) · [out_i > 0 if σ_o = ReLU],   ∂ℓ/∂b_i = Σ_samples ∂ℓ/∂out_i,
///   ∂ℓ/∂W_{j,i} = Σ_samples (h_j ∂ℓ/∂out_i + ∂ℓ/∂pre_j x_i),
///   ∂ℓ/∂pre_j = (Σ_i W_{j,i} ∂ℓ/∂out_i) · [pre_j > 0 if σ_h = ReLU].
/// The small kernel keeps its accumulators in heap lanes (unknown n, m); here n, m and the
/// activations are compile-time constants of a generic specialisation, so the loops unroll
/// and the weights, biases, coefficients and accumulators stay in SIMD registers. The
/// floating-point operations are the small kernel's, in the same order, so both kernels give
/// bit-identical losses and gradients (the tests check this).
extension InstanceEngine {
  /// True when ``tinyKernel()`` handles this instance: tied models with n ≤ 4 and m ≤ 2 (the
  /// data is then in the small kernel's column layout, which the tiny kernel reads).
  var useTinyKernel: Bool { useSmallKernel && kind.tied && n <= 4 && m <= 2 }

  /// Loss (weighted sum over the batch, not yet divided by B·n) and gradients into g1, gb,
  /// for the instance's (n, m, kind); only valid when ``useTinyKernel`` is true.
  func tinyKernel() -> Double {
    switch (kind.hiddenReLU, kind.outputReLU) {
    case (false, false): return tinyKernel(activation: TinyLinear.self)
    case (false, true): return tinyKernel(activation: TinyReLUOutput.self)
    case (true, false): return tinyKernel(activation: TinyReLUHiddenLinearOutput.self)
    case (true, true): return tinyKernel(activation: TinyReLUHidden.self)
    }
  }

  private func tinyKernel<A: TinyActivation>(activation: A.Type) -> Double {
    switch (n, m) {
    case (1, 1): return tiny(TinyShape<TinyOne, TinyOne>.self, A.self)
    case (2, 1): return tiny(TinyShape<TinyTwo, TinyOne>.self, A.self)
    case (3, 1): return tiny(TinyShape<TinyThree, TinyOne>.self, A.self)
    case (4, 1): return tiny(TinyShape<TinyFour, TinyOne>.self, A.self)
    case (1, 2): return tiny(TinyShape<TinyOne, TinyTwo>.self, A.self)
    case (2, 2): return tiny(TinyShape<TinyTwo, TinyTwo>.self, A.self)
    case (3, 2): return tiny(TinyShape<TinyThree, TinyTwo>.self, A.self)
    case (4, 2): return tiny(TinyShape<TinyFour, TinyTwo>.self, A.self)
    default: preconditionFailure("the tiny kernel handles n ≤ 4, m ≤ 2, not \(n)→\(m)")
    }
  }

  @inline(__always)
  private func tiny<S: TinyShapeProtocol, A: TinyActivation>(_: S.Type, _: A.Type) -> Double {
    let n = S.n
    let m = S.m
    let nPad = self.nPad
    let bPad = batchPad
    let xs = x.base
    let zero = SIMD8<Float>(repeating: 0)
    // Loop-invariant values, broadcast once: W_{j,i} at j·4 + i, b_i, I_i, c_i.
    var w = TinyLanes()
    var bias = TinyLanes()
    var imp = TinyLanes()
    var coef = TinyLanes()
    for j in 0..<m {
      for i in 0..<n { w[j * 4 + i] = SIMD8(repeating: w1[j * nPad + i]) }
    }
    for i in 0..<n {
      bias[i] = SIMD8(repeating: b[i])
      imp[i] = SIMD8(repeating: importance[i])
      coef[i] = SIMD8(repeating: coefficient[i])
    }
    var accW = TinyLanes()
    var accB = TinyLanes()
    var lossV = zero

    let blocks = bPad / 8
    for blk in 0..<blocks {
      let off = blk * 8
      var mask = SIMD8<Float>(repeating: 1)
      if off + 8 > batch {
        for l in 0..<8 where off + l >= batch { mask[l] = 0 }
      }
      var xv = TinyLanes()
      for i in 0..<n { xv[i] = xs.vec(i * bPad + off) }
      var pre = TinyLanes()
      var h = TinyLanes()
      for j in 0..<m {
        var acc = zero
        for i in 0..<n { acc += w[j * 4 + i] * xv[i] }
        pre[j] = acc
        h[j] = A.hiddenReLU ? acc.replacing(with: 0, where: acc .< 0) : acc
      }
      var dout = TinyLanes()
      for i in 0..<n {
        var o = bias[i]
        for j in 0..<m { o += w[j * 4 + i] * h[j] }
        let y = A.outputReLU ? o.replacing(with: 0, where: o .< 0) : o
        let diff = (y - xv[i]) * mask
        lossV += imp[i] * diff * diff
        var d = coef[i] * diff
        if A.outputReLU { d = d.replacing(with: 0, where: o .<= 0) }
        dout[i] = d
        accB[i] += d
      }
      var dpre = TinyLanes()
      for j in 0..<m {
        var acc = zero
        let hj = h[j]
        for i in 0..<n {
          let d = dout[i]
          acc += w[j * 4 + i] * d
          accW[j * 4 + i] += hj * d
        }
        dpre[j] = A.hiddenReLU ? acc.replacing(with: 0, where: pre[j] .<= 0) : acc
      }
      for j in 0..<m {
        let dp = dpre[j]
        for i in 0..<n { accW[j * 4 + i] += dp * xv[i] }
      }
    }
    for j in 0..<m {
      for i in 0..<n { g1[j * nPad + i] = accW[j * 4 + i].sum() }
    }
    for i in 0..<n { gb[i] = accB[i].sum() }
    return Double(lossV.sum())
  }
}

/// Eight SIMD8 values addressed by an index that is a constant after unrolling, so the
/// optimiser keeps them in registers instead of memory.
struct TinyLanes {
  var l0 = SIMD8<Float>(repeating: 0)
  var l1 = SIMD8<Float>(repeating: 0)
  var l2 = SIMD8<Float>(repeating: 0)
  var l3 = SIMD8<Float>(repeating: 0)
  var l4 = SIMD8<Float>(repeating: 0)
  var l5 = SIMD8<Float>(repeating: 0)
  var l6 = SIMD8<Float>(repeating: 0)
  var l7 = SIMD8<Float>(repeating: 0)

  @inline(__always) subscript(k: Int) -> SIMD8<Float> {
    get {
      switch k {
      case 0: return l0
      case 1: return l1
      case 2: return l2
      case 3: return l3
      case 4: return l4
      case 5: return l5
      case 6: return l6
      default: return l7
      }
    }
    set {
      switch k {
      case 0: l0 = newValue
      case 1: l1 = newValue
      case 2: l2 = newValue
      case 3: l3 = newValue
      case 4: l4 = newValue
      case 5: l5 = newValue
      case 6: l6 = newValue
      default: l7 = newValue
      }
    }
  }
}

/// A size known at compile time (1…4), for specialising the tiny kernel.
protocol TinySize { static var value: Int { get } }
enum TinyOne: TinySize { static var value: Int { 1 } }
enum TinyTwo: TinySize { static var value: Int { 2 } }
enum TinyThree: TinySize { static var value: Int { 3 } }
enum TinyFour: TinySize { static var value: Int { 4 } }

/// (n, m) known at compile time.
protocol TinyShapeProtocol {
  static var n: Int { get }
  static var m: Int { get }
}
enum TinyShape<N: TinySize, M: TinySize>: TinyShapeProtocol {
  static var n: Int { N.value }
  static var m: Int { M.value }
}

/// The activations of a tied model, known at compile time.
protocol TinyActivation {
  static var hiddenReLU: Bool { get }
  static var outputReLU: Bool { get }
}
enum TinyLinear: TinyActivation {
  static var hiddenReLU: Bool { false }
  static var outputReLU: Bool { false }
}
enum TinyReLUOutput: TinyActivation {
  static var hiddenReLU: Bool { false }
  static var outputReLU: Bool { true }
}
enum TinyReLUHidden: TinyActivation {
  static var hiddenReLU: Bool { true }
  static var outputReLU: Bool { true }
}
enum TinyReLUHiddenLinearOutput: TinyActivation {
  static var hiddenReLU: Bool { true }
  static var outputReLU: Bool { false }
}
