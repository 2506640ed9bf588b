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
