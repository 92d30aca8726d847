import CRdKafka
import Synchronization

extension KafkaProducer {
    /// Current delivery counts for a tag (a consistent snapshot).
    public func delivery(of tag: UInt64) -> DeliveryTally {
        deliveries.tally(of: tag)
    }

    /// Suspends until `delivery(of: tag).settled >= expected` or `timeout` elapsed.
    ///
    /// Does not block a thread: it sleeps in small steps, at most 2 ms, so it returns within
    /// about 2 ms of the last report (steps growing to 20 ms added up to 20 ms to each wait of a
    /// stream's tail). Returns early (with the current tally) when the task is cancelled, or
    /// when `stop` says so: a caller whose work was called off need not wait out the timeout.
    /// - Returns: the tally at that moment.
    public func awaitDelivery(
        tag: UInt64, expected: Int, timeout: Duration, stop: () -> Bool = { false }
    ) async -> DeliveryTally {
        let clock = ContinuousClock()
        let deadline = clock.now.advanced(by: timeout)
        var step = Duration.milliseconds(1)
        while true {
            let tally = deliveries.tally(of: tag)
            if tally.settled >= expected || clock.now >= deadline || stop() {
                return tally
            }
            do {
                try await Task.sleep(for: min(step, deadline - clock.now))
            } catch {
                return deliveries.tally(of: tag)
            }
            step = min(step * 2, .milliseconds(2))
        }
    }

    /// Drops the counters of a tag. Reports that arrive later for the tag start new counters.
    public func forget(tag: UInt64) {
        deliveries.forget(tag)
    }
}

/// Delivery counts per tag, written by the producer's event thread and read by callers.
final class DeliveryBook: Sendable {
    private let tallies = Mutex([UInt64: DeliveryTally]())

    func tally(of tag: UInt64) -> DeliveryTally {
        tallies.withLock { $0[tag] ?? DeliveryTally() }
    }

    func forget(_ tag: UInt64) {
        _ = tallies.withLock { $0.removeValue(forKey: tag) }
    }

    /// Adds up one delivery-report event (a batch of messages). Runs on the
    /// event thread; the event and its messages are valid only during the call.
    func record(deliveryReport event: OpaquePointer, client: RDKafkaClient) {
        var batch: [UInt64: DeliveryTally] = [:]
        var errors: [Int32: KafkaError] = [:]
        // Acknowledgements of one tag come in long runs: count a run, then add it to the batch
        // once, rather than looking the tag up for every message.
        var run: (tag: UInt64, count: Int)?
        func endRun() {
            if let run { batch[run.tag, default: DeliveryTally()].acknowledged += run.count }
            run = nil
        }
        while let message = rd_kafka_event_message_next(event) {
            let tag = UInt64(UInt(bitPattern: message.pointee._private))
            let err = message.pointee.err
            if err == RD_KAFKA_RESP_ERR_NO_ERROR {
                if run?.tag == tag {
                    run?.count += 1
                } else {
                    endRun()
                    run = (tag, 1)
                }
                continue
            }
            let error = errors[err.rawValue] ?? Self.deliveryError(err, client: client)
            errors[err.rawValue] = error
            batch[tag, default: DeliveryTally()].failed += 1
            if batch[tag]?.firstError == nil {
                batch[tag]?.firstError = error
            }
        }
        endRun()
        guard !batch.isEmpty else { return }
        tallies.withLock { tallies in
            for (tag, counted) in batch {
                var tally = tallies[tag] ?? DeliveryTally()
                tally.acknowledged += counted.acknowledged
                tally.failed += counted.failed
                if tally.firstError == nil {
                    tally.firstError = counted.firstError
                }
                tallies[tag] = tally
            }
        }
    }

    private static func deliveryError(_ err: rd_kafka_resp_err_t, client: RDKafkaClient) -> KafkaError {
        if err == RD_KAFKA_RESP_ERR__FATAL, let fatal = client.fatalError() {
            return fatal
        }
        return KafkaError(err, isRetriable: RDKafkaEvent.isTransient(err))
    }
}
