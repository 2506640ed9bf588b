import ArgumentParser
import TMSCore
import TMSFiles

/// `tms presets`: lists the presets found, with their one-line descriptions; `tms presets
/// NAME` shows one in full (what the paper found, what to look for, the configuration).
struct Presets: ParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "List the presets (project, user folder, built-in), or show one in full.")

  @Argument(help: "A preset name or file to show in full.")
  var name: String?

  func run() throws {
    if let name {
      print(Self.details(try resolvePreset(name)))
      return
    }
    let (presets, errors) = presetLibrary.all()
    let names = presets.map { shown($0.config.name, limit: 40) }
    let width = names.map(\.count).max() ?? 5
    for (p, name) in zip(presets, names) {
      print(
        "\(name.padding(toLength: width, withPad: " ", startingAt: 0))  \(shown(p.description))")
    }
    for e in errors { printError("tms: skipped \(e.description)") }
    print(
      "\nFolders searched (the first file of a name wins): "
        + PresetLibrary.searchFolders().joined(separator: ", ")
        + "; then the \(PresetLibrary.builtinNames.count) presets built into tms.")
  }

  /// Everything a preset says: source, description, what to look for, configuration, view;
  /// the file's own text escaped and cut (``shown(_:limit:)``), descriptions at 2,000
  /// characters since they are read in full here.
  static func details(_ p: Preset) -> String {
    let c = p.config
    var lines = [
      "\(shown(c.name))  (\(shown(p.source)))",
      "",
      shown(p.description, limit: 2000),
      "",
    ]
    if !p.expect.isEmpty { lines += ["What to look for: " + shown(p.expect, limit: 2000), ""] }
    lines.append(
      "\(c.model.rawValue) n=\(c.features) m=\(c.hidden) K=\(c.instances), "
        + "batch \(c.training.batchSize), lr \(c.training.learningRate), "
        + "weight decay \(c.training.weightDecay), \(c.training.schedule.rawValue), "
        + "\(c.training.steps) steps, seed \(c.training.seed)")
    if let view = p.view { lines.append("Opens in the \(shown(view)) view.") }
    if let compare = p.compare {
      let fields = compare.keys.map { "\(shown($0)): \(shown(compare[$0]?.shown ?? ""))" }
      lines.append("Second run beside it: the same with " + fields.joined(separator: ", ") + ".")
    }
    if let g = p.phase {
      lines.append(
        "Phase grid: \(g.grid)×\(g.grid), \(g.seeds) seeds per cell (up to \(g.seedCap) where "
          + "unsettled), \(g.training.steps) steps each.")
    }
    return lines.joined(separator: "\n")
  }
}
