/// An SVG drawing built element by element. Every text and attribute value that reaches it is
/// escaped here (`Escaping.html`), every number printed by one formatter, so a chart cannot be
/// broken, or made to run script, by a name from a YAML file.
struct SVG {
    private(set) var body = ""

    /// A number as an attribute: at most two decimals, no "-0".
    static func n(_ v: Double) -> String {
        var s = Format.fixed(v, 2)
        // Byte tests: `contains(".")` on a string is Foundation's substring search.
        guard s.utf8.contains(UInt8(ascii: ".")) else { return s }
        while s.utf8.last == UInt8(ascii: "0") { s.removeLast() }
        if s.utf8.last == UInt8(ascii: ".") { s.removeLast() }
        return s
    }

    private static func attributes(_ pairs: [(String, String?)]) -> String {
        pairs.compactMap { k, v in v.map { " \(k)=\"\(Escaping.html($0))\"" } }.joined()
    }

    /// A `<title>` child: the tooltip and the accessible name of its parent.
    private static func title(_ t: String?) -> String { t.map { "<title>\(Escaping.html($0))</title>" } ?? "" }

    mutating func line(x1: Double, y1: Double, x2: Double, y2: Double, class cls: String) {
        body +=
            "<line\(Self.attributes([("x1", Self.n(x1)), ("y1", Self.n(y1)), ("x2", Self.n(x2)), ("y2", Self.n(y2)), ("class", cls)]))/>\n"
    }

    mutating func rect(
        x: Double, y: Double, width: Double, height: Double, fill: String? = nil, class cls: String? = nil, title: String? = nil
    ) {
        let a = Self.attributes([
            ("x", Self.n(x)), ("y", Self.n(y)), ("width", Self.n(Swift.max(0, width))), ("height", Self.n(height)), ("fill", fill),
            ("class", cls),
        ])
        body += title == nil ? "<rect\(a)/>\n" : "<rect\(a)>\(Self.title(title))</rect>\n"
    }

    mutating func circle(cx: Double, cy: Double, r: Double, class cls: String, title: String? = nil) {
        let a = Self.attributes([("cx", Self.n(cx)), ("cy", Self.n(cy)), ("r", Self.n(r)), ("class", cls)])
        body += title == nil ? "<circle\(a)/>\n" : "<circle\(a)>\(Self.title(title))</circle>\n"
    }

    /// Text at (x, y); longer than `limit` characters, it is cut with an ellipsis and the full
    /// text becomes its title.
    mutating func text(_ s: String, x: Double, y: Double, class cls: String? = nil, limit: Int = 60, anchor: String? = nil) {
        let (shown, full) = ChartLabels.truncated(s, limit: limit)
        let a = Self.attributes([("x", Self.n(x)), ("y", Self.n(y)), ("class", cls), ("text-anchor", anchor)])
        body += "<text\(a)>\(Escaping.html(shown))\(Self.title(full))</text>\n"
    }

    /// Opens and closes a grouping element (`defs`, `g`) by name; names are this module's own.
    mutating func open(_ element: StaticString) { body += "<\(element)>\n" }
    mutating func close(_ element: StaticString) { body += "</\(element)>\n" }

    /// A hatch pattern (stripes of `color` on white) to fill what rests on an assumption.
    mutating func hatch(id: String, color: String) {
        body += "<pattern\(Self.attributes([("id", id)])) width=\"6\" height=\"6\" patternUnits=\"userSpaceOnUse\" "
        body += "patternTransform=\"rotate(45)\"><rect width=\"6\" height=\"6\" fill=\"#fff\"/>"
        body += "<rect width=\"3\" height=\"6\"\(Self.attributes([("fill", color)]))/></pattern>\n"
    }

    /// The drawing inline (inside a table cell, say), labelled for screen readers by `label`.
    func inline(width: Double, height: Double, label: String) -> String {
        "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"inline\" width=\"\(Self.n(width))\" height=\"\(Self.n(height))\" "
            + "viewBox=\"0 0 \(Self.n(width)) \(Self.n(height))\" role=\"img\" aria-label=\"\(Escaping.html(label))\">\(body)</svg>"
    }

    /// The whole drawing as an accessible figure: `title` and `description` name and describe
    /// it for screen readers (the figure's table or text carries the same numbers).
    func figure(id: String, width: Double, height: Double, title: String, description: String, caption: String) -> String {
        var out = "<figure class=\"chart\">\n<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 \(Self.n(width)) \(Self.n(height))\" "
        out += "role=\"img\" aria-labelledby=\"\(Escaping.html(id))-title \(Escaping.html(id))-desc\">\n"
        out += "<title id=\"\(Escaping.html(id))-title\">\(Escaping.html(title))</title>\n"
        out += "<desc id=\"\(Escaping.html(id))-desc\">\(Escaping.html(description))</desc>\n"
        out += body + "</svg>\n<figcaption>\(caption)</figcaption>\n</figure>\n"
        return out
    }
}

/// Axes: a line, ticks at nice values, their labels and faint grid lines across the plot.
enum ChartAxis {
    /// A horizontal axis at `y` for `scale`, with about `count` ticks, grid lines down to
    /// `gridTo`, and `caption` under it at the right.
    static func horizontal(
        _ scale: LinearScale, y: Double, gridFrom: Double, gridTo: Double, count: Int = 5, caption: String? = nil,
        format: (Double) -> String = { Format.number($0) }, into svg: inout SVG
    ) {
        svg.line(x1: scale.range.lowerBound, y1: y, x2: scale.range.upperBound, y2: y, class: "axis")
        for t in scale.ticks(count) {
            let x = scale(t)
            svg.line(x1: x, y1: gridFrom, x2: x, y2: gridTo, class: "grid")
            svg.line(x1: x, y1: y, x2: x, y2: y + 4, class: "axis")
            svg.text(format(t), x: x, y: y + 16, class: "tick")
        }
        if let caption { svg.text(caption, x: scale.range.upperBound, y: y + 30, class: "axiscaption", anchor: "end") }
    }

    /// A horizontal axis of whole numbers (ranks) above the plot at `y`, grid lines down to `gridTo`.
    static func ranks(_ scale: LinearScale, y: Double, gridTo: Double, count: Int = 10, into svg: inout SVG) {
        for k in scale.integerTicks(count) {
            let x = scale(Double(k))
            svg.text(String(k), x: x, y: y, class: "tick")
            svg.line(x1: x, y1: y + 6, x2: x, y2: gridTo, class: "grid")
        }
    }
}
