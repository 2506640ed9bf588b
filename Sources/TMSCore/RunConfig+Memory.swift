import TMSKernels

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// How much memory a run needs, checked before anything is allocated, so that a configuration
/// that cannot fit is one line instead of a crash minutes later.
extension RunConfig {
  /// Bytes the run's training state takes: per instance the parameters, gradients, AdamW
  /// moments, the divergence backup and healthy copies (3 × each parameter), the batch
  /// buffer, the feature-major copies of W and the kernels' scratch.
  public var trainingBytes: Int {
    let nPad = (features + 7) / 8 * 8
    let matrices = model.isTied ? 1 : 2
    let parameters = matrices * hidden * nPad + nPad
    let batch = training.batchSize
    let small = InstanceEngine.prefersSmallKernel(features: features, hidden: hidden)
    let data = small ? features * ((batch + 7) / 8 * 8) : batch * nPad
    let kernel = InstanceEngine.bufferSizes(
      features: features, hidden: hidden, model: model.kernel)
    let floats =
      10 * parameters + 3 * nPad + data + (1 + matrices) * kernel.featureMajor + kernel.scratch
      + 2 * kernel.gram
      + nPad
    let perInstance = 4 * floats + 4 * kernel.activeList + 32 * kernel.lanes
    return instances * perInstance
  }

  /// Bytes one published picture of the run takes (what a screen draws): per instance the
  /// weights as rows, WᵀW (n² floats, the heatmap's source) and the per-feature metrics.
  public var snapshotBytes: Int {
    let matrices = model.isTied ? 1 : 2
    let perInstance =
      matrices * features * (4 * hidden + 32) + 4 * features * features + 8 * 8 * features
    return instances * perInstance
  }

  /// Bytes the run needs: its training state, plus for a live run the published pictures
  /// (the newest, the one being built and the one a screen still holds), for a headless one
  /// the metrics of the instances being measured at once (one per core).
  public func memoryNeeded(live: Bool) -> Int {
    if live { return trainingBytes + 3 * snapshotBytes }
    let cores = max(1, sysconf(Int32(_SC_NPROCESSORS_ONLN)))
    return trainingBytes + min(instances, cores) * (snapshotBytes / max(1, instances))
  }

  /// Throws, before anything is allocated, when the run needs more than ``MemoryBudget``
  /// allows, saying how much it needs and where the bytes go.
  public func checkMemory(live: Bool, budget: Int = MemoryBudget.bytes) throws(ConfigError) {
    let need = memoryNeeded(live: live)
    guard need > budget else { return }
    throw ConfigError(
      field: "memory",
      "n \(features), m \(hidden), K \(instances), batch \(training.batchSize) needs "
        + "\(MemoryBudget.text(need)) (training \(MemoryBudget.text(trainingBytes)), "
        + "\(live ? "screen snapshots" : "metrics") \(MemoryBudget.text(need - trainingBytes))), "
        + "more than the \(MemoryBudget.text(budget)) this machine allows (\(MemoryBudget.source)); "
        + "make n, m, K or the batch smaller")
  }
}

/// The memory a run may use: 80% of the machine's physical memory, or `TMS_MEMORY_LIMIT`
/// (bytes, or with a K, M or G suffix) when set.
public enum MemoryBudget {
  /// The budget in bytes.
  public static var bytes: Int { override ?? physical / 5 * 4 }

  /// Where the budget comes from, for messages.
  public static var source: String {
    override != nil ? "TMS_MEMORY_LIMIT" : "80% of \(text(physical))"
  }

  /// Physical memory in bytes (a large number when the system does not say).
  public static var physical: Int {
    let pages = sysconf(Int32(_SC_PHYS_PAGES))
    let size = sysconf(Int32(_SC_PAGESIZE))
    guard pages > 0, size > 0 else { return Int.max / 2 }
    let (bytes, overflow) = Int(pages).multipliedReportingOverflow(by: Int(size))
    return overflow ? Int.max / 2 : bytes
  }

  static var override: Int? {
    guard let text = getenv("TMS_MEMORY_LIMIT").map({ String(cString: $0) }), !text.isEmpty
    else { return nil }
    return parse(text)
  }

  /// `512M`, `2G`, `1048576`: bytes, or nil when the text is not a size.
  package static func parse(_ text: String) -> Int? {
    let units: [Character: Int] = ["K": 1 << 10, "M": 1 << 20, "G": 1 << 30, "T": 1 << 40]
    var digits = Substring(text.uppercased())
    var scale = 1
    if let last = digits.last, let unit = units[last] {
      scale = unit
      digits = digits.dropLast()
    }
    guard let value = Double(digits), value.isFinite, value > 0 else { return nil }
    let bytes = value * Double(scale)
    return bytes < Double(Int.max / 2) ? Int(bytes) : Int.max / 2
  }

  /// `37.2 GB`, `512 MB`, `3.0 kB`.
  public static func text(_ bytes: Int) -> String {
    let b = Double(bytes)
    if b >= 1e12 { return String(format1(b / 1e12)) + " TB" }
    if b >= 1e9 { return String(format1(b / 1e9)) + " GB" }
    if b >= 1e6 { return String(format1(b / 1e6)) + " MB" }
    return String(format1(b / 1e3)) + " kB"
  }

  static func format1(_ x: Double) -> String {
    let r = (x * 10).rounded() / 10
    return r >= 100 ? String(Int(r)) : String(r)
  }
}

/// How much memory the SAE needs, checked before its engines are allocated.
extension RunConfig {
  /// Bytes the SAE's training state takes (0 without an SAE): per SAE instance its four
  /// parameters, their gradients, Adam moments and the step's backup (6 × (2·d·m + d + m)),
  /// the packed batch (m × batch) and per-sample errors, the kernel's lane accumulators
  /// (8 floats for each of 2·d·m + 4·d + 4·m) and the frozen model's weights.
  public var saeBytes: Int {
    guard let s = sae else { return 0 }
    let d = s.latents
    let m = hidden
    let nPad = (features + 7) / 8 * 8
    let mPad = (m + 7) / 8 * 8
    let batch = (s.batchSize + 7) / 8 * 8
    let perInstance =
      4 * (6 * (2 * d * m + d + m) + (m + 1) * batch + features * mPad + m * nPad + 2 * nPad)
      + 32 * (2 * d * m + 4 * d + 4 * m) + 32 * d
    return s.instances * perInstance
  }

  /// Throws, before the SAE's engines are allocated, when the model and the SAE together
  /// need more than `budget` allows.
  public func checkSAEMemory(budget: Int = MemoryBudget.bytes) throws(ConfigError) {
    guard let s = sae else { return }
    let need = memoryNeeded(live: true) + saeBytes
    guard need > budget else { return }
    throw ConfigError(
      field: "memory",
      "an SAE of \(s.latents) latents × \(s.instances) instances, batch \(s.batchSize), on "
        + "m \(hidden) needs \(MemoryBudget.text(saeBytes)) beside the model's "
        + "\(MemoryBudget.text(need - saeBytes)), more than the \(MemoryBudget.text(budget)) "
        + "this machine allows (\(MemoryBudget.source)); make the latents, SAE instances or "
        + "SAE batch smaller")
  }
}
