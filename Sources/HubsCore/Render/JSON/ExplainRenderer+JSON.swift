/// The JSON form of `ExplainRenderer`'s output (its text and Markdown forms are in Render/Text).
extension ExplainRenderer {
    /// One candidate's explanation as JSON (`hubs.assessment/1` holding just that candidate).
    public static func json(_ r: CandidateResult, in a: Assessment) -> JSONText {
        AssessmentJSON.document(a, candidates: [r])
    }
}
