/// The words for a refused or failed write (`OutputProblem`): a message naming the option and
/// the path, and a hint saying what to do. Paths are shown as given, cut at `Escaping.echoLimit`.
public enum OutputProblemText {
    /// `option` is how the user named the target (`--out`, `--into`, `--output`, or a path for
    /// `hubs init`).
    public static func message(_ p: OutputProblem, option: String) -> (message: String, hint: String) {
        let e = { (s: String) in "'" + Escaping.echo(s) + "'" }
        switch p {
        case .empty:
            return ("\(option) is empty", "name the file to write, or - for standard output")
        case let .folder(path):
            return ("\(option) \(e(path)) is a folder; hubs writes a file, never over a folder", "name a file, such as \(e(path + "/out"))")
        case let .special(path, kind):
            return (
                "\(option) \(e(path)) is a \(kind), not a regular file; nothing was written",
                "name a regular file, or - (or /dev/stdout) for standard output"
            )
        case let .linkLeavesProject(path, target, project):
            return (
                "\(option) \(e(path)) is a symbolic link to \(e(target)), outside the project \(e(project)); nothing was written",
                "name the file itself, or a file inside the project"
            )
        case let .outsideFolder(path, folder):
            return (
                "\(option) \(e(path)) would be written outside \(e(folder)) (a folder on the way is a symbolic link that leaves it); nothing was written",
                "replace the link with a folder, or choose another folder"
            )
        case let .input(path, input):
            return (
                "\(option) \(e(path)) is \(path == input ? "an input of this command" : "the same file as the input \(e(input))"); writing it would destroy the input",
                "choose another file to write"
            )
        case let .missingFolder(path, folder):
            return (
                "\(option) \(e(path)): the folder \(e(folder)) does not exist", "create it first, or name a file in a folder that exists"
            )
        case let .notAFolder(path, folder):
            return ("\(option) \(e(path)): \(e(folder)) is not a folder", "name a file in a folder that exists")
        case let .unwritableFolder(path, folder):
            return ("\(option) \(e(path)): the folder \(e(folder)) is not writable", "name a file in a folder you can write to")
        case let .writeFailed(path, reason):
            return ("\(option) \(e(path)): \(reason); nothing was written", "check the free space and the folder's permissions")
        }
    }
}
