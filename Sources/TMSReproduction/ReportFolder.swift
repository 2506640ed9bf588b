import Foundation
import TMSFiles

/// The folder `tms reproduce` writes: report.md, results.json and figures/*.svg, each file
/// replaced atomically, so a reader (or an interrupted run) never sees half a file.
public struct ReportFolder: Sendable {
  /// The folder.
  public var path: String

  /// A folder at `path`.
  public init(path: String) { self.path = path }

  /// The report's path.
  public var report: String { (path as NSString).appendingPathComponent("report.md") }

  /// Creates the folder and its figures folder, refusing a path that is not a folder.
  public func prepare() throws {
    var isFolder: ObjCBool = false
    if FileManager.default.fileExists(atPath: path, isDirectory: &isFolder), !isFolder.boolValue {
      throw ReproductionError("--out: \(path) exists and is not a folder")
    }
    do {
      try FileManager.default.createDirectory(
        atPath: (path as NSString).appendingPathComponent("figures"),
        withIntermediateDirectories: true)
    } catch {
      throw ReproductionError("--out: cannot create \(path): \(error.localizedDescription)")
    }
  }

  /// Writes every figure of `result`, then results.json and report.md.
  public func write(_ result: Reproduction, interrupted: Bool) throws {
    var result = result
    if interrupted { result.partial = true }
    var names: [String: [String]] = [:]
    for section in result.sections {
      for figure in section.figures() {
        try AtomicFile.write(
          Array(figure.svg.utf8),
          to: (path as NSString).appendingPathComponent("figures/" + figure.file), replace: true)
        names[section.experiment.name, default: []].append(figure.file)
      }
    }
    try AtomicFile.write(
      result.json(), to: (path as NSString).appendingPathComponent("results.json"), replace: true)
    try AtomicFile.write(Array(result.markdown(figures: names).utf8), to: report, replace: true)
  }
}
