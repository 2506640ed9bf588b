import Foundation
import TMSApp
import TMSCore
import TMSFiles
import TMSRender
import Testing

/// The SAE view (0): its panels drawn from fixed weights, its keys and sliders, and — on a
/// stepped trainer — latents dying as λ is raised, which the view then says.
@Suite struct SAEViewTests {
  /// Fixed weights: the teaching model (5→2 × 4 at p = 0.01, 10,000 steps) with 4 SAEs of 5
  /// latents, λ log-spaced 0.1 … 3, trained 10,000 steps (`tms sae --preset sae-intro
  /// --instances 4 --sae-instances 4 --l1-sweep 0.1 3 --save`), saved once.
  static let fixture: Snapshot = {
    let path = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
      .appendingPathComponent("Fixtures/sae-intro.json").path
    return try! SnapshotStore.load(path)
  }()

  func explorer(_ snap: Snapshot) throws -> Explorer {
    Explorer.forTests(SteppedTrainer(run: try Run(config: snap.config)))
  }

  @Test(arguments: [(80, 24), (100, 30)])
  func viewGolden(size: (Int, Int)) throws {
    let snap = Self.fixture.trainingSnapshot()
    let e = try explorer(Self.fixture)
    e.handle(.key(.char("0")))
    #expect(e.state.view == .sae)
    let buf = e.render(snap, width: size.0, height: size.1, depth: .xterm256)
    expectGolden(buf.text, named: "view-sae-\(size.0)x\(size.1)")
  }

  /// What the view says about each SAE of the fixture: the well-tuned ones (λ 0.31, 0.97)
  /// found every feature; λ = 3 killed two latents, which the firing panel and the summary
  /// mark and explain; the cosine panel names each latent's feature.
  @Test func eachInstanceIsExplained() throws {
    let snap = Self.fixture.trainingSnapshot()
    let e = try explorer(Self.fixture)
    e.handle(.key(.char("0")))
    e.handle(.key(.char("n")))
    #expect(e.state.saeInstance == 1)
    var text = e.render(snap, width: 120, height: 40, depth: .xterm256).text
    #expect(text.contains("recovery 1.000 · λ 0.31"), "\(text)")
    #expect(text.contains("✓ every feature has its latent"))
    #expect(text.contains("5/5 features found"))
    for _ in 0..<5 { e.handle(.key(.char("n"))) }
    #expect(e.state.saeInstance == 3, "n stops at the last SAE instance")
    text = e.render(snap, width: 120, height: 40, depth: .xterm256).text
    #expect(text.contains("⚠ 2/5 latents dead: λ too large (silent 500 steps)"), "\(text)")
    #expect(text.contains("dead · resampled 9×"))
    #expect(text.components(separatedBy: " dead").count - 1 >= 2)
    e.handle(.key(.char("N")))
    #expect(e.state.saeInstance == 2)
  }

  /// In another view `n` still moves the model instance, not the SAE's.
  @Test func nMovesTheModelInstanceElsewhere() throws {
    let e = try explorer(Self.fixture)
    e.handle(.key(.char("n")))
    #expect(e.state.instance == 1 && e.state.saeInstance == 0)
  }

  /// The sliders: 0 focuses λ; `]` raises the focused SAE instance's λ only (a live edit);
  /// the latents slider restarts the SAE; the SAE lr acts on every instance; ↑↓ stay among
  /// the SAE's sliders; leaving the view gives the focus back to the model's sliders.
  @Test func slidersEditTheSAE() throws {
    let t = SteppedTrainer(run: try Run(config: Self.fixture.config))
    let e = Explorer.forTests(t)
    e.handle(.key(.char("0")))
    #expect(e.state.focus == .control(.l1))
    e.handle(.key(.char("n")))
    let before = try #require(e.state.desired.sae).l1Coefficient
    e.handle(.key(.char("]")))
    let after = try #require(e.state.desired.sae).l1Coefficient
    #expect(after[1] > before[1] && after[0] == before[0] && after[2...] == before[2...])
    #expect(t.snapshot.config.sae?.l1Coefficient == after, "the trainer got the edit")
    e.handle(.key(.char("j")))
    #expect(e.state.focus == .control(.latents))
    e.handle(.key(.char("+")))
    #expect(e.state.desired.sae?.latents == 6)
    e.handle(.key(.char("j")))
    #expect(e.state.focus == .control(.saeLR))
    e.handle(.key(.char("[")))
    #expect((e.state.desired.sae?.learningRate ?? 1) < 1e-3)
    e.handle(.key(.char("j")))
    #expect(e.state.focus == .control(.l1), "↓ wraps within the SAE's sliders")
    e.handle(.key(.tab))
    #expect(e.state.focus == .control(.l1))
    e.handle(.key(.char("1")))
    #expect(e.state.focus == .control(.probability))
  }

  /// Without an SAE the view says how to get one, and its sliders change nothing.
  @Test func noSAE() throws {
    let t = SteppedTrainer(run: try Run(config: .intro()))
    let e = Explorer.forTests(t)
    e.handle(.key(.char("0")))
    let text = e.render(t.snapshot, width: 100, height: 30, depth: .xterm256).text
    #expect(text.contains("no SAE in this run: load sae-intro"), "\(text)")
    let applied = t.snapshot.appliedCommands
    e.handle(.key(.char("]")))
    #expect(t.snapshot.appliedCommands == applied)
    #expect(e.state.desired.sae == nil)
  }

  /// Before the model has trained its steps the view waits, and says for how long.
  @Test func waitsForTheModel() throws {
    var c = RunConfig(features: 5, hidden: 2, instances: 2, training: TrainingSettings(steps: 300))
    c.sae = SAEConfig(latents: 5, instances: 2)
    let t = SteppedTrainer(run: try Run(config: c))
    let e = Explorer.forTests(t)
    e.handle(.key(.char("0")))
    t.step(100)
    var text = e.render(t.snapshot, width: 100, height: 30, depth: .xterm256).text
    #expect(text.contains("training the model first: step 100 of 300"), "\(text)")
    t.step(250)
    text = e.render(t.snapshot, width: 100, height: 30, depth: .xterm256).text
    #expect(text.contains("step 300 · SAE 50"), "\(text)")
    #expect(!text.contains("training the model first"))
  }

  /// The end-to-end story on a stepped trainer: the SAE finds the pentagon's features; then
  /// λ raised with `]` until it reaches 10 kills every latent within 6,000 steps (the
  /// same run headless: none dead after 2,000, all five after 4,000), and the view says so.
  @Test func raisingLambdaKillsTheLatents() throws {
    var c = RunConfig(
      name: "sae-story", features: 5, hidden: 2, instances: 1,
      training: TrainingSettings(steps: 6000))
    c.setUniformProbability(0.03)
    c.sae = SAEConfig(latents: 5, instances: 1, deadSteps: 200)
    let t = SteppedTrainer(run: try Run(config: c, threads: 1))
    let e = Explorer.forTests(t)
    e.handle(.key(.char("0")))
    t.step(6000 + 4000)
    let found = try #require(t.snapshot.sae?.instances.first?.metrics)
    #expect(found.deadCount == 0)
    var text = e.render(t.snapshot, width: 100, height: 30, depth: .xterm256).text
    #expect(!text.contains("latents dead"), "\(text)")
    while (e.state.desired.sae?.l1Coefficient[0] ?? 10) < 10 { e.handle(.key(.char("]"))) }
    #expect(t.snapshot.config.sae?.l1Coefficient == [10])
    t.step(6000)
    let dead = try #require(t.snapshot.sae?.instances.first?.metrics)
    #expect(dead.deadCount == 5, "dead latents at λ = 10: \(dead.deadCount)")
    text = e.render(t.snapshot, width: 100, height: 30, depth: .xterm256).text
    #expect(text.contains("5/5 latents dead"), "\(text)")
    #expect(text.contains("λ too large"))
  }
}
