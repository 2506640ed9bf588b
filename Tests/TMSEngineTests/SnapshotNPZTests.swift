import Foundation
import Testing
import TMSCore
import TMSKernels
import TMSFigures
import TMSFiles

/// The `.npy`/`.npz` writer against the formats' specifications, byte for byte: fixtures
/// written by NumPy itself and by Python's zipfile (Fixtures/npz/make-fixtures.py).
@Suite struct SnapshotNPZTests {
  static let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    .appendingPathComponent("Fixtures/npz")

  static func fixture(_ name: String) throws -> [UInt8] {
    [UInt8](try Data(contentsOf: folder.appendingPathComponent(name)))
  }

  /// The arrays of make-fixtures.py (Doubles narrowed to Float as NumPy does).
  static func arrays() -> [NumPyArray] {
    let w: [Double] = [0.5, -1.25, 3e-8, 1.0, 0.0, -0.0, 1.0 / 3, 2.0, -4.5, 1e30, 7.0, 0.125]
    let b: [Double] = [0.1, 0.2, 0.3, -0.1, 0.0, 1.5]
    return [
      .float32("W", shape: [2, 3, 2], w.map { Float($0) }),
      .float32("b", shape: [2, 3], b.map { Float($0) }),
      .float64("importance", shape: [2, 3], [1.0, 0.9, 0.81, 1.0, 0.7, 0.49]),
      .float64("loss_history", shape: [2, 0], []),
      .int64("loss_history_steps", shape: [0], []),
      .int64("step", shape: [], [12345]),
    ]
  }

  /// Every `.npy` is byte-identical to what `numpy.save` wrote.
  @Test(arguments: ["W", "b", "importance", "loss_history", "loss_history_steps", "step"])
  func npyMatchesNumPy(_ name: String) throws {
    let array = try #require(Self.arrays().first { $0.name == name })
    #expect(array.npy == (try Self.fixture(name + ".npy")))
  }

  /// The `.npz` is byte-identical to Python's zipfile with the same stored members.
  @Test func npzMatchesPythonZipfile() throws {
    let archive = try ZipArchive.stored(Self.arrays().map { ($0.name + ".npy", $0.npy) })
    let expected = try Self.fixture("tiny.npz")
    #expect(archive.count == expected.count)
    if let i = zip(archive, expected).enumerated().first(where: { $0.element.0 != $0.element.1 })?
      .offset
    {
      Issue.record("first difference at byte \(i)")
    }
    #expect(archive == expected)
  }

  /// The `.npy` header field by field, as the format specification states it.
  @Test func npyHeaderBySpecification() {
    let a = NumPyArray.float32("x", shape: [2, 3], [1, 2, 3, 4, 5, 6])
    let bytes = a.npy
    #expect(Array(bytes[0..<6]) == [0x93, 0x4E, 0x55, 0x4D, 0x50, 0x59], "magic \\x93NUMPY")
    #expect(bytes[6] == 1 && bytes[7] == 0, "format version 1.0")
    let headerLength = Int(bytes[8]) | Int(bytes[9]) << 8
    #expect((10 + headerLength) % 64 == 0, "data starts on a 64-byte boundary")
    let header = String(decoding: bytes[10..<10 + headerLength], as: UTF8.self)
    #expect(header.hasPrefix("{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }"))
    #expect(header.hasSuffix("\n"))
    #expect(header.dropLast().allSatisfy { $0.isASCII })
    let data = Array(bytes[(10 + headerLength)...])
    #expect(data.count == 24)
    #expect(Array(data[0..<4]) == [0x00, 0x00, 0x80, 0x3F], "1.0f little-endian")
    #expect(Array(data[20..<24]) == [0x00, 0x00, 0xC0, 0x40], "6.0f little-endian, C order last")
    #expect(
      NumPyArray.int64("s", shape: [], [7]).headerDict
        == "{'descr': '<i8', 'fortran_order': False, 'shape': (), }")
    #expect(
      NumPyArray.float64("v", shape: [5], []).headerDict.hasPrefix(
        "{'descr': '<f8', 'fortran_order': False, 'shape': (5,), }"))
  }

  /// The check value of CRC-32 (ISO 3309) and of the empty input.
  @Test func crc32CheckValues() {
    #expect(CRC32.checksum(Array("123456789".utf8)) == 0xCBF4_3926)
    #expect(CRC32.checksum([]) == 0)
  }

  /// A snapshot's export: every array named in the issue, instance axis first, values equal
  /// to the snapshot's; the archive parses as a valid zip with matching CRCs.
  @Test(arguments: ["intro", "abs"])
  func snapshotExport(_ name: String) throws {
    let c = SnapshotConfigs.named(name)
    let run = try Run(config: c)
    var history = LossHistory()
    for _ in 0..<5 {
      run.train(steps: 10)
      history.record(step: run.step, losses: run.trainLossEMA)
    }
    let snap = run.snapshot(history: history, evalLoss: run.evaluate(samples: 128))
    let members = try ZipReader.members(try snap.npz())
    let names = members.map(\.name)
    for required in [
      "W", "b", "feature_probability", "importance", "norms", "superposition", "dimensionality",
      "eval_loss_se", "loss_history",
    ] {
      #expect(names.contains(required + ".npy"), "missing \(required)")
    }
    #expect(names.contains("W2.npy") == (c.model == .abs))
    let (k, n, m) = (c.instances, c.features, c.hidden)
    let W = try #require(members.first { $0.name == "W.npy" })
    let expectedW = NumPyArray.float32(
      "W", shape: [k, n, m], snap.instances.flatMap { $0.parameters.W.flatMap { $0 } })
    #expect(W.data == expectedW.npy)
    let lh = try #require(members.first { $0.name == "loss_history.npy" })
    #expect(String(decoding: lh.data[10..<80], as: UTF8.self).contains("'shape': (\(k), 5)"))
  }
}

/// A minimal reader of stored zip archives, written from APPNOTE 6.3 for the tests: walks
/// the end record, the central directory and each local header, and checks that they agree.
enum ZipReader {
  struct Member {
    var name: String
    var data: [UInt8]
  }

  struct Malformed: Error, CustomStringConvertible { var description: String }

  static func u16(_ b: [UInt8], _ o: Int) -> Int { Int(b[o]) | Int(b[o + 1]) << 8 }
  static func u32(_ b: [UInt8], _ o: Int) -> UInt32 {
    UInt32(b[o]) | UInt32(b[o + 1]) << 8 | UInt32(b[o + 2]) << 16 | UInt32(b[o + 3]) << 24
  }

  static func members(_ b: [UInt8]) throws -> [Member] {
    let end = b.count - 22
    guard end >= 0, u32(b, end) == 0x0605_4B50 else {
      throw Malformed(description: "no end record")
    }
    let count = u16(b, end + 10)
    var cd = Int(u32(b, end + 16))
    guard cd + Int(u32(b, end + 12)) == end else { throw Malformed(description: "directory size") }
    var out: [Member] = []
    for _ in 0..<count {
      guard u32(b, cd) == 0x0201_4B50 else { throw Malformed(description: "central header") }
      guard u16(b, cd + 10) == 0 else { throw Malformed(description: "not stored") }
      let crc = u32(b, cd + 16)
      let size = Int(u32(b, cd + 20))
      guard size == Int(u32(b, cd + 24)) else { throw Malformed(description: "sizes") }
      let nameLength = u16(b, cd + 28)
      let extra = u16(b, cd + 30) + u16(b, cd + 32)
      let local = Int(u32(b, cd + 42))
      let name = String(decoding: b[cd + 46..<cd + 46 + nameLength], as: UTF8.self)
      guard u32(b, local) == 0x0403_4B50, u32(b, local + 14) == crc,
        Int(u32(b, local + 18)) == size, u16(b, local + 26) == nameLength
      else { throw Malformed(description: "local header of \(name)") }
      let start = local + 30 + nameLength + u16(b, local + 28)
      let data = Array(b[start..<start + size])
      guard CRC32.checksum(data) == crc else { throw Malformed(description: "CRC of \(name)") }
      out.append(Member(name: name, data: data))
      cd += 46 + nameLength + extra
    }
    return out
  }
}
