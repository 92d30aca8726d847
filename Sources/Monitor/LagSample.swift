import Foundation
import Kafka

/// One check of one group on one topic: the offsets as the broker gave them, or why it could not.
public struct LagSample: Sendable, Hashable {
    public var at: Date
    public var result: Result<[PartitionOffsets], Failure>

    public struct Failure: Error, Sendable, Hashable {
        public var message: String

        public init(_ message: String) {
            self.message = message
        }
    }

    public init(at: Date, offsets: [PartitionOffsets]) {
        self.at = at
        self.result = .success(offsets)
    }

    public init(at: Date, failure: String) {
        self.at = at
        self.result = .failure(Failure(failure))
    }

    /// The offsets, when the check succeeded.
    public var offsets: [PartitionOffsets]? {
        try? result.get()
    }
}

extension PartitionOffsets {
    /// What the group still has to read here; with no commit, the whole log.
    public var lag: Int64 {
        max(0, end - (committed ?? logStart))
    }
}
