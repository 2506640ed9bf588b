/// One instance's model as a function of its input, in Double, for the held-out loss estimate
/// and the attack: a = Enc x (hidden pre-activation), h = φ(a), z = b + Dec h, y = ψ(z),
/// where φ is ReLU for relu-hidden and abs (identity otherwise), ψ is ReLU except for the
/// linear model, Enc's column i is feature i's direction W_i and Dec's row i is W_i (tied)
/// or W₂'s row i (abs).
///
/// Storage is row-major n×m for both (`enc[i·m + j]` = (W_i)_j), so every inner loop runs
/// over one contiguous row.
package struct ModelFunction: Sendable {
  let n: Int
  let m: Int
  let enc: [Double]
  let dec: [Double]
  let b: [Double]
  let importance: [Double]
  let hiddenReLU: Bool
  let outputReLU: Bool
  /// The target is |x| (abs) rather than x.
  let signed: Bool

  package init(_ p: Parameters, model: ModelKind, importance: [Double]) {
    let n = p.W.count
    let m = p.W.first?.count ?? 0
    func flat(_ rows: [[Float]]) -> [Double] {
      var out = [Double](repeating: 0, count: n * m)
      for (i, row) in rows.enumerated() where i < n {
        for j in 0..<min(m, row.count) { out[i * m + j] = Double(row[j]) }
      }
      return out
    }
    self.n = n
    self.m = m
    let enc = flat(p.W)
    self.enc = enc
    dec = model.isTied ? enc : flat(p.W2 ?? p.W)
    b = (0..<n).map { $0 < p.b.count ? Double(p.b[$0]) : 0 }
    self.importance = (0..<n).map { $0 < importance.count ? importance[$0] : 1 }
    hiddenReLU = model.hasHiddenReLU
    outputReLU = model.hasOutputReLU
    signed = model.isSigned
  }

  /// Hidden pre-activation a = Enc x of a sparse input (`active` indices, `values`).
  func hiddenPre(active: [Int], values: [Double], into a: inout [Double]) {
    let m = self.m
    guard m > 0 else { return }
    enc.withUnsafeBufferPointer { e in
      a.withUnsafeMutableBufferPointer { out in
        let o = out.baseAddress!
        o.update(repeating: 0, count: m)
        for (t, i) in active.enumerated() { Self.axpy(values[t], e.baseAddress! + i * m, o, m) }
      }
    }
  }

  /// Hidden pre-activation a = Enc x of a dense input.
  func hiddenPre(dense x: [Double], into a: inout [Double]) {
    let m = self.m
    guard m > 0 else { return }
    enc.withUnsafeBufferPointer { e in
      a.withUnsafeMutableBufferPointer { out in
        let o = out.baseAddress!
        o.update(repeating: 0, count: m)
        for i in 0..<n where x[i] != 0 { Self.axpy(x[i], e.baseAddress! + i * m, o, m) }
      }
    }
  }

  /// z = b + Dec φ(a): output pre-activations from hidden pre-activations (h is scratch).
  func outputPre(hidden a: [Double], h: inout [Double], into z: inout [Double]) {
    for j in 0..<m { h[j] = hiddenReLU ? max(0, a[j]) : a[j] }
    let m = self.m
    guard m > 0 else {
      for i in 0..<n { z[i] = b[i] }
      return
    }
    dec.withUnsafeBufferPointer { d in
      h.withUnsafeBufferPointer { hp in
        for i in 0..<n { z[i] = b[i] + Self.dot(d.baseAddress! + i * m, hp.baseAddress!, m) }
      }
    }
  }

  /// Σ_k p[k]·q[k], four lanes at a time.
  @inline(__always)
  static func dot(_ p: UnsafePointer<Double>, _ q: UnsafePointer<Double>, _ count: Int) -> Double {
    var acc = SIMD4<Double>(repeating: 0)
    var k = 0
    while k + 4 <= count {
      acc +=
        UnsafeRawPointer(p + k).loadUnaligned(as: SIMD4<Double>.self)
        * UnsafeRawPointer(q + k).loadUnaligned(as: SIMD4<Double>.self)
      k += 4
    }
    var s = acc.sum()
    while k < count {
      s += p[k] * q[k]
      k += 1
    }
    return s
  }

  /// y[k] += a·x[k], four lanes at a time.
  @inline(__always)
  static func axpy(
    _ a: Double, _ x: UnsafePointer<Double>, _ y: UnsafeMutablePointer<Double>, _ count: Int
  ) {
    let av = SIMD4<Double>(repeating: a)
    var k = 0
    while k + 4 <= count {
      let sum =
        UnsafeRawPointer(y + k).loadUnaligned(as: SIMD4<Double>.self) + av
        * UnsafeRawPointer(x + k).loadUnaligned(as: SIMD4<Double>.self)
      UnsafeMutableRawPointer(y + k).storeBytes(of: sum, as: SIMD4<Double>.self)
      k += 4
    }
    while k < count {
      y[k] += a * x[k]
      k += 1
    }
  }

  /// ψ(z).
  @inline(__always) package func output(_ z: Double) -> Double { outputReLU ? max(0, z) : z }

  /// Notebook-convention loss (1/n) Σ_i I_i (t_i − y_i)² of a sparse input, t = x or |x|.
  package func loss(active: [Int], values: [Double], scratch s: inout Scratch) -> Double {
    hiddenPre(active: active, values: values, into: &s.a)
    outputPre(hidden: s.a, h: &s.h, into: &s.z)
    var total = 0.0
    for i in 0..<n {
      let y = output(s.z[i])
      total += importance[i] * y * y
    }
    for (t, i) in active.enumerated() {
      let target = signed ? Swift.abs(values[t]) : values[t]
      let y = output(s.z[i])
      total += importance[i] * ((target - y) * (target - y) - y * y)
    }
    return total / Double(n)
  }

  /// Working vectors for one thread: a, h (m) and z (n).
  package struct Scratch {
    var a: [Double]
    var h: [Double]
    var z: [Double]
    package init(_ f: ModelFunction) {
      a = Array(repeating: 0, count: f.m)
      h = Array(repeating: 0, count: f.m)
      z = Array(repeating: 0, count: f.n)
    }
  }
}
