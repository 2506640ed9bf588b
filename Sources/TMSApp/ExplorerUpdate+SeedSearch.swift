import TMSCore
import TMSRender

/// The `b` key: the best of k seeds for the focused instance, since single runs stop in
/// local minima and the paper's figures are best-of-seeds. The trainer trains the seeds; the
/// update asks for a search, follows its progress and shows its outcome once.
extension ExplorerUpdate {
  /// Asks for a search of ``ExplorerState/bestOf`` seeds of the focused instance, or cancels
  /// the one asked for when it has not ended yet.
  static func bestOfSeedsKey(_ state: inout ExplorerState) -> [ExplorerCommand] {
    if state.seedSearchPending {
      toast("cancelling the best-of-seeds search…", .info, &state)
      return [.cancelSeedSearch]
    }
    state.seedSearchPending = true
    toast(
      "best of \(state.bestOf) seeds for #\(state.instance): training… (b again cancels)", .info,
      seconds: 4, &state)
    return [.bestOfSeeds(instance: state.instance, seeds: state.bestOf)]
  }

  /// Follows the trainer's latest search: its progress while it trains (the status line shows
  /// it), then its outcome in a toast, once.
  static func seedSearchTick(_ status: SeedSearchStatus?, _ state: inout ExplorerState) {
    guard let status, status.id > state.seedSearchShown else {
      state.seedSearch = nil
      return
    }
    guard let outcome = status.outcome else {
      state.seedSearch = status
      state.seedSearchPending = true
      return
    }
    state.seedSearch = nil
    state.seedSearchPending = false
    state.seedSearchShown = status.id
    let (text, kind) = describe(outcome, of: status)
    toast(text, kind, seconds: 8, &state)
  }

  /// The toast for a search's outcome: losses held-out, notebook convention, as the loss
  /// panels show them.
  static func describe(_ outcome: SeedSearchOutcome, of status: SeedSearchStatus) -> (
    String, Toast.Kind
  ) {
    let head = "best of \(status.seeds) seeds (#\(status.instance))"
    func loss(_ x: Double) -> String { Format.number(x) }
    switch outcome {
    case .adopted(let seed, let best, let before):
      return ("\(head): seed \(seed), loss \(loss(best)) (was \(loss(before)))", .success)
    case .kept(let seed, let best, let current):
      return (
        "\(head): none beat the current weights (loss \(loss(current)); best seed \(seed): "
          + "\(loss(best)))", .info
      )
    case .failed(let reason): return ("\(head): \(reason)", .warning)
    case .cancelled(let reason): return ("\(head) stopped: \(reason)", .info)
    }
  }
}
