import Foundation
import TMSCore

/// Writing files so that a crash, a full disk or a kill never costs the previous file.
///
/// What the path names decides how it is written (see ``OutputTarget``):
/// - nothing yet, or a regular file (with `replace`): the bytes go to a temporary file in
///   the destination's folder (same file system, so the final rename is atomic), are
///   flushed with `fsync`, and only then renamed into place; the folder is synced too so
///   the new name survives a power cut. Killed at any point, the writer leaves the old file
///   (if any) intact and at worst a hidden `.NAME.tmp-tmsPID-XXXXXX`, which the next write
///   into that folder removes once process PID is gone. Without `replace`, the rename is a
///   hard link, which fails atomically if the name exists in the meantime, so two writers
///   can never overwrite each other. A symbolic link to a regular file stays a link: the
///   file it points to is the one replaced.
/// - a character device or a FIFO (`/dev/null`, `/dev/stdout` on a terminal or a pipe, a
///   named pipe): the bytes are written into it, as asked; nothing is renamed over it.
/// - anything else (a folder, a block device, a socket, a link to nothing) is refused.
public enum AtomicFile {
  /// Writes `bytes` to `path` (see the type's documentation). `afterChunk` runs after every
  /// `chunkSize` bytes with the count so far: a progress and fault-injection hook for tests
  /// (throwing from it aborts the write the way a failed `write` would).
  public static func write(
    _ bytes: [UInt8], to path: String, replace: Bool, chunkSize: Int = 1 << 20,
    afterChunk: ((Int) throws -> Void)? = nil
  ) throws(SnapshotError) {
    let base = (path as NSString).lastPathComponent
    guard !base.isEmpty, base != ".", base != ".." else {
      throw SnapshotError(file: path, "not a file name")
    }
    switch OutputTarget.of(path) {
    case .folder:
      throw SnapshotError(file: path, "is a folder")
    case .danglingLink:
      throw SnapshotError(
        file: path, "is a symbolic link to a missing file; not writing through it")
    case .unsupported(let kind):
      throw SnapshotError(file: path, OutputTarget.unsupportedMessage(kind))
    case .stream:
      try writeInto(bytes, path: path, chunkSize: chunkSize, afterChunk: afterChunk)
    case .regular(let real):
      guard replace else {
        throw SnapshotError(
          file: path, "already exists; not overwriting it (use --force to replace it)")
      }
      try replaceAtomically(
        bytes, at: real, naming: path, replace: true, chunkSize: chunkSize,
        afterChunk: afterChunk)
    case .missing:
      try replaceAtomically(
        bytes, at: path, naming: path, replace: replace, chunkSize: chunkSize,
        afterChunk: afterChunk)
    }
  }

  /// The temporary-file-and-rename write of `bytes` to `target` (a new name, or a regular
  /// file); errors name `path`, the name the user gave.
  static func replaceAtomically(
    _ bytes: [UInt8], at target: String, naming path: String, replace: Bool, chunkSize: Int,
    afterChunk: ((Int) throws -> Void)?
  ) throws(SnapshotError) {
    let folder = Self.folder(of: target)
    let base = (target as NSString).lastPathComponent
    var isDir: ObjCBool = false
    guard FileManager.default.fileExists(atPath: folder, isDirectory: &isDir) else {
      throw SnapshotError(file: path, "cannot save: the folder \(folder) does not exist")
    }
    guard isDir.boolValue else {
      throw SnapshotError(file: path, "cannot save: \(folder) is not a folder")
    }
    if !replace && FileManager.default.fileExists(atPath: target) {
      throw SnapshotError(
        file: path, "already exists; not overwriting it (use --force to replace it)")
    }
    StaleTemporaryFiles.remove(in: folder)
    var template = Array(
      (folder + "/" + StaleTemporaryFiles.template(for: base)).utf8CString)
    let fd = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
    guard fd >= 0 else {
      throw SnapshotError(file: path, "cannot create a file in \(folder): \(Self.lastError())")
    }
    let tmp = String(
      decoding: template.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    var closed = false
    func abandon(_ message: String) -> SnapshotError {
      if !closed { close(fd) }
      unlink(tmp)
      return SnapshotError(file: path, message)
    }
    var written = 0
    while written < bytes.count {
      let want = min(max(1, chunkSize), bytes.count - written)
      let r = bytes.withUnsafeBytes { raw in POSIXIO.write(fd, raw.baseAddress! + written, want) }
      if r < 0 {
        if errno == EINTR { continue }
        let reason = errno == ENOSPC ? "the disk is full" : Self.lastError()
        throw abandon(
          "cannot save (\(reason)) after \(written) of \(bytes.count) bytes; nothing was replaced")
      }
      written += r
      do {
        try afterChunk?(written)
      } catch {
        throw abandon(
          "cannot save (\(error)) after \(written) of \(bytes.count) bytes; nothing was replaced")
      }
    }
    fchmod(fd, 0o644)
    if fsync(fd) != 0 {
      throw abandon(
        "cannot save: flushing to disk failed (\(Self.lastError())); nothing was replaced")
    }
    closed = true
    if close(fd) != 0 {
      throw abandon("cannot save: closing failed (\(Self.lastError())); nothing was replaced")
    }
    if replace {
      guard rename(tmp, target) == 0 else {
        throw abandon("cannot save: renaming into place failed (\(Self.lastError()))")
      }
    } else if link(tmp, target) == 0 {
      unlink(tmp)
    } else {
      let e = errno
      if e == EEXIST {
        throw abandon("already exists; not overwriting it (use --force to replace it)")
      }
      // File systems without hard links: an ordinary rename after a last existence check.
      guard e == EPERM || e == ENOTSUP || e == EOPNOTSUPP || e == EMLINK || e == ENOSYS else {
        throw abandon("cannot save: \(String(cString: strerror(e)))")
      }
      if FileManager.default.fileExists(atPath: target) {
        throw abandon("already exists; not overwriting it (use --force to replace it)")
      }
      guard rename(tmp, target) == 0 else {
        throw abandon("cannot save: renaming into place failed (\(Self.lastError()))")
      }
    }
    let dfd = open(folder, O_RDONLY | O_DIRECTORY)
    if dfd >= 0 {
      fsync(dfd)
      close(dfd)
    }
  }

  /// Writes `bytes` into a character device or FIFO that `path` names (a FIFO waits for
  /// its reader, as any writer does).
  static func writeInto(
    _ bytes: [UInt8], path: String, chunkSize: Int, afterChunk: ((Int) throws -> Void)?
  ) throws(SnapshotError) {
    let fd = open(path, O_WRONLY | O_NOCTTY | O_CLOEXEC)
    guard fd >= 0 else { throw SnapshotError(file: path, "cannot open: \(Self.lastError())") }
    defer { close(fd) }
    var written = 0
    while written < bytes.count {
      let want = min(max(1, chunkSize), bytes.count - written)
      let r = bytes.withUnsafeBytes { raw in POSIXIO.write(fd, raw.baseAddress! + written, want) }
      if r < 0 {
        if errno == EINTR { continue }
        let reason = errno == ENOSPC ? "the device is full" : Self.lastError()
        throw SnapshotError(
          file: path, "cannot write (\(reason)) after \(written) of \(bytes.count) bytes")
      }
      written += r
      do {
        try afterChunk?(written)
      } catch {
        throw SnapshotError(
          file: path, "cannot write (\(error)) after \(written) of \(bytes.count) bytes")
      }
    }
  }

  /// The folder part of `path` (`.` for a bare name).
  static func folder(of path: String) -> String {
    let d = (path as NSString).deletingLastPathComponent
    return d.isEmpty ? "." : d
  }

  static func lastError() -> String { String(cString: strerror(errno)) }
}

/// Saving and loading snapshot files.
public enum SnapshotStore {
  /// Where snapshots go when no path is given: `./snapshots/`, created on demand.
  public static let defaultFolder = "snapshots"

  /// Writes `snapshot` and returns the path written.
  ///
  /// - `path` a file: written there; an existing file is refused unless `force`.
  /// - `path` an existing folder, or ending in `/`: a new file in it named
  ///   `<name>-<step>-<timestamp>.json` (folder created on demand), never overwriting: a
  ///   taken name gets `-2`, `-3`, ….
  /// - `path` nil: as a folder, ``defaultFolder``.
  @discardableResult
  public static func save(
    _ snapshot: Snapshot, to path: String? = nil, force: Bool = false, date: Date = Date()
  ) throws(SnapshotError) -> String {
    let bytes = try encode(snapshot, path: path ?? defaultFolder)
    var isDir: ObjCBool = false
    let target = path ?? defaultFolder
    let asFolder =
      path == nil || target.hasSuffix("/")
      || (FileManager.default.fileExists(atPath: target, isDirectory: &isDir) && isDir.boolValue)
    guard asFolder else {
      try AtomicFile.write(bytes, to: target, replace: force)
      return target
    }
    let folder = target.hasSuffix("/") && target.count > 1 ? String(target.dropLast()) : target
    do {
      try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
    } catch {
      throw SnapshotError(
        file: folder + "/",
        "cannot create the folder: \((error as NSError).localizedFailureReason ?? Self.reason(error))"
      )
    }
    let name = snapshot.suggestedFileName(date: date)
    let stem = String(name.dropLast(5))
    for attempt in 1...1000 {
      let file = folder + "/" + (attempt == 1 ? name : "\(stem)-\(attempt).json")
      do {
        try AtomicFile.write(bytes, to: file, replace: false)
        return file
      } catch {
        if FileManager.default.fileExists(atPath: file) { continue }
        throw error
      }
    }
    throw SnapshotError(file: folder + "/" + name, "cannot find a free file name")
  }

  static func reason(_ error: any Error) -> String {
    let ns = error as NSError
    if let underlying = ns.userInfo[NSUnderlyingErrorKey] as? NSError,
      underlying.domain == NSPOSIXErrorDomain
    {
      return String(cString: strerror(Int32(underlying.code)))
    }
    return ns.localizedDescription
  }

  static func encode(_ snapshot: Snapshot, path: String) throws(SnapshotError) -> [UInt8] {
    do {
      return try snapshot.encoded()
    } catch {
      throw SnapshotError(file: path, "cannot save an inconsistent snapshot: \(error.message)")
    }
  }

  /// The largest snapshot file read: 4 GiB, past what a run that fits in memory writes
  /// (about 50 bytes per stored number). Larger files, and anything that is not a regular
  /// file (`/dev/zero`, a FIFO, a folder), are refused before a byte is read.
  public static let maxFileSize = 4 << 30

  /// Reads and checks the snapshot at `path` (errors name the file and the problem).
  public static func load(_ path: String) throws(SnapshotError) -> Snapshot {
    let bytes: [UInt8]
    do {
      bytes = try FileReading.read(path, limit: maxFileSize, what: "snapshot")
    } catch {
      throw SnapshotError(file: path, error.message)
    }
    return try Snapshot.decode(bytes, file: path)
  }
}

extension SnapshotStore {
  /// Throws now what ``save(_:to:force:date:)`` would refuse later for reasons other than
  /// the disk itself: an existing file without `force`, a missing or read-only folder, a
  /// regular file where the path needs a folder (`afile/`, `afile/x.json`). For a folder
  /// target (`nil`, a trailing `/`, or an existing folder), which is created on demand, the
  /// nearest existing ancestor must be a folder that can be written.
  public static func checkTarget(_ path: String?, force: Bool) throws(SnapshotError) {
    let target = path ?? defaultFolder
    var isDir: ObjCBool = false
    let exists = FileManager.default.fileExists(atPath: target, isDirectory: &isDir)
    if path == nil || target.hasSuffix("/") || (exists && isDir.boolValue) {
      var folder = target
      while folder.count > 1 && folder.hasSuffix("/") { folder.removeLast() }
      let ancestor = nearestExistingAncestor(of: folder)
      guard ancestor.isFolder else {
        throw SnapshotError(
          file: target, "cannot save into this folder: \(ancestor.path) is a file, not a folder")
      }
      if access(ancestor.path, W_OK | X_OK) != 0 {
        let problem =
          ancestor.path == folder
          ? "cannot save into this folder" : "cannot create this folder in \(ancestor.path)"
        throw SnapshotError(file: target, "\(problem): \(AtomicFile.lastError())")
      }
      return
    }
    var folder = AtomicFile.folder(of: target)
    switch OutputTarget.of(target) {
    case .stream:
      return
    case .danglingLink:
      throw SnapshotError(
        file: target, "is a symbolic link to a missing file; not writing through it")
    case .unsupported(let kind):
      throw SnapshotError(file: target, OutputTarget.unsupportedMessage(kind))
    case .folder:
      throw SnapshotError(file: target, "is a folder")
    case .regular(let real):
      guard force else {
        throw SnapshotError(
          file: target, "already exists; not overwriting it (use --force to replace it)")
      }
      folder = AtomicFile.folder(of: real)
    case .missing:
      break
    }
    let ancestor = nearestExistingAncestor(of: folder)
    guard ancestor.isFolder else {
      throw SnapshotError(file: target, "cannot save: \(ancestor.path) is a file, not a folder")
    }
    guard ancestor.path == folder else {
      throw SnapshotError(file: target, "cannot save: the folder \(folder) does not exist")
    }
    if access(folder, W_OK | X_OK) != 0 {
      throw SnapshotError(file: target, "cannot save into \(folder): \(AtomicFile.lastError())")
    }
  }

  /// The longest prefix of `path` that exists (following symbolic links), and whether it is
  /// a folder. A missing component and a file used as a folder (ENOTDIR) both move one
  /// level up; a relative path ends at `.` at the latest.
  static func nearestExistingAncestor(of path: String) -> (path: String, isFolder: Bool) {
    var current = path.isEmpty ? "." : path
    while true {
      var info = stat()
      if stat(current, &info) == 0 {
        return (current, (info.st_mode & S_IFMT) == S_IFDIR)
      }
      let parent = AtomicFile.folder(of: current)
      if parent == current { return (current, false) }
      current = parent
    }
  }
}
