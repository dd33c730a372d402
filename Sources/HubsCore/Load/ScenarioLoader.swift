import Foundation

/// Loads a scenario file and, through `extends`, its parents; applies `changes`.
public struct ScenarioLoader: Sendable {
    public var limits: InputLimits
    public var files: any FileSource

    /// A loader reading through `files` under `limits`.
    public init(limits: InputLimits = .standard, files: any FileSource = DiskFiles()) {
        self.limits = limits
        self.files = files
    }

    static let topKeys = ["scenario", "title", "as_of", "extends", "sources", "candidates", "changes", "description"]
    static let factKeys = ["value", "source", "as_of", "confidence", "note", "interval", "alternatives"]

    /// Reads and loads the scenario at `path`, with its `extends` chain.
    public func load(path: String) -> Result<Scenario, DiagnosticsError> {
        load(path: path, chain: [])
    }

    private func load(path: String, chain: [String]) -> Result<Scenario, DiagnosticsError> {
        YAMLDocument.read(path, from: files, limits: limits).flatMap { load(root: $0.root, file: $0.file, path: path, chain: chain) }
    }

    /// Loads a scenario from a YAML node: a whole file, or a scenario written inline in another
    /// file (a test file, say), whose `extends` is resolved next to `path`.
    public func load(root: YAML, file: SourceFile, path: String) -> Result<Scenario, DiagnosticsError> {
        load(root: root, file: file, path: path, chain: [])
    }

    private func load(root: YAML, file: SourceFile, path: String, chain: [String]) -> Result<Scenario, DiagnosticsError> {
        var diags: [Diagnostic] = []
        guard var m = MappingReader(root, what: "a scenario", diags: &diags) else { return .failure(DiagnosticsError(diags)) }
        if !m.has("scenario") && m.has("policy") {
            return .failure(
                DiagnosticsError([
                    .wrongKind(
                        "this is a policy file, not a scenario", at: root.location,
                        hint: "pass it with --policy")
                ]))
        }
        let idScalar = m.scalar("scenario", required: true)
        let id = idScalar?.text ?? "?"
        if let s = idScalar, !Scalars.isValidID(s.text) {
            diags.append(
                .invalidID(
                    "scenario id '\(s.text)' is not a valid id", at: s.location,
                    hint: "use lower-case letters, digits, '_' or '-', starting with a letter", length: s.text.count))
        }
        let title = m.string("title") ?? id
        _ = m.string("description")
        let asOf = m.date("as_of", allowPartial: false)

        let parent = m.scalar("extends").flatMap { loadParent($0, path: path, chain: chain, diags: &diags) }

        var sources = parent?.sources ?? []
        if let sn = m.node("sources") {
            sources += readSources(sn, existing: sources, diags: &diags)
        }

        var candidates = parent?.candidates ?? []
        if let cn = m.node("candidates") {
            var likes: [(String, YAMLScalar)] = []
            add(readCandidates(cn, likes: &likes, diags: &diags), to: &candidates, fromParent: parent != nil, diags: &diags)
            resolveVariants(likes, in: &candidates, diags: &diags)
        }
        if let ch = m.node("changes") {
            if parent == nil && !m.has("extends") {
                diags.append(
                    .invalidValue(
                        "'changes' needs 'extends': there is nothing to change", at: ch.location,
                        hint: "add 'extends: baseline', or write the facts under 'candidates'"))
            } else {
                applyChanges(ch, to: &candidates, diags: &diags)
            }
        }
        if idScalar != nil, m.node("candidates") == nil, parent == nil, !m.has("extends") {
            diags.append(
                .missingKey(
                    "a scenario has no 'candidates'", at: root.location,
                    hint: "add 'candidates:' with at least one candidate"))
        }
        diags += m.finish(allowed: Self.topKeys)

        if let p = parent, p.id == id, let s = idScalar {
            diags.append(
                .duplicateID(
                    "scenario id '\(id)' is the same as its parent's", at: s.location,
                    hint: "give the what-if scenario its own id", length: id.count))
        }
        diags += sourceFindings(sources, candidates, file: file)
        if diags.contains(where: { $0.severity == .error }) { return .failure(DiagnosticsError(diags)) }
        var scenario = Scenario(
            id: id, title: title, asOf: asOf ?? parent?.asOf, sources: sources,
            candidates: candidates, lineage: [id] + (parent?.lineage ?? []),
            files: [file] + (parent?.files ?? []), location: root.location)
        scenario.warnings = diags + (parent?.warnings ?? [])
        return .success(scenario)
    }

    /// The scenario named by `extends`, loaded with its own chain; nil (with located errors) when
    /// it makes a cycle, the chain is too long, it leaves the project, or it cannot be loaded.
    func loadParent(_ ext: YAMLScalar, path: String, chain: [String], diags: inout [Diagnostic]) -> Scenario? {
        let parentPath = resolveParent(ext.text, from: path)
        if let why = ProjectBoundary.problem(naming: ext.text, resolved: parentPath, from: path, files: files) {
            diags.append(
                .missingParent(
                    "'extends' names a file \(why.hasPrefix("an absolute") ? "by " : "")\(why)", at: ext.location,
                    hint:
                        "name a scenario of this project, relative to this file (like 'baseline' or '../scenarios/baseline'); "
                        + "hubs reads no file outside the project unless --root names a folder holding both",
                    length: ext.text.count))
            return nil
        }
        let canon = Self.canonical(parentPath)
        let fullChain = chain + [Self.canonical(path)]
        if fullChain.contains(canon) {
            let names = (fullChain + [canon]).map { URL(fileURLWithPath: $0).lastPathComponent }
            diags.append(
                .extendsCycle(
                    "'extends' makes a cycle: \(names.joined(separator: " -> "))",
                    at: ext.location, hint: "a scenario may not extend itself, directly or through others", length: ext.text.count))
            return nil
        }
        if fullChain.count >= limits.maxExtendsChain {
            diags.append(
                .extendsCycle(
                    "'extends' chain is longer than \(limits.maxExtendsChain) scenarios",
                    at: ext.location, hint: "extend the baseline directly"))
            return nil
        }
        guard files.exists(parentPath) else {
            let dir = (path as NSString).deletingLastPathComponent
            let siblings = files.list(dir)
                .filter { $0.hasSuffix(".yaml") || $0.hasSuffix(".yml") }
                .map { $0.replacingOccurrences(of: ".yaml", with: "").replacingOccurrences(of: ".yml", with: "") }
            diags.append(
                .missingParent(
                    "scenario '\(ext.text)' named by 'extends' not found (looked for \(parentPath))",
                    at: ext.location,
                    hint: Suggest.hint(for: ext.text, in: siblings)
                        ?? "name a scenario file relative to this file's folder, without '.yaml' (like 'baseline' or '../scenarios/baseline')",
                    length: ext.text.count))
            return nil
        }
        switch load(path: parentPath, chain: fullChain) {
        case let .success(p): return p
        case let .failure(e):
            // Say where the chain started, then what went wrong in the parent.
            diags.append(
                .missingParent(
                    "cannot use parent scenario '\(ext.text)'", at: ext.location,
                    hint: "fix the errors in \(parentPath) below", length: ext.text.count))
            diags.append(contentsOf: e.diagnostics)
            return nil
        }
    }

    /// Every fact's source must be listed (an error); a source this file lists that no fact
    /// cites, by `source:` or by name in a note, is a warning.
    func sourceFindings(_ sources: [EvidenceSource], _ candidates: [Candidate], file: SourceFile) -> [Diagnostic] {
        var diags: [Diagnostic] = []
        let known = Set(sources.map(\.id))
        // A did-you-mean prefers the sources this file defines to inherited ones as close.
        let local = sources.filter { $0.location.file == file.path }.map(\.id)
        // By index: a `for f in c.facts` loop copies every fact of every candidate.
        var cited = Set<String>()
        for c in candidates.indices {
            for k in candidates[c].facts.indices {
                guard let s = candidates[c].facts[k].source else { continue }
                cited.insert(s)
                if !known.contains(s), let at = candidates[c].facts[k].sourceLocation, at.file == file.path {
                    diags.append(
                        .unknownSource(
                            "source '\(s)' is not listed under 'sources'", at: at,
                            hint: Suggest.hint(for: s, in: known, preferring: local) ?? "add it under 'sources:'", length: s.count))
                }
            }
            // A basis cites its source too (a report that names the candidate).
            if let s = candidates[c].basis?.source {
                cited.insert(s)
                if !known.contains(s), candidates[c].location.file == file.path {
                    diags.append(
                        .unknownSource(
                            "the basis of \(candidates[c].id) cites source '\(s)', which is not listed under 'sources'",
                            at: candidates[c].location,
                            hint: Suggest.hint(for: s, in: known, preferring: local) ?? "add it under 'sources:'",
                            length: candidates[c].id.count))
                }
            }
        }
        // A source this file lists that no fact cites, by `source:` or by name in a note.
        let uncited = sources.filter { $0.location.file == file.path && !cited.contains($0.id) }
        // The notes are read only when some source is not cited by `source:` (usually none is).
        guard !uncited.isEmpty else { return diags }
        let notes = Array(candidates.flatMap { c in c.facts.compactMap(\.note) }.joined(separator: " ").utf8)
        for src in uncited where !Self.containsWord(Array(src.id.utf8), in: notes) {
            diags.append(
                .unusedSource(
                    "source '\(src.id)' is listed but no fact cites it", at: src.location,
                    hint: "cite it with 'source: \(src.id)' (or name it in a note), or remove it", length: src.id.count))
        }
        return diags
    }

    /// Whether `word` occurs in `text` as a whole word: not next to a letter, digit, `_` or `-`
    /// (any non-ASCII byte counts as a letter, so a word inside a non-ASCII word does not match).
    static func containsWord(_ word: [UInt8], in text: [UInt8]) -> Bool {
        guard !word.isEmpty, text.count >= word.count else { return false }
        func isWordByte(_ b: UInt8) -> Bool {
            b >= 0x80 || (b >= 0x30 && b <= 0x39) || (b >= 0x41 && b <= 0x5A) || (b >= 0x61 && b <= 0x7A) || b == 0x5F || b == 0x2D
        }
        var i = 0
        while i <= text.count - word.count {
            if text[i] == word[0], i == 0 || !isWordByte(text[i - 1]), i + word.count == text.count || !isWordByte(text[i + word.count]) {
                var j = 1
                while j < word.count && text[i + j] == word[j] { j += 1 }
                if j == word.count { return true }
            }
            i += 1
        }
        return false
    }

    /// The parent's path, relative in the same way as the child's (so locations stay short).
    func resolveParent(_ name: String, from path: String) -> String {
        if name.hasPrefix("/") { return name }  // refused by ProjectBoundary, never read
        let dir = (path as NSString).deletingLastPathComponent
        func join(_ n: String) -> String { dir.isEmpty ? n : dir + "/" + n }
        if name.hasSuffix(".yaml") || name.hasSuffix(".yml") { return join(name) }
        let yaml = join(name + ".yaml")
        if files.exists(yaml) { return yaml }
        let yml = join(name + ".yml")
        return files.exists(yml) ? yml : yaml
    }

    static func canonical(_ path: String) -> String {
        URL(fileURLWithPath: path).standardizedFileURL.resolvingSymlinksInPath().path
    }

    func readSources(_ node: YAML, existing: [EvidenceSource], diags: inout [Diagnostic]) -> [EvidenceSource] {
        guard var m = MappingReader(node, what: "'sources'", diags: &diags) else { return [] }
        var out: [EvidenceSource] = []
        for p in m.everyPair() {
            if existing.contains(where: { $0.id == p.key.text }) {
                diags.append(
                    .duplicateID(
                        "source '\(p.key.text)' is already defined by the parent scenario",
                        at: p.key.location, length: p.key.text.count))
                continue
            }
            guard var sm = MappingReader(p.value, what: "source '\(p.key.text)'", diags: &diags) else { continue }
            let title = sm.string("title", required: true) ?? ""
            let src = EvidenceSource(
                id: p.key.text, title: title, publisher: sm.string("publisher"),
                date: sm.date("date"), url: sm.string("url"), location: p.key.location, noAddress: sm.string("no_address"))
            diags += sm.finish(allowed: ["title", "publisher", "date", "url", "no_address"])
            out.append(src)
        }
        diags += m.finish(allowed: [])
        return out
    }

    /// Adds this file's candidates after the parent's; an id already there is an error.
    func add(_ new: [Candidate], to candidates: inout [Candidate], fromParent: Bool, diags: inout [Diagnostic]) {
        var index = Dictionary(candidates.enumerated().map { ($1.id, $0) }, uniquingKeysWith: { a, _ in a })
        for c in new {
            if let i = index[c.id] {
                diags.append(
                    .duplicateID(
                        "candidate '\(c.id)' is already defined\(fromParent ? " by the parent scenario" : "")",
                        at: c.location,
                        hint: fromParent ? "change its facts under 'changes:' instead" : "first defined at \(candidates[i].location)",
                        length: c.id.count))
            } else {
                index[c.id] = candidates.count
                candidates.append(c)
            }
        }
    }

    /// Gives each variant (`like: OTHER`) the facts of the candidate it is like, except those it
    /// gives itself, marked as inherited. A variant may be like another variant declared in the same
    /// file (resolved in order of dependency, each pass resolving at least one); a cycle or an
    /// unknown id is a located error.
    func resolveVariants(_ likes: [(String, YAMLScalar)], in candidates: inout [Candidate], diags: inout [Diagnostic]) {
        var index = [String: Int]()
        for (i, c) in candidates.enumerated() where index[c.id] == nil { index[c.id] = i }
        var pending = likes
        var resolved = Set<String>()
        let waiting = Set(likes.map(\.0))
        while !pending.isEmpty {
            var next: [(String, YAMLScalar)] = []
            for (id, like) in pending {
                guard let v = index[id] else { continue }
                guard let t = index[like.text], like.text != id else {
                    diags.append(
                        .unknownCandidate(
                            like.text == id
                                ? "candidate '\(id)' cannot be like itself"
                                : "candidate '\(id)' is like '\(like.text)', which this scenario does not have",
                            at: like.location, hint: Suggest.hint(for: like.text, in: candidates.map(\.id)), length: like.text.count))
                    resolved.insert(id)
                    continue
                }
                if waiting.contains(like.text) && !resolved.contains(like.text) {
                    next.append((id, like))
                    continue
                }
                let own = Set(candidates[v].facts.map(\.name))
                let inherited = candidates[t].facts.filter { !own.contains($0.name) }.map { f -> Fact in
                    var f = f
                    f.inheritedFrom = f.inheritedFrom ?? like.text
                    return f
                }
                candidates[v].facts = inherited + candidates[v].facts
                resolved.insert(id)
            }
            if next.count == pending.count {
                for (id, like) in next {
                    diags.append(
                        .extendsCycle(
                            "candidate '\(id)' is like '\(like.text)', which is in turn like '\(id)' (directly or through others)",
                            at: like.location, hint: "make one of them a full candidate with its own facts", length: like.text.count))
                }
                return
            }
            pending = next
        }
    }

    func readCandidates(_ node: YAML, likes: inout [(String, YAMLScalar)], diags: inout [Diagnostic]) -> [Candidate] {
        guard var m = MappingReader(node, what: "'candidates'", diags: &diags) else { return [] }
        let pairs = m.everyPair()
        diags += m.finish(allowed: [])
        // Candidates are independent: a long list is read in chunks side by side, each with its
        // own candidates, likes and diagnostics, joined in file order (the same result however
        // the chunks run).
        let chunks = pairs.count < 512 ? 1 : Swift.min(16, pairs.count / 256)
        let parts = Slots<(candidates: [Candidate], likes: [(String, YAMLScalar)], diags: [Diagnostic])>(count: chunks)
        concurrentStride(chunks, threads: chunks) { k in
            var likes: [(String, YAMLScalar)] = []
            var diags: [Diagnostic] = []
            let part = readCandidates(pairs[(pairs.count * k / chunks)..<(pairs.count * (k + 1) / chunks)], likes: &likes, diags: &diags)
            parts.items[k] = (part, likes, diags)
        }
        var out: [Candidate] = []
        out.reserveCapacity(pairs.count)
        for k in 0..<chunks {
            guard let part = parts.take(k) else { continue }
            out += part.candidates
            likes += part.likes
            diags += part.diags
        }
        return out
    }

    /// Candidates from some of the pairs of `candidates:`, in order.
    func readCandidates(_ pairs: ArraySlice<YAMLPair>, likes: inout [(String, YAMLScalar)], diags: inout [Diagnostic]) -> [Candidate] {
        var out: [Candidate] = []
        out.reserveCapacity(pairs.count)
        for p in pairs {
            if !Scalars.isValidID(p.key.text) {
                diags.append(
                    .invalidID(
                        "candidate id '\(p.key.text)' is not a valid id", at: p.key.location,
                        hint: "use lower-case letters, digits, '_' or '-', starting with a letter", length: p.key.text.count))
                continue
            }
            guard var cm = MappingReader(p.value, what: "candidate '\(p.key.text)'", diags: &diags) else { continue }
            let name = cm.string("name", required: true) ?? p.key.text
            var facts: [Fact] = []
            if let fn = cm.node("facts") {
                facts = readFacts(fn, diags: &diags)
            }
            let like = cm.scalar("like")
            let basis = cm.node("basis").flatMap { readBasis($0, diags: &diags) }
            diags += cm.finish(allowed: ["name", "facts", "like", "basis"])
            var c = Candidate(id: p.key.text, name: name, facts: facts, location: p.key.location)
            c.like = like?.text
            c.basis = basis
            if let like { likes.append((c.id, like)) }
            out.append(c)
        }
        return out
    }

    /// `basis: {kind: named | historical | comparison, source: ID, note: TEXT}`.
    func readBasis(_ node: YAML, diags: inout [Diagnostic]) -> CandidateBasis? {
        guard var m = MappingReader(node, what: "'basis'", diags: &diags) else { return nil }
        defer { diags += m.finish(allowed: ["kind", "source", "note"]) }
        guard let k = m.scalar("kind", required: true) else { return nil }
        guard let kind = CandidateBasis.Kind(rawValue: k.text) else {
            let kinds = CandidateBasis.Kind.allCases.map(\.rawValue)
            diags.append(
                .invalidValue(
                    "a basis is \(kinds.joined(separator: ", ")); found '\(k.text)'", at: k.location,
                    hint: Suggest.hint(for: k.text, in: kinds)
                        ?? "named: a report names it; historical: a past scheme; comparison: no report names it",
                    length: k.text.count))
            return nil
        }
        return CandidateBasis(kind: kind, source: m.string("source"), note: m.string("note"))
    }

    func readFacts(_ node: YAML, diags: inout [Diagnostic]) -> [Fact] {
        guard var m = MappingReader(node, what: "'facts'", diags: &diags) else { return [] }
        var out: [Fact] = []
        out.reserveCapacity(m.pairs.count)
        for p in m.everyPair() {
            if let f = readFact(name: p.key, p.value, diags: &diags) { out.append(f) }
        }
        diags += m.finish(allowed: [])
        return out
    }

    /// A fact is a bare value, `unknown`, or `{value, source, as_of, confidence, note}`.
    /// A fact's evidence keys: source, as_of, confidence, note, interval and alternatives.
    func readEvidence(_ fm: inout MappingReader, into fact: inout Fact, diags: inout [Diagnostic]) {
        if let src = fm.scalar("source") {
            fact.source = src.text
            fact.sourceLocation = src.location
        }
        fact.asOf = fm.date("as_of")
        if let c = fm.scalar("confidence") {
            if let conf = Confidence(rawValue: c.text) {
                fact.confidence = conf
            } else {
                diags.append(
                    .invalidValue(
                        "confidence must be high, medium or low, found '\(c.text)'", at: c.location,
                        hint: Suggest.hint(for: c.text, in: Confidence.allCases.map(\.rawValue)), length: c.text.count))
            }
        }
        fact.note = fm.string("note")
        if let iv = fm.node("interval") {
            if case let .sequence(items, _) = iv, items.count == 2, case let .scalar(a) = items[0], case let .scalar(b) = items[1],
                let lo = Scalars.number(a), let hi = Scalars.number(b), lo <= hi
            {
                fact.interval = (lo, hi)
                fact.intervalLocation = iv.location
            } else {
                diags.append(
                    .invalidRange(
                        "interval must be [LOW, HIGH] with LOW not above HIGH", at: iv.location,
                        hint: "for example interval: [30, 40]"))
            }
        }
        if let alt = fm.node("alternatives") {
            if case let .sequence(items, _) = alt, !items.isEmpty,
                case let scalars = items.compactMap({ if case let .scalar(x) = $0, !x.isNull { x } else { nil } }),
                scalars.count == items.count
            {
                fact.alternatives = scalars
            } else {
                diags.append(
                    .invalidValue(
                        "alternatives must list other plausible values, like [partial, not_aligned]",
                        at: alt.location))
            }
        }
    }

    func readFact(name: YAMLScalar, _ node: YAML, diags: inout [Diagnostic]) -> Fact? {
        if !Scalars.isValidFactName(name.text) {
            diags.append(
                .invalidID(
                    "fact name '\(name.text)' is not a valid name", at: name.location,
                    hint: "use lower-case letters, digits and '_', starting with a letter", length: name.text.count))
            return nil
        }
        switch node {
        case let .scalar(s):
            if s.isNull {
                diags.append(
                    .invalidValue(
                        "fact '\(name.text)' has no value", at: name.location,
                        hint: "write a value, or 'unknown' if nobody knows it: unknown is stated, never left blank",
                        length: name.text.count))
                return nil
            }
            return Fact(
                name: name.text, state: Self.isUnknownWord(s) ? .unknown : .given(s), location: name.location,
                valueLocation: s.location)
        case .sequence:
            diags.append(
                .wrongKind(
                    "fact '\(name.text)' must be a single value or a mapping with 'value:', found a list",
                    at: node.location))
            return nil
        case .mapping:
            guard var fm = MappingReader(node, what: "fact '\(name.text)'", diags: &diags) else { return nil }
            var fact = Fact(name: name.text, state: .unknown, location: name.location, valueLocation: node.location)
            // The evidence keys first, so that a problem with 'value' is reported once, on its own.
            readEvidence(&fm, into: &fact, diags: &diags)
            guard fm.has("value") else {
                // A misspelt 'value' ('vlaue') is one error, at the misspelling, from finish(); otherwise say it is missing.
                let nearValue = fm.keys.contains { !Self.factKeys.contains($0) && Suggest.closest(to: $0, in: ["value"]) != nil }
                if !nearValue { _ = fm.required("value", hint: "add 'value:' (or 'value: unknown')") }
                diags += fm.finish(allowed: Self.factKeys)
                return nil
            }
            guard let v = fm.node("value") else { return nil }
            guard case let .scalar(s) = v, !s.isNull else {
                diags.append(
                    .wrongKind(
                        "'value' of fact '\(name.text)' must be a single value, found \(v.kindName)",
                        at: v.location, hint: "write 'unknown' if nobody knows it"))
                diags += fm.finish(allowed: Self.factKeys)
                return nil
            }
            fact.state = Self.isUnknownWord(s) ? .unknown : .given(s)
            fact.valueLocation = s.location
            diags += fm.finish(allowed: Self.factKeys)
            return fact
        }
    }

    static func isUnknownWord(_ s: YAMLScalar) -> Bool { s.style == .plain && s.text == "unknown" }

    /// `changes: { candidate: remove | {name:, set: {fact: …}, unknown: [fact, …]} }`
    func applyChanges(_ node: YAML, to candidates: inout [Candidate], diags: inout [Diagnostic]) {
        guard var m = MappingReader(node, what: "'changes'", diags: &diags) else { return }
        for p in m.everyPair() {
            guard let idx = candidates.firstIndex(where: { $0.id == p.key.text }) else {
                diags.append(
                    .unknownCandidate(
                        "'changes' names candidate '\(p.key.text)', which the parent scenario does not have",
                        at: p.key.location,
                        hint: Suggest.hint(for: p.key.text, in: candidates.map(\.id)) ?? "add new candidates under 'candidates:'",
                        length: p.key.text.count))
                continue
            }
            if case let .scalar(s) = p.value {
                if s.text == "remove" {
                    candidates.remove(at: idx)
                } else {
                    diags.append(
                        .invalidValue(
                            "a change is 'remove' or a mapping with 'set:', 'unknown:' or 'name:'",
                            at: s.location, length: s.text.count))
                }
                continue
            }
            guard var cm = MappingReader(p.value, what: "the change to '\(p.key.text)'", diags: &diags) else { continue }
            if let n = cm.string("name") { candidates[idx].name = n }
            if let set = cm.node("set") {
                for f in readFacts(set, diags: &diags) { upsert(f, into: &candidates[idx]) }
            }
            if let unk = cm.node("unknown") {
                guard case let .sequence(items, _) = unk else {
                    diags.append(.wrongKind("'unknown' must be a list of fact names", at: unk.location))
                    diags += cm.finish(allowed: ["name", "set", "unknown"])
                    continue
                }
                for item in items {
                    guard case let .scalar(s) = item, Scalars.isValidFactName(s.text) else {
                        diags.append(.invalidValue("expected a fact name", at: item.location))
                        continue
                    }
                    upsert(Fact(name: s.text, state: .unknown, location: s.location, valueLocation: s.location), into: &candidates[idx])
                }
            }
            diags += cm.finish(allowed: ["name", "set", "unknown"])
        }
        diags += m.finish(allowed: [])
    }

    func upsert(_ f: Fact, into c: inout Candidate) {
        if let i = c.facts.firstIndex(where: { $0.name == f.name }) { c.facts[i] = f } else { c.facts.append(f) }
    }
}
