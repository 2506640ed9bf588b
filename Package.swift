// swift-tools-version: 6.2
import PackageDescription

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

// MARK: - CPU level of the kernels

/// The instruction-set level the training kernels are compiled for.
///
/// Speed must not depend on a flag a user's machine lacks, and the build must work on every
/// machine Swift runs on, so a CPU flag is passed only on x86-64 and only when the building
/// machine supports it (the usual case: build and run on the same machine):
/// - `x86-64-v3` (AVX2, FMA, BMI2; Intel Haswell 2013+, AMD Zen 2017+) when the host has it;
/// - no flag otherwise (baseline x86-64 with SSE2; arm64 always, where NEON has fused
///   multiply-add and nothing is gained by a flag).
/// `TMS_CPU=portable` forces the baseline (CI checks that build's speed); `TMS_CPU=x86-64-v3`
/// forces the level (cross-compiling for a newer machine).
enum CPULevel: String {
  case portable
  case x86_64_v3 = "x86-64-v3"

  /// The level for this build: `TMS_CPU` when set, else what the building machine supports.
  static var selected: CPULevel {
    if let forced = Context.environment["TMS_CPU"], let level = CPULevel(rawValue: forced) {
      return level
    }
    #if arch(x86_64)
      return hostSupportsV3 ? .x86_64_v3 : .portable
    #else
      return .portable
    #endif
  }

  #if arch(x86_64)
    /// True when the building machine has every x86-64-v3 feature the kernels rely on.
    static var hostSupportsV3: Bool {
      let needed = ["avx", "avx2", "fma", "bmi1", "bmi2", "f16c", "movbe"]
      #if os(Linux)
        guard let file = fopen("/proc/cpuinfo", "r") else { return false }
        defer { fclose(file) }
        var line = [CChar](repeating: 0, count: 8192)
        while fgets(&line, Int32(line.count), file) != nil {
          let text = String(
            decoding: line.prefix(while: { $0 != 0 }).map { UInt8(bitPattern: $0) }, as: UTF8.self)
          guard text.hasPrefix("flags") else { continue }
          let flags = Set(text.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\n" }))
          return needed.allSatisfy { flags.contains(Substring($0)) }
        }
        return false
      #elseif canImport(Darwin)
        func has(_ name: String) -> Bool {
          var value: Int32 = 0
          var size = MemoryLayout<Int32>.size
          return sysctlbyname(name, &value, &size, nil, 0) == 0 && value != 0
        }
        return has("hw.optional.avx2_0") && has("hw.optional.fma") && has("hw.optional.bmi2")
      #else
        return false
      #endif
    }
  #endif

  /// Compiler settings for the kernels at this level, x86-64 only. The level goes through the
  /// C importer (`-Xcc -march=…`), whose target Swift's code generator shares; Swift's own CPU
  /// option takes only product names (haswell, znver3), not levels.
  var swiftSettings: [SwiftSetting] {
    switch self {
    case .portable: return []
    case .x86_64_v3:
      #if arch(x86_64)
        return [
          .unsafeFlags(["-Xcc", "-march=x86-64-v3"]), .define("TMS_HARDWARE_FMA"),
        ]
      #else
        return []
      #endif
    }
  }
}

/// The kernels: optimised without runtime checks, at the CPU level above. Only this target
/// is unchecked; `TMS_CHECKED=1` turns the checks back on (CI runs the engine tests so, with
/// the address sanitizer, so that an index out of bounds traps instead of corrupting memory).
///
/// Always compiled as a whole module (as release builds are), also in debug builds: file by
/// file, the SIMD helpers every kernel uses (`vec`, `setVec`, `plusProduct`) are calls into
/// another file, never inlined, and a training step took 9× as long (the dimensionality
/// test: 194 s instead of 19 s in `swift test`). `-num-threads` keeps one object file per
/// source, as the debug build's index store expects; batch mode does not apply to it.
let kernelsAnyLevel: [SwiftSetting] = [
  .unsafeFlags([
    Context.environment["TMS_CHECKED"] == "1" ? "-O" : "-Ounchecked", "-wmo", "-num-threads",
    "2", "-disable-batch-mode",
  ]),
  .treatAllWarnings(as: .error),
]
let kernels: [SwiftSetting] = kernelsAnyLevel + CPULevel.selected.swiftSettings

/// The tiled and Gram kernels compiled again at `x86-64-v3` (AVX2, FMA, BMI) and at
/// `x86-64-v4` (AVX-512: 32 vector registers, so wider register blocks), whatever the build's
/// level, on x86-64 only: the engine runs the best the CPU has (checked at run time), so a
/// build with no CPU flag is as fast as a native one on such machines. (`-mavx2 -mfma` alone
/// measured 6.6% more instructions on 100→20: without BMI a trailing-zero count is `bsf` and a
/// branch.)
#if arch(x86_64)
  let x86Kernels: [Target] = [
    .target(
      name: "TMSTilesAVX2", dependencies: ["TMSKernelBase"],
      swiftSettings: kernelsAnyLevel + [
        .unsafeFlags(["-Xcc", "-march=x86-64-v3"]), .define("TMS_HARDWARE_FMA"),
      ]),
    .target(
      name: "TMSTilesAVX512", dependencies: ["TMSKernelBase"],
      swiftSettings: kernelsAnyLevel + [
        .unsafeFlags(["-Xcc", "-march=x86-64-v4"]), .define("TMS_HARDWARE_FMA"),
        .define("TMS_WIDE_REGISTERS"),
      ]),
  ]
#else
  let x86Kernels: [Target] = []
#endif
/// The rest of the engine: always optimised (training tests and the explorer call it every
/// step), with Swift's ordinary checks — it parses and validates what users hand it.
let optimised: [SwiftSetting] = [.unsafeFlags(["-O"]), .treatAllWarnings(as: .error)]
/// The C maths library, which Linux links only when asked (Darwin's is in libSystem): a
/// program using a library product without Foundation would otherwise miss `roundf`.
let libm: [LinkerSetting] = [.linkedLibrary("m", .when(platforms: [.linux]))]
/// Everything else: the build configuration's optimisation.
let strict: [SwiftSetting] = [.treatAllWarnings(as: .error)]

// MARK: - Curses

/// Where ncurses with the wide-character and extended-colour API (6.1 or newer) is found.
///
/// Linux distributions ship it as `ncursesw` with headers under `ncursesw/`. macOS ships an
/// old ncurses 5.7 without `alloc_pair`, so the package uses Homebrew's (`brew install
/// ncurses`, keg-only under `$(brew --prefix)/opt/ncurses`), whose library is `ncurses`.
enum Curses {
  #if os(macOS)
    static let prefix = ["/opt/homebrew/opt/ncurses", "/usr/local/opt/ncurses"].first {
      access($0 + "/include/curses.h", F_OK) == 0
    }
  #else
    static let prefix: String? = nil
  #endif

  /// Settings for every target that imports the curses module.
  static var swiftSettings: [SwiftSetting] {
    prefix.map { [.unsafeFlags(["-Xcc", "-I\($0)/include"])] } ?? []
  }

  /// The library to link, by platform.
  static var linkerSettings: [LinkerSetting] {
    [
      .linkedLibrary("ncursesw", .when(platforms: [.linux])),
      .linkedLibrary("ncurses", .when(platforms: [.macOS])),
    ] + (prefix.map { [.unsafeFlags(["-L\($0)/lib"])] } ?? [])
  }
}

let package = Package(
  name: "tms",
  platforms: [.macOS(.v15)],
  products: [
    .executable(name: "tms", targets: ["tms"]),
    .library(name: "TMSCore", targets: ["TMSCore"]),
    .library(name: "TMSFiles", targets: ["TMSFiles"]),
    .library(name: "TMSRender", targets: ["TMSRender"]),
  ],
  dependencies: [
    .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2")
  ],
  targets: [
    // MARK: - Engine (no terminal code); arrows point down only
    // What every kernel module shares: SIMD loads and stores, the tiled kernels' job.
    .target(name: "TMSKernelBase", swiftSettings: kernels),
    // The tiled and Gram kernels at the build's level (TMSTilesAVX2/AVX512: the same files).
    .target(name: "TMSTiles", dependencies: ["TMSKernelBase"], swiftSettings: kernels),
    // Hot loops: per-instance forward, backward, AdamW and data generation.
    .target(
      name: "TMSKernels",
      dependencies: ["TMSKernelBase", "TMSTiles"] + x86Kernels.map { .target(name: $0.name) },
      swiftSettings: kernels, linkerSettings: libm),
    // Models, configuration and its field tables, runs, the live trainer, metrics, geometry,
    // sweeps, snapshots as values.
    .target(name: "TMSCore", dependencies: ["TMSKernels"], swiftSettings: optimised),
    // Files: JSON text, snapshot files, presets, .npz, atomic writes.
    .target(name: "TMSFiles", dependencies: ["TMSCore"], swiftSettings: optimised),
    // Figures: SVG, CSV and text, in the palette of the rendering library.
    .target(name: "TMSFigures", dependencies: ["TMSCore", "TMSRender"], swiftSettings: optimised),
    // MARK: - Rendering: widgets drawing into an in-memory cell grid (no ncurses)
    .target(name: "TMSRender", swiftSettings: strict, linkerSettings: libm),
    .target(
      name: "TMSReproduction", dependencies: ["TMSCore", "TMSFiles", "TMSFigures", "TMSRender"],
      swiftSettings: optimised),
    // MARK: - Explorer state, key handling and views (engine + render, no ncurses)
    .target(
      name: "TMSApp", dependencies: ["TMSCore", "TMSFiles", "TMSRender"], swiftSettings: strict),
    // MARK: - The only importer of ncursesw
    .systemLibrary(
      name: "CNcurses", providers: [.apt(["libncurses-dev"]), .brew(["ncurses"])]),
    .target(
      name: "TMSTerminal", dependencies: ["CNcurses", "TMSRender"],
      swiftSettings: strict + Curses.swiftSettings, linkerSettings: Curses.linkerSettings),
    // MARK: - The executable
    .executableTarget(
      name: "tms",
      dependencies: [
        "TMSCore", "TMSFiles", "TMSFigures", "TMSRender", "TMSApp", "TMSTerminal",
        "TMSReproduction", .product(name: "ArgumentParser", package: "swift-argument-parser"),
      ],
      swiftSettings: strict + Curses.swiftSettings),
    // MARK: - Tests
    .testTarget(
      name: "TMSEngineTests",
      dependencies: ["TMSKernels", "TMSCore", "TMSFiles", "TMSFigures", "TMSReproduction"],
      exclude: ["Fixtures"], swiftSettings: strict),
    .testTarget(name: "TMSRenderTests", dependencies: ["TMSRender"], swiftSettings: strict),
    .testTarget(
      name: "tmsTests", dependencies: ["tms", "TMSApp", "TMSCore", "TMSFiles", "TMSRender"],
      swiftSettings: strict + Curses.swiftSettings),
    .testTarget(
      name: "TMSTerminalTests", dependencies: ["TMSTerminal", "TMSRender", "CNcurses"],
      swiftSettings: strict + Curses.swiftSettings),
    .testTarget(
      name: "TMSAppTests", dependencies: ["TMSApp", "TMSCore", "TMSFiles", "TMSRender"],
      exclude: ["Golden", "Fixtures"], swiftSettings: strict),
  ] + x86Kernels
)
