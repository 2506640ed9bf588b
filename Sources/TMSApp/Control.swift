import TMSCore
import TMSFiles
import TMSRender

/// One adjustable setting of the explorer, shown as a slider.
///
/// Every control maps its value to a knob fraction in [0, 1] (log scales where the paper
/// varies a quantity over decades) and back, and knows how to write a value into a
/// ``RunConfig``. Data and optimiser controls act on the running model; n, m, model and
/// seed re-initialise it (the trainer decides from the edited config). The SAE's controls
/// (λ, latents, SAE lr) edit ``RunConfig/sae``: λ and the SAE lr act on the running SAE, the
/// latents restart it on the frozen model. "best of" is the k of the `b` key's best-of-seeds
/// search, kept by the explorer like the speed throttle.
public enum Control: String, CaseIterable, Sendable {
  case probability, importance, features, hidden, model, lr, batch, weightDecay, seed, bestOf
  case speed
  case l1, latents, saeLR

  /// The model's sliders (the overview and the controls view).
  public static let modelControls: [Control] = [
    .probability, .importance, .features, .hidden, .model, .lr, .batch, .weightDecay, .seed,
    .bestOf, .speed,
  ]
  /// The SAE's sliders (the SAE view).
  public static let saeControls: [Control] = [.l1, .latents, .saeLR]

  /// True for the SAE's sliders, which act on the focused SAE instance.
  public var isSAE: Bool { Self.saeControls.contains(self) }

  /// The sliders shown together with this one (up and down move among them).
  public var group: [Control] { isSAE ? Self.saeControls : Self.modelControls }

  /// Label shown left of the track.
  public var label: String {
    switch self {
    case .probability: "1−S"
    case .importance: "decay r"
    case .features: "n feats"
    case .hidden: "m hidden"
    case .model: "model"
    case .lr: "lr"
    case .batch: "batch"
    case .weightDecay: "w.decay"
    case .seed: "seed"
    case .bestOf: "best of"
    case .speed: "speed"
    case .l1: "λ (L1)"
    case .latents: "latents"
    case .saeLR: "SAE lr"
    }
  }

  /// What the control does, for the help overlay.
  public var help: String {
    switch self {
    case .probability:
      "feature probability p = 1−S of the focused instance (log, 1 → 0.001; mean of a non-uniform row, scaled keeping its ratios)"
    case .importance: "importance decay r: I_i = r^i, all instances"
    case .features: "number of features n (re-initialises)"
    case .hidden: "hidden dimensions m (re-initialises)"
    case .model: "linear / relu-output / relu-hidden / abs (re-initialises)"
    case .lr: "AdamW learning rate (log, 1e-5 → 1)"
    case .batch: "samples per step (log, 16 → 8192)"
    case .weightDecay: "AdamW decoupled weight decay (0 → 0.1)"
    case .seed: "random seed (re-initialises)"
    case .bestOf:
      "seeds k that b trains for the focused instance, keeping the lowest held-out loss (2 → 64)"
    case .speed: "training speed throttle, steps/s (log, 1 → full speed)"
    case .l1: "SAE: λ, the L1 coefficient of the focused SAE instance (log, 0.001 → 10)"
    case .latents: "SAE: latents, the dictionary size (1 → 64; restarts the SAE)"
    case .saeLR: "SAE: Adam learning rate, every SAE instance (log, 1e-5 → 1)"
    }
  }

  /// True when a change re-initialises the model's weights.
  public var reinitialises: Bool { [.features, .hidden, .model, .seed].contains(self) }

  /// True when a change restarts the SAE (fresh SAE weights on the frozen model).
  public var restartsSAE: Bool { self == .latents }

  static let probabilityRange = (lo: 0.001, hi: 1.0)
  static let lrRange = (lo: 1e-5, hi: 1.0)
  static let batchRange = (lo: 16.0, hi: 8192.0)
  static let speedRange = (lo: 1.0, hi: 100_000.0)
  static let l1Range = (lo: 0.001, hi: 10.0)
  static let latentsRange = (lo: 1.0, hi: 64.0)
  static let bestOfRange = (lo: 2.0, hi: 64.0)

  /// The control's current value in `config` (instance `k` for per-instance values), or the
  /// explorer's own `throttle` and best-of `seeds`.
  public func value(in config: RunConfig, instance: Int, throttle: Double?, seeds: Int) -> Double {
    let k = min(max(0, instance), max(0, config.instances - 1))
    switch self {
    case .probability:
      let row = config.featureProbability[k]
      return row.reduce(0, +) / Double(max(1, row.count))
    case .importance:
      let row = config.importance[k]
      return row.count > 1 && row[0] > 0 ? row[1] / row[0] : 1
    case .features: return Double(config.features)
    case .hidden: return Double(config.hidden)
    case .model: return Double(ModelKind.allCases.firstIndex(of: config.model) ?? 0)
    case .lr: return config.training.learningRate
    case .batch: return Double(config.training.batchSize)
    case .weightDecay: return config.training.weightDecay
    case .seed: return Double(config.training.seed)
    case .bestOf: return Double(seeds)
    case .speed: return throttle ?? Self.speedRange.hi
    case .l1:
      guard let s = config.sae, !s.l1Coefficient.isEmpty else { return .nan }
      return s.l1Coefficient[min(max(0, instance), s.l1Coefficient.count - 1)]
    case .latents: return config.sae.map { Double($0.latents) } ?? .nan
    case .saeLR: return config.sae?.learningRate ?? .nan
    }
  }

  /// Knob position of `value`.
  public func fraction(of value: Double) -> Double {
    func log01(_ v: Double, _ lo: Double, _ hi: Double) -> Double {
      guard v > 0 else { return 0 }
      return (logD(v) - logD(lo)) / (logD(hi) - logD(lo))
    }
    let f: Double =
      switch self {
      case .probability: 1 - log01(value, Self.probabilityRange.lo, Self.probabilityRange.hi)
      case .importance: (value - 0.5) / 0.5
      case .features: (value - 2) / 198
      case .hidden: (value - 1) / 49
      case .model: value / Double(ModelKind.allCases.count - 1)
      case .lr: log01(value, Self.lrRange.lo, Self.lrRange.hi)
      case .batch: log01(value, Self.batchRange.lo, Self.batchRange.hi)
      case .weightDecay: value / 0.1
      case .seed: value / 999
      case .bestOf: (value - Self.bestOfRange.lo) / (Self.bestOfRange.hi - Self.bestOfRange.lo)
      case .speed: log01(value, Self.speedRange.lo, Self.speedRange.hi)
      case .l1: log01(value, Self.l1Range.lo, Self.l1Range.hi)
      case .latents: (value - Self.latentsRange.lo) / (Self.latentsRange.hi - Self.latentsRange.lo)
      case .saeLR: log01(value, Self.lrRange.lo, Self.lrRange.hi)
      }
    return min(1, max(0, f.isFinite ? f : 0))
  }

  /// The value at knob position `f` (inverse of ``fraction(of:)``, snapped to valid values).
  public func value(atFraction f: Double) -> Double {
    let f = min(1, max(0, f))
    func exp01(_ t: Double, _ lo: Double, _ hi: Double) -> Double {
      expD(logD(lo) + t * (logD(hi) - logD(lo)))
    }
    switch self {
    case .probability:
      return roundSignificant(exp01(1 - f, Self.probabilityRange.lo, Self.probabilityRange.hi))
    case .importance: return ((0.5 + 0.5 * f) * 100).rounded() / 100
    case .features: return (2 + 198 * f).rounded()
    case .hidden: return (1 + 49 * f).rounded()
    case .model: return (f * Double(ModelKind.allCases.count - 1)).rounded()
    case .lr: return roundSignificant(exp01(f, Self.lrRange.lo, Self.lrRange.hi))
    case .batch: return powD(2, (log2D(exp01(f, Self.batchRange.lo, Self.batchRange.hi))).rounded())
    case .weightDecay: return (f * 0.1 * 1000).rounded() / 1000
    case .seed: return (f * 999).rounded()
    case .bestOf:
      return (Self.bestOfRange.lo + f * (Self.bestOfRange.hi - Self.bestOfRange.lo)).rounded()
    case .speed: return roundSignificant(exp01(f, Self.speedRange.lo, Self.speedRange.hi))
    case .l1: return roundSignificant(exp01(f, Self.l1Range.lo, Self.l1Range.hi))
    case .latents:
      return (Self.latentsRange.lo + f * (Self.latentsRange.hi - Self.latentsRange.lo)).rounded()
    case .saeLR: return roundSignificant(exp01(f, Self.lrRange.lo, Self.lrRange.hi))
    }
  }

  /// The next value one fine (`coarse` = false) or coarse step up (`direction` = +1) or down.
  public func step(_ current: Double, direction: Int, coarse: Bool) -> Double {
    let d = Double(direction.signum())
    switch self {
    case .features, .hidden, .seed, .latents, .bestOf:
      return clamp(current + d * (coarse ? 10 : 1))
    case .model:
      return clamp(current + d)
    case .batch:
      return clamp(current * powD(2, d * (coarse ? 2 : 1)))
    default:
      // The knob moves 1/50 (fine) or 1/10 (coarse) of the track. "+" always moves it right;
      // the 1−S track reads 1 → 0.001 left to right, so "+" makes features sparser.
      let steps = coarse ? 10.0 : 50.0
      let f = fraction(of: current) + d / steps
      let next = value(atFraction: f)
      return next == current ? value(atFraction: f + d / steps) : next
    }
  }

  func clamp(_ v: Double) -> Double {
    switch self {
    case .features: min(200, max(2, v))
    case .hidden: min(50, max(1, v))
    case .seed: min(999, max(0, v))
    case .model: min(Double(ModelKind.allCases.count - 1), max(0, v))
    case .batch: min(Self.batchRange.hi, max(Self.batchRange.lo, v))
    case .latents: min(Self.latentsRange.hi, max(Self.latentsRange.lo, v))
    case .bestOf: min(Self.bestOfRange.hi, max(Self.bestOfRange.lo, v))
    default: v
    }
  }

  /// The value as the slider shows it.
  public func text(_ v: Double) -> String {
    if isSAE && v.isNaN { return "no SAE" }
    switch self {
    case .probability, .lr, .l1, .saeLR: return Format.number(v, significant: 2)
    case .importance: return Format.fixed(v, decimals: 2)
    case .features, .hidden, .seed, .batch, .latents, .bestOf: return String(Int(v))
    case .model: return Self.model(at: v).rawValue
    case .weightDecay: return Format.fixed(v, decimals: 3)
    case .speed: return v >= Self.speedRange.hi ? "max" : Format.number(v, significant: 2) + "/s"
    }
  }

  /// Writes `v` into `config` (instance `k` for per-instance values).
  public func apply(_ v: Double, to config: inout RunConfig, instance k: Int) {
    switch self {
    case .probability:
      guard k >= 0 && k < config.instances else { return }
      let target = min(1, max(0, v))
      let row = config.featureProbability[k]
      let mean = row.reduce(0, +) / Double(max(1, row.count))
      if mean > 0 && row.contains(where: { $0 != row[0] }) {
        // A non-uniform row (one feature's density varied) is scaled so its mean is the
        // slider's value and its ratios stay exactly; the scale stops where the densest
        // feature reaches p = 1.
        let scale = min(target / mean, 1 / (row.max() ?? 1))
        config.featureProbability[k] = row.map { min(1, $0 * scale) }
      } else {
        config.featureProbability[k] = Array(repeating: target, count: config.features)
      }
    case .importance: config.setImportanceDecay(v)
    case .features:
      config.features = Int(v)
      config.groups = []
    case .hidden: config.hidden = Int(v)
    case .model: config.model = Self.model(at: v)
    case .lr: config.training.learningRate = v
    case .batch: config.training.batchSize = Int(v)
    case .weightDecay: config.training.weightDecay = v
    case .seed: config.training.seed = UInt64(max(0, v))
    case .bestOf, .speed: break
    case .l1:
      guard var s = config.sae, k >= 0 && k < s.l1Coefficient.count else { return }
      s.l1Coefficient[k] = min(Self.l1Range.hi, max(0, v))
      config.sae = s
    case .latents: config.sae?.latents = Int(v)
    case .saeLR: config.sae?.learningRate = v
    }
  }
}

extension Control {
  /// The model kind at slider value `v` (its index in ``ModelKind/allCases``, clamped).
  static func model(at v: Double) -> ModelKind {
    let kinds = ModelKind.allCases
    let i = v.isFinite ? Int(v.rounded()) : 0
    return kinds[min(kinds.count - 1, max(0, i))]
  }
}

func roundSignificant(_ x: Double, digits: Int = 2) -> Double {
  guard x > 0 && x.isFinite else { return x }
  let e = (log10D(x)).rounded(.down) - Double(digits - 1)
  let scale = powD(10, e)
  return (x / scale).rounded() * scale
}
