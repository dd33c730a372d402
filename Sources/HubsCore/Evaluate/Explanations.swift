/// The explain step: an assessment's results with at least the detail an output needs, in order,
/// as a sequence a renderer reads. Results kept with less (`Assessment.detail`) are explained
/// again a block of `Assessor.rankingBlock` at a time as the sequence is read, so memory holds one
/// block whatever the number of candidates; renderers never call the evaluator themselves.
public struct Explanations: Sequence, Sendable {
    public let assessment: Assessment
    /// The results explained: the whole ranking, or some of its results.
    public let results: [CandidateResult]
    public let detail: AssessmentDetail

    /// `subset` (results of `assessment`) or every result, with at least `detail`.
    public init(_ assessment: Assessment, of subset: [CandidateResult]? = nil, detail: AssessmentDetail) {
        self.assessment = assessment
        self.results = subset ?? assessment.results
        self.detail = detail
    }

    /// The results as the assessment keeps them, never explained again (for a writer handed
    /// results that already hold what it shows).
    public static func asKept(_ assessment: Assessment, of subset: [CandidateResult]? = nil) -> Explanations {
        Explanations(assessment, of: subset, detail: assessment.detail)
    }

    /// Reads the results in order, explaining a block when it is reached.
    public func makeIterator() -> Iterator { Iterator(of: self) }

    /// Where a reading of the results stands, with the block explained last.
    public struct Iterator: IteratorProtocol {
        let source: Explanations
        var block: [CandidateResult] = []
        var inBlock = 0
        var position = 0

        init(of source: Explanations) { self.source = source }

        /// The next result, explained when the assessment keeps less than was asked for.
        public mutating func next() -> CandidateResult? {
            let a = source.assessment
            if a.detail.covers(source.detail) {
                guard position < source.results.count else { return nil }
                position += 1
                return source.results[position - 1]
            }
            if inBlock == block.count {
                guard position < source.results.count else { return nil }
                let end = Swift.min(source.results.count, position + Assessor.rankingBlock)
                block = Assessor.explained(source.results[position..<end], in: a, detail: source.detail)
                inBlock = 0
                position = end
            }
            inBlock += 1
            return block[inBlock - 1]
        }
    }
}
