/// The starter files `hubs init` writes: a commented policy, scenario and expectation file that
/// pass `hubs check --strict` and `hubs test`, and the JSON Schemas their first lines name.
public enum Starter {
    /// The files, by path relative to the folder: the three examples, then the schemas.
    public static var files: [(path: String, text: String)] {
        [
            (ProjectFile.name, project), ("policies/policy.yaml", policy + "\n"), ("scenarios/baseline.yaml", scenario + "\n"),
            ("policy-tests/policy.yaml", tests + "\n"),
        ]
            + FileSchemas.Kind.allCases.map { ("schemas/\($0.rawValue).schema.json", FileSchemas.schema($0).serialized() + "\n") }
    }

    static let project = """
        # The project file: the policy and scenario every hubs command uses when none is named,
        # so that `hubs score`, `hubs check` and `hubs report` need no options here.
        title: Starter project
        policy: policies/policy.yaml
        scenario: scenarios/baseline.yaml

        """

    static let policy = #"""
        # yaml-language-server: $schema=../schemas/policy.schema.json
        #
        # A starter policy written by `hubs init`: replace the example with your own criteria.
        # A policy says which facts matter (facts:), what excludes a candidate whatever its score
        # (gates:), how each fact becomes a risk from 0 (no concern) to 100 (severe concern) and how
        # much each criterion weighs (criteria:), and how risks are named (bands:). Every judgement
        # carries a rationale, and a citation where a source supports it: `hubs check --strict`
        # insists. The language: docs/language.md in the hubs repository.
        policy: starter
        title: Starter policy (example criteria; replace them)
        version: "0.1"
        max_fact_age: 3y             # evidence older than this at the scenario's as_of is flagged
        min_coverage: 50             # percent of the weight that must rest on known facts to be ranked

        sources:
          EX1: {title: Example source cited by the policy's rationales, publisher: Your organisation, date: 2026-01-01}

        facts:
          permit: {type: bool, description: The host authority has granted a permit}
          cost: {type: number, range: [0, ~], unit: million, description: Expected yearly cost}
          capacity: {type: enum, values: [low, medium, high], description: Capacity to operate the site}

        gates:
          no_permit:
            exclude_if: known(permit) and not permit
            reason: The host authority has refused a permit.
            missing: pass              # an unknown permit is not a refusal: passed, and flagged
            rationale: Nothing can be built without a permit, so no score can make up for a refusal.
            cite: EX1

        criteria:
          cost:
            title: Yearly cost
            weight: 40
            rationale: Cost matters, but less than whether the site can be run at all.
            cite: EX1
            scale:
              of: cost
              best: 10                 # 10 million a year or less: risk 0
              worst: 50                # 50 million a year or more: risk 100
              rationale: The range of costs seen in comparable sites.
              cite: EX1
            missing:
              assume: 70
              rationale: An unknown cost is assumed high but not the worst, and shown as an assumption.
          capacity:
            title: Capacity to operate
            weight: 60
            rationale: A site that cannot be run safely fails its purpose, so capacity weighs most.
            cite: EX1
            map:
              fact: capacity
              risk: {low: 100, medium: 50, high: 0}
              rationale: Each step of capacity halves the concern.
              cite: EX1

        bands:
          - {name: low, below: 30, rationale: "Below 30: no criterion raises serious concern."}
          - {name: moderate, below: 60, rationale: "From 30 to 60: some concerns, none decisive."}
          - {name: high, rationale: "60 and above: serious concerns."}
        """#

    static let scenario = #"""
        # yaml-language-server: $schema=../schemas/scenario.schema.json
        #
        # A starter scenario written by `hubs init`: the candidates and what is known about them.
        # Give every fact its source (sources:), the date it describes (as_of) and how far you trust it
        # (confidence). Write `unknown` when nobody knows: unknown is stated, never left blank.
        scenario: baseline
        title: Starter scenario (example candidates; replace them)
        as_of: 2026-01-01

        sources:
          EX2: {title: Example evidence about the candidates, publisher: Your organisation, date: 2026-01-01}

        candidates:
          site_a:
            name: Site A
            facts:
              permit: {value: true, source: EX2, confidence: high}
              cost: {value: 18, source: EX2, confidence: medium}
              capacity: {value: high, source: EX2, confidence: medium}
          site_b:
            name: Site B
            facts:
              permit: unknown
              cost: {value: 12, source: EX2, confidence: medium, note: estimate}
              capacity: {value: low, source: EX2, confidence: low}
          site_c:
            name: Site C
            facts:
              permit: {value: false, source: EX2, confidence: high}
              cost: {value: 9, source: EX2, confidence: high}
              capacity: {value: medium, source: EX2, confidence: medium}
        """#

    static let tests = #"""
        # yaml-language-server: $schema=../schemas/tests.schema.json
        #
        # What the starter policy must always conclude, checked by `hubs test`. Write one test per
        # conclusion a reader relies on, so a change to the policy or the facts that overturns it fails.
        policy: ../policies/policy.yaml
        scenario: ../scenarios/baseline.yaml

        tests:
          - name: a refused permit excludes, whatever the score
            expect:
              - {candidate: site_c, status: excluded, gate: no_permit}

          - name: the site with high capacity ranks first
            expect:
              - {order: [site_a, site_b]}
              - {candidate: site_a, band: low}

          - name: low capacity is a high concern
            expect:
              - {candidate: site_b, criterion: capacity, risk: 100}
        """#
}
