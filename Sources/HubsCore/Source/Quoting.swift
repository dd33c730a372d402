/// Attaches to each diagnostic the source line it points at, so that rendering reads no file.
/// Lines come from the first of `sources` that holds the location's file (the working tree, a git
/// revision for `hubs diff --rev`, the `<command line>` overrides, an editor's buffers); each file
/// is read once per call.
public enum Quoting {
    /// `diagnostics` with `quote` set wherever a source holds the line (already quoted ones kept).
    public static func attach(_ diagnostics: [Diagnostic], from sources: [any FileSource]) -> [Diagnostic] {
        var files: [String: SourceFile?] = [:]
        return diagnostics.map { d in
            guard d.quote == nil, let l = d.location, l.line > 0 else { return d }
            if files[l.file] == nil { files[l.file] = sources.lazy.compactMap { $0.file(atLocation: l.file) }.first }
            var d = d
            d.quote = files[l.file]??.line(l.line)
            return d
        }
    }
}
