import Kafka

/// Shares a polled batch among the consumer's lanes: each partition's messages go to one lane
/// whole and in order, since a partition's records must be applied one after the other (its
/// stored position moves from batch to batch), and lanes get about as many messages each, since
/// a round lasts as long as its busiest lane.
enum LaneSplit {
    /// - Returns: at most `lanes` non-empty shares, each keeping the batch's message order;
    ///   partitions go to the least-loaded lane, largest first (ties: lower partition first).
    static func split(_ messages: [KafkaMessage], lanes: Int) -> [[KafkaMessage]] {
        guard lanes > 1 else { return messages.isEmpty ? [] : [messages] }
        var counts: [Int32: Int] = [:]
        for message in messages { counts[message.partition, default: 0] += 1 }
        let largestFirst = counts.sorted { $0.value != $1.value ? $0.value > $1.value : $0.key < $1.key }
        var load = Array(repeating: 0, count: lanes)
        var lane: [Int32: Int] = [:]
        for (partition, count) in largestFirst {
            let lightest = load.indices.min { load[$0] < load[$1] } ?? 0
            lane[partition] = lightest
            load[lightest] += count
        }
        var shares = Array(repeating: [KafkaMessage](), count: lanes)
        for message in messages { shares[lane[message.partition] ?? 0].append(message) }
        return shares.filter { !$0.isEmpty }
    }
}
