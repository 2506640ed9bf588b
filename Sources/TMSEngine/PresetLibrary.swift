import Foundation

/// Where presets come from: the project's `presets/` folder, the user's folder under
/// `$XDG_CONFIG_HOME/tms/presets` (else `~/.config/tms/presets`), and any path.
public enum PresetLibrary {
  /// Folders searched for presets by name, in order.
  public static func searchFolders() -> [String] {
    var folders: [String] = []
    let env = ProcessInfo.processInfo.environment
    if let dir = env["TMS_PRESETS"], !dir.isEmpty { folders.append(dir) }
    let config =
      env["XDG_CONFIG_HOME"].flatMap { $0.isEmpty ? nil : $0 }
      ?? (env["HOME"].map { $0 + "/.config" } ?? "")
    if !config.isEmpty { folders.append(config + "/tms/presets") }
    folders.append(FileManager.default.currentDirectoryPath + "/presets")
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

  /// A preset by path (anything with a `/` or ending in `.json`) or by name (`intro`), else
  /// the built-in intro when the name is `intro` and no file is found.
  public static func resolve(_ nameOrPath: String) throws(PresetError) -> Preset {
    if nameOrPath.contains("/") || nameOrPath.hasSuffix(".json") {
      return try Preset.load(path: nameOrPath)
    }
    for folder in searchFolders() {
      let path = folder + "/" + nameOrPath + ".json"
      if FileManager.default.fileExists(atPath: path) { return try Preset.load(path: path) }
    }
    if nameOrPath == "intro" {
      return Preset(
        config: .intro(), description: "5 features in 2 dimensions, sparsity sweep",
        expect: "dense: 2 orthogonal features; sparse: a pentagon")
    }
    throw PresetError(
      file: nameOrPath, path: "",
      message: "no such preset file or name (searched \(searchFolders().joined(separator: ", ")))")
  }

  /// Every preset found in the search folders (first folder wins for a name), sorted by name,
  /// with files that fail to load reported separately.
  public static func all() -> (presets: [Preset], errors: [PresetError]) {
    var byName: [String: Preset] = [:]
    var errors: [PresetError] = []
    for folder in searchFolders() {
      guard let files = try? FileManager.default.contentsOfDirectory(atPath: folder) else {
        continue
      }
      for f in files.sorted() where f.hasSuffix(".json") {
        let key = String(f.dropLast(5))
        if byName[key] != nil { continue }
        do {
          byName[key] = try Preset.load(path: folder + "/" + f)
        } catch {
          errors.append(error)
        }
      }
    }
    return (byName.keys.sorted().compactMap { byName[$0] }, errors)
  }
}
