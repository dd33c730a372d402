/// Where a candidate stands: ranked, or why not.
public enum CandidateStatus: Sendable, Equatable, CaseIterable {
    case ranked
    /// Scored, but its coverage is below the policy's `min_coverage`: too little evidence to rank.
    case insufficientEvidence
    case excluded
    /// Every criterion was skipped for missing data: there is no risk to rank.
    case notAssessable

    /// The stable identifier used in JSON, CSV and test files.
    public var id: String {
        switch self {
        case .ranked: "ranked"
        case .insufficientEvidence: "insufficient_evidence"
        case .excluded: "excluded"
        case .notAssessable: "not_assessable"
        }
    }

    /// In words, for tables and text.
    public var name: String {
        switch self {
        case .ranked: "ranked"
        case .insufficientEvidence: "insufficient evidence"
        case .excluded: "excluded"
        case .notAssessable: "not assessable"
        }
    }
}
