/// A file path taken apart into its folder and its name, without Foundation's `NSString` path
/// methods, whose `deletingLastPathComponent` stops the process on a one-character relative name
/// ("x") in this Foundation: `solidarity init --db x` crashed.
public enum PathParts {
    /// The folder a path names a file in ("." for a bare name, "/" for a file at the root).
    public static func folder(of path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return "." }
        return slash == path.startIndex ? "/" : String(path[..<slash])
    }

    /// The name a path gives its file, after its last slash.
    public static func name(of path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return path }
        return String(path[path.index(after: slash)...])
    }

    /// The path of the file `name` in `folder`.
    public static func path(of name: String, in folder: String) -> String {
        folder == "." ? name : folder == "/" ? "/" + name : folder + "/" + name
    }

    /// A file name without its extension ("m.sqlite" → "m"); a name whose only dot starts it
    /// (".hidden") or that has none is kept whole.
    public static func stem(of name: String) -> String {
        guard let dot = name.lastIndex(of: "."), dot != name.startIndex else { return name }
        return String(name[..<dot])
    }
}
