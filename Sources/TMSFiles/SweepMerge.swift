import TMSCore

/// Joins the result files of a sweep's shards into one file of the whole sweep.
///
/// Checks, each a one-line error naming the file: every file belongs to the same sweep (the
/// same `sweep_id`; otherwise it says which part of the sweep differs), every point is in
/// the shard its number puts it in, no point appears twice, and every point's configuration
/// is the one the sweep gives it. Points missing from every file are listed (as ranges) with
/// the shards to run again. The merged file is the header of the whole sweep followed by the
/// point lines in point order, copied byte for byte.
public enum SweepMerge {
  /// The merged file's bytes, or the first problem. `allowMissing` merges what is there.
  public static func merge(_ inputs: [SweepResults], allowMissing: Bool = false)
    throws(SweepFileError) -> (bytes: [UInt8], points: Int, missing: [Int])
  {
    guard let first = inputs.first else {
      throw SweepFileError(file: "tms sweep merge", "no result files given")
    }
    for other in inputs.dropFirst() where other.sweepID != first.sweepID {
      throw SweepFileError(
        file: other.path,
        "from a different sweep (id \(other.sweepID), \(first.path) has \(first.sweepID)): "
          + difference(first.spec.written, other.spec.written))
    }
    let spec = first.spec
    var owner: [Int: String] = [:]
    var lines: [(Int, [UInt8])] = []
    for input in inputs {
      for (record, line) in zip(input.records, input.lines) {
        guard record.point < spec.pointCount else {
          throw SweepFileError(
            file: input.path,
            "point \(record.point) is outside the sweep (it has \(spec.pointCount) points)")
        }
        if let shard = input.shard,
          SweepSpec.shard(ofPoint: record.point, count: shard.count) != shard.index
        {
          throw SweepFileError(
            file: input.path,
            "point \(record.point) belongs to shard "
              + "\(SweepSpec.shard(ofPoint: record.point, count: shard.count))/\(shard.count), "
              + "not this file's \(shard.index)/\(shard.count)")
        }
        if let previous = owner[record.point] {
          throw SweepFileError(
            file: input.path,
            "point \(record.point) is also in \(previous); each point must be merged once")
        }
        owner[record.point] = input.path
        let expected: RunConfig
        do {
          expected = try spec.point(record.point).config
        } catch {
          throw SweepFileError(file: input.path, "point \(record.point): \(error.description)")
        }
        guard JSONValue.object(record.config) == .object(RunConfig.fields.written(expected))
        else {
          throw SweepFileError(
            file: input.path,
            "point \(record.point) has a configuration other than the sweep's for that point")
        }
        lines.append((record.point, line))
      }
    }
    let missing = (0..<spec.pointCount).filter { owner[$0] == nil }
    if !missing.isEmpty && !allowMissing {
      let counts = inputs.compactMap(\.shard?.count)
      let n = counts.first ?? 1
      let shards = Set(missing.map { SweepSpec.shard(ofPoint: $0, count: n) }).sorted()
      let shardText =
        counts.isEmpty || Set(counts).count > 1
        ? ""
        : "; run again: shard " + shards.prefix(12).map { "\($0)/\(n)" }.joined(separator: ", ")
      throw SweepFileError(
        file: "tms sweep merge",
        "\(missing.count) of \(spec.pointCount) points missing: \(ranges(missing))\(shardText)")
    }
    lines.sort { $0.0 < $1.0 }
    var bytes = SweepResultLine.header(spec, shard: nil)
    for (_, line) in lines { bytes += line }
    return (bytes, lines.count, missing)
  }

  /// `0–3, 7, 9–12`, at most 12 runs then `…`.
  public static func ranges(_ sorted: [Int]) -> String {
    var parts: [String] = []
    var i = 0
    while i < sorted.count {
      var j = i
      while j + 1 < sorted.count && sorted[j + 1] == sorted[j] + 1 { j += 1 }
      parts.append(i == j ? "\(sorted[i])" : "\(sorted[i])–\(sorted[j])")
      i = j + 1
    }
    return parts.count > 12
      ? parts.prefix(12).joined(separator: ", ") + ", …" : parts.joined(separator: ", ")
  }

  /// Which part of two sweeps differs: the first top-level key whose values differ (within
  /// `base`, its key), e.g. `seeds differ (3 vs 5)`.
  static func difference(_ a: JSONObject, _ b: JSONObject) -> String {
    for key in a.keys + b.keys.filter({ a[$0] == nil }) where a[key] != b[key] {
      if key == "base", case .object(let x)? = a[key], case .object(let y)? = b[key] {
        for k in x.keys + y.keys.filter({ x[$0] == nil }) where x[k] != y[k] {
          return "base.\(k) differs (\(x[k]?.shown ?? "absent") vs \(y[k]?.shown ?? "absent"))"
        }
      }
      return "\(key) differs (\(a[key]?.shown ?? "absent") vs \(b[key]?.shown ?? "absent"))"
    }
    return "the sweeps differ"
  }
}
