/// A fixed-size, 64-byte-aligned, zero-initialised Float array for the hot loops.
///
/// Allocated once per run (never per step); SIMD8 loads and stores at multiples of eight
/// elements are aligned.
package final class AlignedFloats {
  package let count: Int
  package let base: UnsafeMutablePointer<Float>

  package init(_ count: Int) {
    self.count = count
    // Whole cache lines only, so two instances' buffers never share one (false sharing
    // between worker threads halved two-thread speed).
    let padded = (max(1, count) + 15) / 16 * 16
    let raw = UnsafeMutableRawPointer.allocate(
      byteCount: padded * MemoryLayout<Float>.stride, alignment: 64)
    base = raw.bindMemory(to: Float.self, capacity: padded)
    base.initialize(repeating: 0, count: padded)
  }

  deinit { base.deallocate() }

  @inline(__always) package subscript(i: Int) -> Float {
    get { base[i] }
    set { base[i] = newValue }
  }

  package func zero() { base.update(repeating: 0, count: count) }

  package func copy(from other: AlignedFloats) { base.update(from: other.base, count: count) }

  package var array: [Float] { Array(UnsafeBufferPointer(start: base, count: count)) }
}

extension SIMD8 where Scalar == Float {
  /// `self + a·b`: one fused multiply-add where the target has it in hardware (arm64 always,
  /// x86-64 from the x86-64-v3 level, which the package selects when the building machine
  /// supports it), else a multiply and an add.
  ///
  /// Swift's `addingProduct` is always fused: on a target without FMA it becomes a call to
  /// the C library's software `fmaf` per lane, which made the kernels 12–29× slower.
  @inlinable @inline(__always) package func plusProduct(_ a: Self, _ b: Self) -> Self {
    #if arch(arm64) || TMS_HARDWARE_FMA
      return addingProduct(a, b)
    #else
      return self + a * b
    #endif
  }
}
