/// SplitMix64: a tiny, fast 64-bit generator used to seed the lane generators and to draw
/// the initial weights. Full period 2⁶⁴; every seed gives a good stream.
public struct SplitMix64: Sendable {
  /// The generator's whole state.
  public var state: UInt64

  /// Starts a stream at `seed`.
  public init(seed: UInt64) { state = seed }

  /// Next 64 random bits.
  @inline(__always) public mutating func next() -> UInt64 {
    state &+= 0x9E37_79B9_7F4A_7C15
    var z = state
    z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
    z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
    return z ^ (z >> 31)
  }

  /// A uniform double in [0, 1) with 53 random bits.
  @inline(__always) public mutating func nextUnit() -> Double {
    Double(next() >> 11) * 0x1p-53
  }

  /// A standard normal draw (Box–Muller; one of the pair is discarded for simplicity).
  public mutating func nextNormal() -> Double {
    var u1 = nextUnit()
    while u1 <= 0 { u1 = nextUnit() }
    let u2 = nextUnit()
    return libSqrt(-2 * libLog(u1)) * libCos(2 * Double.pi * u2)
  }

  /// The seed of an independent stream for (`seed`, `instance`, `purpose`).
  ///
  /// Every instance owns its streams, so a run is bit-identical for a seed whatever the
  /// number of threads and whichever thread trains which instance.
  public static func streamSeed(seed: UInt64, instance: Int, purpose: UInt64) -> UInt64 {
    var a = SplitMix64(seed: seed ^ 0x5851_F42D_4C95_7F2D)
    var b = SplitMix64(
      seed: a.next() ^ (UInt64(truncatingIfNeeded: instance) &* 0xD6E8_FEB8_6659_FD93))
    var c = SplitMix64(seed: b.next() ^ (purpose &* 0xA076_1D64_78BD_642F))
    return c.next()
  }
}

/// Eight independent xoshiro128++ generators in SIMD lanes: eight 32-bit draws per call.
///
/// Data generation needs one random number per (sample, feature); doing eight at once keeps
/// the generator from dominating small models (the 5→2 intro draws 5,120 numbers a step).
package struct LaneRandom {
  package var s0: SIMD8<UInt32>
  package var s1: SIMD8<UInt32>
  package var s2: SIMD8<UInt32>
  package var s3: SIMD8<UInt32>

  package init(seed: UInt64) {
    var sm = SplitMix64(seed: seed)
    var words = [UInt32]()
    for _ in 0..<16 {
      let v = sm.next()
      words.append(UInt32(truncatingIfNeeded: v))
      words.append(UInt32(truncatingIfNeeded: v >> 32))
    }
    func lanes(_ o: Int) -> SIMD8<UInt32> {
      var r = SIMD8<UInt32>()
      for l in 0..<8 { r[l] = words[o + l] | (l == 0 && o == 0 ? 1 : 0) }
      return r
    }
    s0 = lanes(0)
    s1 = lanes(8)
    s2 = lanes(16)
    s3 = lanes(24)
  }

  @inline(__always) mutating func next() -> SIMD8<UInt32> {
    let sum = s0 &+ s3
    let result = rotated(sum, 7) &+ s0
    let t = s1 &<< 9
    s2 ^= s0
    s3 ^= s1
    s1 ^= s2
    s0 ^= s3
    s2 ^= t
    s3 = rotated(s3, 11)
    return result
  }

  /// x rotated left by k bits. The two halves' bits are disjoint, so `&+` equals `|`; written
  /// as a sum, LLVM keeps it as two vector shifts and an or. Written with `|` it becomes a
  /// vector rotate, which x86-64 without AVX-512 has no instruction for and which LLVM then
  /// splits into eight scalar rotates (half the baseline build's data-generation time).
  @inline(__always) func rotated(_ x: SIMD8<UInt32>, _ k: UInt32) -> SIMD8<UInt32> {
    (x &<< k) &+ (x &>> (32 - k))
  }
}
