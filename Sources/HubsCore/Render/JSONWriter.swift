/// Writes JSON straight to bytes, container by container, in exactly the layout of
/// `JSON.serialized` (two-space indentation, or compact): for large documents, which are written
/// as they are made instead of built as a tree first.
public struct JSONWriter: Sendable {
    public private(set) var bytes: [UInt8] = []
    let pretty: Bool
    /// Elements written so far in each open container, outermost first.
    private var counts: [Int] = []
    private var afterKey = false
    /// Each file's path as written in a location (opening quote and escaped text), by number.
    private var paths: [[UInt8]?] = []

    /// A writer of indented JSON, or compact JSON when `pretty` is false.
    public init(pretty: Bool = true) {
        self.pretty = pretty
    }

    private mutating func element() {
        guard !counts.isEmpty else { return }
        if counts[counts.count - 1] > 0 { bytes.append(UInt8(ascii: ",")) }
        counts[counts.count - 1] += 1
        JSON.newline(&bytes, pretty ? counts.count : nil)
    }

    private mutating func beforeValue() {
        if afterKey {
            afterKey = false
        } else {
            element()
        }
    }

    /// A member's key written in the source, its value next: copied as it is (a key in the source
    /// is a plain name, never in need of an escape), with no scan and no reference counting.
    public mutating func key(_ k: StaticString) {
        element()
        bytes.append(UInt8(ascii: "\""))
        k.withUTF8Buffer { name in
            assert(name.allSatisfy { $0 >= 0x20 && $0 < 0x7F && $0 != UInt8(ascii: "\"") && $0 != UInt8(ascii: "\\") })
            bytes.append(contentsOf: name)
        }
        bytes.append(UInt8(ascii: "\""))
        bytes.append(UInt8(ascii: ":"))
        if pretty { bytes.append(UInt8(ascii: " ")) }
        afterKey = true
    }

    /// A member's key made at run time; its value comes next.
    public mutating func key(_ k: String) {
        element()
        JSON.escape(k, into: &bytes)
        bytes.append(UInt8(ascii: ":"))
        if pretty { bytes.append(UInt8(ascii: " ")) }
        afterKey = true
    }

    /// Opens an object (after its key, inside an object).
    public mutating func beginObject() {
        beforeValue()
        bytes.append(UInt8(ascii: "{"))
        counts.append(0)
    }

    /// Closes the innermost object.
    public mutating func endObject() { close(UInt8(ascii: "}")) }

    /// Opens an array.
    public mutating func beginArray() {
        beforeValue()
        bytes.append(UInt8(ascii: "["))
        counts.append(0)
    }

    /// Closes the innermost array.
    public mutating func endArray() { close(UInt8(ascii: "]")) }

    private mutating func close(_ bracket: UInt8) {
        let n = counts.removeLast()
        if n > 0 { JSON.newline(&bytes, pretty ? counts.count : nil) }
        bytes.append(bracket)
    }

    /// A string, escaped.
    public mutating func string(_ s: String) {
        beforeValue()
        JSON.escape(s, into: &bytes)
    }

    /// A location as its text (`file:line:column`, or the file alone for a whole file), or null:
    /// each file's path is escaped once per writer, and the numbers written as digits, so the
    /// locations of a long document cost neither a path look-up nor a string each.
    public mutating func location(_ at: SourceLocation?) {
        guard let at else { return null() }
        beforeValue()
        let id = Int(at.fileID)
        if id >= paths.count { paths += Array(repeating: nil, count: id + 1 - paths.count) }
        if paths[id] == nil {
            var quoted: [UInt8] = []
            JSON.escape(at.file, into: &quoted)
            quoted.removeLast()  // the closing quote comes after the line and column
            paths[id] = quoted
        }
        bytes += paths[id] ?? []
        if at.line != 0 {
            bytes.append(UInt8(ascii: ":"))
            JSON.digits(at.line, into: &bytes)
            bytes.append(UInt8(ascii: ":"))
            JSON.digits(at.column, into: &bytes)
        }
        bytes.append(UInt8(ascii: "\""))
    }

    /// A string, or null when absent.
    public mutating func string(_ s: String?) {
        if let s { string(s) } else { null() }
    }

    /// A number; non-finite numbers and nil are written as null.
    public mutating func number(_ v: Double?) {
        beforeValue()
        JSON.number(v ?? .nan, into: &bytes)
    }

    /// A whole number.
    public mutating func number(_ v: Int) { number(Double(v)) }

    /// true or false.
    public mutating func bool(_ b: Bool) {
        beforeValue()
        bytes += b ? JSON.trueBytes : JSON.falseBytes
    }

    /// null.
    public mutating func null() {
        beforeValue()
        bytes += JSON.nullBytes
    }

    /// A value built as a tree (small parts of a streamed document).
    public mutating func value(_ j: JSON) {
        beforeValue()
        j.write(into: &bytes, indent: pretty ? counts.count : nil)
    }

    /// `key: [...]`, one element per item, each written by `element`.
    public mutating func array<S: Sequence>(_ k: StaticString, _ items: S, _ element: (inout JSONWriter, S.Element) -> Void) {
        key(k)
        beginArray()
        for item in items { element(&self, item) }
        endArray()
    }

    /// `key: [{...}, ...]`, one object per item, its members written by `members`.
    public mutating func objects<S: Sequence>(_ k: StaticString, _ items: S, _ members: (inout JSONWriter, S.Element) -> Void) {
        array(k, items) { w, item in
            w.beginObject()
            members(&w, item)
            w.endObject()
        }
    }

    /// `key: value` in one call, for each kind of value.
    public mutating func field(_ k: StaticString, _ v: String) {
        key(k)
        string(v)
    }

    /// A member whose text may be absent (null).
    public mutating func field(_ k: StaticString, _ v: String?) {
        key(k)
        string(v)
    }

    /// A member holding a number, or null when absent or not finite.
    public mutating func field(_ k: StaticString, _ v: Double?) {
        key(k)
        number(v)
    }

    /// A member holding a whole number.
    public mutating func field(_ k: StaticString, _ v: Int) {
        key(k)
        number(v)
    }

    /// A member holding a location (see `location(_:)`).
    public mutating func field(_ k: StaticString, _ at: SourceLocation?) {
        key(k)
        location(at)
    }

    /// A member holding true or false.
    public mutating func field(_ k: StaticString, _ v: Bool) {
        key(k)
        bool(v)
    }

    /// `key: value` in one call, with a value built as a tree.
    public mutating func member(_ k: StaticString, _ j: JSON) {
        key(k)
        value(j)
    }

    /// A writer with no bytes that goes on from where this one stands (the same open containers
    /// and file paths), `after` elements of the innermost container later: what it writes,
    /// appended by `append(_:)` after those elements, is what this writer would have written.
    /// Parts of a document can so be written side by side.
    /// `buffer` is storage to write into (emptied; its capacity kept, so that parts written one
    /// after another do not each allocate their memory again).
    public func continuation(after elements: Int = 0, buffer: [UInt8] = []) -> JSONWriter {
        var w = self
        w.bytes = buffer
        w.bytes.removeAll(keepingCapacity: true)
        if !w.counts.isEmpty { w.counts[w.counts.count - 1] += elements }
        return w
    }

    /// Appends the bytes of a continuation of this writer (see `continuation()`) and goes on from
    /// where it stands; returns its storage, for the next part. With a `sink`, the bytes so far
    /// and then the part's go to it instead, uncopied.
    @discardableResult
    public mutating func append(_ part: JSONWriter, passingTo sink: (([UInt8]) -> Void)? = nil) -> [UInt8] {
        precondition(part.counts.count == counts.count && !part.afterKey, "a part closes what it opens")
        if let sink {
            if !bytes.isEmpty { sink(bytes) }
            bytes.removeAll(keepingCapacity: true)
            sink(part.bytes)
        } else {
            bytes += part.bytes
        }
        counts = part.counts
        if part.paths.count > paths.count { paths = part.paths }
        return part.bytes
    }

    /// Hands the bytes written so far to `sink` once there are at least `threshold` of them.
    public mutating func flush(ifAtLeast threshold: Int = 1 << 16, to sink: ([UInt8]) -> Void) {
        guard bytes.count >= threshold, !bytes.isEmpty else { return }
        sink(bytes)
        bytes.removeAll(keepingCapacity: true)
    }
}

/// A JSON document written on demand by a `JSONWriter`.
public struct JSONText {
    let write: (inout JSONWriter) -> Void

    /// The document as text: indented, or compact when `pretty` is false.
    public func serialized(pretty: Bool = true) -> String {
        var w = JSONWriter(pretty: pretty)
        write(&w)
        return String(decoding: w.bytes, as: UTF8.self)
    }
}
