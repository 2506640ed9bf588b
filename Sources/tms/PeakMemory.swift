#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// The process's peak resident memory so far, for the figures `tms bench` and `tms train
/// --record` print.
enum PeakMemory {
  /// Megabytes (2²⁰ bytes). getrusage's `ru_maxrss` is in kilobytes on Linux, in bytes on
  /// macOS.
  static var megabytes: Double {
    var usage = rusage()
    #if canImport(Glibc)
      getrusage(RUSAGE_SELF.rawValue, &usage)
      return Double(usage.ru_maxrss) / 1024
    #else
      getrusage(RUSAGE_SELF, &usage)
      return Double(usage.ru_maxrss) / 1_048_576
    #endif
  }
}
