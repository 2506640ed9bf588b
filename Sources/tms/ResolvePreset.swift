import TMSEngine

/// The preset a `--preset` or `tms presets NAME` argument names, a path or a name; a
/// missing or invalid one is the file's one-line error (exit 2).
func resolvePreset(_ name: String) throws -> Preset {
  do {
    return try PresetLibrary.resolve(name)
  } catch {
    throw CLIError(error.description)
  }
}
