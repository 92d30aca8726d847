import Kafka

/// What each of the consumer's lanes has still to apply, and which lane applies which partition.
///
/// A partition belongs to one lane for good, since its records must be applied one after the
/// other (its stored position moves from transaction to transaction); a partition seen for the
/// first time goes to the lane with the fewest. Each lane takes its next share as soon as its
/// last transaction is done, instead of waiting for the others: lanes that finish at different
/// moments keep both the consumer and the database busy.
struct LaneQueues {
    /// Messages a lane takes per transaction, at most.
    let share: Int
    /// Messages held for all lanes together before the consumer stops polling.
    let capacity: Int
    /// Partitions revoked and not assigned again: their messages are the next owner's.
    private var revoked: Set<Int32> = []
    private var laneOf: [Int32: Int] = [:]
    private var partitionsPerLane: [Int]
    private var pending: [[KafkaMessage]]
    private var busy: [Bool]

    /// - Parameter batchSize: messages polled at once; each lane takes its part of them per
    ///   transaction, and the lanes hold up to twice as many before the next poll.
    init(lanes: Int, batchSize: Int) {
        let lanes = max(lanes, 1)
        share = max(batchSize / lanes, 1)
        capacity = max(batchSize, 1) * 2
        partitionsPerLane = Array(repeating: 0, count: lanes)
        pending = Array(repeating: [], count: lanes)
        busy = Array(repeating: false, count: lanes)
    }

    /// Messages polled and not yet taken by a lane.
    var held: Int { pending.reduce(0) { $0 + $1.count } }

    /// Whether any lane is applying a share now.
    var isBusy: Bool { busy.contains(true) }

    /// No lane is busy and none has anything left to apply.
    var isIdle: Bool { !isBusy && held == 0 }

    /// How many more messages the lanes can hold.
    var room: Int { max(capacity - held, 0) }

    /// Whether a poll would help: some lane has less than a share waiting, and there is room.
    var wantsMessages: Bool { room > 0 && pending.contains { $0.count < share } }

    /// Whether the partition is this member's: not revoked since it was last assigned.
    func owns(_ partition: Int32) -> Bool { !revoked.contains(partition) }

    /// Adds polled messages of owned partitions to their lanes, in order.
    mutating func enqueue(_ messages: [KafkaMessage]) {
        for message in messages where owns(message.partition) {
            pending[lane(of: message.partition)].append(message)
        }
    }

    /// The next share of an idle lane that has messages, which is then busy until
    /// ``finished(lane:remainder:)``.
    mutating func start() -> (lane: Int, messages: [KafkaMessage])? {
        guard let lane = pending.indices.first(where: { !busy[$0] && !pending[$0].isEmpty }) else { return nil }
        let count = min(share, pending[lane].count)
        let messages = Array(pending[lane][..<count])
        pending[lane].removeFirst(count)
        busy[lane] = true
        return (lane, messages)
    }

    /// A lane's transaction is done; what it left for another (in order) goes first again, but
    /// for partitions revoked meanwhile.
    mutating func finished(lane: Int, remainder: [KafkaMessage]) {
        busy[lane] = false
        pending[lane].insert(contentsOf: remainder.filter { owns($0.partition) }, at: 0)
    }

    /// Drops the messages held for partitions this member no longer owns, and refuses theirs
    /// until they are assigned again: their next owner reads them again from the group's
    /// committed offsets. A partition keeps its lane, should it come back while that lane still
    /// applies its last share.
    mutating func revoke(_ partitions: some Collection<Int32>) {
        guard !partitions.isEmpty else { return }
        revoked.formUnion(partitions)
        for lane in pending.indices {
            pending[lane].removeAll { revoked.contains($0.partition) }
        }
    }

    /// Partitions assigned (again) to this member.
    mutating func assign(_ partitions: some Collection<Int32>) {
        revoked.subtract(partitions)
    }

    private mutating func lane(of partition: Int32) -> Int {
        if let lane = laneOf[partition] { return lane }
        let lane = partitionsPerLane.indices.min { partitionsPerLane[$0] < partitionsPerLane[$1] } ?? 0
        laneOf[partition] = lane
        partitionsPerLane[lane] += 1
        return lane
    }
}
