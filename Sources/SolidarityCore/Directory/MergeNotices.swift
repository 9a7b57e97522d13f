import Synchronization

/// Where a command is told that a handle it was given belonged to a record since merged into
/// another: each old handle once per command, however often the command looks it up.
///
/// A front end sets one for the run of a command (`MergeNotices.$current.withValue`); the command
/// line prints each notice on stderr. Without one, old handles still resolve, silently.
public final class MergeNotices: Sendable {
    /// The notices of the command being run.
    @TaskLocal public static var current: MergeNotices?

    private let told = Mutex<Set<String>>([])
    private let say: @Sendable (String) -> Void

    /// `say` receives each notice, a sentence.
    public init(say: @escaping @Sendable (String) -> Void) {
        self.say = say
    }

    func tell(old handle: String, kind: TimelineKind, now match: References.Match) {
        let first = told.withLock { $0.insert("\(kind.rawValue) \(handle)").inserted }
        guard first else { return }
        say("\(handle) was merged into \(match.handle) (\(match.name)); using \(match.handle).")
    }
}
