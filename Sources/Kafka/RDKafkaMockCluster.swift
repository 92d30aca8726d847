import CRdKafka

/// Owns an `rd_kafka_mock_cluster_t` and keeps its hosting client alive.
///
/// librdkafka runs the mock brokers on a thread of the hosting `rd_kafka_t`,
/// so the cluster must be destroyed before that client: this class holds the
/// client and destroys the cluster first.
///
/// `@unchecked Sendable`: the pointer never changes; the mock API functions
/// post commands to the mock cluster's own thread and may be called from any
/// thread; destruction is guarded by a `HandleGate`, so no call runs while
/// the cluster is destroyed.
final class RDKafkaMockCluster: @unchecked Sendable {
    private let pointer: OpaquePointer
    private let gate = HandleGate()
    let host: RDKafkaClient
    let bootstrapServers: String

    /// Creates a cluster of `brokers` brokers (ids 1...brokers) on 127.0.0.1.
    /// - Throws: `KafkaError` when librdkafka cannot create it.
    init(host: RDKafkaClient, brokers: Int) throws {
        let pointer = try host.withHandle { rd_kafka_mock_cluster_new($0, Int32(clamping: brokers)) }
        guard let pointer else {
            throw KafkaError(RD_KAFKA_RESP_ERR__FAIL, message: "could not create a mock cluster of \(brokers) brokers")
        }
        self.pointer = pointer
        self.host = host
        self.bootstrapServers = String(cString: rd_kafka_mock_cluster_bootstraps(pointer))
    }

    deinit {
        if !gate.isClosed {
            rd_kafka_mock_cluster_destroy(pointer)
        }
    }

    /// Runs a mock command that returns `rd_kafka_resp_err_t`.
    /// - Throws: the command's error, or `KafkaError.closed` after `destroy()`.
    func command(_ body: (OpaquePointer) -> rd_kafka_resp_err_t) throws {
        try gate.use {
            if let error = KafkaError.check(body(pointer)) { throw error }
        }
    }

    /// Stops the brokers and frees the cluster. Idempotent.
    func destroy() {
        guard gate.beginClose() else { return }
        rd_kafka_mock_cluster_destroy(pointer)
        gate.finishClose()
    }
}
