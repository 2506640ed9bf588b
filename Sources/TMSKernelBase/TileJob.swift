/// What the tiled and Gram kernels are handed for one training step of one instance: the
/// model's shape and kind, and every buffer they read or write, as raw pointers.
///
/// The kernels live in their own modules (`TMSTiles` at the build's CPU level and, on
/// x86-64, `TMSTilesAVX2` and `TMSTilesAVX512` at x86-64-v3 and v4), so they cannot see the
/// engine's classes; the engine fills one of these per step and calls the module that the
/// CPU runs best.
/// Layouts are the engine's (see `InstanceEngine`): weights hidden-major `w[j·nPad + i]`,
/// their feature-major copies `wf[i·mPad + j]`, samples in rows of nPad floats.
package struct TileJob {
  /// Features n, hidden units m, and both padded to a multiple of eight.
  package var n: Int
  package var m: Int
  package var nPad: Int
  package var mPad: Int
  /// Samples in the batch.
  package var batch: Int
  /// The model kind: W₂ = W₁ᵀ, ReLU on h, ReLU on the output, targets |x| of signed inputs.
  package var tied: Bool
  package var hiddenReLU: Bool
  package var outputReLU: Bool
  package var signedInputs: Bool
  /// The encoder and ∂ℓ/∂W₁ as dense blocked products (true) or over active inputs.
  package var denseInputs: Bool
  /// Decoder weights hidden-major (W₁ itself when tied) and feature-major.
  package var decoder: UnsafeMutablePointer<Float>
  package var decoderFeatureMajor: UnsafeMutablePointer<Float>
  /// Encoder weights hidden-major (W₁) and feature-major.
  package var encoder: UnsafeMutablePointer<Float>
  package var encoderFeatureMajor: UnsafeMutablePointer<Float>
  /// ∂ℓ/∂W₂ (∂ℓ/∂W₁ when tied), ∂ℓ/∂W₁ hidden-major, and ∂ℓ/∂W₁ feature-major.
  package var decoderGradient: UnsafeMutablePointer<Float>
  package var encoderGradient: UnsafeMutablePointer<Float>
  package var encoderGradientFeatureMajor: UnsafeMutablePointer<Float>
  /// b and ∂ℓ/∂b.
  package var bias: UnsafeMutablePointer<Float>
  package var biasGradient: UnsafeMutablePointer<Float>
  /// I_i, and c_i = 2 I_i/(B·n), the factor of ∂ℓ/∂out_i.
  package var importance: UnsafeMutablePointer<Float>
  package var coefficient: UnsafeMutablePointer<Float>
  /// The batch, batch × nPad.
  package var inputs: UnsafeMutablePointer<Float>
  /// Scratch of `TileJob.scratchCount(nPad:mPad:)` floats, and a zero row of nPad floats.
  package var scratch: UnsafeMutablePointer<Float>
  package var zeroRow: UnsafeMutablePointer<Float>
  /// The Gram kernel's G = WᵀW and A (n × nPad each); unused by the tiled kernel.
  package var gram: UnsafeMutablePointer<Float>
  package var gramA: UnsafeMutablePointer<Float>
  /// Per sample of a tile its active input indices (nPad each) and their count.
  package var activeLists: UnsafeMutablePointer<Int32>
  package var activeCounts: UnsafeMutablePointer<Int32>
  /// Two rows of one flag per feature chunk.
  package var chunkFlags: UnsafeMutablePointer<UInt8>

  /// A job over these buffers (every pointer must stay valid for the step).
  package init(
    n: Int, m: Int, nPad: Int, mPad: Int, batch: Int, tied: Bool, hiddenReLU: Bool,
    outputReLU: Bool, signedInputs: Bool, denseInputs: Bool, decoder: UnsafeMutablePointer<Float>,
    decoderFeatureMajor: UnsafeMutablePointer<Float>, encoder: UnsafeMutablePointer<Float>,
    encoderFeatureMajor: UnsafeMutablePointer<Float>, decoderGradient: UnsafeMutablePointer<Float>,
    encoderGradient: UnsafeMutablePointer<Float>,
    encoderGradientFeatureMajor: UnsafeMutablePointer<Float>, bias: UnsafeMutablePointer<Float>,
    biasGradient: UnsafeMutablePointer<Float>, importance: UnsafeMutablePointer<Float>,
    coefficient: UnsafeMutablePointer<Float>, inputs: UnsafeMutablePointer<Float>,
    scratch: UnsafeMutablePointer<Float>, zeroRow: UnsafeMutablePointer<Float>,
    gram: UnsafeMutablePointer<Float>, gramA: UnsafeMutablePointer<Float>,
    activeLists: UnsafeMutablePointer<Int32>, activeCounts: UnsafeMutablePointer<Int32>,
    chunkFlags: UnsafeMutablePointer<UInt8>
  ) {
    self.n = n
    self.m = m
    self.nPad = nPad
    self.mPad = mPad
    self.batch = batch
    self.tied = tied
    self.hiddenReLU = hiddenReLU
    self.outputReLU = outputReLU
    self.signedInputs = signedInputs
    self.denseInputs = denseInputs
    self.decoder = decoder
    self.decoderFeatureMajor = decoderFeatureMajor
    self.encoder = encoder
    self.encoderFeatureMajor = encoderFeatureMajor
    self.decoderGradient = decoderGradient
    self.encoderGradient = encoderGradient
    self.encoderGradientFeatureMajor = encoderGradientFeatureMajor
    self.bias = bias
    self.biasGradient = biasGradient
    self.importance = importance
    self.coefficient = coefficient
    self.inputs = inputs
    self.scratch = scratch
    self.zeroRow = zeroRow
    self.gram = gram
    self.gramA = gramA
    self.activeLists = activeLists
    self.activeCounts = activeCounts
    self.chunkFlags = chunkFlags
  }

  /// Samples per tile: large enough that the weight gradients are touched rarely, small
  /// enough that a tile's ∂ℓ/∂out (T × n floats) stays in the L2 cache.
  package static let tileSamples = 64

  /// Floats of scratch the tiled kernel needs for an n×m model (padded sizes): ∂ℓ/∂out, H,
  /// the pre-activations and ∂ℓ/∂pre of a tile, and a zero hidden row.
  package static func scratchCount(nPad: Int, mPad: Int) -> Int {
    tileSamples * (nPad + 3 * mPad) + mPad
  }

  /// The scratch as ``scratchCount(nPad:mPad:)`` lays it out, for T = ``tileSamples``:
  /// ∂ℓ/∂out (T rows of nPad), then H, the pre-activations and ∂ℓ/∂pre (T rows of mPad each),
  /// then a zero hidden row.
  @inlinable package var tileScratch:
    (
      dOut: UnsafeMutablePointer<Float>, hidden: UnsafeMutablePointer<Float>,
      pre: UnsafeMutablePointer<Float>, dPre: UnsafeMutablePointer<Float>,
      zeroHidden: UnsafeMutablePointer<Float>
    )
  {
    let hidden = scratch + Self.tileSamples * nPad
    let pre = hidden + Self.tileSamples * mPad
    let dPre = pre + Self.tileSamples * mPad
    return (scratch, hidden, pre, dPre, dPre + Self.tileSamples * mPad)
  }
}
