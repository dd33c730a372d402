/// The one comparison of risks, used by bands, by `hubs score`, and by every analysis that
/// re-ranks (sensitivity, what-if).
///
/// Risks are compared at a fixed resolution of 1e-9: each risk is snapped to the nearest multiple
/// of `resolution` (its *key*), and keys compare exactly. Unlike "within a tolerance", equality of
/// keys is transitive, so the order is a true total order that does not depend on the order in
/// which candidates are listed. A band's bound is snapped the same way, so a risk that displays as
/// the bound is never put in the band below it.
public enum RiskComparison {
    public static let resolution = 1e-9

    /// The risk snapped to the comparison resolution.
    @inline(__always)
    public static func key(_ risk: Double) -> Double { (risk / resolution).rounded(.toNearestOrAwayFromZero) }

    /// Whether two risks are equal at the comparison resolution.
    @inline(__always)
    public static func ties(_ a: Double, _ b: Double) -> Bool { key(a) == key(b) }

    /// Whether a risk is below a band bound at the comparison resolution.
    @inline(__always)
    public static func isBelow(_ risk: Double, _ bound: Double) -> Bool { key(risk) < key(bound) }
}
