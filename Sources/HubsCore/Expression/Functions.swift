/// Built-in functions of the expression language.
public enum Function: String, Sendable, CaseIterable {
    case min, max, clamp, abs, log, log10, sqrt, round, known, date

    var signature: String {
        switch self {
        case .min, .max: "\(rawValue)(NUMBER, NUMBER, ...)"
        case .clamp: "clamp(VALUE, LOW, HIGH)"
        case .abs, .log, .log10, .sqrt: "\(rawValue)(NUMBER)"
        case .round: "round(NUMBER) or round(NUMBER, DIGITS)"
        case .known: "known(FACT)"
        case .date: "date(\"YYYY-MM-DD\")"
        }
    }
}

enum Functions {
    static let names = Set(Function.allCases.map(\.rawValue))
}
