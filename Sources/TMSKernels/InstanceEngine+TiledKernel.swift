import TMSKernelBase
import TMSTiles

#if canImport(TMSTilesAVX2)
  import TMSTilesAVX2
#endif
#if canImport(TMSTilesAVX512)
  import TMSTilesAVX512
#endif

/// The tiled and Gram kernels (`TileKernels` in the TMSTiles modules) as the engine calls
/// them: one ``TileJob`` per step over this instance's buffers, run by the module compiled
/// for the best instruction set the CPU has (``InstructionSet``).
extension InstanceEngine {
  /// True when the inputs are dense enough (mean p above 0.03) that the tiled kernel should
  /// compute W₁x and ∂ℓ/∂W₁ as blocked dense products instead of over the active inputs.
  ///
  /// The sparse form costs about k·⌈m/8⌉ vector multiply-adds per sample (k active inputs),
  /// each with a load and a store of its accumulator; the dense form n·⌈m/8⌉ with the
  /// accumulators in registers, every weight load feeding four samples, and feature chunks
  /// skipped where all four samples are zero. Measured on 200→20 (Zen 4, AVX2): dense is
  /// 1.6× faster at p = 0.2 and still 1.1× at p = 0.05; sparse wins by 1.1× at p ≤ 0.01.
  /// The choice depends only on the configuration, so results stay independent of the
  /// thread count.
  static func prefersDenseInputs(meanProbability: Double) -> Bool { meanProbability > 0.03 }

  /// Samples per tile of the tiled kernel (see ``TileJob/tileSamples``).
  package static let tileSamples = TileJob.tileSamples

  /// This step's job: the shape, the kind, and every buffer the kernels touch.
  var tileJob: TileJob {
    TileJob(
      n: n, m: m, nPad: nPad, mPad: mPad, batch: batch, tied: kind.tied,
      hiddenReLU: kind.hiddenReLU, outputReLU: kind.outputReLU,
      signedInputs: kind.signedInputs, denseInputs: denseInputs,
      decoder: kind.tied ? w1.base : w2.base, decoderFeatureMajor: kind.tied ? wf.base : wf2.base,
      encoder: w1.base, encoderFeatureMajor: wf.base,
      decoderGradient: kind.tied ? g1.base : g2.base, encoderGradient: g1.base,
      encoderGradientFeatureMajor: gf.base, bias: b.base, biasGradient: gb.base,
      importance: importance.base, coefficient: coefficient.base, inputs: x.base,
      scratch: scratch.base, zeroRow: zeroRowBuffer.base, gram: gram.base, gramA: gramA.base,
      activeLists: activeLists, activeCounts: activeCounts, chunkFlags: chunkFlags)
  }

  /// The tiled and Gram step functions of the copy ``instructionSet`` names (the build's own
  /// when this build lacks that copy).
  private var kernelCopy: (tiled: (TileJob) -> Double, gram: (TileJob) -> Double) {
    switch instructionSet {
    case .baseline: break
    case .avx2:
      #if canImport(TMSTilesAVX2)
        return (TMSTilesAVX2.TileKernels.tiledStep, TMSTilesAVX2.TileKernels.gramStep)
      #else
        break
      #endif
    case .avx512:
      #if canImport(TMSTilesAVX512)
        return (TMSTilesAVX512.TileKernels.tiledStep, TMSTilesAVX512.TileKernels.gramStep)
      #else
        break
      #endif
    }
    return (TMSTiles.TileKernels.tiledStep, TMSTiles.TileKernels.gramStep)
  }

  /// One step of the tiled kernel; Σ_s Σ_i I_i (y_i − t_i)² over the batch.
  func tiledKernel() -> Double { kernelCopy.tiled(tileJob) }

  /// One step of the Gram kernel; Σ_s Σ_i I_i (y_i − t_i)² over the batch.
  func gramKernel() -> Double { kernelCopy.gram(tileJob) }
}
