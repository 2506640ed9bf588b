import TMSKernelBase

/// The training state of one instance: parameters, AdamW moments, its own random streams,
/// and every scratch buffer its kernels need, all allocated up front.
///
/// Not thread-safe: a ``Run`` hands each instance to exactly one worker thread per chunk of
/// steps. Instances never share mutable memory, which is why results do not depend on the
/// number of threads.
///
/// Layout: weights are stored hidden-major and padded, `w[j·nPad + i]` = W_{j,i}, so the
/// decoder (for each feature i, Σ_j h_j W_{j,i}) runs eight features per SIMD lane. For `abs`
/// the decoder W₂ ∈ ℝ^{n×m} is stored transposed in the same layout, `w2[j·nPad + i]` = W₂_{i,j}.
package final class InstanceEngine {
  package let index: Int
  /// The instance number the random streams are derived from (``index`` unless a sweep
  /// packs models of different points into one run, where each keeps its own streams).
  package let stream: Int
  package let kind: KernelModel
  package let n: Int
  package let m: Int
  package let nPad: Int
  let mPad: Int
  let chunks: Int
  let useSmallKernel: Bool

  // Parameters, gradients, AdamW moments; w2 family only for `abs`.
  package let w1: AlignedFloats
  package let w2: AlignedFloats
  package let b: AlignedFloats
  package let g1: AlignedFloats
  package let g2: AlignedFloats
  package let gb: AlignedFloats
  package let m1: AlignedFloats
  package let v1: AlignedFloats
  package let m2: AlignedFloats
  package let v2: AlignedFloats
  package let mb: AlignedFloats
  package let vb: AlignedFloats
  let backup: AlignedFloats
  /// The state of the last healthy step, restored when the instance diverges (see
  /// ``InstanceEngine/keepIfHealthy()``).
  let healthy: AlignedFloats
  var healthyStep = 0
  var healthyLossEMA = Double.nan
  var healthyLastLoss = Double.nan
  /// The lowest training-loss EMA since the healthy copy was last restarted.
  var bestLossEMA = Double.infinity
  /// Every buffer a step changes, in a fixed order, for the divergence backup.
  let stateBuffers: [AlignedFloats]

  // Per-feature constants (padded to nPad): importance, loss coefficient, data thresholds.
  let importance: AlignedFloats
  let coefficient: AlignedFloats
  let valueScale: AlignedFloats
  var threshold: [UInt32]
  var thresholdLanes: [SIMD8<UInt32>]
  var scaleLanes: [SIMD8<Float>]
  var preparedGroups: [PreparedGroup] = []
  /// Whether the tiled kernel treats the inputs as dense (see ``prefersDenseInputs``).
  var denseInputs = false
  /// Whether steps go through the Gram kernel (see ``prefersGram``).
  var useGram = false
  /// The instruction set the tiled and Gram kernels run with: the best the CPU has, unless a
  /// test or `TMS_KERNELS` asks for another (see ``InstructionSet``).
  package var instructionSet = InstructionSet.selected

  // Data and scratch.
  package var batch: Int
  var batchPad: Int
  var x: AlignedFloats
  /// The tiled kernel's D, H, pre-activation and ∂ℓ/∂pre tiles and a zero hidden row.
  let scratch: AlignedFloats
  /// The Gram kernel's G = WᵀW and A = Σ_s x_s d_sᵀ (n rows of nPad), empty when the model
  /// is not ``gramEligible(model:features:)``.
  let gram: AlignedFloats
  let gramA: AlignedFloats
  let zeroRowBuffer: AlignedFloats
  /// Feature-major copies, `wf[i·mPad + j]` = W₁_{j,i} (and `wf2` of W₂ for `abs`), so a
  /// feature's whole direction is a few SIMD loads; `gf` accumulates ∂ℓ/∂W₁ in that order.
  /// They have nPad rows, those of the padding features i ≥ n all zero: the dense products
  /// visit a feature chunk's eight rows whenever one of its inputs is non-zero.
  let wf: AlignedFloats
  let wf2: AlignedFloats
  let gf: AlignedFloats
  /// Per sample of a tile, the indices of its non-zero inputs and how many there are.
  let activeLists: UnsafeMutablePointer<Int32>
  let activeCounts: UnsafeMutablePointer<Int32>
  /// Per feature chunk: whether ∂ℓ/∂out is non-zero for the current four samples, then for
  /// the whole tile.
  let chunkFlags: UnsafeMutablePointer<UInt8>
  let lanes: UnsafeMutablePointer<SIMD8<Float>>
  let laneCount: Int

  package var random: LaneRandom
  package var groupRandom: SplitMix64
  let evalSeed: UInt64
  package var adamStep = 0
  package var lastLoss = Double.nan
  package var lossEMA = Double.nan
  package var divergence: String?

  /// The number of weights in one matrix (hidden-major, padded).
  var matrixCount: Int { m * nPad }

  /// True when the samples-in-lanes kernel suits an n×m model (small n·m), else the
  /// features-in-lanes one.
  package static func prefersSmallKernel(features n: Int, hidden m: Int) -> Bool { n * m <= 256 }

  /// A freshly initialised instance `index` of a run with `seed`: weights from the
  /// instance's own init stream with standard deviation `initStd`, b = 0, a fresh optimiser,
  /// and data streams at their start. The streams are those of instance `stream` (default
  /// `index`), so a model trains the same wherever it sits in a run.
  package init(
    index: Int, stream: Int? = nil, model: KernelModel, features: Int, hidden: Int,
    data: KernelData, seed: UInt64, initStd: Double
  ) {
    self.index = index
    self.stream = stream ?? index
    kind = model
    n = features
    m = hidden
    nPad = (n + 7) / 8 * 8
    mPad = (m + 7) / 8 * 8
    chunks = nPad / 8
    useSmallKernel = Self.prefersSmallKernel(features: n, hidden: m)
    let mc = m * nPad
    let m2c = kind.tied ? 0 : mc
    w1 = AlignedFloats(mc)
    w2 = AlignedFloats(m2c)
    b = AlignedFloats(nPad)
    g1 = AlignedFloats(mc)
    g2 = AlignedFloats(m2c)
    gb = AlignedFloats(nPad)
    m1 = AlignedFloats(mc)
    v1 = AlignedFloats(mc)
    m2 = AlignedFloats(m2c)
    v2 = AlignedFloats(m2c)
    mb = AlignedFloats(nPad)
    vb = AlignedFloats(nPad)
    backup = AlignedFloats(3 * (mc + m2c + nPad))
    healthy = AlignedFloats(3 * (mc + m2c + nPad))
    stateBuffers = [w1, w2, b, m1, v1, m2, v2, mb, vb]
    importance = AlignedFloats(nPad)
    coefficient = AlignedFloats(nPad)
    valueScale = AlignedFloats(nPad)
    threshold = Array(repeating: 0, count: nPad)
    thresholdLanes = Array(repeating: .zero, count: nPad / 8)
    scaleLanes = Array(repeating: .zero, count: nPad / 8)
    batch = data.batchSize
    batchPad = (data.batchSize + 7) / 8 * 8
    x = AlignedFloats(
      Self.dataCount(n: n, nPad: nPad, batch: data.batchSize, small: useSmallKernel))
    let sizes = Self.bufferSizes(features: n, hidden: m, model: kind)
    wf = AlignedFloats(sizes.featureMajor)
    wf2 = AlignedFloats(kind.tied ? 0 : sizes.featureMajor)
    gf = AlignedFloats(sizes.featureMajor)
    scratch = AlignedFloats(sizes.scratch)
    gram = AlignedFloats(sizes.gram)
    gramA = AlignedFloats(sizes.gram)
    activeLists = UnsafeMutablePointer<Int32>.allocate(capacity: sizes.activeList)
    activeLists.initialize(repeating: 0, count: sizes.activeList)
    activeCounts = UnsafeMutablePointer<Int32>.allocate(capacity: Self.tileSamples)
    activeCounts.initialize(repeating: 0, count: Self.tileSamples)
    chunkFlags = UnsafeMutablePointer<UInt8>.allocate(capacity: 2 * chunks)
    chunkFlags.initialize(repeating: 0, count: 2 * chunks)
    zeroRowBuffer = AlignedFloats(nPad)
    laneCount = sizes.lanes
    lanes = UnsafeMutablePointer<SIMD8<Float>>.allocate(capacity: laneCount)
    lanes.initialize(repeating: .zero, count: laneCount)
    random = LaneRandom(seed: SplitMix64.streamSeed(seed: seed, instance: self.stream, purpose: 1))
    groupRandom = SplitMix64(
      seed: SplitMix64.streamSeed(seed: seed, instance: self.stream, purpose: 3))
    evalSeed = SplitMix64.streamSeed(seed: seed, instance: self.stream, purpose: 2)
    initialiseWeights(seed: seed, std: initStd)
    applyData(data)
  }

  deinit {
    lanes.deallocate()
    activeLists.deallocate()
    activeCounts.deallocate()
    chunkFlags.deallocate()
  }

  /// Element counts of the kernels' buffers for an n×m model: feature-major copies (floats,
  /// each), scratch (floats), active lists (Int32) and SIMD8 accumulator lanes; the kernel
  /// that does not suit the model gets empty buffers (feature-major copies: nPad rows, see
  /// ``wf``; the Gram kernel's G and A: n·nPad each). ``RunConfig`` budgets memory from this.
  package static func bufferSizes(features n: Int, hidden m: Int, model: KernelModel) -> (
    featureMajor: Int, scratch: Int, activeList: Int, lanes: Int, gram: Int
  ) {
    let nPad = (n + 7) / 8 * 8
    let mPad = (m + 7) / 8 * 8
    if prefersSmallKernel(features: n, hidden: m) {
      return (0, 0, 0, (model.tied ? 1 : 2) * m * n + 3 * n + 3 * m + 2, 0)
    }
    let gram = gramEligible(model: model, features: n) ? n * nPad : 0
    return (nPad * mPad, TileJob.scratchCount(nPad: nPad, mPad: mPad), tileSamples * nPad, 0, gram)
  }

  static func dataCount(n: Int, nPad: Int, batch: Int, small: Bool) -> Int {
    small ? n * ((batch + 7) / 8 * 8) : batch * nPad
  }

  /// Normal weights of standard deviation `std` from the instance's own init stream; b = 0;
  /// fresh optimiser.
  func initialiseWeights(seed: UInt64, std: Double) {
    var rng = SplitMix64(
      seed: SplitMix64.streamSeed(seed: seed, instance: stream, purpose: 0))
    // Draw in the notebook's [n, m] order so W_i's components are consecutive draws.
    for i in 0..<n {
      for j in 0..<m { w1[j * nPad + i] = Float(rng.nextNormal() * std) }
    }
    if !kind.tied {
      for i in 0..<n {
        for j in 0..<m { w2[j * nPad + i] = Float(rng.nextNormal() * std) }
      }
    }
    b.zero()
    for buffer in [m1, v1, m2, v2, mb, vb] { buffer.zero() }
    adamStep = 0
    lastLoss = .nan
    lossEMA = .nan
    divergence = nil
    restartHealthy()
  }

  /// Applies the live-editable data fields (probabilities, importances, groups, batch size).
  package func applyData(_ data: KernelData) {
    let p = data.featureProbability
    let imp = data.importance
    if data.batchSize != batch {
      batch = data.batchSize
      batchPad = (batch + 7) / 8 * 8
      x = AlignedFloats(Self.dataCount(n: n, nPad: nPad, batch: batch, small: useSmallKernel))
    }
    let grouped = Set(data.groups.flatMap(\.members))
    for i in 0..<nPad {
      guard i < n else {
        importance[i] = 0
        threshold[i] = 0
        valueScale[i] = 0
        continue
      }
      importance[i] = Float(imp[i])
      let (t, s) = grouped.contains(i) ? (UInt32(0), Float(0)) : Self.threshold(p[i])
      threshold[i] = t
      valueScale[i] = s
    }
    for c in 0..<chunks {
      for l in 0..<8 { thresholdLanes[c][l] = threshold[c * 8 + l] }
      scaleLanes[c] = valueScale.base.vec(c * 8)
    }
    updateCoefficients()
    let expectedActive = p.prefix(n).reduce(0, +)
    denseInputs = Self.prefersDenseInputs(meanProbability: expectedActive / Double(n))
    useGram =
      !useSmallKernel && gram.count > 0
      && Self.prefersGram(expectedActive: expectedActive, n: n, nPad: nPad, mPad: mPad)
    preparedGroups = data.groups.map { g in
      let pm = g.members.map { p[$0] }.reduce(0, +) / Double(g.members.count)
      let (t, _) = Self.threshold(pm)
      return PreparedGroup(correlated: g.correlated, members: g.members, threshold: t)
    }
  }

  /// After a change of the data (probabilities, importances or groups): new data is a new
  /// loss level (p = 0.05 → 1 raises it ~20×), so the EMA of the old one and the healthy copy
  /// judged against it no longer apply.
  package func dataChanged() {
    lossEMA = .nan
    restartHealthy()
  }

  /// c_i = 2·I_i/(B·n): the derivative of the notebook loss (1/(B·n)) Σ I_i (y−t)² per unit
  /// of (y − t), for the current batch size.
  func updateCoefficients() {
    let norm = 2.0 / (Double(batch) * Double(n))
    for i in 0..<nPad { coefficient[i] = i < n ? Float(norm * Double(importance[i])) : 0 }
  }

  /// A feature is active when the top 31 bits u of a draw satisfy u < ⌊p·2³¹⌉; its value is
  /// then u/(p·2³¹), uniform on [0, 1) given activity. One draw gives both.
  static func threshold(_ p: Double) -> (UInt32, Float) {
    guard p > 0 else { return (0, 0) }
    let t = (p * 2_147_483_648.0).rounded()
    let tc = UInt32(max(1, min(2_147_483_648.0, t)))
    return (tc, Float(1.0 / Double(tc)))
  }
}

/// A feature group with its activation threshold, ready for the data generator.
struct PreparedGroup {
  let correlated: Bool
  let members: [Int]
  let threshold: UInt32
}
