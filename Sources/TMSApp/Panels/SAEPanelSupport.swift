import TMSCore
import TMSRender

/// What the SAE view's panels share: the focused SAE instance, latent names, and the
/// diagnosis that says in words why recovery fails.
extension PanelContext {
  /// The SAE, once it has started.
  var sae: SAESnapshot? { snapshot.sae }

  /// The focused SAE instance's index, within the SAE (0 without one).
  var saeIndex: Int {
    guard let s = sae, !s.instances.isEmpty else { return 0 }
    return min(max(0, state.saeInstance), s.instances.count - 1)
  }

  /// The focused SAE instance, when the SAE has started.
  var saeFocused: SAEInstanceSnapshot? {
    guard let s = sae, !s.instances.isEmpty else { return nil }
    return s.instances[saeIndex]
  }

  /// One line for the panels while the SAE has not started: why, and when it will.
  var saeWaiting: String {
    guard let s = snapshot.config.sae else {
      return "no SAE in this run: load sae-intro, sae-overcomplete or sae-l1-sweep (p)"
    }
    let steps = snapshot.config.training.steps
    guard steps > 0 else { return "the SAE starts when the model has a step horizon (steps > 0)" }
    return "training the model first: step \(snapshot.step.grouped) of "
      + "\(steps.grouped); then \(s.instances) SAE\(s.instances == 1 ? "" : "s") "
      + "of \(s.latents) latents train on its hidden activations"
  }
}

/// Names of latents on screen: A–Z, then L26, L27, … (features keep their numbers).
enum LatentName {
  static func of(_ j: Int) -> String {
    j < 26 ? String(UnicodeScalar(UInt8(65 + j))) : "L\(j)"
  }
}

/// What the numbers of one SAE instance mean, in words: dead latents (λ too large, or more
/// latents than features), codes nearly empty (L0 below a quarter of the features active per
/// input: λ too large, latents dying), dense codes (L0 above 1.5 times that plus 0.01: λ too
/// small), features not yet separated, or every feature found.
enum SAEDiagnosis {
  /// How a line reads.
  enum Severity { case good, warn, bad }

  /// A recovery at or above this counts a feature as found (8°; the pentagon's features
  /// are 72° apart, so a latent 20° off is a mixture, not the feature).
  static let found = 0.99

  /// True when the codes are denser than the data: L0 above 1.5 × the features active per
  /// input (plus 0.01), i.e. some inputs fire several latents per active feature.
  static func dense(l0: Double, active: Double) -> Bool { l0.isFinite && l0 > 1.5 * active + 0.01 }

  /// The lines for `inst`, whose model instance has feature probabilities `p`.
  static func lines(_ inst: SAEInstanceSnapshot, config: SAEConfig, probability p: [Double])
    -> [(text: String, severity: Severity)]
  {
    let m = inst.metrics
    var out: [(String, Severity)] = []
    if let d = m.divergence {
      out.append(("diverged: \(d); lower the SAE lr, then space", .bad))
    }
    let represented = m.represented.enumerated().filter(\.element).map(\.offset)
    let dead = m.deadCount
    if dead > 0 {
      let why =
        config.latents > represented.count
        ? "λ too large, or more latents than the model's \(represented.count) features"
        : "λ too large"
      out.append(
        (
          "\(dead)/\(m.dead.count) latents dead: \(why) (silent \(config.deadSteps) steps)", .bad
        ))
    }
    let active = represented.reduce(0.0) { $0 + ($1 < p.count ? p[$1] : 0) }
    if dense(l0: m.l0, active: active) {
      out.append(
        (
          "dense codes: L0 \(Format.number(m.l0, significant: 2)) ≫ \(Format.number(active, significant: 2)) "
            + "features active per input: λ too small", .warn
        ))
    }
    let starved = m.l0.isFinite && active > 0 && m.l0 < active / 4
    if starved && dead == 0 {
      out.append(
        (
          "codes nearly empty: L0 \(Format.number(m.l0, significant: 2)) ≪ "
            + "\(Format.number(active, significant: 2)) features active per input: λ too large",
          .bad
        ))
    }
    let foundCount = represented.filter { m.featureRecovery[$0] >= found }.count
    if dead == 0 && m.divergence == nil && !dense(l0: m.l0, active: active) && !starved {
      if foundCount == represented.count && !represented.isEmpty {
        out.append(("every feature has its latent (cos ≥ \(found))", .good))
      } else if !represented.isEmpty {
        out.append(
          (
            "\(represented.count - foundCount) of \(represented.count) features not yet found "
              + "(cos < \(found))", .warn
          ))
      }
    }
    return out
  }
}
