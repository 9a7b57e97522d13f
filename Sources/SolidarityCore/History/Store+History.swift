import GRDB

extension Store {
    /// Re-computes the history's hash chain from the first change (`history verify`).
    public func verifyHistory() throws -> HistoryVerification {
        try read { try HistoryChain(db: $0).verify() }
    }
}

extension Store {
    /// The changes `filter` selects, newest first (`history`).
    public func history(_ filter: HistoryFilter = .init()) throws -> [HistoryChange] {
        try read { try HistoryLog(db: $0).changes(filter) }
    }

    /// One change whole, field by field (`history show`).
    public func historyChange(_ id: Int64) throws -> HistoryChange {
        try read { try HistoryLog(db: $0).change(id) }
    }
}
