import Foundation
import Testing

/// Compares rendered text with a golden file next to this source (`Golden/<name>.txt`).
/// With `RECORD_GOLDEN=1` in the environment the file is (re)written and the check fails, so a
/// recording is never mistaken for a pass.
func expectGolden(
  _ text: String, named name: String, sourceLocation: SourceLocation = #_sourceLocation,
  filePath: String = #filePath
) {
  let dir = URL(fileURLWithPath: filePath).deletingLastPathComponent().appendingPathComponent(
    "Golden")
  let url = dir.appendingPathComponent(name + ".txt")
  if ProcessInfo.processInfo.environment["RECORD_GOLDEN"] == "1" {
    try? FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    try? text.write(to: url, atomically: true, encoding: .utf8)
    Issue.record(
      "recorded \(url.path); run again without RECORD_GOLDEN", sourceLocation: sourceLocation)
    return
  }
  guard let expected = try? String(contentsOf: url, encoding: .utf8) else {
    Issue.record(
      "missing golden file \(url.path); record with RECORD_GOLDEN=1", sourceLocation: sourceLocation
    )
    return
  }
  if expected != text {
    let e = expected.split(separator: "\n", omittingEmptySubsequences: false)
    let a = text.split(separator: "\n", omittingEmptySubsequences: false)
    let firstDiff =
      zip(e, a).enumerated().first { $0.element.0 != $0.element.1 }?.offset ?? min(e.count, a.count)
    Issue.record(
      """
      \(name) differs from its golden file at line \(firstDiff + 1):
      expected: \(firstDiff < e.count ? String(e[firstDiff]) : "<end>")
      actual:   \(firstDiff < a.count ? String(a[firstDiff]) : "<end>")
      """, sourceLocation: sourceLocation)
  }
}
