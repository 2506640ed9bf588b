import ArgumentParser
import TMSCore

/// The flags of ``TrainingSettings/fields``, shared by `tms train`, `tms explore` and
/// `tms sweep phase`. Negative numbers reach the field's range check (`.unconditional`).
struct TrainingOptions: FieldOptions {
  @Option(name: FieldFlags.name("batch"), parsing: .unconditional, help: FieldFlags.help("batch"))
  var batch: Int?
  @Option(name: FieldFlags.name("lr"), parsing: .unconditional, help: FieldFlags.help("lr"))
  var lr: Double?
  @Option(name: FieldFlags.name("beta1"), parsing: .unconditional, help: FieldFlags.help("beta1"))
  var beta1: Double?
  @Option(name: FieldFlags.name("beta2"), parsing: .unconditional, help: FieldFlags.help("beta2"))
  var beta2: Double?
  @Option(name: FieldFlags.name("eps"), parsing: .unconditional, help: FieldFlags.help("eps"))
  var eps: Double?
  @Option(
    name: FieldFlags.name("weight-decay"), parsing: .unconditional,
    help: FieldFlags.help("weight-decay"))
  var weightDecay: Double?
  @Option(name: FieldFlags.name("schedule"), help: FieldFlags.help("schedule"))
  var schedule: Schedule?
  @Option(name: FieldFlags.name("steps"), parsing: .unconditional, help: FieldFlags.help("steps"))
  var steps: Int?
  @Option(name: FieldFlags.name("seed"), parsing: .unconditional, help: FieldFlags.help("seed"))
  var seed: Int?
  @Option(
    name: FieldFlags.name("init-std"), parsing: .unconditional, help: FieldFlags.help("init-std"))
  var initStd: Double?
}
