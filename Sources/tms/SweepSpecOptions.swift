import ArgumentParser
import TMSCore
import TMSFiles

/// The flags that describe a sweep (`tms sweep run` and `tms sweep slurm`): a sweep file or
/// axes given as flags, the base run's flags, and the sweep's own fields.
struct SweepSpecOptions: ParsableArguments {
  @Option(help: "A sweep file (JSON: axes, base run, seeds; see the README). Flags override it.")
  var file: String?

  @Option(
    parsing: .singleValue,
    help: ArgumentHelp(
      "An axis KEY=VALUES: a list (lr=1e-3,3e-3; model=linear,relu-output), log:FROM:TO:COUNT or "
        + "lin:FROM:TO:COUNT. KEY is any run field (feature_probability, importance, features, "
        + "hidden, model, lr, weight_decay, batch_size, steps, seed, …), importance_decay or "
        + "relative_importance. Repeat for more axes; one with the key of a file's axis replaces it."
    ))
  var axis: [String] = []

  /// The sweep's own fields (``SweepSpec/fields``).
  struct Fields: FieldOptions {
    @Option(
      name: FieldFlags.name("seeds"), parsing: .unconditional, help: FieldFlags.sweepHelp("seeds"))
    var seeds: Int?
    @Option(
      name: FieldFlags.name("random"), parsing: .unconditional, help: FieldFlags.sweepHelp("random")
    )
    var random: Int?
    @Option(
      name: FieldFlags.name("random-seed"), parsing: .unconditional,
      help: FieldFlags.sweepHelp("random-seed"))
    var randomSeed: Int?
    @Option(
      name: FieldFlags.name("eval-samples"), parsing: .unconditional,
      help: FieldFlags.sweepHelp("eval-samples"))
    var evalSamples: Int?
    @Flag(name: FieldFlags.name("weights"), help: FieldFlags.sweepHelp("weights"))
    var weights = false
  }

  @OptionGroup var fields: Fields
  @OptionGroup var base: ConfigOptions

  /// The sweep: the file (or the base run's flags and defaults), the flags applied, checked.
  func makeSpec() throws -> SweepSpec {
    // A point is one model (its seeds are --seeds); curves over instances are axes here.
    if base.instances != nil {
      throw CLIError(
        "--instances: a sweep point is one model; give the models per point with --seeds")
    }
    if !base.probabilitySweep.isEmpty {
      throw CLIError(
        "--probability-sweep: sweep p with an axis instead, e.g. --axis feature_probability=log:1:0.01:10"
      )
    }
    var spec = SweepSpec()
    if let file {
      do {
        spec = try SweepSpecFile.load(file) { try resolvePreset($0).config }
      } catch {
        throw CLIError(error.description)
      }
      if base.preset != nil {
        throw CLIError(
          "--preset: give the base run in the sweep file (\"preset\") or here, not both")
      }
    } else {
      spec.base = try base.makeConfig()
    }
    if file != nil, !base.fieldFlagsGiven.isEmpty {
      do {
        try spec.base.apply(flags: base.fieldFlagsGiven)
      } catch {
        throw CLIError(cliMessage(error, flag: RunConfig.flag(forField:)))
      }
    }
    spec.base.instances = 1
    spec.base.conformShapes()
    do {
      for text in axis {
        let a = try SweepAxis.parse(text)
        if let i = spec.axes.firstIndex(where: { $0.key == a.key }) {
          spec.axes[i] = a
        } else {
          spec.axes.append(a)
        }
      }
      try spec.apply(flags: fields.givenFlags)
      try spec.validate()
    } catch {
      throw CLIError(cliMessage(error, flag: SweepSpec.flag(forField:)))
    }
    return spec
  }
}

/// `--shard K/N`.
func parseShard(_ text: String?) throws -> (index: Int, count: Int)? {
  guard let text else { return nil }
  let parts = text.split(separator: "/", omittingEmptySubsequences: false)
  guard parts.count == 2, let k = Int(parts[0]), let n = Int(parts[1]), n >= 1, k >= 0, k < n
  else {
    throw CLIError("--shard: must be K/N with N ≥ 1 and K in 0…N−1 (e.g. 0/4), got '\(text)'")
  }
  return (k, n)
}
