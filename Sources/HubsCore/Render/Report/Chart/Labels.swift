/// Where a chart's labels go: moved apart as little as possible so that none overlaps another,
/// and cut short, with the full text kept for the tooltip, when they are too long.
enum ChartLabels {
    /// Positions along one axis for labels wished at `wished`, each taking `size` (a label's
    /// height, or its width on a horizontal axis), none overlapping, all within `bounds` where
    /// they fit, in the wished order. Labels that overlap are gathered into a group centred on
    /// where they wished to be (least squares), groups merging until none overlaps.
    static func spread(_ wished: [Double], size: Double, within bounds: ClosedRange<Double>) -> [Double] {
        let order = wished.indices.sorted { (wished[$0], $0) < (wished[$1], $1) }
        // A cluster: its first position and the labels in it (positions start + k × size).
        var clusters: [(start: Double, members: [Int])] = []
        func place(_ members: [Int]) -> Double {
            // Least squares: the mean of each member's wish minus its offset in the cluster.
            let mean = members.enumerated().reduce(0.0) { $0 + wished[$1.element] - Double($1.offset) * size } / Double(members.count)
            let length = Double(members.count - 1) * size
            let high = Swift.max(bounds.lowerBound, bounds.upperBound - length)
            return Swift.min(Swift.max(mean, bounds.lowerBound), high)
        }
        for i in order {
            clusters.append((place([i]), [i]))
            while clusters.count > 1 {
                let last = clusters[clusters.count - 1]
                let previous = clusters[clusters.count - 2]
                guard previous.start + Double(previous.members.count) * size > last.start + 1e-9 else { break }
                clusters.removeLast(2)
                let members = previous.members + last.members
                clusters.append((place(members), members))
            }
        }
        var out = [Double](repeating: 0, count: wished.count)
        for c in clusters {
            for (k, i) in c.members.enumerated() { out[i] = c.start + Double(k) * size }
        }
        return out
    }

    /// `text` cut to at most `limit` characters with an ellipsis, and the full text when it was
    /// cut (for the element's title), or nil.
    static func truncated(_ text: String, limit: Int) -> (shown: String, full: String?) {
        guard text.count > limit, limit > 1 else { return (text, nil) }
        return (String(text.prefix(limit - 1)) + "…", text)
    }

    /// About how wide `text` is at `fontSize` px in a proportional system font (for spacing
    /// labels on a horizontal axis; a generous average, never a measurement).
    static func estimatedWidth(_ text: String, fontSize: Double) -> Double {
        Double(text.count) * fontSize * 0.6
    }
}
