import TMSKernels

/// One SAE instance's parameters, latent by latent.
///
/// `encoder[j]` is W_enc's row j (what latent j reads, m values), `decoder[j]` W_dec's
/// column j (the direction latent j writes, m values), `encoderBias[j]` = b_enc_j, and
/// `decoderBias` = b_dec (m values).
public struct SAEParameters: Sendable, Equatable {
  /// W_enc's rows, d arrays of length m.
  public var encoder: [[Float]]
  /// b_enc, d values.
  public var encoderBias: [Float]
  /// W_dec's columns, d arrays of length m.
  public var decoder: [[Float]]
  /// b_dec, m values.
  public var decoderBias: [Float]

  /// Parameters from their parts.
  public init(
    encoder: [[Float]], encoderBias: [Float], decoder: [[Float]], decoderBias: [Float]
  ) {
    self.encoder = encoder
    self.encoderBias = encoderBias
    self.decoder = decoder
    self.decoderBias = decoderBias
  }
}

/// Held-out measurements of one SAE instance (see the kernels' evaluation): on fixed samples
/// of its model instance's data, E‖h − ĥ‖², L0, E‖z‖₁, every latent's firing frequency, and
/// the model's loss (notebook convention) with its own h and with h replaced by ĥ.
public struct SAEHeldOut: Sendable, Equatable {
  /// E‖h − ĥ‖².
  public var reconstruction: Double
  /// Mean number of active latents per sample.
  public var l0: Double
  /// E‖z‖₁.
  public var l1: Double
  /// Per latent, the fraction of samples on which it fired.
  public var firing: [Double]
  /// The model's loss with its own h.
  public var modelLoss: Double
  /// The model's loss with the SAE's ĥ in place of h.
  public var splicedLoss: Double
  /// Samples measured.
  public var samples: Int

  /// Measurements from their parts.
  public init(
    reconstruction: Double, l0: Double, l1: Double, firing: [Double], modelLoss: Double,
    splicedLoss: Double, samples: Int
  ) {
    self.reconstruction = reconstruction
    self.l0 = l0
    self.l1 = l1
    self.firing = firing
    self.modelLoss = modelLoss
    self.splicedLoss = splicedLoss
    self.samples = samples
  }

  init(_ e: SAEEvaluation) {
    self.init(
      reconstruction: e.reconstruction, l0: e.l0, l1: e.l1, firing: e.firing,
      modelLoss: e.modelLoss, splicedLoss: e.splicedLoss, samples: e.samples)
  }
}

/// What a screen or a report shows about one SAE instance: its training state and how well
/// its decoder recovers the model's true feature directions.
///
/// Recovery (Sharkey et al. 2022): with Ŵ_i = W_i/‖W_i‖ the model's feature directions and
/// d̂_j the decoder's columns, cos_{j,i} = d̂_j·Ŵ_i; feature i's recovery is max_j cos_{j,i}
/// (1 = some latent points exactly along it); the mean max cosine similarity is its mean
/// over the features the model represents (‖W_i‖ > 0.5: a dropped feature has no direction
/// in h to find).
public struct SAEMetrics: Sendable, Equatable {
  /// λ.
  public var l1Coefficient: Double
  /// The model instance read.
  public var modelInstance: Int
  /// Adam steps taken.
  public var step: Int
  /// Training loss (EMA): E‖h − ĥ‖² + λ E‖z‖₁.
  public var loss: Double
  /// E‖h − ĥ‖² (training EMA).
  public var reconstruction: Double
  /// Mean active latents per sample (training EMA).
  public var l0: Double
  /// Per latent: the fraction of samples it fires on (training EMA, 1% per step).
  public var firing: [Double]
  /// Per latent: no firing for `dead_steps` steps.
  public var dead: [Bool]
  /// Resamplings so far.
  public var resamples: Int
  /// cos_{j,i} = d̂_j·Ŵ_i, d×n row-major (latent j, feature i).
  public var cosine: [Float]
  /// Per feature: max_j cos_{j,i}.
  public var featureRecovery: [Double]
  /// Per feature: the latent that attains it.
  public var featureLatent: [Int]
  /// Per latent: the feature it points along most (argmax_i cos_{j,i}).
  public var latentFeature: [Int]
  /// Per feature: ‖W_i‖ > ``representedThreshold``.
  public var represented: [Bool]
  /// The threshold on ‖W_i‖ (0.5, as for the model's own count).
  public var representedThreshold: Double
  /// Mean max cosine similarity over represented features (NaN when there is none).
  public var recovery: Double
  /// Held-out measurements, when taken.
  public var heldOut: SAEHeldOut?
  /// Why the instance stopped, when a value became non-finite.
  public var divergence: String?

  /// The fraction of dead latents.
  public var deadFraction: Double {
    dead.isEmpty ? 0 : Double(dead.filter { $0 }.count) / Double(dead.count)
  }

  /// Latents that are dead.
  public var deadCount: Int { dead.filter { $0 }.count }

  /// The weights-derived part: cosines, recovery per feature and overall, the matching.
  public static func recovery(
    decoder: [[Float]], features W: [[Float]], threshold: Double = 0.5
  ) -> (
    cosine: [Float], featureRecovery: [Double], featureLatent: [Int], latentFeature: [Int],
    represented: [Bool], recovery: Double
  ) {
    let d = decoder.count
    let n = W.count
    func unit(_ v: [Float]) -> [Double] {
      let norm = v.reduce(0.0) { $0 + Double($1) * Double($1) }.squareRoot()
      return norm > 1e-12 ? v.map { Double($0) / norm } : v.map { _ in 0 }
    }
    let dec = decoder.map(unit)
    let feats = W.map(unit)
    let norms = W.map { $0.reduce(0.0) { $0 + Double($1) * Double($1) }.squareRoot() }
    var cosine = [Float](repeating: 0, count: d * n)
    for j in 0..<d {
      for i in 0..<n {
        var dot = 0.0
        for k in 0..<min(dec[j].count, feats[i].count) { dot += dec[j][k] * feats[i][k] }
        cosine[j * n + i] = Float(dot)
      }
    }
    var best = [Double](repeating: d > 0 ? -.infinity : .nan, count: n)
    var bestLatent = [Int](repeating: -1, count: n)
    for i in 0..<n {
      for j in 0..<d where Double(cosine[j * n + i]) > best[i] {
        best[i] = Double(cosine[j * n + i])
        bestLatent[i] = j
      }
    }
    let latentFeature = (0..<d).map { j -> Int in
      var top = -Double.infinity
      var at = -1
      for i in 0..<n where Double(cosine[j * n + i]) > top {
        top = Double(cosine[j * n + i])
        at = i
      }
      return at
    }
    let represented = norms.map { $0 > threshold }
    let counted = (0..<n).filter { represented[$0] }
    let overall =
      counted.isEmpty ? Double.nan : counted.map { best[$0] }.reduce(0, +) / Double(counted.count)
    return (cosine, best, bestLatent, latentFeature, represented, overall)
  }
}

/// One SAE instance as a screen draws it.
public struct SAEInstanceSnapshot: Sendable, Equatable {
  /// The weights.
  public var parameters: SAEParameters
  /// Its metrics.
  public var metrics: SAEMetrics

  /// An instance from its parts.
  public init(parameters: SAEParameters, metrics: SAEMetrics) {
    self.parameters = parameters
    self.metrics = metrics
  }
}

/// The SAE of a run as a screen draws it: its configuration, steps and instances.
public struct SAESnapshot: Sendable, Equatable {
  /// The SAE's configuration.
  public var config: SAEConfig
  /// SAE steps taken.
  public var step: Int
  /// Every SAE instance.
  public var instances: [SAEInstanceSnapshot]

  /// A snapshot from its parts.
  public init(config: SAEConfig, step: Int, instances: [SAEInstanceSnapshot]) {
    self.config = config
    self.step = step
    self.instances = instances
  }
}
