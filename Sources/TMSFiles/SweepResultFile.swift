#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif
import Foundation
import TMSCore

/// A sweep result file that could not be read, written or merged: the file and why, one line.
public struct SweepFileError: Error, CustomStringConvertible, Sendable {
  /// The file.
  public var file: String
  /// Why.
  public var message: String

  /// An error about `file`.
  public init(file: String, _ message: String) {
    self.file = file
    self.message = message
  }

  /// `file: message`.
  public var description: String { "\(file): \(message)" }
}

/// A reader's message that may quote the file's own text (a key, a string value): control
/// characters escaped and cut to 400 columns, as the preset and snapshot readers do, so that
/// an escape sequence in a file never reaches the terminal and a huge value never becomes a
/// huge line.
func quoted(_ message: String) -> String { DisplayText.escaped(message, limit: 400) }

/// A result file read back: its header, its complete point lines, and whether a torn last
/// line (a write cut short by a kill or a full disk) was left out.
public struct SweepResults: Sendable {
  /// The file.
  public var path: String
  /// The header line's object.
  public var header: JSONObject
  /// The sweep it belongs to (from the header).
  public var spec: SweepSpec
  /// The header's `sweep_id`.
  public var sweepID: String
  /// The shard it holds (nil: the whole sweep).
  public var shard: (index: Int, count: Int)?
  /// The finished points, in file order.
  public var records: [SweepRecord]
  /// Each record's line, as written (with its newline).
  public var lines: [[UInt8]]
  /// Bytes of the file up to the end of the last complete line.
  public var completeLength: Int
  /// Bytes after it: a torn last line, dropped (0 when the file ends cleanly).
  public var tornBytes: Int

  /// The points present.
  public var pointSet: Set<Int> { Set(records.map(\.point)) }
}

/// Reading, creating and appending to result files.
///
/// Appends are `write` calls of whole lines on a file opened with `O_APPEND`: once `write`
/// returns, the line is the kernel's and survives the process being killed (`kill -9`
/// included). ``SweepResultWriter/sync()`` (`fsync`, after every pack and at the header)
/// puts it on the disk against a power cut; one per point would cost ~5 ms each. A process
/// killed mid-write leaves at most one incomplete last line; reading drops it (and
/// `--resume` cuts it off before appending), so every point is counted once.
public enum SweepResultFile {
  /// Reads the whole file (see ``SweepResults``). A damaged line other than the last is an
  /// error naming its line number.
  public static func read(_ path: String) throws(SweepFileError) -> SweepResults {
    let bytes = try readBytes(path)
    var lineStart = 0
    var lineNumber = 0
    var header: JSONObject?
    var spec = SweepSpec()
    var sweepID = ""
    var shard: (index: Int, count: Int)?
    var records: [SweepRecord] = []
    var lines: [[UInt8]] = []
    var complete = 0
    var index = 0
    while index < bytes.count {
      guard let newline = bytes[index...].firstIndex(of: 0x0A) else { break }
      lineNumber += 1
      let text = Array(bytes[lineStart..<newline])
      let value: JSONValue
      do {
        value = try JSONDocument.parse(text, file: "\(path):\(lineNumber)")
      } catch {
        // The last line cut short ends without a newline; a bad line followed by others is
        // damage, not a torn append.
        throw SweepFileError(file: path, "line \(lineNumber): \(quoted(error.message))")
      }
      guard case .object(let o) = value else {
        throw SweepFileError(file: path, "line \(lineNumber): must be a JSON object")
      }
      if header == nil {
        guard o["format"] == .string(SweepResultLine.format) else {
          throw SweepFileError(
            file: path,
            "line 1: not a tms sweep result file (format must be \"\(SweepResultLine.format)\")")
        }
        do {
          let version = try FieldReader.integer(o["version"] ?? .null, "version", in: 1...Int.max)
          guard version <= SweepResultLine.version else {
            throw ConfigError(
              field: "version",
              "\(version) is newer than this tms reads (\(SweepResultLine.version)); update tms")
          }
          spec = try SweepSpecFile.read(
            FieldReader.object(o["spec"] ?? .null, "spec"), path: "spec", checkPoints: false,
            resolvePreset: { _ in
              throw ConfigError(
                field: "spec.preset", "a result file names its base run in full, not a preset")
            })
          sweepID = try FieldReader.string(o["sweep_id"] ?? .null, "sweep_id")
          if let s = o["shard"], s != .null {
            let so = try FieldReader.object(s, "shard")
            let count = try FieldReader.integer(
              so["count"] ?? .null, "shard.count", in: 1...Int.max)
            let k = try FieldReader.integer(
              so["index"] ?? .null, "shard.index", in: 0...(count - 1))
            shard = (k, count)
          }
        } catch {
          throw SweepFileError(file: path, "line 1: \(quoted("\(error)"))")
        }
        header = o
      } else {
        do {
          records.append(try SweepRecord(o, where: "line \(lineNumber)"))
        } catch {
          throw SweepFileError(file: path, quoted(error.description))
        }
        lines.append(Array(bytes[lineStart...newline]))
      }
      index = newline + 1
      lineStart = index
      complete = index
    }
    guard let header else {
      throw SweepFileError(
        file: path, bytes.isEmpty ? "is empty" : "has no complete header line")
    }
    return SweepResults(
      path: path, header: header, spec: spec, sweepID: sweepID, shard: shard, records: records,
      lines: lines, completeLength: complete, tornBytes: bytes.count - complete)
  }

  /// The largest result file read, 4 GiB (as for snapshots): a million points with their
  /// weights fit; anything larger is refused before it is read.
  public static let maxFileSize = 4 << 30

  /// The bytes of `path`, read as ``FileReading`` reads a user's file: only a regular file
  /// of at most `limit` bytes (`/dev/zero`, a FIFO or a folder is one line, not a hang or a
  /// memory blow-up); `what` names the kind of file in the message.
  static func readBytes(
    _ path: String, limit: Int = maxFileSize, what: String = "sweep result"
  ) throws(SweepFileError) -> [UInt8] {
    do {
      return try FileReading.read(path, limit: limit, what: what)
    } catch {
      throw SweepFileError(file: path, error.message)
    }
  }
}

/// An open result file that finished points are appended to.
public final class SweepResultWriter {
  /// The file.
  public let path: String
  /// The points already in the file when it was opened (skipped by a resumed run).
  public let done: Set<Int>
  /// Bytes of a torn last line that opening cut off (0 normally).
  public let droppedBytes: Int
  private let fd: Int32

  /// Opens `path` for `spec`'s shard `shard`: creates it with its header, or with `resume`
  /// continues an existing file of the same sweep and shard (cutting off a torn last line).
  /// An existing file without `resume` is refused unless `force` (which starts it over).
  public init(
    path: String, spec: SweepSpec, shard: (index: Int, count: Int)?, resume: Bool, force: Bool
  ) throws(SweepFileError) {
    self.path = path
    let exists = FileManager.default.fileExists(atPath: path)
    if exists && resume {
      let old = try SweepResultFile.read(path)
      guard old.sweepID == spec.id else {
        throw SweepFileError(
          file: path,
          "holds another sweep (id \(old.sweepID), this one is \(spec.id)); not resuming it")
      }
      guard old.shard?.index == shard?.index, old.shard?.count == shard?.count else {
        throw SweepFileError(
          file: path,
          "holds shard \(Self.shardText(old.shard)), not \(Self.shardText(shard)); not resuming it")
      }
      fd = open(path, O_WRONLY | O_APPEND)
      guard fd >= 0 else {
        throw SweepFileError(file: path, "cannot open for appending: \(AtomicFile.lastError())")
      }
      if old.tornBytes > 0 {
        guard ftruncate(fd, off_t(old.completeLength)) == 0 else {
          let reason = AtomicFile.lastError()
          close(fd)
          throw SweepFileError(file: path, "cannot cut off its torn last line: \(reason)")
        }
      }
      done = old.pointSet
      droppedBytes = old.tornBytes
      return
    }
    if exists && !force {
      throw SweepFileError(
        file: path, "already exists; use --resume to continue it or --force to start over")
    }
    let flags = O_WRONLY | O_CREAT | O_APPEND | (exists ? O_TRUNC : O_EXCL)
    fd = open(path, flags, 0o644)
    guard fd >= 0 else {
      throw SweepFileError(file: path, "cannot create: \(AtomicFile.lastError())")
    }
    done = []
    droppedBytes = 0
    do {
      try append(SweepResultLine.header(spec, shard: shard))
      try sync()
    } catch {
      close(fd)
      throw error
    }
  }

  deinit { close(fd) }

  /// Appends a finished point's line (written through to the kernel at once).
  public func append(_ result: SweepPointResult) throws(SweepFileError) {
    try append(SweepResultLine.point(result))
  }

  /// Flushes everything appended so far to the disk (`fsync`).
  public func sync() throws(SweepFileError) {
    guard fsync(fd) == 0 || errno == EINVAL else {
      throw SweepFileError(file: path, "cannot flush: \(AtomicFile.lastError())")
    }
  }

  func append(_ line: [UInt8]) throws(SweepFileError) {
    var written = 0
    while written < line.count {
      let r = line.withUnsafeBytes { raw in
        POSIXIO.write(fd, raw.baseAddress! + written, line.count - written)
      }
      if r < 0 {
        if errno == EINTR { continue }
        let reason = errno == ENOSPC ? "the disk is full" : AtomicFile.lastError()
        throw SweepFileError(
          file: path, "cannot append (\(reason)); the points already written are kept")
      }
      written += r
    }
  }

  /// `K/N`, or `the whole sweep`.
  static func shardText(_ shard: (index: Int, count: Int)?) -> String {
    shard.map { "\($0.index)/\($0.count)" } ?? "none (the whole sweep)"
  }
}
