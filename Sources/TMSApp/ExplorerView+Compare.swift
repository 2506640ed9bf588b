extension ExplorerView {
  /// Two runs side by side (key `c`): the same panels for both, one focus and one instance
  /// cursor, and both losses on one plot.
  public static let compare = ExplorerView("compare")
}
