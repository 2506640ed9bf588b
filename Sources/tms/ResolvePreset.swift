import TMSApp
import TMSCore
import TMSFiles

/// The presets, their `view` checked against the explorer's views.
let presetLibrary = PresetLibrary(views: ExplorerView.names)

/// The preset a `--preset` or `tms presets NAME` argument names, a path or a name; a
/// missing or invalid one is the file's one-line error (exit 2).
func resolvePreset(_ name: String) throws -> Preset {
  do {
    return try presetLibrary.resolve(name)
  } catch {
    throw CLIError(error.description)
  }
}
