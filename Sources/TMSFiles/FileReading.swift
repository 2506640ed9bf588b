#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// Reading a file a user named (a snapshot, a preset) without being fooled by what it is.
///
/// `/dev/zero` or `/dev/urandom` never end, a FIFO blocks until someone writes, and a huge
/// file would be read whole into memory before the parser could object. So the file is
/// opened without blocking and without following it into a terminal, checked with `fstat`
/// (the file opened, not the name, so it cannot be swapped in between) to be a regular file
/// no larger than `limit` bytes, and only then read. Symbolic links are followed: a link to
/// a regular file reads that file, a link to a device is refused like the device.
public enum FileReading {
  /// Why a file was not read: one phrase for `FILE: …` messages.
  public struct Failure: Error, Equatable, Sendable, CustomStringConvertible {
    /// What is wrong, e.g. `no such file` or `is a character device, not a file`.
    public var message: String

    /// `message`.
    public var description: String { message }
  }

  /// The whole contents of `path` (`what` names the kind of file in messages: "snapshot",
  /// "preset"). Throws for a missing file, a folder, anything that is not a regular file,
  /// a file larger than `limit` bytes, and read errors.
  public static func read(_ path: String, limit: Int, what: String) throws(Failure) -> [UInt8] {
    let fd = open(path, O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC)
    guard fd >= 0 else {
      let code = errno
      switch code {
      case ENOENT: throw Failure(message: "no such file")
      case ENOTDIR: throw Failure(message: "no such file (a part of the path is not a folder)")
      default: throw Failure(message: "cannot open: \(String(cString: strerror(code)))")
      }
    }
    defer { close(fd) }
    var info = stat()
    guard fstat(fd, &info) == 0 else {
      throw Failure(message: "cannot read: \(String(cString: strerror(errno)))")
    }
    let type = info.st_mode & S_IFMT
    guard type == S_IFREG else {
      if type == S_IFDIR { throw Failure(message: "is a folder, not a \(what) file") }
      throw Failure(message: "is \(kind(of: type)), not a file; only regular files are read")
    }
    let size = Int(info.st_size)
    guard size <= limit else {
      throw Failure(
        message: "is \(sizeText(size)), more than the \(sizeText(limit)) a \(what) file may be")
    }
    var bytes = [UInt8](repeating: 0, count: size + 1)
    var count = 0
    while true {
      if count == bytes.count {
        // The file grew while being read: the limit still holds.
        guard bytes.count <= limit else {
          throw Failure(message: "grew past \(sizeText(limit)) while being read")
        }
        bytes.append(contentsOf: repeatElement(0, count: min(bytes.count, limit + 1 - bytes.count)))
      }
      let r = bytes.withUnsafeMutableBytes { raw in
        POSIXIO.read(fd, raw.baseAddress! + count, raw.count - count)
      }
      if r < 0 {
        if errno == EINTR { continue }
        throw Failure(message: "cannot read: \(String(cString: strerror(errno)))")
      }
      if r == 0 { break }
      count += r
    }
    bytes.removeSubrange(count...)
    return bytes
  }

  /// "a character device", "a FIFO (named pipe)", … for a file type from `st_mode`.
  public static func kind(of type: mode_t) -> String {
    switch type {
    case S_IFCHR: "a character device"
    case S_IFBLK: "a block device"
    case S_IFIFO: "a FIFO (named pipe)"
    case S_IFSOCK: "a socket"
    case S_IFDIR: "a folder"
    case S_IFLNK: "a symbolic link"
    default: "not a regular file"
    }
  }

  /// Bytes as people read them: `512 bytes`, `16 MiB`, `4 GiB`, `1.5 GiB`.
  static func sizeText(_ bytes: Int) -> String {
    let units: [(Int, String)] = [(1 << 30, "GiB"), (1 << 20, "MiB"), (1 << 10, "KiB")]
    for (scale, unit) in units where bytes >= scale {
      let whole = bytes / scale
      let tenths = (bytes % scale) * 10 / scale
      return tenths == 0 ? "\(whole) \(unit)" : "\(whole).\(tenths) \(unit)"
    }
    return "\(bytes) bytes"
  }
}
