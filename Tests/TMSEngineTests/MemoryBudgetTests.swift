@testable import TMSCore
import Testing

/// A configuration that cannot fit is refused before anything is allocated, with one line
/// that says how much it needs.
@Suite struct MemoryBudgetTests {
  /// The estimate grows with each size and with the batch, and the refusal says what it
  /// needs against what is allowed.
  @Test func refusalNamesTheNeed() throws {
    // About 230 MB of training state per instance (the tiled kernel keeps no per-weight
    // accumulators), 22 GB for 96: more than a 16 GiB budget headless or live.
    let huge = RunConfig(features: 4096, hidden: 1024, instances: 96)
    #expect(throws: ConfigError.self) { try huge.checkMemory(live: false, budget: 1 << 34) }
    do {
      try huge.checkMemory(live: true, budget: 1 << 34)
    } catch {
      #expect(error.field == "memory")
      #expect(error.message.hasPrefix("n 4096, m 1024, K 96, batch 1024 needs "))
      #expect(error.message.contains("more than the 17.2 GB this machine allows"))
      #expect(!error.message.contains("\n"))
    }
    let small = RunConfig.intro()
    #expect(throws: Never.self) { try small.checkMemory(live: true, budget: 1 << 26) }
    var wider = small
    wider.training.batchSize = 65536
    #expect(wider.trainingBytes > 10 * small.trainingBytes)
    var more = small
    more.instances = 20
    more.conformShapes()
    #expect(more.memoryNeeded(live: true) > small.memoryNeeded(live: true))
  }

  /// The estimate is of the right size: the intro's training state is a few hundred kB
  /// (ten instances of 5×2 weights, batch 1024), a 200→20 × 20 run's screen snapshots
  /// hold 20 Gram matrices of 200² floats.
  @Test func estimatesHaveTheRightScale() {
    let intro = RunConfig.intro()
    #expect(intro.trainingBytes > 100_000 && intro.trainingBytes < 2_000_000)
    let dims = RunConfig(features: 200, hidden: 20, instances: 20)
    #expect(dims.snapshotBytes >= 20 * 200 * 200 * 4)
    #expect(dims.snapshotBytes < 2 * 20 * 200 * 200 * 4)
  }

  /// A run is refused before it allocates: building one over the budget throws, and the
  /// same run under a budget that holds it is built.
  @Test func runRefusesOverBudget() throws {
    let c = RunConfig(features: 200, hidden: 20, instances: 20)
    #expect(throws: ConfigError.self) { _ = try Run(config: c, memoryBudget: 1 << 20) }
    #expect(try Run(config: c, memoryBudget: 1 << 30).config == c)
  }

  @Test func sizesParse() {
    #expect(MemoryBudget.parse("512M") == 512 << 20)
    #expect(MemoryBudget.parse("2g") == 2 << 30)
    #expect(MemoryBudget.parse("1048576") == 1_048_576)
    #expect(MemoryBudget.parse("lots") == nil)
    #expect(MemoryBudget.text(37_200_000_000) == "37.2 GB")
  }
}
