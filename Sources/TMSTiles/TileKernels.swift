import TMSKernelBase

/// The training kernels of the models too large for samples in SIMD lanes (n·m > 256): the
/// tiled kernel and the Gram kernel, with the blocked products they share.
///
/// This folder is compiled three times: as `TMSTiles` at the build's CPU level and, on
/// x86-64, as `TMSTilesAVX2` at x86-64-v3 (AVX2, fused multiply-add, BMI) and
/// `TMSTilesAVX512` at x86-64-v4 (AVX-512's 32 registers; their files are links to these),
/// which the engine calls when the CPU has that level. A build made with no CPU flag therefore runs the
/// same code as a native one on any machine from 2013 on, and SSE2 code elsewhere; these
/// products are bound by multiply-add throughput, where AVX2 with FMA does four times the
/// work of SSE2 per instruction.
package enum TileKernels {
  /// Whether the blocked products (``multiplyFour``, ``addOuterProducts``, the decoder)
  /// take two lane blocks per pass. Baseline x86-64 (SSE2) has sixteen 128-bit registers
  /// and a SIMD8 takes two, so eight accumulators and their operands spill: there one chunk
  /// per pass (the portable build's 200→20 step spent 37% of its time here against 12% with
  /// AVX2). AVX2's sixteen 256-bit registers and arm64's 32 NEON registers hold them.
  #if arch(x86_64) && !TMS_HARDWARE_FMA
    static let twoChunkPasses = false
  #else
    static let twoChunkPasses = true
  #endif

  /// Whether ``multiplyFour`` takes three lane blocks per pass (twelve accumulators, each
  /// broadcast feeding three blocks): with AVX-512's 32 vector registers they fit, and a
  /// 200→20 model's 24 hidden lanes take one pass instead of two (200→20 × 20 1.07×, 100→20
  /// 1.10× in `tms bench`); with sixteen they spilled and ran 1.25× slower.
  #if TMS_WIDE_REGISTERS
    static let wideRegisters = true
  #else
    static let wideRegisters = false
  #endif
}

extension SIMD8 where Scalar == Float {
  /// `self + a·b`: one fused multiply-add where the target has it in hardware (arm64 always,
  /// x86-64 in the AVX2 module or at the x86-64-v3 level), else a multiply and an add
  /// (Swift's `addingProduct` would be a call to the C library's software `fmaf` per lane).
  @inline(__always) func plusProduct(_ a: Self, _ b: Self) -> Self {
    #if arch(arm64) || TMS_HARDWARE_FMA
      return addingProduct(a, b)
    #else
      return self + a * b
    #endif
  }
}
