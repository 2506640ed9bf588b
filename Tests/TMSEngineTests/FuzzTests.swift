import Foundation
import Testing
import TMSCore
import TMSFiles

/// A bounded, deterministic mutation fuzzer of the two readers that take files from users:
/// snapshots (`Snapshot.decode`, then `Run(snapshot:)` and a training step, as `tms train
/// --resume` does) and presets (`Preset.parse`, which validates).
///
/// Each case is a valid file with one to four mutations: byte flips and overwrites with
/// structural bytes, truncation, deleted, duplicated and swapped ranges, and inserted
/// tokens (1e308, NaN, -0, null, deep nesting, a huge number, lone surrogates, escape
/// sequences, a BOM, NUL bytes). Every case must either load or throw the reader's own
/// error, with a one-line message free of control characters; a crash (a trap, or under the
/// address sanitizer a memory error) ends the test process and fails the run. CI runs it in
/// the engine-test step built with runtime checks on and the address sanitizer (`.ci/run`).
/// The seeds are fixed, so a failure reproduces; the seed and the case are printed with it.
@Suite struct FuzzTests {
  static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    .appendingPathComponent("Fixtures")
  /// Cases per reader.
  static let snapshotCases = 2_000
  static let presetCases = 3_000

  /// SplitMix64: a small, well-mixed generator whose stream depends only on its seed.
  struct Generator {
    var state: UInt64
    mutating func next() -> UInt64 {
      state &+= 0x9E37_79B9_7F4A_7C15
      var z = state
      z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
      z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
      return z ^ (z >> 31)
    }
    mutating func below(_ n: Int) -> Int { n <= 1 ? 0 : Int(next() % UInt64(n)) }
  }

  static let structural: [UInt8] =
    Array("{}[],:\"\\-+.eE0123456789 \n".utf8) + [0, 0x1B, 0x7F, 0x80, 0xC0, 0xFF]
  static let tokens: [String] = [
    "1e308", "-1e308", "1e-400", "NaN", "Infinity", "-0", "null", "true", "false", "[]", "{}",
    "\"\"", "0.5", "-1", "9223372036854775807", "9223372036854775808", "18446744073709551616",
    String(repeating: "9", count: 400), String(repeating: "[", count: 200),
    String(repeating: "{\"a\":", count: 100), "\"\\ud800\"", "\"\\udc00\\ud800\"",
    "\"\\u001b]52;c;SGk=\\u0007\"", "\"\u{1B}[2J\"", "\u{FEFF}", "\"\\u0000\"",
    "\"" + String(repeating: "x", count: 5000) + "\"",
  ]

  /// `base` with one to four random mutations.
  static func mutate(_ base: [UInt8], _ g: inout Generator) -> [UInt8] {
    var b = base
    for _ in 0...g.below(4) {
      guard !b.isEmpty else {
        b = Array(tokens[g.below(tokens.count)].utf8)
        continue
      }
      let i = g.below(b.count)
      switch g.below(9) {
      case 0: b[i] ^= UInt8(1 << g.below(8))
      case 1: b[i] = structural[g.below(structural.count)]
      case 2: b.removeSubrange(g.below(b.count)...)
      case 3: b.removeSubrange(i..<min(b.count, i + 1 + g.below(64)))
      case 4:
        let piece = b[i..<min(b.count, i + 1 + g.below(256))]
        b.insert(contentsOf: piece, at: g.below(b.count))
      case 5: b.insert(contentsOf: Array(tokens[g.below(tokens.count)].utf8), at: i)
      case 6:
        // Replace a number (the bytes of a run of digits) with a token.
        var end = i
        while end < b.count, (0x30...0x39).contains(b[end]) || b[end] == 0x2E { end += 1 }
        b.replaceSubrange(i..<end, with: Array(tokens[g.below(tokens.count)].utf8))
      case 7:
        let j = g.below(b.count)
        let (lo, hi) = (min(i, j), max(i, j))
        let n = min(16, b.count - hi)
        if n > 0 && lo + n <= hi {
          let first = Array(b[lo..<lo + n])
          b.replaceSubrange(lo..<lo + n, with: b[hi..<hi + n])
          b.replaceSubrange(hi..<hi + n, with: first)
        }
      default: b.insert(contentsOf: [0xEF, 0xBB, 0xBF], at: 0)
      }
    }
    return b
  }

  /// The message a reader's error gives: one line, no control characters, bounded.
  static func wellFormed(_ message: String) -> Bool {
    !message.isEmpty && message.count < 1000
      && !message.unicodeScalars.contains { $0.value < 0x20 || (0x7F...0x9F).contains($0.value) }
  }

  @Test func snapshotReaderSurvivesMutations() throws {
    let names = [
      "intro-small.json", "abs-small.json", "untrained.json", "python-v1.json",
      "history-small.json",
    ]
    let bases = try names.map {
      Array(try Data(contentsOf: Self.fixtures.appendingPathComponent("snapshots/valid/" + $0)))
    }
    let seed: UInt64 = 0x7D5_2025
    var g = Generator(state: seed)
    var loaded = 0
    var refused = 0
    let clock = ContinuousClock()
    let start = clock.now
    for index in 0..<Self.snapshotCases {
      let bytes = Self.mutate(bases[index % bases.count], &g)
      do {
        let snapshot = try Snapshot.decode(bytes, file: "case")
        let run = try Run(snapshot: snapshot, threads: 1)
        run.train(steps: 1)
        loaded += 1
      } catch {
        refused += 1
        #expect(Self.wellFormed(error.description), "seed \(seed) case \(index): \(error)")
      }
    }
    print(
      "fuzz snapshot reader: seed \(seed), \(Self.snapshotCases) cases, \(loaded) loaded, "
        + "\(refused) refused, 0 crashed, \((clock.now - start).secondsValue) s")
    #expect(loaded + refused == Self.snapshotCases)
    // Both outcomes happen, so the mutations are neither all fatal nor all harmless.
    #expect(loaded > 0 && refused > Self.snapshotCases / 2)
  }

  @Test func presetReaderSurvivesMutations() throws {
    let folder = Self.fixtures.appendingPathComponent("presets-valid")
    var bases = try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted().map {
      Array(try Data(contentsOf: folder.appendingPathComponent($0)))
    }
    bases += PresetLibrary.builtinNames.compactMap { PresetLibrary.builtinText(named: $0) }
      .map { Array($0.utf8) }
    let seed: UInt64 = 0x9E5_2025
    var g = Generator(state: seed)
    var loaded = 0
    var refused = 0
    let clock = ContinuousClock()
    let start = clock.now
    for index in 0..<Self.presetCases {
      let bytes = Self.mutate(bases[index % bases.count], &g)
      do {
        _ = try Preset.parse(bytes: bytes, file: "case", views: nil)
        loaded += 1
      } catch {
        refused += 1
        #expect(Self.wellFormed(error.description), "seed \(seed) case \(index): \(error)")
      }
    }
    print(
      "fuzz preset reader: seed \(seed), \(Self.presetCases) cases, \(loaded) loaded, "
        + "\(refused) refused, 0 crashed, \((clock.now - start).secondsValue) s")
    #expect(loaded + refused == Self.presetCases)
    #expect(loaded > 0 && refused > Self.presetCases / 2)
  }
}
