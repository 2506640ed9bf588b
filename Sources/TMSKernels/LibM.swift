/// The C library's maths functions under one name on every platform (Glibc on Linux, Darwin
/// on macOS), for the engine's targets.
#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

@inline(__always) package func libCos(_ x: Double) -> Double { cos(x) }
@inline(__always) package func libLog(_ x: Double) -> Double { log(x) }
@inline(__always) package func libSqrt(_ x: Double) -> Double { x.squareRoot() }
@inline(__always) package func libPow(_ x: Double, _ y: Double) -> Double { pow(x, y) }
@inline(__always) package func libSin(_ x: Double) -> Double { sin(x) }
@inline(__always) package func libExp(_ x: Double) -> Double { exp(x) }
@inline(__always) package func libAcos(_ x: Double) -> Double { acos(x) }
