extension Array {
  /// In an array sorted by `key`, the index of the last element whose key is at most `value`
  /// (0 when `value` precedes them all); nil when empty. A binary search: the recorded
  /// frames and the explorer's copy of their steps are searched this way on every frame.
  public func lastIndex<Key: Comparable>(atOrBefore value: Key, by key: (Element) -> Key) -> Int? {
    guard !isEmpty else { return nil }
    var lo = 0
    var hi = count - 1
    while lo < hi {
      let mid = (lo + hi + 1) / 2
      if key(self[mid]) <= value { lo = mid } else { hi = mid - 1 }
    }
    return lo
  }
}
