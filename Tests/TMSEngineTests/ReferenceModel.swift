import TMSCore
import TMSKernels
import TMSFigures
import TMSFiles

/// An independent, deliberately naive Double-precision forward pass of the four models,
/// written from the equations in the paper notes, used to check the fast kernels.
enum ReferenceModel {
  /// Parameters in Double, so finite-difference steps are not lost to Float rounding.
  struct Weights {
    var W: [[Double]]
    var W2: [[Double]]?
    var b: [Double]

    init(_ p: Parameters) {
      W = p.W.map { $0.map(Double.init) }
      W2 = p.W2.map { $0.map { $0.map(Double.init) } }
      b = p.b.map(Double.init)
    }
  }

  static func loss(
    _ p: Weights, kind: ModelKind, importance: [Double], batch: [[Float]]
  ) -> Double {
    let n = p.W.count
    let m = p.W[0].count
    var total = 0.0
    for x in batch {
      var h = [Double](repeating: 0, count: m)
      for j in 0..<m {
        for i in 0..<n { h[j] += p.W[i][j] * Double(x[i]) }
        if kind.hasHiddenReLU { h[j] = max(0, h[j]) }
      }
      for i in 0..<n {
        var o = p.b[i]
        for j in 0..<m { o += (kind.isTied ? p.W[i][j] : p.W2![i][j]) * h[j] }
        let y = kind.hasOutputReLU ? max(0, o) : o
        let t = kind.isSigned ? abs(Double(x[i])) : Double(x[i])
        total += importance[i] * (y - t) * (y - t)
      }
    }
    return total / Double(batch.count * n)
  }

  static func loss(
    _ p: Parameters, kind: ModelKind, importance: [Double], batch: [[Float]]
  ) -> Double {
    loss(Weights(p), kind: kind, importance: importance, batch: batch)
  }

  /// Central finite differences of ``loss`` with respect to every parameter.
  static func numericGradient(
    _ p: Parameters, kind: ModelKind, importance: [Double], batch: [[Float]], h: Double = 1e-5
  ) -> Parameters {
    let w = Weights(p)
    var g = p
    func derivative(_ edit: (inout Weights, Double) -> Void) -> Float {
      var plus = w
      edit(&plus, h)
      var minus = w
      edit(&minus, -h)
      let lp = loss(plus, kind: kind, importance: importance, batch: batch)
      let lm = loss(minus, kind: kind, importance: importance, batch: batch)
      return Float((lp - lm) / (2 * h))
    }
    for i in 0..<p.W.count {
      for j in 0..<p.W[0].count {
        g.W[i][j] = derivative { q, d in q.W[i][j] += d }
        if p.W2 != nil { g.W2![i][j] = derivative { q, d in q.W2![i][j] += d } }
      }
      g.b[i] = derivative { q, d in q.b[i] += d }
    }
    return g
  }
}
