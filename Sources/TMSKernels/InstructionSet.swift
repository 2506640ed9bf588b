#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// The instruction sets the tiled and Gram kernels are compiled for, chosen when a run
/// starts from what the CPU can execute.
///
/// Those kernels are bound by multiply-add throughput: an AVX2 fused multiply-add does eight
/// lanes' multiply and add in one instruction, SSE2 needs two instructions for four lanes.
/// A build with no CPU flag (a package, a copy on another machine, `TMS_CPU=portable`)
/// would otherwise run SSE2 code on every machine; with both versions compiled in, it runs
/// the AVX2 one wherever the CPU has it. The choice changes rounding (fused or not), never
/// the arithmetic's order, and never depends on the thread count.
package enum InstructionSet: String, Sendable, CaseIterable {
  /// The build's own CPU level: SSE2 on baseline x86-64, NEON with FMA on arm64, AVX2 with
  /// FMA when the whole build targets x86-64-v3.
  case baseline
  /// The x86-64-v3 level: AVX2, fused multiply-add, BMI1/2, LZCNT, MOVBE, F16C (x86-64 only;
  /// Intel Haswell 2013+, AMD Zen 2017+).
  case avx2

  /// The set every run uses: `TMS_KERNELS` when it names one this CPU can run (for comparing
  /// them), else the best one the CPU has.
  package static let selected: InstructionSet = {
    if let name = getenv("TMS_KERNELS").map({ String(cString: $0) }),
      let forced = InstructionSet(rawValue: name), available.contains(forced)
    {
      return forced
    }
    return available.last ?? .baseline
  }()

  /// The sets this build contains and this CPU can execute, slowest first.
  package static let available: [InstructionSet] = {
    #if canImport(TMSTilesAVX2) && arch(x86_64)
      return cpuHasX86_64_v3() ? [.baseline, .avx2] : [.baseline]
    #else
      return [.baseline]
    #endif
  }()

  /// A short description for reports: what the set is and how it was chosen.
  package var summary: String {
    switch self {
    case .baseline:
      #if arch(arm64)
        return "NEON with FMA"
      #elseif TMS_HARDWARE_FMA
        return "AVX2 with FMA (x86-64-v3 build)"
      #else
        return "SSE2 (baseline x86-64)"
      #endif
    case .avx2: return "x86-64-v3: AVX2 with FMA (chosen at run time)"
    }
  }

  #if arch(x86_64)
    /// True when the CPU and the operating system support every feature of x86-64-v3: the
    /// `flags` line of /proc/cpuinfo on Linux (the kernel lists AVX features only when it
    /// saves their registers; `abm` is LZCNT), `hw.optional` on macOS (every Mac with AVX2
    /// has the rest of the level).
    static func cpuHasX86_64_v3() -> Bool {
      #if os(Linux)
        guard let file = fopen("/proc/cpuinfo", "r") else { return false }
        defer { fclose(file) }
        var line = [CChar](repeating: 0, count: 16384)
        while fgets(&line, Int32(line.count), file) != nil {
          let text = String(
            decoding: line.prefix(while: { $0 != 0 }).map { UInt8(bitPattern: $0) }, as: UTF8.self)
          guard text.hasPrefix("flags") else { continue }
          let flags = Set(text.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\n" }))
          return ["avx", "avx2", "fma", "bmi1", "bmi2", "abm", "movbe", "f16c"].allSatisfy {
            flags.contains(Substring($0))
          }
        }
        return false
      #elseif canImport(Darwin)
        func has(_ name: String) -> Bool {
          var value: Int32 = 0
          var size = MemoryLayout<Int32>.size
          return sysctlbyname(name, &value, &size, nil, 0) == 0 && value != 0
        }
        return has("hw.optional.avx2_0") && has("hw.optional.fma") && has("hw.optional.bmi1")
          && has("hw.optional.bmi2")
      #else
        return false
      #endif
    }
  #endif
}
