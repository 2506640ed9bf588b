#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif
import Foundation
import TMSCore
import TMSFiles

/// What the results view draws: the table of a sweep's finished points, where it came from,
/// and why the file could not be read, if it could not.
public struct SweepResultsView: Sendable {
  /// The result file.
  public var path: String
  /// Its points on their axes (nil until the file has been read once).
  public var table: SweepTable?
  /// The last read's problem (the previous table stays shown).
  public var problem: String?
}

/// A sweep result file watched while it grows: re-read when its size changes, at most
/// every ``interval``. A torn last line (a point being written) is left out by the reader
/// and shows up on the next read.
public final class SweepResultsSource {
  /// The file.
  public let path: String
  /// Least time between two reads.
  public var interval: Duration = .milliseconds(500)
  /// What the view draws.
  public private(set) var view: SweepResultsView
  private var size: Int = -1
  private var lastCheck: ContinuousClock.Instant?

  /// A source for `path`, not read yet.
  public init(path: String) {
    self.path = path
    view = SweepResultsView(path: path)
  }

  /// Reads the file again if its size changed (or `force`) and the interval has passed;
  /// returns true when the table changed.
  func refresh(now: ContinuousClock.Instant, force: Bool = false) -> Bool {
    if !force, let last = lastCheck, now - last < interval { return false }
    lastCheck = now
    var info = stat()
    guard stat(path, &info) == 0 else {
      view.problem = "\(path): cannot read: \(String(cString: strerror(errno)))"
      return true
    }
    let newSize = Int(info.st_size)
    guard force || newSize != size else { return false }
    size = newSize
    do {
      let results = try SweepResultFile.read(path)
      view.table = SweepTable(
        spec: results.spec, sweepID: results.sweepID, records: results.records)
      view.problem = nil
    } catch {
      view.problem = error.description
    }
    return true
  }
}

extension Explorer {
  /// Opens the results view on the sweep result file at `path` (read now; re-read as it
  /// grows). A file that cannot be read is one line, thrown before anything is shown.
  public func openSweepResults(_ path: String) throws(SweepFileError) {
    let source = SweepResultsSource(path: path)
    _ = source.refresh(now: now(), force: true)
    if let problem = source.view.problem, source.view.table == nil {
      throw SweepFileError(
        file: path,
        problem.hasPrefix(path + ": ") ? String(problem.dropFirst(path.count + 2)) : problem)
    }
    sweepResults = source
    send(.sweepLoaded(shape: source.view.table?.shape ?? [], opened: true))
  }

  /// Re-reads the open result file when it has grown, and fits the view to its table.
  func refreshSweepResults() {
    guard let source = sweepResults, source.refresh(now: now()) else { return }
    send(.sweepLoaded(shape: source.view.table?.shape ?? [], opened: false))
  }

  /// Trains the point at `position` live: its configuration with one instance per seed
  /// (each instance the point at its own seed stream of the live run). A cell with no
  /// finished point says so.
  func openSweepPoint(at position: [Int]) {
    guard let table = sweepResults?.view.table else { return }
    let here = table.records(at: position)
    let finite = here.filter(\.evalLoss.isFinite)
    guard let record = finite.min(by: { $0.evalLoss < $1.evalLoss }) ?? here.first else {
      send(.openPointFailed("no finished point here yet"))
      return
    }
    do {
      var c = try record.runConfig()
      let seeds = max(1, record.seedLosses.count)
      c.instances = seeds
      c.featureProbability = Array(repeating: c.featureProbability[0], count: seeds)
      c.importance = Array(repeating: c.importance[0], count: seeds)
      c.name = "sweep-point-\(record.point)"
      let where_ = zip(table.axes, position).map { "\($0.key) \($0.labels[$1])" }
      send(.openPoint(c, "point \(record.point) (" + where_.joined(separator: ", ") + ")"))
    } catch {
      send(.openPointFailed("point \(record.point): \(error.description)"))
    }
  }
}
