import Foundation
import Testing
import TMSCore
import TMSFiles
import TMSKernels

/// The SAE in snapshots and `.npz` files: saved and loaded exactly, resumed exactly, written
/// as version 2 only when there is an SAE, and every snapshot without one written byte for
/// byte as before the SAE existed.
@Suite struct SAESnapshotTests {
  static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    .appendingPathComponent("Fixtures/snapshots")

  /// A small run whose SAE has trained a little (5→2 × 2, SAE 3 latents × 3 instances).
  static func config() -> RunConfig {
    var c = RunConfig(
      name: "sae-small", features: 5, hidden: 2, instances: 2,
      training: TrainingSettings(steps: 60, seed: 4))
    c.setUniformProbability(0.1)
    c.sae = SAEConfig(latents: 3, instances: 3, l1Coefficient: [0.2, 0.5, 4], deadSteps: 25)
    return c
  }

  /// Encode → decode gives the same state bit for bit, and re-encoding the same bytes; the
  /// file says version 2 and holds the `sae` section and `config.sae`.
  @Test func encodeDecodeIsIdentity() throws {
    let run = try Run(config: Self.config(), threads: 2)
    run.advance(steps: 160)
    let snap = run.snapshot(date: SnapshotCompare.date)
    let bytes = try snap.encoded()
    let back = try Snapshot.decode(bytes, file: "memory")
    SnapshotCompare.expectIdentical(snap, back)
    SAECompare.expectIdentical(try #require(snap.sae), try #require(back.sae))
    #expect(try back.encoded() == bytes)
    let doc = try #require(try JSONSerialization.jsonObject(with: Data(bytes)) as? [String: Any])
    #expect(doc["version"] as? Int == 2)
    #expect((doc["config"] as? [String: Any])?["sae"] != nil)
    let sae = try #require(doc["sae"] as? [String: Any])
    #expect(sae["step"] as? Int == 100)
    #expect((sae["instances"] as? [Any])?.count == 3)
  }

  /// Stopping during the SAE stage, saving, loading and training on (on another thread
  /// count) gives exactly the state of never having stopped.
  @Test func resumeEqualsContinuous() throws {
    let continuous = try Run(config: Self.config(), threads: 1)
    continuous.advance(steps: 400)
    let first = try Run(config: Self.config(), threads: 2)
    first.advance(steps: 150)
    let folder = TemporaryFolder()
    let path = try SnapshotStore.save(first.snapshot(), to: folder.file("half.json"))
    let resumed = try Run(snapshot: try SnapshotStore.load(path), threads: 3)
    #expect(resumed.saeStarted && resumed.saeStep == 90)
    resumed.advance(steps: 250)
    let a = continuous.snapshot(date: SnapshotCompare.date)
    let b = resumed.snapshot(date: SnapshotCompare.date)
    SnapshotCompare.expectIdentical(a, b)
    SAECompare.expectIdentical(try #require(a.sae), try #require(b.sae))
  }

  /// A run with an SAE configured that has not reached it yet: version 2 (its config has
  /// the key), no `sae` section; loaded, it trains the rest of the model, then the SAE.
  @Test func configuredButNotStarted() throws {
    let run = try Run(config: Self.config())
    run.advance(steps: 20)
    let bytes = try run.snapshot().encoded()
    let doc = try #require(try JSONSerialization.jsonObject(with: Data(bytes)) as? [String: Any])
    #expect(doc["version"] as? Int == 2 && doc["sae"] == nil)
    let back = try Run(snapshot: try Snapshot.decode(bytes, file: "m"))
    #expect(!back.saeStarted)
    back.advance(steps: 50)
    #expect(back.step == 60 && back.saeStep == 10)
  }

  /// Without an SAE nothing changes: version 1, no `sae` key anywhere; and a snapshot written
  /// by tms before the SAE existed (commit d2c5783) re-encodes to exactly its bytes (its
  /// metrics keys renamed as issue #11 renamed them: `attack_gain` → `attack_gain_bound`,
  /// with `eval_loss_se` and `eval_loss_paper_se` null, as that file knew no error).
  @Test func snapshotsWithoutAnSAEAreUnchanged() throws {
    let run = try Run(config: .intro())
    run.train(steps: 30)
    let text = String(decoding: try run.snapshot().encoded(), as: UTF8.self)
    #expect(text.contains("\"version\": 1,"))
    #expect(!text.contains("\"sae\""))
    let path = Self.fixtures.appendingPathComponent("valid/pre-sae-intro.json").path
    let original = try #require(FileManager.default.contents(atPath: path))
    let snap = try SnapshotStore.load(path)
    #expect(snap.sae == nil && snap.config.sae == nil)
    let restored = try Run(snapshot: snap)
    var again = restored.snapshot(
      history: snap.lossHistory, evalLoss: snap.instances.map(\.metrics.evalLoss))
    again.created = snap.created
    #expect(try again.encoded() == [UInt8](original), "pre-SAE snapshot re-encodes byte for byte")
  }

  /// The version-2 fixture tms wrote (`tms sae --preset intro --instances 2 --probability
  /// 0.05 --steps 300 --sae-instances 2 --latents 3 --sae-steps 100 --dead-steps 40 --save`)
  /// holds exactly what Foundation's own JSON parser reads from it, and its SAE trains on.
  @Test func tmsWrittenSAEFixtureLoads() throws {
    let path = Self.fixtures.appendingPathComponent("valid/sae-small.json").path
    let snap = try SnapshotStore.load(path)
    let doc = try #require(
      try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: path)))
        as? [String: Any])
    let sae = try #require(doc["sae"] as? [String: Any])
    let items = try #require(sae["instances"] as? [[String: Any]])
    let state = try #require(snap.sae)
    #expect(state.step == sae["step"] as? Int && items.count == state.instances.count)
    func rows(_ v: Any?) -> [[Float]] {
      ((v as? [[Double]]) ?? []).map { $0.map { Float($0) } }
    }
    for (item, inst) in zip(items, state.instances) {
      let p = try #require(item["parameters"] as? [String: Any])
      #expect(rows(p["W_enc"]) == inst.parameters.encoder)
      #expect(rows(p["W_dec"]) == inst.parameters.decoder)
      #expect(((p["b_dec"] as? [Double]) ?? []).map { Float($0) } == inst.parameters.decoderBias)
      let v = try #require((item["optimizer"] as? [String: Any])?["v"] as? [String: Any])
      #expect(rows(v["W_dec"]) == inst.optimizer.second.decoder)
      #expect(item["last_fired"] as? [Int] == inst.lastFired)
      #expect(item["resamples"] as? Int == inst.resamples)
    }
    let run = try Run(snapshot: snap, threads: 2)
    #expect(run.saeStarted && run.step == 300 && run.saeStep == 100)
    #expect(run.advance(steps: 5) == 5 && run.saeStep == 105)
  }

  /// The SAE's arrays in the `.npz`, SAE instance axis first, next to the model's.
  @Test func npzHasTheSAEArrays() throws {
    let run = try Run(config: Self.config())
    run.advance(steps: 100)
    let arrays = run.snapshot().numpyArrays()
    func shape(_ name: String) -> [Int]? { arrays.first { $0.name == name }?.shape }
    #expect(shape("W") == [2, 5, 2])
    #expect(shape("sae_W_enc") == [3, 3, 2] && shape("sae_W_dec") == [3, 3, 2])
    #expect(shape("sae_b_enc") == [3, 3] && shape("sae_b_dec") == [3, 2])
    #expect(shape("sae_cosine") == [3, 3, 5] && shape("sae_feature_recovery") == [3, 5])
    #expect(shape("sae_recovery") == [3] && shape("sae_l1_coefficient") == [3])
    #expect(shape("sae_dead") == [3, 3] && shape("sae_firing") == [3, 3])
    #expect(shape("sae_model_instance") == [3] && shape("sae_step") == [])
    let plain = try Run(config: .intro()).snapshot().numpyArrays()
    #expect(!plain.contains { $0.name.hasPrefix("sae_") })
    // The decoder array holds the decoder's columns, latent by latent.
    let dec = try #require(arrays.first { $0.name == "sae_W_dec" })
    let first = try #require(run.saeParameters(instance: 0)).decoder[0][1]
    let bytes = Array(dec.data[4..<8])
    #expect(bytes.withUnsafeBytes { $0.load(as: UInt32.self) } == first.bitPattern.littleEndian)
  }
}
