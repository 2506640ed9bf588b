import Foundation
import Testing
import TMSCore
import TMSKernels
import TMSFigures
import TMSFiles

/// Snapshot files on disk: the fixture folder of valid and invalid files, and saving that
/// never loses an earlier file.
@Suite struct SnapshotFileTests {
  static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    .appendingPathComponent("Fixtures/snapshots")

  static func invalidCases() -> [String] {
    let text =
      (try? String(
        contentsOf: fixtures.appendingPathComponent("invalid/expected-errors.txt"), encoding: .utf8))
      ?? ""
    return text.split(separator: "\n").filter { !$0.hasPrefix("#") }.map(String.init)
  }

  /// Every valid fixture (version 1: four written by tms before the SAE, one by an
  /// independent Python script; version 2: one with an SAE) loads with exactly the values an independent JSON parser
  /// (Foundation's) reads from the file, restores into a run that trains on, and survives
  /// today's writer: encoded and read back, every value is the same.
  @Test(arguments: [
    "intro-small.json", "abs-small.json", "untrained.json", "python-v1.json", "pre-sae-intro.json",
    "sae-small.json",
  ])
  func validFixturesLoad(_ name: String) throws {
    let path = Self.fixtures.appendingPathComponent("valid/" + name).path
    let snap = try SnapshotStore.load(path)
    let doc = try #require(
      try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: path)))
        as? [String: Any])
    try expectSnapshot(snap, matches: doc)
    let run = try Run(snapshot: snap, threads: 2)
    #expect(run.step == snap.step)
    #expect(run.train(steps: 3))
    let again = try Snapshot.decode(try snap.encoded(), file: "memory")
    try expectSnapshot(
      again,
      matches: try #require(
        try JSONSerialization.jsonObject(with: Data(try snap.encoded())) as? [String: Any]))
    #expect(again.config == snap.config && again.step == snap.step)
    for (a, b) in zip(again.instances, snap.instances) {
      #expect(a.parameters == b.parameters && a.optimizer == b.optimizer && a.random == b.random)
    }
  }

  /// The Python-written snapshot holds what the script wrote: the values below are the
  /// script's, not tms's.
  @Test func pythonWrittenV1Loads() throws {
    let snap = try SnapshotStore.load(
      Self.fixtures.appendingPathComponent("valid/python-v1.json").path)
    #expect(snap.step == 7 && snap.config.name == "python" && snap.config.model == .reluOutput)
    #expect(snap.config.training.batchSize == 64 && snap.config.training.learningRate == 0.002)
    #expect(snap.config.training.seed == 3 && snap.config.training.steps == 100)
    #expect(snap.config.featureProbability[1] == [0.25, 0.25, 0.25])
    #expect(snap.instances[0].parameters.W == [[0.5, -0.25], [0.125, 0.75], [-1.5, 0.0625]])
    #expect(snap.instances[1].parameters.W[0] == [-0.5, -0.25])
    #expect(snap.instances[0].parameters.b == [-0.1, 0.2, 0])
    #expect(snap.instances[1].optimizer.step == 7 && snap.instances[1].optimizer.vb[2] == 0.0003)
    #expect(snap.instances[1].random.lanes[31] == 1 + 97 * 31 + 1000)
    #expect(snap.instances[0].random.group == 12_345_678_901_234_567_890)
    #expect(snap.instances[0].trainLossEMA == 0.03125)
    #expect(snap.lossHistory.steps == [1, 7] && snap.lossHistory.loss[1][1].isNaN)
  }

  /// Values of `snap` against the same file parsed by Foundation's JSON parser.
  func expectSnapshot(_ snap: Snapshot, matches doc: [String: Any]) throws {
    func floats(_ v: Any?) -> [Float] {
      ((v as? [Any]) ?? []).map { Float(($0 as! NSNumber).doubleValue) }
    }
    func rows(_ v: Any?) -> [[Float]] { ((v as? [Any]) ?? []).map(floats) }
    #expect(snap.step == (doc["step"] as? Int))
    let config = try #require(doc["config"] as? [String: Any])
    #expect(snap.config.features == config["features"] as? Int)
    #expect(snap.config.hidden == config["hidden"] as? Int)
    #expect(snap.config.model.rawValue == config["model"] as? String)
    #expect(snap.config.training.learningRate == (config["lr"] as? NSNumber)?.doubleValue)
    #expect(snap.config.training.seed == (config["seed"] as? NSNumber)?.uint64Value)
    let instances = try #require(doc["instances"] as? [[String: Any]])
    #expect(instances.count == snap.instances.count)
    let abs = snap.config.model == .abs
    for (s, d) in zip(snap.instances, instances) {
      let p = try #require(d["parameters"] as? [String: Any])
      #expect(s.parameters.W == rows(p[abs ? "W1" : "W"]))
      #expect(s.parameters.b == floats(p["b"]))
      if abs { #expect(s.parameters.W2 == rows(p["W2"])) }
      let o = try #require(d["optimizer"] as? [String: Any])
      #expect(s.optimizer.step == o["step"] as? Int)
      #expect(s.optimizer.mW == rows(o[abs ? "m_W1" : "m_W"]))
      #expect(s.optimizer.vb == floats(o["v_b"]))
      let r = try #require(d["random"] as? [String: Any])
      #expect(s.random.lanes == ((r["lanes"] as? [NSNumber]) ?? []).map(\.uint32Value))
      #expect(s.random.group == (r["group"] as? NSNumber)?.uint64Value)
    }
  }

  /// Every invalid fixture is rejected with exactly its one-line message naming the file.
  @Test(arguments: invalidCases())
  func invalidFixturesAreRejected(_ line: String) throws {
    let parts = line.split(separator: "\t", maxSplits: 1).map(String.init)
    try #require(parts.count == 2, "bad manifest line \(line)")
    let path = Self.fixtures.appendingPathComponent("invalid/" + parts[0]).path
    do {
      _ = try SnapshotStore.load(path)
      Issue.record("\(parts[0]) was accepted")
    } catch {
      #expect(error.description == "\(path): \(parts[1])")
      #expect(!error.description.contains("\n"), "one line")
    }
  }

  /// The manifest covers every file in invalid/.
  @Test func everyInvalidFixtureHasAnExpectedMessage() throws {
    let files = try FileManager.default.contentsOfDirectory(
      atPath: Self.fixtures.appendingPathComponent("invalid").path
    ).filter { $0.hasSuffix(".json") }
    let listed = Set(Self.invalidCases().map { String($0.split(separator: "\t")[0]) })
    #expect(Set(files) == listed)
    #expect(listed.count >= 30)
  }

  /// Truncating a valid file at any byte gives an error, never a crash or a wrong load.
  @Test func everyTruncationIsRejected() throws {
    let path = Self.fixtures.appendingPathComponent("valid/untrained.json").path
    let bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
    var cut = 0
    while cut < bytes.count - 2 {
      #expect(throws: SnapshotError.self) { try Snapshot.decode(Array(bytes[..<cut]), file: "t") }
      cut += 1 + cut / 16
    }
  }

  /// Loading something that is not a file gives a one-line error.
  @Test func missingFileAndFolder() {
    #expect(throws: SnapshotError(file: "/nonexistent/x.json", "no such file")) {
      try SnapshotStore.load("/nonexistent/x.json")
    }
    #expect(throws: SnapshotError(file: "/tmp", "is a folder, not a snapshot file")) {
      try SnapshotStore.load("/tmp")
    }
  }
}

/// Saving never loses anything: no overwrite without force, unique automatic names,
/// atomic replacement, clear errors for bad folders.
@Suite struct SnapshotSaveTests {
  func snapshot(steps: Int = 5) throws -> Snapshot {
    let run = try Run(config: .intro())
    run.train(steps: steps)
    return run.snapshot()
  }

  @Test func explicitPathRefusesToOverwriteWithoutForce() throws {
    let folder = TemporaryFolder()
    let path = folder.file("a.json")
    try SnapshotStore.save(try snapshot(steps: 5), to: path)
    let before = try Data(contentsOf: URL(fileURLWithPath: path))
    #expect(
      throws: SnapshotError(
        file: path, "already exists; not overwriting it (use --force to replace it)")
    ) {
      try SnapshotStore.save(try snapshot(steps: 6), to: path)
    }
    #expect(try Data(contentsOf: URL(fileURLWithPath: path)) == before)
    try SnapshotStore.save(try snapshot(steps: 7), to: path, force: true)
    #expect(try SnapshotStore.load(path).step == 7)
    #expect(folder.contents == ["a.json"], "no temporary files left: \(folder.contents)")
  }

  @Test func automaticNamesNeverCollide() throws {
    let folder = TemporaryFolder()
    let target = folder.file("snaps/")
    let date = Date(timeIntervalSince1970: 1_700_000_000)
    let a = try SnapshotStore.save(try snapshot(), to: target, date: date)
    let b = try SnapshotStore.save(try snapshot(), to: target, date: date)
    let c = try SnapshotStore.save(try snapshot(), to: folder.file("snaps"), date: date)
    #expect(Set([a, b, c]).count == 3)
    #expect(a.hasSuffix("/snaps/intro-5-\(Snapshot.stampForTests(date)).json"))
    #expect(b.hasSuffix("-2.json") && c.hasSuffix("-3.json"))
  }

  /// With no path, snapshots go to ./snapshots/ (created on demand). Run in a child
  /// process, because it changes the working directory.
  @Test func defaultFolderIsCreatedOnDemand() async throws {
    let folder = TemporaryFolder()
    await #expect(processExitsWith: .success) { [dir = folder.path as String] in
      guard chdir(dir) == 0 else { exit(3) }
      let run = try Run(config: .intro())
      run.train(steps: 5)
      let path = try SnapshotStore.save(run.snapshot())
      exit(
        path.hasPrefix("snapshots/intro-5-") && FileManager.default.fileExists(atPath: path) ? 0 : 4
      )
    }
    #expect(folder.contents == ["snapshots"])
  }

  @Test func badFoldersGiveOneLineErrors() throws {
    let s = try snapshot()
    #expect(
      throws: SnapshotError(
        file: "/nonexistent/x.json", "cannot save: the folder /nonexistent does not exist")
    ) {
      try SnapshotStore.save(s, to: "/nonexistent/x.json")
    }
    // A folder no file can be created in: a read-only one for an ordinary user; for root,
    // who may write anywhere the permissions say no, a folder of the kernel's (/proc).
    let temporary = TemporaryFolder()
    let folder: String
    if getuid() == 0 {
      #if os(Linux)
        folder = "/proc"
      #else
        folder = "/dev"
      #endif
    } else {
      folder = temporary.file("read-only")
      try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: false)
      chmod(folder, 0o555)
    }
    let target = folder + "/tms-test.json"
    do {
      let written = try SnapshotStore.save(s, to: target)
      Issue.record("saved into \(folder), which should refuse new files: \(written)")
    } catch {
      #expect(error.description.hasPrefix("\(target): cannot create a file in \(folder): "))
      #expect(!error.description.contains("\n"))
    }
  }

  /// `--save-to afile/` (or `afile/sub/`, `afile/x.json`) where `afile` is a regular file:
  /// fileExists says false (ENOTDIR), which used to pass the check and fail only at save
  /// time. The check now finds the nearest existing ancestor and refuses a file there.
  /// (Works as root too: ENOTDIR does not depend on permissions.)
  @Test func checkTargetRefusesAPathUnderARegularFile() throws {
    let folder = TemporaryFolder()
    let file = folder.file("afile")
    #expect(FileManager.default.createFile(atPath: file, contents: Data("x".utf8)))
    for target in [file + "/", file + "/sub/", file + "/sub/deeper/"] {
      #expect(
        throws: SnapshotError(
          file: target, "cannot save into this folder: \(file) is a file, not a folder")
      ) {
        try SnapshotStore.checkTarget(target, force: false)
      }
    }
    for target in [file + "/x.json", file + "/sub/x.json"] {
      #expect(
        throws: SnapshotError(file: target, "cannot save: \(file) is a file, not a folder")
      ) {
        try SnapshotStore.checkTarget(target, force: true)
      }
    }
    // The save itself agrees: nothing is written.
    #expect(throws: SnapshotError.self) { try SnapshotStore.save(try snapshot(), to: file + "/") }
    #expect(folder.contents == ["afile"])
  }

  /// A folder target that does not exist yet is fine under a writable folder (it is created
  /// on save, not by the check); under a folder that cannot be written the check refuses,
  /// naming that folder. The refusal is asserted exactly when access() says the folder is
  /// not writable (root may write anywhere, and then the check must pass).
  @Test func checkTargetLooksAtTheNearestExistingFolder() throws {
    let folder = TemporaryFolder()
    try SnapshotStore.checkTarget(folder.file("new/deeper/"), force: false)
    #expect(folder.contents.isEmpty, "the check creates nothing")
    let locked = folder.file("locked")
    try FileManager.default.createDirectory(
      atPath: locked, withIntermediateDirectories: false, attributes: [.posixPermissions: 0o555])
    defer { chmod(locked, 0o755) }
    let target = locked + "/new/deeper/"
    if access(locked, W_OK) == 0 {
      try SnapshotStore.checkTarget(target, force: false)
    } else {
      #expect {
        try SnapshotStore.checkTarget(target, force: false)
      } throws: { error in
        let d = (error as? SnapshotError)?.description ?? ""
        return d.hasPrefix("\(target): cannot create this folder in \(locked): ")
          && !d.contains("\n")
      }
    }
  }

  /// A write that fails half-way (a full disk, simulated by the hook) leaves the old file
  /// intact and no temporary file behind.
  @Test func failedWriteKeepsTheOldFile() throws {
    struct DiskFull: Error, CustomStringConvertible {
      var description: String { "the disk is full" }
    }
    let folder = TemporaryFolder()
    let path = folder.file("keep.json")
    try SnapshotStore.save(try snapshot(steps: 3), to: path)
    let before = try Data(contentsOf: URL(fileURLWithPath: path))
    let bytes = try snapshot(steps: 9).encoded()
    #expect(throws: SnapshotError.self) {
      try AtomicFile.write(bytes, to: path, replace: true, chunkSize: 1000) { written in
        if written >= 3000 { throw DiskFull() }
      }
    }
    #expect(try Data(contentsOf: URL(fileURLWithPath: path)) == before)
    #expect(folder.contents == ["keep.json"])
  }

  /// The writer process killed with SIGKILL in the middle of writing the new file: the old
  /// file is intact and still loads. (The child is this test binary, run as an exit test.)
  @Test func sigkillDuringWriteKeepsTheOldFile() async throws {
    let folder = TemporaryFolder()
    let path = folder.file("old.json")
    try SnapshotStore.save(try snapshot(steps: 3), to: path)
    let before = try Data(contentsOf: URL(fileURLWithPath: path))
    await #expect(processExitsWith: .signal(SIGKILL)) { [path = path as String] in
      let run = try Run(config: .intro())
      run.train(steps: 50)
      let bytes = try run.snapshot().encoded()
      try AtomicFile.write(bytes, to: path, replace: true, chunkSize: 512) { written in
        if written >= bytes.count / 2 { kill(getpid(), SIGKILL) }
      }
    }
    #expect(try Data(contentsOf: URL(fileURLWithPath: path)) == before, "old file changed")
    #expect(try SnapshotStore.load(path).step == 3)
    let leftovers = folder.contents.filter { $0 != "old.json" }
    #expect(leftovers.allSatisfy { $0.hasPrefix(".old.json.tmp-") }, "\(leftovers)")
  }

  /// A snapshot taken from a live trainer while it trains is consistent: it equals a run
  /// trained from scratch for the same number of steps, bit for bit.
  @Test func liveCheckpointIsConsistent() throws {
    var c = RunConfig.intro()
    c.training.steps = 0
    let run = try Run(config: c, threads: 2)
    let trainer = Trainer(run: run)
    trainer.start()
    defer { trainer.shutdown() }
    #expect(
      eventually { trainer.snapshot.step > 0 && trainer.snapshot.lossHistory.steps.count > 1 })
    let snap = try #require(trainer.checkpoint())
    #expect(snap.step > 0)
    #expect(snap.lossHistory.steps.allSatisfy { $0 <= snap.step })
    #expect(!snap.lossHistory.steps.isEmpty)
    let replay = try Run(config: c, threads: 1)
    replay.train(steps: snap.step)
    let loss = replay.estimateLosses(samples: c.training.batchSize)
    let expected = replay.snapshot(
      history: snap.lossHistory, evalLoss: loss.map(\.mean),
      evalLossError: loss.map(\.standardError), date: SnapshotCompare.date)
    var got = snap
    got.created = expected.created
    SnapshotCompare.expectIdentical(expected, got)
    // The published picture lags the run by up to a publication interval: wait for it.
    #expect(eventually { trainer.snapshot.step >= snap.step }, "training went on")
  }

  /// A checkpoint is its own command: on a paused trainer it copies the state without
  /// training, without clearing the notice of a rejected edit, and it answers in order.
  @Test func checkpointChangesNothingElse() throws {
    let run = try Run(config: .intro(), threads: 1)
    let trainer = Trainer(run: run, paused: true)
    trainer.start()
    defer { trainer.shutdown() }
    trainer.step(7)
    trainer.update { $0.training.learningRate = -1 }
    let before = try #require(trainer.waitUntilApplied())
    #expect(before.notice?.contains("rejected") == true)
    let snap = try #require(trainer.checkpoint(timeout: .seconds(5)))
    #expect(snap.step == 7)
    let after = try #require(trainer.waitUntilApplied())
    #expect(after.step == 7, "a checkpoint never trains")
    #expect(after.notice == before.notice, "the rejected edit's notice stays")
  }
}
