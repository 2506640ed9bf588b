extension UnsafeMutablePointer where Pointee == Float {
  /// Eight floats starting at `offset` (which must be a multiple of eight from an aligned base).
  @inlinable @inline(__always) package func vec(_ offset: Int) -> SIMD8<Float> {
    UnsafeRawPointer(self + offset).load(as: SIMD8<Float>.self)
  }

  /// Stores eight floats at `offset` (a multiple of eight from an aligned base).
  @inlinable @inline(__always) package func setVec(_ offset: Int, _ v: SIMD8<Float>) {
    UnsafeMutableRawPointer(self + offset).storeBytes(of: v, as: SIMD8<Float>.self)
  }
}

/// True when any lane of `mask` is set: the standard library's `any` reduces the lanes one
/// by one through a generic `min()` (eight lane extractions and compares, a fifth of the
/// sparse 200→20 step); OR-ing the halves of the lane masks is three vector operations.
@inlinable @inline(__always) package func anyLane(_ mask: SIMDMask<SIMD8<Int32>>) -> Bool {
  let lanes = SIMD8<Int32>(repeating: 0).replacing(with: -1, where: mask)
  let four = lanes.lowHalf | lanes.highHalf
  let two = four.lowHalf | four.highHalf
  return (two[0] | two[1]) != 0
}
