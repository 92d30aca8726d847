/// The store's position of a partition lies beyond the partition's end: the topic was deleted and
/// created again under the consumer. Its messages below the position would be taken for ones
/// already applied and skipped, so the consumer stops instead and says what to do.
struct RecreatedTopicError: Error, CustomStringConvertible {
    var topic: String
    var partition: Int32
    var position: Int64
    var end: Int64

    var description: String {
        "the store's position \(position) of \(topic)[\(partition)] is beyond the partition's end \(end): the topic "
            + "was recreated, and its messages would be skipped as already applied; once nothing of the old topic "
            + "is left to consume, clear the group's positions (README: recreated topics) and start again"
    }
}
