import GRDB

extension Store {
    /// Re-computes the history's hash chain from the first change (`history verify`).
    public func verifyHistory() throws -> HistoryVerification {
        try read { try HistoryChain(db: $0).verify() }
    }
}
