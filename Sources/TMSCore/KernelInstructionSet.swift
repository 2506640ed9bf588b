import TMSKernels

/// The instruction set the large models' kernels run with in this process, for the command
/// line: what it is, and whether `TMS_KERNELS` asked for one that cannot be used.
public enum KernelInstructionSet {
  /// What the build's level gives, or the copy the CPU was found to run (`tms bench` prints
  /// it).
  public static var summary: String { InstructionSet.selected.summary }

  /// A one-line reason when `TMS_KERNELS` names no instruction set this CPU and build run
  /// (the run would otherwise quietly use another), else nil.
  public static var environmentProblem: String? { InstructionSet.requestProblem }
}
