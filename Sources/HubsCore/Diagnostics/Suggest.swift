/// Did-you-mean suggestions by edit distance.
public enum Suggest {
    /// Levenshtein distance over Unicode scalars (case-insensitive).
    public static func distance(_ a: String, _ b: String) -> Int {
        let x = Array(a.lowercased().unicodeScalars)
        let y = Array(b.lowercased().unicodeScalars)
        if x.isEmpty { return y.count }
        if y.isEmpty { return x.count }
        var prev = Array(0...y.count)
        var cur = [Int](repeating: 0, count: y.count + 1)
        for i in 1...x.count {
            cur[0] = i
            for j in 1...y.count {
                let cost = x[i - 1] == y[j - 1] ? 0 : 1
                cur[j] = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost)
            }
            swap(&prev, &cur)
        }
        return prev[y.count]
    }

    /// The closest candidate within a distance that scales with the word's length, if any.
    /// Ties go to the first in `candidates` order after sorting by name, so hints are stable.
    public static func closest(to word: String, in candidates: some Sequence<String>) -> String? {
        let limit = max(1, min(3, word.count / 3 + 1))
        var best: (String, Int)?
        for c in candidates.sorted() {
            let d = distance(word, c)
            if d <= limit, d < (best?.1 ?? Int.max) { best = (c, d) }
        }
        return best?.0
    }

    /// "did you mean 'x'?", preferring a name of `near` (the names defined in the same file)
    /// to one of `candidates` that is no closer; nil when neither has one.
    public static func hint(for word: String, in candidates: some Sequence<String>, preferring near: some Sequence<String>) -> String? {
        let local = closest(to: word, in: near)
        let any = closest(to: word, in: candidates)
        guard let l = local else { return any.map { "did you mean '\($0)'?" } }
        let best = any.map { distance(word, $0) < distance(word, l) ? $0 : l } ?? l
        return "did you mean '\(best)'?"
    }

    /// "did you mean 'x'?" or nil.
    public static func hint(for word: String, in candidates: some Sequence<String>) -> String? {
        closest(to: word, in: candidates).map { "did you mean '\($0)'?" }
    }
}
