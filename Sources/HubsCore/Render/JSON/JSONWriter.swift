/// Writes JSON straight to bytes, container by container, in exactly the layout of
/// `JSON.serialized` (two-space indentation, or compact): for large documents, which are written
/// as they are made instead of built as a tree first.
public struct JSONWriter: Sendable {
    /// Where the bytes go: this writer's alone (a continuation gets a buffer of its own).
    public private(set) var out = ByteBuffer()
    let pretty: Bool
    /// Elements written so far in the innermost open container; those of the containers around
    /// it, outermost first, wait in `outer` (so that writing an element changes a plain number,
    /// not an array element).
    private var current = 0
    private var outer: [Int] = []
    /// Open containers.
    private var depth: Int { outer.count }
    private var afterKey = false
    /// Each file's path as written in a location (opening quote and escaped text), by number.
    private var paths: [[UInt8]?] = []

    /// A copy of the bytes written.
    public var bytes: [UInt8] { out.array }

    /// A writer of indented JSON, or compact JSON when `pretty` is false.
    public init(pretty: Bool = true) {
        self.pretty = pretty
    }

    /// The most bytes `separator(into:)` writes. (Wrapping arithmetic here and in `separator`:
    /// the depth and counts are far from overflowing, and the checks were a fifth of writing a
    /// key.)
    private var separatorLength: Int { 1 &+ (pretty ? 1 &+ 2 &* depth : 0) }

    /// Before an element of the innermost container: a comma after its first element and, when
    /// pretty, a line break and the indentation; nothing at the top level. Writes at `p`, in room
    /// for `separatorLength` bytes plus `ByteBuffer.slack`, and returns how many it wrote.
    @inline(__always) private mutating func separator(into p: UnsafeMutablePointer<UInt8>) -> Int {
        let depth = self.depth
        guard depth > 0 else { return 0 }
        // The comma is always written, and kept (counted) only after the first element.
        p[0] = UInt8(ascii: ",")
        var i = current > 0 ? 1 : 0
        current &+= 1
        if pretty {
            p[i] = UInt8(ascii: "\n")
            ByteBuffer.spaces(p + (i &+ 1), 2 &* depth)
            i &+= 1 &+ 2 &* depth
        }
        return i
    }

    @inline(__always) private mutating func element() {
        out.reserve(separatorLength &+ ByteBuffer.slack)
        out.advance(separator(into: out.end))
    }

    private mutating func open(_ bracket: UInt8) {
        beforeValue()
        out.append(bracket)
        outer.append(current)
        current = 0
    }

    private mutating func beforeValue() {
        if afterKey {
            afterKey = false
        } else {
            element()
        }
    }

    /// A member's key written in the source, its value next: copied as it is (a key in the source
    /// is a plain name, never in need of an escape), with no scan and no reference counting,
    /// after one check for room (the most frequent thing written: a fifth of the score JSON).
    public mutating func key(_ k: StaticString) {
        precondition(k.hasPointerRepresentation, "a key is a text")
        assert(k.withUTF8Buffer { $0.allSatisfy { $0 >= 0x20 && $0 < 0x7F && $0 != UInt8(ascii: "\"") && $0 != UInt8(ascii: "\\") } })
        let n = k.utf8CodeUnitCount
        let name = k.utf8Start
        out.reserve(separatorLength &+ n &+ 4 &+ ByteBuffer.slack)
        let p = out.end
        var i = separator(into: p)
        p[i] = UInt8(ascii: "\"")
        ByteBuffer.copy(p + (i &+ 1), name, n)
        i &+= 1 &+ n
        // The closing quote, the colon and a space, counted without the space when compact.
        p[i] = UInt8(ascii: "\"")
        p[i &+ 1] = UInt8(ascii: ":")
        p[i &+ 2] = UInt8(ascii: " ")
        i &+= pretty ? 3 : 2
        out.advance(i)
        afterKey = true
    }

    /// A member's key made at run time; its value comes next.
    public mutating func key(_ k: String) {
        element()
        JSON.escape(k, into: out)
        out.append(pretty ? ": " : ":")
        afterKey = true
    }

    /// Opens an object (after its key, inside an object).
    public mutating func beginObject() { open(UInt8(ascii: "{")) }

    /// Closes the innermost object.
    public mutating func endObject() { close(UInt8(ascii: "}")) }

    /// Opens an array.
    public mutating func beginArray() { open(UInt8(ascii: "[")) }

    /// Closes the innermost array.
    public mutating func endArray() { close(UInt8(ascii: "]")) }

    private mutating func close(_ bracket: UInt8) {
        let n = current
        current = outer.removeLast()
        if n > 0 { JSON.newline(out, pretty ? depth : nil) }
        out.append(bracket)
    }

    /// A string, escaped.
    public mutating func string(_ s: String) {
        beforeValue()
        JSON.escape(s, into: out)
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
            let quoted = ByteBuffer(capacity: at.file.utf8.count + 8)
            JSON.escape(at.file, into: quoted)
            paths[id] = quoted.array.dropLast()  // the closing quote comes after the line and column
        }
        out.append(paths[id] ?? [])
        if at.line != 0 {
            out.append(UInt8(ascii: ":"))
            out.appendDecimal(at.line)
            out.append(UInt8(ascii: ":"))
            out.appendDecimal(at.column)
        }
        out.append(UInt8(ascii: "\""))
    }

    /// A string, or null when absent.
    public mutating func string(_ s: String?) {
        if let s { string(s) } else { null() }
    }

    /// A number; non-finite numbers and nil are written as null.
    public mutating func number(_ v: Double?) {
        beforeValue()
        JSON.number(v ?? .nan, into: out)
    }

    /// A whole number.
    public mutating func number(_ v: Int) { number(Double(v)) }

    /// true or false.
    public mutating func bool(_ b: Bool) {
        beforeValue()
        out.append(b ? "true" : "false")
    }

    /// null.
    public mutating func null() {
        beforeValue()
        out.append("null")
    }

    /// A value built as a tree (small parts of a streamed document).
    public mutating func value(_ j: JSON) {
        beforeValue()
        j.write(into: out, indent: pretty ? depth : nil)
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
    /// `buffer` is storage to write into (emptied; its memory kept, so that parts written one
    /// after another do not each allocate theirs again); the continuation owns it.
    public func continuation(after elements: Int = 0, buffer: ByteBuffer? = nil) -> JSONWriter {
        var w = self
        w.out = buffer ?? ByteBuffer()
        w.out.removeAll()
        if w.depth > 0 { w.current += elements }
        return w
    }

    /// Appends the bytes of a continuation of this writer (see `continuation()`) and goes on from
    /// where it stands; returns its storage, for the next part. With a `sink`, the bytes so far
    /// and then the part's go to it instead, uncopied.
    @discardableResult
    public mutating func append(_ part: JSONWriter, passingTo sink: ((UnsafeRawBufferPointer) -> Void)? = nil) -> ByteBuffer {
        precondition(part.depth == depth && !part.afterKey, "a part closes what it opens")
        if let sink {
            if out.count > 0 { out.withBytes(sink) }
            out.removeAll()
            part.out.withBytes(sink)
        } else {
            part.out.withBytes { out.append($0) }
        }
        current = part.current
        outer = part.outer
        if part.paths.count > paths.count { paths = part.paths }
        return part.out
    }

    /// Hands the bytes written so far to `sink` once there are at least `threshold` of them.
    public mutating func flush(ifAtLeast threshold: Int = 1 << 16, to sink: (UnsafeRawBufferPointer) -> Void) {
        guard out.count >= threshold, out.count > 0 else { return }
        out.withBytes(sink)
        out.removeAll()
    }
}

/// A JSON document written on demand by a `JSONWriter`.
public struct JSONText {
    let write: (inout JSONWriter) -> Void

    /// The document as text: indented, or compact when `pretty` is false.
    public func serialized(pretty: Bool = true) -> String {
        var w = JSONWriter(pretty: pretty)
        write(&w)
        return w.out.withBytes { String(decoding: $0, as: UTF8.self) }
    }
}
