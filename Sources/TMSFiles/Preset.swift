import Foundation
import TMSCore

/// A human-readable experiment file: a run configuration plus what the paper found.
///
/// JSON with snake_case keys. Per-feature curves may be written compactly:
/// - `importance`: a number (constant), `{"geometric": r}` (rⁱ), `{"log_spaced": a}`
///   (a^(−linspace(0,1,n))), a list of n values (every instance), or a list of K lists;
/// - `feature_probability`: a number, `{"sweep": [high, low]}` (log-spaced across the K
///   instances), `{"per_instance": [p₀, …, p_{K−1}]}`, a list of n values, or K lists of n.
/// The loader is strict: unknown keys, wrong types and out-of-range values are errors that
/// name the file and the key path.
///
/// A phase-diagram preset (2→1 or 3→2 relu-output) adds `"phase": {"grid": G, "seeds": K,
/// "probability": [max, min], "importance": [min, max]}` (each field optional, defaults 20, 3,
/// [1, 0.01], [0.1, 10]): the grid is what `tms train` and the explorer's phase view train,
/// with the preset's optimiser, steps and seed; the run configuration stays one column of it.
///
/// A preset for the explorer's compare view adds `"compare": {"model": "linear"}`: fields of
/// the run (any key of the field table) that a second run shown beside the first sets for
/// itself; every other field it shares with the first.
public struct Preset: Sendable, Equatable {
  /// The run configuration.
  public var config: RunConfig
  /// One line: what the experiment is.
  public var description: String
  /// What the paper found and what to look for.
  public var expect: String
  /// The name of the explorer view the preset opens in; nil keeps the current view (the
  /// overview at start-up). The engine knows no view names: the loader checks this against
  /// the names its ``PresetLibrary`` was given.
  public var view: String?
  /// Where the preset came from (file path, or `built-in`).
  public var source: String
  /// The phase-diagram grid this preset stands for (`"phase"` in the file), or nil.
  public var phase: PhaseSweepConfig?
  /// The fields a second run beside this one sets for itself (`"compare"` in the file), or
  /// nil when the preset opens one run.
  public var compare: JSONObject?

  /// Creates a preset.
  public init(
    config: RunConfig, description: String, expect: String = "", view: String? = nil,
    source: String = "built-in", phase: PhaseSweepConfig? = nil, compare: JSONObject? = nil
  ) {
    self.config = config
    self.description = description
    self.expect = expect
    self.view = view
    self.source = source
    self.phase = phase
    self.compare = compare
  }

  /// The second run's configuration for a first run configured as `first` (the preset's own
  /// run, or it edited by flags): `first` with the `"compare"` fields over it; nil without.
  public func compareConfig(for first: RunConfig) throws(ConfigError) -> RunConfig? {
    guard let compare else { return nil }
    return try first.applying(overrides: compare, path: "compare")
  }
}

/// A preset file that could not be used: names the file, the key path and the problem.
public struct PresetError: Error, CustomStringConvertible, Equatable, Sendable {
  /// The file.
  public var file: String
  /// The key path (`importance.geometric`), or empty for the whole file.
  public var path: String
  /// What is wrong and what is allowed.
  public var message: String

  /// Creates an error.
  public init(file: String, path: String, message: String) {
    self.file = file
    self.path = path
    self.message = message
  }

  /// `file: key: message`.
  public var description: String {
    path.isEmpty ? "\(file): \(message)" : "\(file): \(path): \(message)"
  }
}

extension Preset {
  /// Keys a preset has besides the run's fields (``RunConfig/fields``).
  static let presetKeys = ["description", "expect", "view", "phase", "compare"]

  /// Loads and validates a preset file; `views` are the view names a preset may open in
  /// (nil: any name).
  public static func load(path: String, views: Set<String>?) throws(PresetError) -> Preset {
    let bytes: [UInt8]
    do {
      bytes = try FileReading.read(path, limit: maxFileSize, what: "preset")
    } catch {
      throw PresetError(file: path, path: "", message: error.message)
    }
    return try parse(bytes: bytes, file: path, views: views)
  }

  /// The largest preset file read: 16 MiB, far past any useful preset (the shipped ones are
  /// about 1 KB; a curve listed value by value for 4,096 features × 1,024 instances fits).
  public static let maxFileSize = 16 << 20

  /// Parses preset JSON; `file` names it in errors, `views` as in ``load(path:views:)``.
  public static func parse(bytes: [UInt8], file: String, views: Set<String>?) throws(PresetError)
    -> Preset
  {
    let root: JSONValue
    do {
      root = try JSONParser.parse(bytes)
    } catch {
      let (line, col) = JSONParser.position(of: error.offset, in: bytes)
      throw PresetError(
        file: file, path: "",
        message: "not valid JSON at line \(line), column \(col): \(error.message)")
    }
    guard case .object(let object) = root else {
      throw PresetError(file: file, path: "", message: "must be a JSON object")
    }
    do {
      return try PresetReader(file: file, object: object, views: views).read()
    } catch {
      // The key path and the message may quote the file's own text (an unknown key, a
      // string value): escaped and cut, so an escape sequence in a key never reaches the
      // terminal and a huge value never becomes a huge line.
      throw PresetError(
        file: file, path: DisplayText.escaped(error.field),
        message: DisplayText.escaped(error.message, limit: 400))
    }
  }
}
