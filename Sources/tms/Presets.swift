import ArgumentParser
import TMSEngine

/// `tms presets`: lists the presets found, with their one-line descriptions.
struct Presets: ParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "List the presets (project, user folder, built-in).")

  func run() throws {
    let (presets, errors) = PresetLibrary.all()
    let width = presets.map(\.config.name.count).max() ?? 5
    for p in presets {
      let name = p.config.name.padding(toLength: width, withPad: " ", startingAt: 0)
      print("\(name)  \(p.description)")
    }
    for e in errors { printError("tms: skipped \(e.description)") }
    print(
      "\nFolders searched (the first file of a name wins): "
        + PresetLibrary.searchFolders().joined(separator: ", ")
        + "; then the \(PresetLibrary.builtinNames.count) presets built into tms.")
  }
}
