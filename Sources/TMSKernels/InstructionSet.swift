#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// The instruction sets the tiled and Gram kernels are compiled for, chosen when a run
/// starts from what the CPU can execute.
///
/// Those kernels are bound by multiply-add throughput: an AVX2 fused multiply-add does eight
/// lanes' multiply and add in one instruction, SSE2 needs two instructions for four lanes;
/// AVX-512's 32 registers then allow wider register blocks (fewer loads per multiply-add).
/// A build with no CPU flag (a package, a copy on another machine, `TMS_CPU=portable`)
/// would otherwise run SSE2 code on every machine; with every version compiled in, it runs
/// the best one the CPU has. The choice changes rounding (fused or not), never the order of
/// the sums, and never depends on the thread count.
package enum InstructionSet: String, Sendable, CaseIterable {
  /// The build's own CPU level: SSE2 on baseline x86-64, NEON with FMA on arm64, AVX2 with
  /// FMA when the whole build targets x86-64-v3.
  case baseline
  /// The x86-64-v3 level: AVX2, fused multiply-add, BMI1/2, LZCNT, MOVBE, F16C (x86-64 only;
  /// Intel Haswell 2013+, AMD Zen 2017+).
  case avx2
  /// The x86-64-v4 level: x86-64-v3 and AVX-512 F, BW, CD, DQ, VL (Intel Skylake-SP 2017+,
  /// AMD Zen 4 2022+). The vectors stay eight lanes wide; the 32 registers allow wider
  /// register blocks.
  case avx512

  /// The set every run uses: `TMS_KERNELS` when it names one this CPU can run (for comparing
  /// them), else the best one the CPU has.
  package static let selected: InstructionSet = {
    if let name = requested, let forced = InstructionSet(rawValue: name),
      available.contains(forced)
    {
      return forced
    }
    return available.last ?? .baseline
  }()

  /// `TMS_KERNELS`, when set and not empty (an empty value means the default, as usual).
  static var requested: String? {
    getenv("TMS_KERNELS").map { String(cString: $0) }.flatMap { $0.isEmpty ? nil : $0 }
  }

  /// Why `TMS_KERNELS` cannot be followed (not a set's name, or one this CPU cannot run),
  /// for the command line to refuse it in one line; nil when it is unset or usable.
  package static var requestProblem: String? {
    guard let name = requested else { return nil }
    let names = available.map(\.rawValue).joined(separator: ", ")
    guard let set = InstructionSet(rawValue: name) else {
      return "TMS_KERNELS=\(name): not an instruction set; this CPU runs \(names)"
    }
    return available.contains(set)
      ? nil : "TMS_KERNELS=\(name): this CPU or build cannot run it; it runs \(names)"
  }

  /// The sets this build contains and this CPU can execute, slowest first.
  package static let available: [InstructionSet] = {
    #if canImport(TMSTilesAVX2) && canImport(TMSTilesAVX512) && arch(x86_64)
      let flags = cpuFlags()
      guard hasX86_64_v3(flags) else { return [.baseline] }
      return hasX86_64_v4(flags) ? [.baseline, .avx2, .avx512] : [.baseline, .avx2]
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
    case .avx512:
      return "x86-64-v4: AVX-512, eight-lane vectors in 32 registers (chosen at run time)"
    }
  }

  #if arch(x86_64)
    /// The CPU features the operating system enables: the `flags` line of /proc/cpuinfo on
    /// Linux (the kernel lists AVX and AVX-512 features only when it saves their registers;
    /// `abm` is LZCNT), `hw.optional` names on macOS.
    static func cpuFlags() -> Set<String> {
      #if os(Linux)
        guard let file = fopen("/proc/cpuinfo", "r") else { return [] }
        defer { fclose(file) }
        var line = [CChar](repeating: 0, count: 16384)
        while fgets(&line, Int32(line.count), file) != nil {
          let text = String(
            decoding: line.prefix(while: { $0 != 0 }).map { UInt8(bitPattern: $0) }, as: UTF8.self)
          guard text.hasPrefix("flags") else { continue }
          return Set(
            text.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\n" }).map(String.init))
        }
        return []
      #elseif canImport(Darwin)
        let names = [
          "avx2_0", "fma", "bmi1", "bmi2", "avx512f", "avx512bw", "avx512cd", "avx512dq",
          "avx512vl",
        ]
        return Set(
          names.filter { name in
            var value: Int32 = 0
            var size = MemoryLayout<Int32>.size
            return sysctlbyname("hw.optional." + name, &value, &size, nil, 0) == 0 && value != 0
          })
      #else
        return []
      #endif
    }

    /// Every feature of x86-64-v3 (on macOS: AVX2, FMA, BMI1/2; every Mac with them has the
    /// rest of the level).
    static func hasX86_64_v3(_ flags: Set<String>) -> Bool {
      #if os(Linux)
        ["avx", "avx2", "fma", "bmi1", "bmi2", "abm", "movbe", "f16c"].allSatisfy(flags.contains)
      #else
        ["avx2_0", "fma", "bmi1", "bmi2"].allSatisfy(flags.contains)
      #endif
    }

    /// The AVX-512 features x86-64-v4 adds to x86-64-v3.
    static func hasX86_64_v4(_ flags: Set<String>) -> Bool {
      ["avx512f", "avx512bw", "avx512cd", "avx512dq", "avx512vl"].allSatisfy(flags.contains)
    }
  #endif
}
