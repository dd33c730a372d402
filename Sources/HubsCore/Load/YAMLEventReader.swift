import CYaml

/// Reads YAML text into the located tree straight from libyaml's event stream (the C library
/// that Yams carries), with every limit counted as the events arrive: nesting depth on each
/// collection start, nodes on each event, alias expansions by the size of what they repeat. No
/// recursion depends on the input, and nothing is ever expanded or hashed before it is counted.
struct YAMLEventReader {
    struct Failure: Error { var diagnostic: Diagnostic }

    /// A collection being read: its pairs or items so far, and where it started.
    fileprivate struct Frame {
        var isMapping: Bool
        var at: SourceLocation
        var anchor: String?
        var items: [YAML] = []
        var pairs: [YAMLPair] = []
        var pendingKey: YAMLScalar?
        /// Keys seen, once a mapping is large enough for a linear scan to cost.
        var keyIndex: KeyIndex?
        /// Nodes inside, counting this one, and the height of the subtree (for aliases).
        var count = 1
        var height = 1
    }

    fileprivate struct Anchored {
        var node: YAML
        var count: Int
        var height: Int
    }

    let file: SourceFile
    var limits: InputLimits
    /// The file's path number, found once (every node gets a location).
    let fileID: UInt32
    /// When reading one part of a file (`YAMLParts`): the lines before the part, and that
    /// anchors and aliases stop the reading (a part cannot see the others' anchors).
    var lineOffset = 0
    var isPart = false

    init(file: SourceFile, limits: InputLimits) {
        self.file = file
        self.limits = limits
        fileID = FilePaths.shared.id(file.path)
    }

    func read() -> Result<YAML, DiagnosticsError> {
        var text = file.text
        return text.withUTF8 { bytes -> Result<YAML, DiagnosticsError> in
            // A long scenario is read in parts side by side when that is sure to give the same
            // tree; anything unusual in a part (an error, an anchor) reads the file whole again,
            // so errors are always those of the whole file.
            if bytes.count >= YAMLParts.minimumBytes, let tree = readInParts(bytes) { return .success(tree) }
            switch readRange(bytes) {
            case let .success((root, _)): return .success(root)
            case let .failure(f): return .failure(DiagnosticsError([f.diagnostic]))
            }
        }
    }

    /// Reads `bytes` (the whole file, or one part of it) into a tree, with its node count.
    func readRange(_ bytes: UnsafeBufferPointer<UInt8>) -> Result<(YAML, Int), Failure> {
        var parser = yaml_parser_t()
        guard yaml_parser_initialize(&parser) == 1 else {
            return .failure(Failure(diagnostic: .yamlSyntax("cannot start the YAML reader (out of memory)", at: nil)))
        }
        defer { yaml_parser_delete(&parser) }
        yaml_parser_set_input_string(&parser, bytes.baseAddress, bytes.count)
        yaml_parser_set_encoding(&parser, YAML_UTF8_ENCODING)
        do {
            return .success(try run(&parser, inputBytes: bytes.count))
        } catch let f as Failure {
            return .failure(f)
        } catch {
            return .failure(Failure(diagnostic: .yamlSyntax("cannot read YAML: \(error)", at: nil)))
        }
    }

    private func location(_ mark: yaml_mark_t) -> SourceLocation {
        SourceLocation(fileID: fileID, line: lineOffset + mark.line + 1, column: mark.column + 1)
    }

    fileprivate func string(_ p: UnsafeMutablePointer<yaml_char_t>?, length: Int? = nil) -> String? {
        guard let p else { return nil }
        let n = length ?? strlen(UnsafeRawPointer(p).assumingMemoryBound(to: CChar.self))
        return String(decoding: UnsafeBufferPointer(start: p, count: n), as: UTF8.self)
    }

    private func run(_ parser: inout yaml_parser_t, inputBytes: Int) throws -> (YAML, Int) {
        var tree = TreeBuilder(reader: self, aliasBudget: limits.aliasExpansionAllowance(inputBytes: inputBytes), inputBytes: inputBytes)
        var documents = 0
        var event = yaml_event_t()
        while true {
            guard yaml_parser_parse(&parser, &event) == 1 else {
                throw isPart ? YAMLParts.unsplittable : Failure(diagnostic: syntaxError(parser))
            }
            defer { yaml_event_delete(&event) }
            let at = location(event.start_mark)
            switch event.type {
            case YAML_STREAM_END_EVENT:
                guard let root = tree.root else {
                    throw Failure(
                        diagnostic: .emptyFile("file has no YAML document", at: SourceLocation(file: file.path, line: 1, column: 1))
                    )
                }
                return (root, tree.nodes)
            case YAML_DOCUMENT_START_EVENT:
                documents += 1
                if documents > 1 {
                    throw Failure(
                        diagnostic: .multipleDocuments(
                            "file holds more than one YAML document", at: at,
                            hint: "keep one policy or scenario per file; remove the '---' separator"))
                }
            case YAML_SCALAR_EVENT:
                let s = event.data.scalar
                try tree.scalar(
                    text: string(s.value, length: s.length) ?? "", style: s.style, tag: s.tag, anchor: string(s.anchor), at: at)
            case YAML_SEQUENCE_START_EVENT:
                try tree.start(mapping: false, anchor: string(event.data.sequence_start.anchor), at: at)
            case YAML_MAPPING_START_EVENT:
                try tree.start(mapping: true, anchor: string(event.data.mapping_start.anchor), at: at)
            case YAML_SEQUENCE_END_EVENT, YAML_MAPPING_END_EVENT:
                try tree.end()
            case YAML_ALIAS_EVENT:
                try tree.alias(string(event.data.alias.anchor) ?? "", at: at)
            default:
                continue
            }
        }
    }

    /// Builds the tree from events with an explicit stack, counting as it goes.
    private struct TreeBuilder {
        let reader: YAMLEventReader
        let aliasBudget: Int
        let inputBytes: Int
        var stack: [Frame] = []
        var anchors: [String: Anchored] = [:]
        var root: YAML?
        var nodes = 0
        var aliasNodes = 0

        init(reader: YAMLEventReader, aliasBudget: Int, inputBytes: Int) {
            self.reader = reader
            self.aliasBudget = aliasBudget
            self.inputBytes = inputBytes
        }

        var limits: InputLimits { reader.limits }

        func tooMany(_ at: SourceLocation) -> Failure {
            Failure(
                diagnostic: .tooManyNodes(
                    "document has more than \(limits.maxNodes) YAML nodes (counting alias expansions)", at: at,
                    hint: "split the file, or raise the limit with --max-nodes"))
        }

        func tooDeep(_ at: SourceLocation) -> Failure {
            Failure(diagnostic: YAMLEventReader.depthError(at, limits))
        }

        /// A collection cannot be a key: hubs keys are names.
        func refuseCollectionKey(_ at: SourceLocation) throws {
            if let top = stack.last, top.isMapping, top.pendingKey == nil {
                throw Failure(diagnostic: .wrongKind("a key must be a single name, not a list or mapping", at: at))
            }
        }

        mutating func scalar(
            text: String, style raw: yaml_scalar_style_t, tag: UnsafeMutablePointer<yaml_char_t>?, anchor: String?, at: SourceLocation
        ) throws {
            nodes += 1
            if nodes > limits.maxNodes { throw tooMany(at) }
            if stack.count + 1 > limits.maxDepth { throw tooDeep(at) }
            let style: YAMLScalar.Style
            switch raw {
            case YAML_SINGLE_QUOTED_SCALAR_STYLE: style = .singleQuoted
            case YAML_DOUBLE_QUOTED_SCALAR_STYLE: style = .doubleQuoted
            case YAML_LITERAL_SCALAR_STYLE: style = .literal
            case YAML_FOLDED_SCALAR_STYLE: style = .folded
            default: style = .plain
            }
            var scalar = YAMLScalar(text: text, style: style, location: at)
            // An explicit tag (`!!str 44`) says the value is text, like a quoted one, never the
            // number or truth value it looks like.
            if style == .plain, let tag = reader.string(tag), tag == "tag:yaml.org,2002:str",
                Scalars.number(scalar) != nil || Scalars.bool(scalar) != nil
            {
                scalar.style = .tagged
            }
            try attach(.scalar(scalar), count: 1, height: 1, anchor: anchor, at: at)
        }

        mutating func start(mapping: Bool, anchor: String?, at: SourceLocation) throws {
            nodes += 1
            if nodes > limits.maxNodes { throw tooMany(at) }
            if stack.count + 1 > limits.maxDepth { throw tooDeep(at) }
            try refuseCollectionKey(at)
            stack.append(Frame(isMapping: mapping, at: at, anchor: anchor))
        }

        mutating func end() throws {
            let frame = stack.removeLast()
            let node: YAML = frame.isMapping ? .mapping(frame.pairs, frame.at) : .sequence(frame.items, frame.at)
            try attach(node, count: frame.count, height: frame.height, anchor: frame.anchor, at: frame.at)
        }

        /// An alias shares the anchored subtree (nothing is copied) but counts as all its nodes,
        /// against the file's alias allowance and the node limit, and as its height.
        mutating func alias(_ name: String, at: SourceLocation) throws {
            if reader.isPart { throw YAMLParts.unsplittable }
            guard let target = anchors[name] else {
                throw Failure(
                    diagnostic: .yamlSyntax(
                        "alias '*\(reader.clip(name))' names no anchor defined before it", at: at,
                        hint: "define the anchor (&name) before using *name"))
            }
            if let top = stack.last, top.isMapping, top.pendingKey == nil {
                throw Failure(
                    diagnostic: .invalidValue(
                        "an alias (*name) is used as a mapping key", at: at,
                        hint: "write the key out; hubs refuses alias keys, whose expansion can be enormous",
                        length: name.utf8.count + 1))
            }
            if stack.count + target.height > limits.maxDepth { throw tooDeep(at) }
            aliasNodes += target.count
            nodes += target.count
            if aliasNodes > aliasBudget {
                throw Failure(
                    diagnostic: .tooManyNodes(
                        "aliases (*name) expand to more than \(aliasBudget) YAML nodes, the allowance for a file of \(inputBytes) bytes",
                        at: at, hint: "this looks like an alias bomb; write the values out or use fewer '*' aliases"))
            }
            if nodes > limits.maxNodes { throw tooMany(at) }
            try attach(target.node, count: target.count, height: target.height, anchor: nil, at: at)
        }

        /// Adds a finished node to the collection being read (or makes it the root).
        mutating func attach(_ node: YAML, count: Int, height: Int, anchor: String?, at: SourceLocation) throws {
            if let anchor {
                if reader.isPart { throw YAMLParts.unsplittable }
                anchors[anchor] = Anchored(node: node, count: count, height: height)
            }
            guard !stack.isEmpty else {
                root = node
                return
            }
            let top = stack.count - 1
            stack[top].count += count
            stack[top].height = max(stack[top].height, height + 1)
            guard stack[top].isMapping else {
                stack[top].items.append(node)
                return
            }
            if let key = stack[top].pendingKey {
                stack[top].pendingKey = nil
                stack[top].pairs.append(YAMLPair(key: key, value: node))
            } else {
                guard case let .scalar(key) = node else {
                    throw Failure(diagnostic: .wrongKind("a key must be a single name, not a list or mapping", at: at))
                }
                try YAMLEventReader.checkDuplicate(key, in: &stack[top])
                stack[top].pendingKey = key
            }
        }
    }

    static func depthError(_ at: SourceLocation, _ limits: InputLimits) -> Diagnostic {
        .nestingTooDeep(
            "nesting is deeper than the limit of \(limits.maxDepth) levels", at: at,
            hint: "flatten the structure; no hubs file needs this much nesting")
    }

    /// A key already in this mapping is an error at its second appearance, where the fix goes.
    fileprivate static func checkDuplicate(_ key: YAMLScalar, in frame: inout Frame) throws {
        let n = frame.pairs.count
        let pairs = frame.pairs
        var first: Int?
        if frame.keyIndex == nil, n < 16 {
            // By index: a `for p in pairs` loop would copy every pair it looks at.
            first = pairs.indices.first { pairs[$0].key.text == key.text }
        } else {
            if frame.keyIndex == nil {
                var index = KeyIndex(capacity: 2 * n)
                for i in 0..<n { _ = index.add(i, key: pairs[i].key.text, keyAt: { pairs[$0].key.text }) }
                frame.keyIndex = index
            }
            first = frame.keyIndex?.add(n, key: key.text, keyAt: { pairs[$0].key.text })
        }
        if let first {
            throw Failure(
                diagnostic: .duplicateKey(
                    "key '\(clipped(key.text))' appears twice in the same mapping", at: key.location,
                    hint: "the first is at line \(pairs[first].key.location.line); keep one", length: key.text.count))
        }
    }

    fileprivate static func clipped(_ s: String) -> String { s.count > 160 ? String(s.prefix(157)) + "..." : s }
    fileprivate func clip(_ s: String) -> String { Self.clipped(s) }

    /// libyaml's own error, located, with the hints hubs gives for the common slips.
    private func syntaxError(_ parser: yaml_parser_t) -> Diagnostic {
        let problem = parser.problem.map { String(cString: $0) } ?? "unknown problem"
        if parser.error == YAML_READER_ERROR {
            let offset = min(parser.problem_offset, file.text.utf8.count)
            let (l, c) = SourceFile.lineColumn(Array(file.text.utf8), upTo: offset)
            return .yamlSyntax(
                "cannot read YAML: \(clip(problem))", at: SourceLocation(file: file.path, line: l, column: c),
                hint: "remove control characters; hubs files are plain UTF-8 text")
        }
        if parser.error == YAML_MEMORY_ERROR {
            return .yamlSyntax("cannot read YAML: out of memory", at: SourceLocation(file: file.path, line: 1, column: 1))
        }
        if problem.hasPrefix("Maximum nesting level") {
            // libyaml's own bound (1,000 levels), met while it scans ahead through a run of
            // brackets before handing over the first of them.
            return Self.depthError(location(parser.problem_mark), limits)
        }
        let context = parser.context.map { String(cString: $0) }
        return YAMLReader.syntaxDiagnostic(
            problem: problem, context: context, line: parser.problem_mark.line + 1, column: parser.problem_mark.column + 1, file: file)
    }
}

/// The keys of a large mapping, by a hash of their bytes (FNV-1a) in an open-addressed table of
/// pair positions: a duplicate is found without Swift's seeded string hashing or a dictionary of
/// copied keys (a scenario of 20,000 candidates has 20,000 mappings of 40 facts).
struct KeyIndex {
    /// Pair position + 1 in each slot (0: empty), and the hash of its key.
    private var slots: [Int32]
    private var hashes: [UInt32]
    private var count = 0

    init(capacity: Int) {
        var size = 32
        while size < 2 * capacity { size *= 2 }
        slots = Array(repeating: 0, count: size)
        hashes = Array(repeating: 0, count: size)
    }

    static func hash(_ text: String) -> UInt32 {
        var h: UInt32 = 2_166_136_261
        for b in text.utf8 { h = (h ^ UInt32(b)) &* 16_777_619 }
        return h
    }

    /// Adds pair `position` with key `key`, unless a pair with the same key is there already
    /// (`keyAt` gives a pair's key): then returns that pair's position and adds nothing.
    mutating func add(_ position: Int, key: String, keyAt: (Int) -> String) -> Int? {
        let h = Self.hash(key)
        let mask = slots.count - 1
        var i = Int(h) & mask
        while slots[i] != 0 {
            if hashes[i] == h, keyAt(Int(slots[i]) - 1) == key { return Int(slots[i]) - 1 }
            i = (i + 1) & mask
        }
        insert(position, hash: h)
        return nil
    }

    /// Adds pair `position` with its key's hash; the table doubles when half full.
    private mutating func insert(_ position: Int, hash h: UInt32) {
        if 2 * (count + 1) > slots.count {
            var bigger = KeyIndex(capacity: slots.count)
            for i in slots.indices where slots[i] != 0 { bigger.insert(Int(slots[i]) - 1, hash: hashes[i]) }
            self = bigger
        }
        let mask = slots.count - 1
        var i = Int(h) & mask
        while slots[i] != 0 { i = (i + 1) & mask }
        slots[i] = Int32(truncatingIfNeeded: position + 1)
        hashes[i] = h
        count += 1
    }
}
