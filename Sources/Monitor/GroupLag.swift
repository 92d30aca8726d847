import Foundation
import Kafka

/// The lag of one partition and what it means.
public struct PartitionLag: Sendable, Codable, Hashable {
    public var partition: Int32
    public var logStart: Int64
    public var end: Int64
    /// `nil`: the group never committed on this partition (its whole log counts as lag).
    public var committed: Int64?
    public var lag: Int64
    public var status: LagStatus
    public var reason: String?
    /// Offsets retention removed before the group consumed them (`from..<to`), for DATA_LOSS.
    public var lost: LostRange?

    public struct LostRange: Sendable, Codable, Hashable {
        public var from: Int64
        public var to: Int64

        public init(from: Int64, to: Int64) {
            self.from = from
            self.to = to
        }
    }
}

/// The lag of one group on one topic at one check, evaluated against the checks before it.
public struct GroupLag: Sendable, Codable, Hashable {
    public var group: String
    public var topic: String
    public var status: LagStatus
    public var reason: String
    /// Sum over the partitions.
    public var lag: Int64
    public var partitions: [PartitionLag]
    /// Lag per partition (index = partition) at each kept check, oldest first.
    public var history: [HistoryPoint]

    public struct HistoryPoint: Sendable, Codable, Hashable {
        public var at: Date
        public var lag: [Int64]
    }
}

/// Every watched group at the last check: what `GET /api/lag`, `inmigration status` and the
/// dashboard show.
public struct LagReport: Sendable, Codable, Hashable {
    public var checkedAt: Date
    /// The worst of the groups' statuses.
    public var status: LagStatus
    public var groups: [GroupLag]

    public init(checkedAt: Date, groups: [GroupLag]) {
        self.checkedAt = checkedAt
        self.status = groups.map(\.status).max() ?? .ok
        self.groups = groups
    }

    /// The report of `group` on `topic`, if it is watched.
    public func group(_ group: String, topic: String) -> GroupLag? {
        groups.first { $0.group == group && $0.topic == topic }
    }
}
