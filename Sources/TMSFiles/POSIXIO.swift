#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// The C library's file calls under one name on every platform (Glibc on Linux, Darwin on
/// macOS), where Foundation also declares methods named `write` and `read`.
enum POSIXIO {
  /// `write(2)`: bytes written, or −1 with `errno` set.
  static func write(_ fd: Int32, _ buffer: UnsafeRawPointer, _ count: Int) -> Int {
    #if canImport(Glibc)
      Glibc.write(fd, buffer, count)
    #elseif canImport(Darwin)
      Darwin.write(fd, buffer, count)
    #endif
  }

  /// `read(2)`: bytes read (0 at the end), or −1 with `errno` set.
  static func read(_ fd: Int32, _ buffer: UnsafeMutableRawPointer, _ count: Int) -> Int {
    #if canImport(Glibc)
      Glibc.read(fd, buffer, count)
    #elseif canImport(Darwin)
      Darwin.read(fd, buffer, count)
    #endif
  }
}
