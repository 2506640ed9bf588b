/// The training state of one sparse autoencoder (SAE) instance on the hidden activations of
/// one frozen toy-model instance, with every buffer its step needs allocated up front.
///
/// The SAE (d latents on m hidden dimensions):
///   c = h − b_dec,  pre = W_enc c + b_enc,  z = ReLU(pre),  ĥ = W_dec z + b_dec,
///   loss = (1/B) Σ_samples (‖h − ĥ‖² + λ Σ_j z_j)            (z ≥ 0, so Σ z_j = ‖z‖₁)
/// with h = σ_h(W x) the model's hidden activations for fresh data x from the model
/// instance's own distribution every step. W_dec's columns (one direction per latent) are
/// kept at unit norm when asked; Adam; dead latents are resampled (``SAEEngine/step(_:)``).
///
/// Not thread-safe: a run hands each SAE instance to one worker per chunk of steps; SAE
/// instances share no mutable memory, so results do not depend on the thread count.
///
/// Layout: `wEnc[j·m + i]` = W_enc[j, i] (row j is latent j's encoder), `wDec[j·m + i]` =
/// W_dec[i, j] (column j is latent j's direction), both dense; the frozen model's encoder
/// is feature-major (`modelIn[i·mPad + j]` = W_{j,i}, feature i's direction) for the data,
/// and its decoder hidden-major (`modelOut[j·nPad + i]`) for the spliced loss.
package final class SAEEngine {
  /// The SAE instance's index (the stream seeds depend on it).
  package let index: Int
  /// Hidden dimensions of the model, the SAE's input size.
  package let m: Int
  /// Latents (dictionary size).
  package let d: Int
  /// Features of the model.
  package let n: Int
  let mPad: Int
  let nPad: Int
  let chunks: Int
  /// What the frozen model computes.
  package let kind: KernelModel

  // SAE parameters, gradients, Adam moments.
  package let wEnc: AlignedFloats
  package let bEnc: AlignedFloats
  package let wDec: AlignedFloats
  package let bDec: AlignedFloats
  package let gEnc: AlignedFloats
  package let gBEnc: AlignedFloats
  package let gDec: AlignedFloats
  package let gBDec: AlignedFloats
  package let mEnc: AlignedFloats
  package let vEnc: AlignedFloats
  package let mBEnc: AlignedFloats
  package let vBEnc: AlignedFloats
  package let mDec: AlignedFloats
  package let vDec: AlignedFloats
  package let mBDec: AlignedFloats
  package let vBDec: AlignedFloats
  /// Every buffer a step changes, in a fixed order, and their copy before the step (restored
  /// when the step produces a non-finite value).
  let stateBuffers: [AlignedFloats]
  let backup: AlignedFloats

  // The frozen model.
  let modelIn: AlignedFloats
  let modelOut: AlignedFloats
  let modelBias: AlignedFloats
  let importance: AlignedFloats
  /// Per chunk of eight features: the activity thresholds and value scales (see
  /// ``InstanceEngine/threshold(_:)``), in storage the data loop reads without bounds checks.
  let thresholdLanes: UnsafeMutablePointer<SIMD8<UInt32>>
  let scaleLanes: UnsafeMutablePointer<SIMD8<Float>>
  var preparedGroups: [PreparedGroup] = []

  // Data and scratch.
  package var batch: Int
  var capacity: Int
  /// Non-zero hidden vectors of the batch, packed: `packed[i·capacity + t]` = h_i of the t-th
  /// sample whose h is not zero.
  var packed: AlignedFloats
  /// ‖h − ĥ‖² of each packed sample (for resampling).
  var sampleError: AlignedFloats
  /// Samples in the batch with a non-zero h, and with h = 0.
  var nonzeroCount = 0
  var zeroCount = 0
  /// ‖h − ĥ‖² of the h = 0 samples (all alike).
  var zeroError = 0.0
  let lanes: UnsafeMutablePointer<SIMD8<Float>>
  let laneCount: Int
  let hiddenRow: UnsafeMutablePointer<SIMD8<Float>>
  /// The h = 0 samples' pass: c (m), z (d), r (m).
  let zeroPass: UnsafeMutablePointer<Double>

  // Streams.
  package var random: LaneRandom
  package var groupRandom: SplitMix64
  package var resampleRandom: SplitMix64
  let evalSeed: UInt64

  // Training state.
  /// λ, the L1 coefficient.
  package var lambda: Float
  /// Adam steps taken (t).
  package var step = 0
  /// The SAE step at which each latent last fired (z_j > 0 on some sample of a batch).
  package var lastFired: [Int]
  /// The SAE step at which each latent was last resampled (0: never).
  package var lastResampled: [Int]
  /// Each latent's firing frequency: an exponential moving average (1% per step) of the
  /// fraction of a batch's samples on which it fired.
  package var frequency: [Double]
  /// Resamplings so far.
  package var resamples = 0
  package var lossEMA = Double.nan
  package var reconstructionEMA = Double.nan
  package var l0EMA = Double.nan
  package var lastLoss = Double.nan
  package var divergence: String?
  /// Per-latent fire counts of the latest step.
  var fireCount: [Int]

  /// A fresh SAE instance `index` with `latents` latents on `source`'s hidden activations:
  /// decoder columns random unit vectors, encoder rows equal to them (W_enc = W_decᵀ), biases
  /// zero, fresh Adam moments, streams at their start. The held-out samples depend on the
  /// model instance read (`sourceInstance`), not on `index`, so SAEs on the same model
  /// instance (a λ sweep) are measured on the same inputs.
  package init(
    index: Int, latents: Int, source: SAESource, sourceInstance: Int, batchSize: Int,
    lambda: Float, seed: UInt64
  ) {
    self.index = index
    m = source.hidden
    d = latents
    n = source.features
    mPad = (m + 7) / 8 * 8
    nPad = (n + 7) / 8 * 8
    chunks = nPad / 8
    kind = source.kind
    self.lambda = lambda
    let dm = d * m
    wEnc = AlignedFloats(dm)
    bEnc = AlignedFloats(d)
    wDec = AlignedFloats(dm)
    bDec = AlignedFloats(m)
    gEnc = AlignedFloats(dm)
    gBEnc = AlignedFloats(d)
    gDec = AlignedFloats(dm)
    gBDec = AlignedFloats(m)
    mEnc = AlignedFloats(dm)
    vEnc = AlignedFloats(dm)
    mBEnc = AlignedFloats(d)
    vBEnc = AlignedFloats(d)
    mDec = AlignedFloats(dm)
    vDec = AlignedFloats(dm)
    mBDec = AlignedFloats(m)
    vBDec = AlignedFloats(m)
    stateBuffers = [wEnc, bEnc, wDec, bDec, mEnc, vEnc, mBEnc, vBEnc, mDec, vDec, mBDec, vBDec]
    backup = AlignedFloats(stateBuffers.map(\.count).reduce(0, +))
    modelIn = AlignedFloats(n * mPad)
    modelOut = AlignedFloats(m * nPad)
    modelBias = AlignedFloats(nPad)
    importance = AlignedFloats(nPad)
    thresholdLanes = UnsafeMutablePointer<SIMD8<UInt32>>.allocate(capacity: max(1, nPad / 8))
    thresholdLanes.initialize(repeating: .zero, count: max(1, nPad / 8))
    scaleLanes = UnsafeMutablePointer<SIMD8<Float>>.allocate(capacity: max(1, nPad / 8))
    scaleLanes.initialize(repeating: .zero, count: max(1, nPad / 8))
    batch = batchSize
    capacity = (batchSize + 7) / 8 * 8
    packed = AlignedFloats(m * capacity)
    sampleError = AlignedFloats(capacity)
    laneCount = 2 * dm + 4 * d + 4 * m
    lanes = UnsafeMutablePointer<SIMD8<Float>>.allocate(capacity: laneCount)
    lanes.initialize(repeating: .zero, count: laneCount)
    hiddenRow = UnsafeMutablePointer<SIMD8<Float>>.allocate(capacity: max(1, mPad / 8))
    hiddenRow.initialize(repeating: .zero, count: max(1, mPad / 8))
    zeroPass = UnsafeMutablePointer<Double>.allocate(capacity: 2 * m + d)
    zeroPass.initialize(repeating: 0, count: 2 * m + d)
    lastFired = Array(repeating: 0, count: d)
    lastResampled = Array(repeating: 0, count: d)
    frequency = Array(repeating: 0, count: d)
    fireCount = Array(repeating: 0, count: d)
    random = LaneRandom(seed: SplitMix64.streamSeed(seed: seed, instance: index, purpose: 17))
    groupRandom = SplitMix64(seed: SplitMix64.streamSeed(seed: seed, instance: index, purpose: 18))
    resampleRandom = SplitMix64(
      seed: SplitMix64.streamSeed(seed: seed, instance: index, purpose: 19))
    evalSeed = SplitMix64.streamSeed(seed: seed, instance: sourceInstance, purpose: 20)
    loadModel(source)
    applyData(source.data)
    initialiseWeights(seed: seed)
  }

  deinit {
    lanes.deallocate()
    hiddenRow.deallocate()
    zeroPass.deallocate()
    thresholdLanes.deallocate()
    scaleLanes.deallocate()
  }

  /// Decoder columns drawn from a standard normal and normalised (uniform directions), the
  /// encoder equal to the decoder's transpose, zero biases and moments.
  func initialiseWeights(seed: UInt64) {
    var rng = SplitMix64(seed: SplitMix64.streamSeed(seed: seed, instance: index, purpose: 16))
    for j in 0..<d {
      var norm = 0.0
      var column = [Double](repeating: 0, count: m)
      while norm < 1e-12 {
        norm = 0
        for i in 0..<m {
          column[i] = rng.nextNormal()
          norm += column[i] * column[i]
        }
      }
      let inv = 1 / libSqrt(norm)
      for i in 0..<m {
        wDec[j * m + i] = Float(column[i] * inv)
        wEnc[j * m + i] = wDec[j * m + i]
      }
    }
    bEnc.zero()
    bDec.zero()
    for buffer in [mEnc, vEnc, mBEnc, vBEnc, mDec, vDec, mBDec, vBDec] { buffer.zero() }
    step = 0
    for j in 0..<d {
      lastFired[j] = 0
      lastResampled[j] = 0
      frequency[j] = 0
    }
    resamples = 0
    lossEMA = .nan
    reconstructionEMA = .nan
    l0EMA = .nan
    lastLoss = .nan
    divergence = nil
  }

  /// Copies the frozen model's weights into the engine's layouts.
  func loadModel(_ source: SAESource) {
    for i in 0..<n {
      for j in 0..<m {
        modelIn[i * mPad + j] = source.W[i][j]
        modelOut[j * nPad + i] = (source.W2 ?? source.W)[i][j]
      }
      modelBias[i] = source.b[i]
    }
  }

  /// Applies the model instance's data (probabilities, importances, groups) and the SAE's
  /// batch size.
  package func applyData(_ data: KernelData) {
    if data.batchSize != batch {
      batch = data.batchSize
      capacity = (batch + 7) / 8 * 8
      packed = AlignedFloats(m * capacity)
      sampleError = AlignedFloats(capacity)
    }
    let grouped = Set(data.groups.flatMap(\.members))
    var thresholds = [UInt32](repeating: 0, count: nPad)
    var scales = [Float](repeating: 0, count: nPad)
    for i in 0..<n {
      importance[i] = Float(data.importance[i])
      if !grouped.contains(i) {
        (thresholds[i], scales[i]) = InstanceEngine.threshold(data.featureProbability[i])
      }
    }
    for c in 0..<chunks {
      for l in 0..<8 {
        thresholdLanes[c][l] = thresholds[c * 8 + l]
        scaleLanes[c][l] = scales[c * 8 + l]
      }
    }
    preparedGroups = data.groups.map { g in
      let pm = g.members.map { data.featureProbability[$0] }.reduce(0, +) / Double(g.members.count)
      return PreparedGroup(
        correlated: g.correlated, members: g.members, threshold: InstanceEngine.threshold(pm).0)
    }
  }
}

/// The frozen toy-model instance an SAE reads: its weights, its kind and its data.
package struct SAESource: Sendable {
  /// Feature directions W_i (W₁'s columns for `abs`), n arrays of length m.
  package var W: [[Float]]
  /// `abs` only: W₂'s rows, n arrays of length m.
  package var W2: [[Float]]?
  /// The output bias.
  package var b: [Float]
  /// What the model computes.
  package var kind: KernelModel
  /// Its data and importances; the batch size is the SAE's.
  package var data: KernelData

  /// n.
  package var features: Int { W.count }
  /// m.
  package var hidden: Int { W.first?.count ?? 0 }

  /// A source from its parts.
  package init(W: [[Float]], W2: [[Float]]?, b: [Float], kind: KernelModel, data: KernelData) {
    self.W = W
    self.W2 = W2
    self.b = b
    self.kind = kind
    self.data = data
  }
}
