import Foundation

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// What an output path names right now, which decides how ``AtomicFile`` writes it.
///
/// Symbolic links are followed (`/dev/stdout` is one): only what they lead to counts, and a
/// regular file behind a link is replaced where it lives, so the link stays a link.
enum OutputTarget: Equatable {
  /// Nothing there yet: a new regular file is created.
  case missing
  /// A regular file, at this path with every symbolic link resolved.
  case regular(String)
  /// A character device or a FIFO: written into, never replaced.
  case stream
  /// A folder.
  case folder
  /// A symbolic link whose target does not exist.
  case danglingLink
  /// Something else (a block device, a socket), named for the message.
  case unsupported(String)

  /// Looks at `path` (following symbolic links).
  static func of(_ path: String) -> OutputTarget {
    var link = stat()
    guard lstat(path, &link) == 0 else { return .missing }
    var info = stat()
    guard stat(path, &info) == 0 else {
      return (link.st_mode & S_IFMT) == S_IFLNK ? .danglingLink : .missing
    }
    switch info.st_mode & S_IFMT {
    case S_IFREG:
      guard let resolved = realpath(path, nil) else { return .regular(path) }
      defer { free(resolved) }
      return .regular(String(cString: resolved))
    case S_IFDIR: return .folder
    case S_IFCHR, S_IFIFO: return .stream
    case let type: return .unsupported(FileReading.kind(of: type))
    }
  }

  /// The one-line refusal for an ``unsupported(_:)`` target.
  static func unsupportedMessage(_ kind: String) -> String {
    "is \(kind); tms writes only regular files, character devices (such as /dev/null) and FIFOs"
  }
}

/// Temporary files that an ``AtomicFile`` write left behind when its process was killed.
///
/// They are named `.NAME.tmp-tmsPID-XXXXXX`: hidden, beside their target, with the writing
/// process's id. Before each write, the folder's files of that form are removed when they
/// are regular files (not links), belong to this user, and their process no longer exists:
/// never a file of another program, another user's, or one a running save still writes.
enum StaleTemporaryFiles {
  /// The `mkstemp` template for a temporary file of `base` made by this process.
  static func template(for base: String) -> String {
    ".\(base).tmp-tms\(getpid())-XXXXXX"
  }

  /// The process id in a temporary file name of ours, or nil when `name` is not one.
  static func writer(of name: String) -> Int32? {
    guard name.hasPrefix("."), let marker = name.range(of: ".tmp-tms", options: .backwards)
    else { return nil }
    let rest = name[marker.upperBound...]
    guard let dash = rest.firstIndex(of: "-") else { return nil }
    let suffix = rest[rest.index(after: dash)...]
    guard suffix.count == 6, suffix.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber) }),
      let pid = Int32(rest[..<dash]), pid > 0
    else { return nil }
    return pid
  }

  /// Removes the stale temporary files of ours in `folder` (see the type); returns their
  /// names. Errors (a folder that cannot be listed, a file that went away) are ignored:
  /// cleaning up must never stop a save.
  @discardableResult
  static func remove(in folder: String) -> [String] {
    guard let names = try? FileManager.default.contentsOfDirectory(atPath: folder) else {
      return []
    }
    var removed: [String] = []
    for name in names {
      guard let pid = writer(of: name), pid != getpid() else { continue }
      let path = folder + "/" + name
      var info = stat()
      guard lstat(path, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG,
        info.st_uid == geteuid()
      else { continue }
      // kill(pid, 0) fails with ESRCH only when no such process exists.
      guard kill(pid, 0) != 0, errno == ESRCH else { continue }
      if unlink(path) == 0 { removed.append(name) }
    }
    return removed
  }
}
