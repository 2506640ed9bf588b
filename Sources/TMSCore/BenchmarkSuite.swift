/// The standard speed configurations, with the PyTorch notebook's figures recorded on the
/// project's machine kind (2-core AMD EPYC, Zen 4; scripts/pytorch-bench.py, torch 2.13 CPU,
/// 2026-11-30) and the required speed.
public struct BenchmarkCase: Sendable {
  /// Short name.
  public var name: String
  /// The run.
  public var config: RunConfig
  /// PyTorch 2 CPU, notebook loop, 2 threads (steps/s).
  public var pytorchTwoThreads: Double
  /// PyTorch with 1 thread (steps/s).
  public var pytorchOneThread: Double
  /// The required speed with all cores (steps/s).
  public var required: Double
  /// The required multiple of PyTorch's speed with the same threads, where one is set.
  public var requiredRatio: Double?

  /// The four standard cases: intro 5→2×10, basic 20→5×7, varying sparsity 100→20×20 and
  /// the dimensionality experiment 200→20×20 (whose 10,000 steps should take ≤ 60 s).
  public static func standard() -> [BenchmarkCase] {
    var basic = RunConfig(
      name: "basic-20-5", model: .reluOutput, features: 20, hidden: 5, instances: 7)
    basic.setImportanceDecay(0.7)
    basic.featureProbability = [1, 0.3, 0.1, 0.03, 0.01, 0.003, 0.001].map {
      Curve.constant($0, count: 20)
    }
    var varying = RunConfig(
      name: "varying-100-20", model: .reluOutput, features: 100, hidden: 20, instances: 20)
    varying.importance = Array(repeating: Curve.logSpaced(100, count: 100), count: 20)
    varying.featureProbability = Curve.logSpaced(20, count: 20).map {
      Curve.constant($0, count: 100)
    }
    var dimensionality = RunConfig(
      name: "dimensionality-200-20", model: .reluOutput, features: 200, hidden: 20,
      instances: 20)
    dimensionality.featureProbability = Curve.logSpaced(20, count: 20).map {
      Curve.constant($0, count: 200)
    }
    return [
      BenchmarkCase(
        name: "intro-5-2", config: .intro(), pytorchTwoThreads: 722, pytorchOneThread: 558,
        required: 16_000),
      BenchmarkCase(
        name: "basic-20-5", config: basic, pytorchTwoThreads: 368, pytorchOneThread: 270,
        required: 4_000),
      BenchmarkCase(
        name: "varying-100-20", config: varying, pytorchTwoThreads: 27.6, pytorchOneThread: 23.9,
        required: 100, requiredRatio: 8),
      BenchmarkCase(
        name: "dimensionality-200-20", config: dimensionality, pytorchTwoThreads: 14.6,
        pytorchOneThread: 12.0, required: 167, requiredRatio: 10),
    ]
  }
}
