import Foundation
import TMSCore

/// Where presets come from: the project's `presets/` folder, the user's folder under
/// `$XDG_CONFIG_HOME/tms/presets` (else `~/.config/tms/presets`), any path, and copies of the
/// shipped presets compiled into the binary.
///
/// `views` are the names a preset's `view` may take: the explorer's view table, which the
/// program passes in (the engine knows no view names); nil accepts any name.
public struct PresetLibrary: Sendable {
  /// The view names a preset may open in, or nil for any.
  public var views: Set<String>?

  /// A library checking `view` against `views`.
  public init(views: Set<String>?) { self.views = views }

  /// Folders searched for presets by name, in order.
  public static func searchFolders() -> [String] {
    var folders: [String] = []
    let env = ProcessInfo.processInfo.environment
    if let dir = env["TMS_PRESETS"], !dir.isEmpty { folders.append(dir) }
    let config =
      env["XDG_CONFIG_HOME"].flatMap { $0.isEmpty ? nil : $0 }
      ?? (env["HOME"].map { $0 + "/.config" } ?? "")
    if !config.isEmpty { folders.append(config + "/tms/presets") }
    folders.append(
      URL(fileURLWithPath: FileManager.default.currentDirectoryPath)
        .appendingPathComponent("presets").path)
    if let exe = Bundle.main.executablePath {
      // …/.build/release/tms → …/presets, so presets resolve from any working directory.
      var url = URL(fileURLWithPath: exe).resolvingSymlinksInPath().deletingLastPathComponent()
      for _ in 0..<4 {
        folders.append(url.appendingPathComponent("presets").path)
        url = url.deletingLastPathComponent()
      }
    }
    var seen = Set<String>()
    return folders.filter { seen.insert($0).inserted }
  }

  /// A preset by path (anything with a `/` or ending in `.json`) or by name (`intro`): the
  /// first search folder holding `NAME.json`, else the built-in copy of a shipped preset.
  public func resolve(_ nameOrPath: String) throws(PresetError) -> Preset {
    if nameOrPath.contains("/") || nameOrPath.hasSuffix(".json") {
      return try Preset.load(path: nameOrPath, views: views)
    }
    for folder in Self.searchFolders() {
      let path = folder + "/" + nameOrPath + ".json"
      if FileManager.default.fileExists(atPath: path) {
        return try Preset.load(path: path, views: views)
      }
    }
    if let preset = try builtin(named: nameOrPath) { return preset }
    throw PresetError(
      file: nameOrPath, path: "",
      message:
        "no such preset file or name; names: \(all().presets.map { DisplayText.escaped($0.config.name, limit: 40) }.joined(separator: ", "))"
        + " (folders searched: \(Self.searchFolders().joined(separator: ", ")))")
  }

  /// Every preset found in the search folders (first folder wins for a name), sorted by name,
  /// with files that fail to load reported separately.
  public func all() -> (presets: [Preset], errors: [PresetError]) {
    var byName: [String: Preset] = [:]
    var errors: [PresetError] = []
    for folder in Self.searchFolders() {
      guard let files = try? FileManager.default.contentsOfDirectory(atPath: folder) else {
        continue
      }
      for f in files.sorted() where f.hasSuffix(".json") {
        let key = String(f.dropLast(5))
        if byName[key] != nil { continue }
        do {
          byName[key] = try Preset.load(path: folder + "/" + f, views: views)
        } catch {
          errors.append(error)
        }
      }
    }
    for (name, _) in BuiltinPresets.files where byName[name] == nil {
      do {
        byName[name] = try builtin(named: name)
      } catch {
        errors.append(error)
      }
    }
    return (byName.keys.sorted().compactMap { byName[$0] }, errors)
  }

  /// Names of the presets compiled into the binary (copies of the repository's `presets/`,
  /// so a `tms` copied anywhere still has every experiment of the paper).
  public static var builtinNames: [String] { BuiltinPresets.files.map(\.name) }

  /// The compiled-in copy of a shipped preset, nil when there is none of that name.
  public func builtin(named name: String) throws(PresetError) -> Preset? {
    guard let json = Self.builtinText(named: name) else { return nil }
    return try Preset.parse(bytes: Array(json.utf8), file: "built-in \(name)", views: views)
  }

  /// The compiled-in JSON text of a shipped preset (for the test that keeps it equal to its
  /// file), nil when there is none of that name.
  public static func builtinText(named name: String) -> String? {
    BuiltinPresets.files.first(where: { $0.name == name })?.json
  }
}
