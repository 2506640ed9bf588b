import TMSCore

/// NumPy's own file formats, written without NumPy: `.npy` (one array) and `.npz` (a zip of
/// `.npy` files), as `numpy.load` reads them with no extra code or flags.
///
/// `.npy` format 1.0 (numpy/lib/format.py): the magic `\x93NUMPY`, version bytes 1 0, a
/// little-endian uint16 header length, then an ASCII header — the repr of a dict with sorted
/// keys, `{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }` — followed by the
/// spaces NumPy reserves to grow the first axis (21 minus the digits of shape[0]), then spaces
/// and a final `\n` so that data starts at a multiple of 64 bytes; then the values in C
/// order, little-endian. These are exactly the bytes `numpy.save` writes.
public struct NumPyArray: Sendable, Equatable {
  /// The element type, as NumPy's `descr`.
  public enum DType: String, Sendable {
    case float32 = "<f4"
    case float64 = "<f8"
    case int64 = "<i8"

    /// Bytes per element.
    public var size: Int { self == .float32 ? 4 : 8 }
  }

  /// The name inside an `.npz` (without `.npy`).
  public var name: String
  /// Element type.
  public var dtype: DType
  /// Dimensions, outermost first; `[]` is a scalar.
  public var shape: [Int]
  /// The values, C order, little-endian.
  public var data: [UInt8]

  /// An array of Floats in C order (`values.count` must be the product of `shape`).
  public static func float32(_ name: String, shape: [Int], _ values: [Float]) -> NumPyArray {
    var data = [UInt8]()
    data.reserveCapacity(values.count * 4)
    for v in values {
      withUnsafeBytes(of: v.bitPattern.littleEndian) { data.append(contentsOf: $0) }
    }
    return NumPyArray(name: name, dtype: .float32, shape: shape, data: data)
  }

  /// An array of Doubles in C order.
  public static func float64(_ name: String, shape: [Int], _ values: [Double]) -> NumPyArray {
    var data = [UInt8]()
    data.reserveCapacity(values.count * 8)
    for v in values {
      withUnsafeBytes(of: v.bitPattern.littleEndian) { data.append(contentsOf: $0) }
    }
    return NumPyArray(name: name, dtype: .float64, shape: shape, data: data)
  }

  /// An array of 64-bit integers in C order.
  public static func int64(_ name: String, shape: [Int], _ values: [Int]) -> NumPyArray {
    var data = [UInt8]()
    data.reserveCapacity(values.count * 8)
    for v in values { withUnsafeBytes(of: Int64(v).littleEndian) { data.append(contentsOf: $0) } }
    return NumPyArray(name: name, dtype: .int64, shape: shape, data: data)
  }

  /// The header dict as NumPy writes it, growth padding included (before alignment).
  public var headerDict: String {
    let shapeText =
      switch shape.count {
      case 0: "()"
      case 1: "(\(shape[0]),)"
      default: "(" + shape.map(String.init).joined(separator: ", ") + ")"
      }
    var h = "{'descr': '\(dtype.rawValue)', 'fortran_order': False, 'shape': \(shapeText), }"
    if let first = shape.first {
      h += String(repeating: " ", count: max(0, 21 - String(first).count))
    }
    return h
  }

  /// The complete `.npy` file.
  public var npy: [UInt8] {
    let header = Array(headerDict.utf8)
    let hlen = header.count + 1
    let pad = 64 - ((6 + 2 + 2 + hlen) % 64)
    let total = hlen + pad
    var out: [UInt8] = [0x93] + Array("NUMPY".utf8) + [1, 0]
    out.append(UInt8(total & 0xFF))
    out.append(UInt8(total >> 8))
    out += header
    out += [UInt8](repeating: 0x20, count: pad)
    out.append(0x0A)
    out += data
    return out
  }
}

/// A zip archive of stored (uncompressed) members, as `.npz` files are; ZIP APPNOTE 6.3
/// local headers, central directory and end record, no ZIP64 (members and archive under
/// 4 GiB). Times are fixed at 1980-01-01 00:00 so the same arrays give the same bytes.
public enum ZipArchive {
  /// The archive of `members` (name, contents), in order.
  public static func stored(_ members: [(name: String, data: [UInt8])]) throws(SnapshotError)
    -> [UInt8]
  {
    var out: [UInt8] = []
    var central: [UInt8] = []
    func u16(_ v: Int, _ b: inout [UInt8]) {
      b.append(UInt8(v & 0xFF))
      b.append(UInt8((v >> 8) & 0xFF))
    }
    func u32(_ v: UInt32, _ b: inout [UInt8]) {
      for s in stride(from: 0, to: 32, by: 8) { b.append(UInt8((v >> UInt32(s)) & 0xFF)) }
    }
    let limit = Int(UInt32.max) - 1
    guard members.count < 0xFFFF else {
      throw SnapshotError(file: "", "too many arrays for a zip without ZIP64")
    }
    let dosTime = 0
    let dosDate = (0 << 9) | (1 << 5) | 1
    for m in members {
      let name = Array(m.name.utf8)
      let offset = out.count
      guard m.data.count <= limit, offset <= limit else {
        throw SnapshotError(
          file: "", "\(m.name) makes the .npz larger than 4 GiB (ZIP64 is not supported)")
      }
      let crc = CRC32.checksum(m.data)
      // Local file header.
      u32(0x0403_4B50, &out)
      u16(20, &out)
      u16(0, &out)
      u16(0, &out)
      u16(dosTime, &out)
      u16(dosDate, &out)
      u32(crc, &out)
      u32(UInt32(m.data.count), &out)
      u32(UInt32(m.data.count), &out)
      u16(name.count, &out)
      u16(0, &out)
      out += name
      out += m.data
      // Central directory entry.
      u32(0x0201_4B50, &central)
      u16(0x0314, &central)
      u16(20, &central)
      u16(0, &central)
      u16(0, &central)
      u16(dosTime, &central)
      u16(dosDate, &central)
      u32(crc, &central)
      u32(UInt32(m.data.count), &central)
      u32(UInt32(m.data.count), &central)
      u16(name.count, &central)
      u16(0, &central)
      u16(0, &central)
      u16(0, &central)
      u16(0, &central)
      u32(0o100644 << 16, &central)
      u32(UInt32(offset), &central)
      central += name
    }
    let cdOffset = out.count
    guard cdOffset + central.count <= limit else {
      throw SnapshotError(file: "", "the .npz would be larger than 4 GiB (ZIP64 is not supported)")
    }
    out += central
    u32(0x0605_4B50, &out)
    u16(0, &out)
    u16(0, &out)
    u16(members.count, &out)
    u16(members.count, &out)
    u32(UInt32(central.count), &out)
    u32(UInt32(cdOffset), &out)
    u16(0, &out)
    return out
  }
}

/// CRC-32 (ISO 3309 / ITU-T V.42, the zip and PNG checksum): reflected polynomial
/// 0xEDB88320, initial value and final xor 0xFFFFFFFF.
public enum CRC32 {
  static let table: [UInt32] = (0..<256).map { i -> UInt32 in
    var c = UInt32(i)
    for _ in 0..<8 { c = c & 1 != 0 ? 0xEDB8_8320 ^ (c >> 1) : c >> 1 }
    return c
  }

  /// The checksum of `bytes` (`CRC32.checksum(Array("123456789".utf8)) == 0xCBF43926`).
  public static func checksum(_ bytes: [UInt8]) -> UInt32 {
    var c: UInt32 = 0xFFFF_FFFF
    table.withUnsafeBufferPointer { t in
      for b in bytes { c = t[Int((c ^ UInt32(b)) & 0xFF)] ^ (c >> 8) }
    }
    return c ^ 0xFFFF_FFFF
  }
}

extension Snapshot {
  /// The arrays of the `.npz` export, instance axis first (K instances, n features,
  /// m hidden, P loss-history points):
  ///
  /// | name | dtype | shape | |
  /// |---|---|---|---|
  /// | `W` | float32 | K×n×m | W[k, i] = feature i's direction (the notebook's layout; W₁ for abs) |
  /// | `W2` | float32 | K×n×m | abs only: W₂'s row i, feature i's output weights |
  /// | `b` | float32 | K×n | output bias |
  /// | `feature_probability`, `importance` | float64 | K×n | p_i = 1 − S_i and I_i |
  /// | `norms`, `superposition`, `dimensionality` | float64 | K×n | ‖W_i‖, s_i, D_i |
  /// | `dimensions_per_feature` | float64 | K | D* = m/‖W‖_F² |
  /// | `eval_loss`, `train_loss_ema` | float64 | K | notebook convention; NaN if unknown |
  /// | `loss_history` | float64 | K×P | training-loss EMA at `loss_history_steps` |
  /// | `loss_history_steps` | int64 | P | |
  /// | `step` | int64 | () | steps trained |
  ///
  /// With an SAE state (S SAE instances, d latents) also, SAE instance axis first:
  ///
  /// | name | dtype | shape | |
  /// |---|---|---|---|
  /// | `sae_W_enc`, `sae_W_dec` | float32 | S×d×m | encoder rows; decoder columns (latent directions) |
  /// | `sae_b_enc` | float32 | S×d | |
  /// | `sae_b_dec` | float32 | S×m | |
  /// | `sae_l1_coefficient` | float64 | S | λ |
  /// | `sae_model_instance` | int64 | S | the model instance each SAE reads |
  /// | `sae_cosine` | float64 | S×d×n | cos(d̂_j, Ŵ_i) |
  /// | `sae_feature_recovery` | float64 | S×n | max_j cos(d̂_j, Ŵ_i) |
  /// | `sae_recovery` | float64 | S | mean max cosine similarity over represented features |
  /// | `sae_firing` | float64 | S×d | firing-frequency EMA |
  /// | `sae_dead` | int64 | S×d | 1 = dead |
  /// | `sae_reconstruction_ema`, `sae_l0_ema` | float64 | S | E‖h − ĥ‖², L0 (training EMAs) |
  /// | `sae_step` | int64 | () | SAE steps trained |
  public func numpyArrays() -> [NumPyArray] {
    let k = instances.count
    let n = config.features
    let m = config.hidden
    func flat(_ rows: (InstanceState) -> [[Float]]) -> [Float] {
      instances.flatMap { rows($0).flatMap { $0 } }
    }
    func perFeature(_ name: String, _ f: (Int, InstanceState) -> [Double]) -> NumPyArray {
      .float64(name, shape: [k, n], instances.enumerated().flatMap { f($0.offset, $0.element) })
    }
    var out: [NumPyArray] = [.float32("W", shape: [k, n, m], flat { $0.parameters.W })]
    if !config.model.isTied {
      out.append(.float32("W2", shape: [k, n, m], flat { $0.parameters.W2 ?? [] }))
    }
    out.append(.float32("b", shape: [k, n], instances.flatMap(\.parameters.b)))
    out.append(perFeature("feature_probability") { i, _ in config.featureProbability[i] })
    out.append(perFeature("importance") { i, _ in config.importance[i] })
    out.append(perFeature("norms") { $1.metrics.norms })
    out.append(perFeature("superposition") { $1.metrics.superposition })
    out.append(perFeature("dimensionality") { $1.metrics.dimensionality })
    out.append(
      .float64("dimensions_per_feature", shape: [k], instances.map(\.metrics.dimensionsPerFeature)))
    out.append(.float64("eval_loss", shape: [k], instances.map(\.metrics.evalLoss)))
    out.append(.float64("eval_loss_se", shape: [k], instances.map(\.metrics.evalLossError)))
    out.append(.float64("train_loss_ema", shape: [k], instances.map(\.trainLossEMA)))
    let h = lossHistory
    out.append(
      .float64(
        "loss_history", shape: [k, h.steps.count],
        (0..<k).flatMap { i in h.loss.map { i < $0.count ? $0[i] : .nan } }))
    out.append(.int64("loss_history_steps", shape: [h.steps.count], h.steps))
    out.append(.int64("step", shape: [], [step]))
    if let state = sae, let shown = saeSnapshot() { out += saeArrays(state, shown) }
    return out
  }

  /// The SAE's arrays (see ``numpyArrays()``).
  func saeArrays(_ state: SAEState, _ shown: SAESnapshot) -> [NumPyArray] {
    let s = state.instances.count
    let d = shown.config.latents
    let m = config.hidden
    let n = config.features
    let metrics = shown.instances.map(\.metrics)
    let params = state.instances.map(\.parameters)
    return [
      .float32("sae_W_enc", shape: [s, d, m], params.flatMap { $0.encoder.flatMap { $0 } }),
      .float32("sae_b_enc", shape: [s, d], params.flatMap(\.encoderBias)),
      .float32("sae_W_dec", shape: [s, d, m], params.flatMap { $0.decoder.flatMap { $0 } }),
      .float32("sae_b_dec", shape: [s, m], params.flatMap(\.decoderBias)),
      .float64("sae_l1_coefficient", shape: [s], metrics.map(\.l1Coefficient)),
      .int64("sae_model_instance", shape: [s], metrics.map(\.modelInstance)),
      .float64("sae_cosine", shape: [s, d, n], metrics.flatMap { $0.cosine.map(Double.init) }),
      .float64("sae_feature_recovery", shape: [s, n], metrics.flatMap(\.featureRecovery)),
      .float64("sae_recovery", shape: [s], metrics.map(\.recovery)),
      .float64("sae_firing", shape: [s, d], metrics.flatMap(\.firing)),
      .int64("sae_dead", shape: [s, d], metrics.flatMap { $0.dead.map { $0 ? 1 : 0 } }),
      .float64("sae_reconstruction_ema", shape: [s], state.instances.map(\.reconstructionEMA)),
      .float64("sae_l0_ema", shape: [s], state.instances.map(\.l0EMA)),
      .int64("sae_step", shape: [], [state.step]),
    ]
  }

  /// The `.npz` file's bytes (see ``numpyArrays()``).
  public func npz() throws(SnapshotError) -> [UInt8] {
    try ZipArchive.stored(numpyArrays().map { ($0.name + ".npy", $0.npy) })
  }
}
