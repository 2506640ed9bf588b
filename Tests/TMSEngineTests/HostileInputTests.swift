import Foundation
import Testing
@testable import TMSCore
import TMSKernels
@testable import TMSFiles

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// What an attacker's files and paths meet: text from files shown escaped and cut, special
/// files refused as inputs and written into (never replaced) as outputs, temporary files of
/// killed saves cleaned up, step counts that cannot overflow, diverged sweep cells marked.
@Suite struct HostileInputTests {
  static let hostile = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    .appendingPathComponent("Fixtures/hostile")

  /// True when `text` holds a C0 or C1 control character or DEL.
  static func hasControl(_ text: String) -> Bool {
    text.unicodeScalars.contains { $0.value < 0x20 || (0x7F...0x9F).contains($0.value) }
  }

  // MARK: - Text from files

  @Test func displayTextEscapesControlsAndKeepsTheRest() {
    #expect(DisplayText.escaped("plain ‖W‖ 1−S π") == "plain ‖W‖ 1−S π")
    #expect(DisplayText.escaped("a\u{1B}]52;c;SGk=\u{07}b") == "a^[]52;c;SGk=^Gb")
    #expect(DisplayText.escaped("\u{1B}[2J\n\t\u{7F}\u{9B}31m") == "^[[2J^J^I^?\\x9b31m")
    #expect(DisplayText.escaped("\u{0}") == "^@")
  }

  @Test func displayTextCutsAtTheLimit() {
    #expect(DisplayText.escaped(String(repeating: "x", count: 10), limit: 10).count == 10)
    #expect(DisplayText.escaped(String(repeating: "x", count: 10), limit: 10).last == "x")
    let cut = DisplayText.escaped(String(repeating: "x", count: 11), limit: 10)
    #expect(cut == String(repeating: "x", count: 9) + "…")
    // An escape is not split by the cut: it goes whole or not at all.
    let escapes = DisplayText.escaped(String(repeating: "\u{1B}", count: 20), limit: 10)
    #expect(escapes == String(repeating: "^[", count: 4) + "…")
    // 50 MB of a value costs the limit, not the value.
    let huge = String(repeating: "\u{1B}]52;", count: 10_000_000)
    let clock = ContinuousClock()
    let start = clock.now
    let shown = DisplayText.escaped(huge)
    #expect((DisplayText.limit - 2)...DisplayText.limit ~= shown.unicodeScalars.count)
    #expect(shown.hasSuffix("…"))
    #expect(!Self.hasControl(shown))
    #expect(clock.now - start < .seconds(1))
  }

  /// The readers' own errors never carry a control character from the file and stay short,
  /// whatever the file holds.
  @Test func readerErrorsAreEscapedAndBounded() throws {
    for name in ["escape-key-preset.json", "escape-value-preset.json"] {
      let path = Self.hostile.appendingPathComponent(name).path
      #expect {
        _ = try Preset.load(path: path, views: nil)
      } throws: { error in
        let text = (error as? PresetError)?.description ?? ""
        return !Self.hasControl(text) && text.contains("^[]52;c;") && !text.contains("\n")
      }
    }
    let huge =
      "{\"features\": 5, \"model\": \"" + String(repeating: "\\u001b]52;", count: 1_000_000)
      + "\"}"
    #expect {
      _ = try Preset.parse(bytes: Array(huge.utf8), file: "huge.json", views: nil)
    } throws: { error in
      let text = (error as? PresetError)?.description ?? ""
      return !Self.hasControl(text) && text.count < 700
    }
    var snapshot = try String(
      contentsOf: Self.hostile.appendingPathComponent("escape-snapshot.json"), encoding: .utf8)
    snapshot = snapshot.replacingOccurrences(
      of: "\"features\":", with: "\"feat\\u001b[2Jures\": 1, \"features\":")
    #expect {
      _ = try Snapshot.decode(Array(snapshot.utf8), file: "s.json")
    } throws: { error in
      let text = (error as? SnapshotError)?.description ?? ""
      return !Self.hasControl(text) && text.contains("feat^[[2Jures")
    }
  }

  /// The hostile fixtures themselves are valid files (so every test that shows them tests
  /// the display, not an error path), and their text really holds the escapes.
  @Test func hostileFixturesLoad() throws {
    let preset = try Preset.load(
      path: Self.hostile.appendingPathComponent("escape-preset.json").path, views: nil)
    #expect(preset.config.name.contains("\u{1B}]52;c;"))
    #expect(preset.description.contains("\u{9B}"))
    let snapshot = try SnapshotStore.load(
      Self.hostile.appendingPathComponent("escape-snapshot.json").path)
    #expect(snapshot.config.name.contains("\u{1B}[2J"))
    #expect(snapshot.instances[0].divergence?.contains("\u{1B}]52;") == true)
  }

  /// JSON written by tms escapes DEL and the C1 controls as well as the C0 ones.
  @Test func jsonEscapesEveryControl() throws {
    let snapshot = try SnapshotStore.load(
      Self.hostile.appendingPathComponent("escape-snapshot.json").path)
    let text = String(decoding: try snapshot.encoded(), as: UTF8.self)
    #expect(!Self.hasControl(text.replacingOccurrences(of: "\n", with: "")))
    #expect(text.contains("\\u001b]52;c;"))
    #expect(text.contains("\\u009b"))
    #expect(try Snapshot.decode(try snapshot.encoded(), file: "again").config == snapshot.config)
  }

  // MARK: - Special files as inputs

  @Test(arguments: ["/dev/zero", "/dev/urandom", "/dev/null"])
  func devicesAreNotRead(_ device: String) {
    #expect {
      _ = try SnapshotStore.load(device)
    } throws: { error in
      (error as? SnapshotError)?.message
        == "is a character device, not a file; only regular files are read"
    }
    #expect {
      _ = try Preset.load(path: device, views: nil)
    } throws: { error in
      (error as? PresetError)?.message
        == "is a character device, not a file; only regular files are read"
    }
  }

  @Test func fifoAndLinksToDevicesAreNotRead() throws {
    let folder = TemporaryFolder()
    let fifo = folder.file("pipe.json")
    #expect(mkfifo(fifo, 0o600) == 0)
    #expect {
      _ = try SnapshotStore.load(fifo)
    } throws: { error in
      (error as? SnapshotError)?.message
        == "is a FIFO (named pipe), not a file; only regular files are read"
    }
    let link = folder.file("zero.json")
    #expect(symlink("/dev/zero", link) == 0)
    #expect(throws: SnapshotError.self) { _ = try SnapshotStore.load(link) }
    // A link to a regular file reads that file.
    let run = try Run(config: .intro())
    try SnapshotStore.save(run.snapshot(), to: folder.file("real.json"))
    #expect(symlink(folder.file("real.json"), folder.file("link.json")) == 0)
    #expect(try SnapshotStore.load(folder.file("link.json")).config == run.config)
  }

  /// Sweep files and sweep result files (`tms sweep run --file`, `merge`, `csv`, `tms
  /// --sweep`) are read like snapshots: a device or a FIFO is one line, never a hang; text
  /// the file holds is escaped in the error.
  @Test func sweepFilesAreReadLikeSnapshots() throws {
    let noPreset: (String) throws -> RunConfig = { _ in RunConfig() }
    #expect {
      _ = try SweepResultFile.read("/dev/zero")
    } throws: { error in
      (error as? SweepFileError)?.description
        == "/dev/zero: is a character device, not a file; only regular files are read"
    }
    #expect {
      _ = try SweepSpecFile.load("/dev/urandom", resolvePreset: noPreset)
    } throws: { error in
      (error as? SweepFileError)?.message
        == "is a character device, not a file; only regular files are read"
    }
    let folder = TemporaryFolder()
    let fifo = folder.file("pipe.jsonl")
    #expect(mkfifo(fifo, 0o600) == 0)
    #expect {
      _ = try SweepResultFile.read(fifo)
    } throws: { error in
      (error as? SweepFileError)?.message
        == "is a FIFO (named pipe), not a file; only regular files are read"
    }
    let sweep = folder.file("sweep.json")
    // The key holds OSC 52 (JSON escapes in the file) and is 10,000 characters long.
    let key = "k\\u001b]52;c;SGk=\\u0007" + String(repeating: "x", count: 10_000)
    let json = "{\"axes\": [{\"key\": \"lr\", \"values\": [0.001]}], \"\(key)\": 1}"
    try Data(json.utf8).write(to: URL(fileURLWithPath: sweep))
    #expect {
      _ = try SweepSpecFile.load(sweep, resolvePreset: noPreset)
    } throws: { error in
      guard let e = error as? SweepFileError else { return false }
      return !Self.hasControl(e.description) && e.message.count <= 400
        && e.message.hasPrefix("k^[]52;c;SGk=^G")
    }
  }

  @Test func filesOverTheLimitAreNotRead() throws {
    let folder = TemporaryFolder()
    let path = folder.file("big.json")
    try Data(repeating: 0x20, count: 5000).write(to: URL(fileURLWithPath: path))
    #expect {
      _ = try FileReading.read(path, limit: 4096, what: "snapshot")
    } throws: { error in
      (error as? FileReading.Failure)?.message
        == "is 4.8 KiB, more than the 4 KiB a snapshot file may be"
    }
    #expect(try FileReading.read(path, limit: 5000, what: "snapshot").count == 5000)
    #expect(SnapshotStore.maxFileSize == 4 << 30)
    #expect(Preset.maxFileSize == 16 << 20)
  }

  // MARK: - Special files as outputs

  /// A FIFO is written into (its reader gets the bytes) and stays a FIFO.
  @Test func fifoIsWrittenInto() throws {
    let folder = TemporaryFolder()
    let fifo = folder.file("out.fifo")
    #expect(mkfifo(fifo, 0o600) == 0)
    let reader = open(fifo, O_RDONLY | O_NONBLOCK)
    #expect(reader >= 0)
    defer { close(reader) }
    let bytes = Array("hello through a pipe\n".utf8)
    try SnapshotStore.checkTarget(fifo, force: false)
    try AtomicFile.write(bytes, to: fifo, replace: false)
    var buffer = [UInt8](repeating: 0, count: 100)
    let count = read(reader, &buffer, buffer.count)
    #expect(Array(buffer.prefix(max(0, count))) == bytes)
    var info = stat()
    #expect(lstat(fifo, &info) == 0 && (info.st_mode & S_IFMT) == S_IFIFO)
  }

  /// A symbolic link to a regular file stays a link: with `replace`, the file it points to
  /// gets the new bytes; without, it is refused like the file. A link to nothing is refused.
  @Test func linksAreWrittenThroughNeverReplaced() throws {
    let folder = TemporaryFolder()
    let file = folder.file("real.txt")
    let link = folder.file("link.txt")
    try Data("old".utf8).write(to: URL(fileURLWithPath: file))
    #expect(symlink(file, link) == 0)
    #expect(throws: SnapshotError.self) {
      try AtomicFile.write(Array("new".utf8), to: link, replace: false)
    }
    #expect(throws: SnapshotError.self) { try SnapshotStore.checkTarget(link, force: false) }
    try SnapshotStore.checkTarget(link, force: true)
    try AtomicFile.write(Array("new".utf8), to: link, replace: true)
    #expect(try String(contentsOfFile: file, encoding: .utf8) == "new")
    var info = stat()
    #expect(lstat(link, &info) == 0 && (info.st_mode & S_IFMT) == S_IFLNK)
    let dangling = folder.file("dangling.txt")
    #expect(symlink(folder.file("missing.txt"), dangling) == 0)
    #expect {
      try AtomicFile.write(Array("x".utf8), to: dangling, replace: true)
    } throws: { error in
      (error as? SnapshotError)?.message
        == "is a symbolic link to a missing file; not writing through it"
    }
    #expect(!FileManager.default.fileExists(atPath: folder.file("missing.txt")))
  }

  // MARK: - Temporary files of killed saves

  @Test func temporaryNamesCarryTheWriter() {
    #expect(StaleTemporaryFiles.writer(of: ".a.json.tmp-tms123-AbC9z0") == 123)
    #expect(StaleTemporaryFiles.writer(of: ".a.tmp-tms.json.tmp-tms7-abcdef") == 7)
    #expect(StaleTemporaryFiles.writer(of: ".a.json.tmp-Abc9z0") == nil)
    #expect(StaleTemporaryFiles.writer(of: "a.json.tmp-tms123-AbC9z0") == nil)
    #expect(StaleTemporaryFiles.writer(of: ".a.json.tmp-tms123-AbC9z") == nil)
    #expect(StaleTemporaryFiles.writer(of: ".a.json.tmp-tmsx-AbC9z0") == nil)
    #expect(StaleTemporaryFiles.template(for: "a.json").hasPrefix(".a.json.tmp-tms\(getpid())-"))
  }

  /// The next write into a folder removes the temporary files of writers that are gone,
  /// and nothing else: not another program's look-alike, not a running writer's, not a link.
  @Test func nextWriteRemovesOnlyStaleTemporariesOfOurs() throws {
    let folder = TemporaryFolder()
    // A process id that is not running: the highest ones are free on any ordinary system.
    var dead: Int32 = 4_194_000
    while kill(dead, 0) == 0 || errno != ESRCH { dead -= 1 }
    let stale = ".snap.json.tmp-tms\(dead)-a1B2c3"
    let running = ".snap.json.tmp-tms\(getppid())-a1B2c3"
    let foreign = ".snap.json.tmp-a1B2c3"
    let linked = ".other.json.tmp-tms\(dead)-zzzzzz"
    for name in [stale, running, foreign, "keep.txt"] {
      try Data("x".utf8).write(to: URL(fileURLWithPath: folder.file(name)))
    }
    #expect(symlink(folder.file("keep.txt"), folder.file(linked)) == 0)
    try AtomicFile.write(Array("new".utf8), to: folder.file("snap.json"), replace: false)
    #expect(folder.contents == [foreign, linked, running, "keep.txt", "snap.json"].sorted())
  }

  /// A save killed half-way leaves its temporary file; the next save in that folder removes
  /// it. (The killed writer is this test binary run as an exit test.)
  @Test func killedSaveIsCleanedUpByTheNext() async throws {
    let folder = TemporaryFolder()
    let path = folder.file("old.json")
    try SnapshotStore.save(try Run(config: .intro()).snapshot(), to: path)
    await #expect(processExitsWith: .signal(SIGKILL)) { [path = path as String] in
      let run = try Run(config: .intro())
      let bytes = try run.snapshot().encoded()
      try AtomicFile.write(bytes, to: path, replace: true, chunkSize: 512) { written in
        if written >= bytes.count / 2 { kill(getpid(), SIGKILL) }
      }
    }
    let left = folder.contents.filter { $0.hasPrefix(".old.json.tmp-tms") }
    #expect(left.count == 1, "\(folder.contents)")
    try SnapshotStore.save(try Run(config: .intro()).snapshot(), to: folder.file("new.json"))
    #expect(folder.contents == ["new.json", "old.json"])
  }

  // MARK: - Numbers that pass validation

  @Test func snapshotStepIsBounded() throws {
    let text = try String(
      contentsOf: Self.hostile.appendingPathComponent("../snapshots/valid/intro-small.json"),
      encoding: .utf8)
    func with(step: String) -> [UInt8] {
      let range = text.range(of: #""step": [0-9]+"#, options: .regularExpression)!
      return Array(text.replacingCharacters(in: range, with: "\"step\": \(step)").utf8)
    }
    #expect(try Snapshot.decode(with(step: "\(Snapshot.maxStep)"), file: "s").step == 1 << 53)
    for step in ["\(Snapshot.maxStep + 1)", "\(Int.max)"] {
      #expect {
        _ = try Snapshot.decode(with(step: step), file: "s")
      } throws: { error in
        (error as? SnapshotError)?.message
          == "step: must be at most 2^53 = 9007199254740992, got \(step)"
      }
    }
  }

  /// A seed that did not diverge wins over any that did, then the lowest finite loss.
  @Test func divergedSeedsLoseToHealthyOnes() {
    #expect(PhaseSweep.winner(losses: [0.1, 0.5, 0.3], diverged: []) == 0)
    #expect(PhaseSweep.winner(losses: [0.1, 0.5, 0.3], diverged: [0]) == 2)
    #expect(PhaseSweep.winner(losses: [0.1, 0.5, 0.3], diverged: [0, 2]) == 1)
    #expect(PhaseSweep.winner(losses: [0.1, 0.5, 0.3], diverged: [0, 1, 2]) == 0)
    #expect(PhaseSweep.winner(losses: [.nan, 0.5, 0.3], diverged: [1]) == 2)
  }

  /// At a learning rate of 1e6 every cell of a sweep diverges: each is marked, with its
  /// seeds, counted in the result and in the JSON; at the default rate none is.
  @Test func divergedCellsAreMarkedAndCounted() throws {
    var config = PhaseSweepConfig(
      features: 2, grid: 2, seeds: 2, training: TrainingSettings(steps: 200, seed: 3))
    let healthy = try PhaseSweep(config: config).run(threads: 2)
    #expect(healthy.divergedCells.isEmpty)
    config.training.learningRate = 1e6
    let blown = try PhaseSweep(config: config).run(threads: 2)
    #expect(blown.divergedCells.count == 4)
    #expect(blown.divergedCells.allSatisfy { $0.divergedSeeds == [0, 1] })
    let json = String(decoding: blown.json(agreement: nil), as: UTF8.self)
    #expect(json.contains("\"diverged_cells\": 4"))
    #expect(json.contains("\"diverged_seeds\": [0, 1]"))
    #expect(
      String(decoding: healthy.json(agreement: nil), as: UTF8.self)
        .contains("\"diverged_cells\": 0"))
  }
}
