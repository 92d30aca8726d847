import CRdKafka
import Logging

/// Reads the parts of librdkafka events that every client handles the same
/// way: log lines and client-wide errors. The event pointers are borrowed
/// from the polling code and must not be kept.
enum RDKafkaEvent {
    /// The `RD_KAFKA_EVENT_*` type of an event.
    static func type(of event: OpaquePointer) -> Int32 {
        rd_kafka_event_type(event)
    }

    /// Handles LOG and ERROR events by logging them.
    /// - Returns: false for any other event type.
    static func forwardToLogger(_ event: OpaquePointer, logger: Logger) -> Bool {
        switch type(of: event) {
        case RD_KAFKA_EVENT_LOG:
            forwardLog(event, logger: logger)
            return true
        case RD_KAFKA_EVENT_ERROR:
            let error = self.error(of: event)
            logger.log(
                level: level(of: error),
                "librdkafka error",
                metadata: [KafkaLogKey.error: "\(error)"]
            )
            return true
        default:
            return false
        }
    }

    /// The error carried by an ERROR (or any) event.
    static func error(of event: OpaquePointer) -> KafkaError {
        let err = rd_kafka_event_error(event)
        let message = rd_kafka_event_error_string(event).map { String(cString: $0) }
        let isFatal = type(of: event) == RD_KAFKA_EVENT_ERROR && rd_kafka_event_error_is_fatal(event) != 0
        return KafkaError(err, message: message, isFatal: isFatal, isRetriable: isTransient(err))
    }

    /// Errors librdkafka recovers from by itself (connections lost and re-established).
    static func isTransient(_ err: rd_kafka_resp_err_t) -> Bool {
        [
            RD_KAFKA_RESP_ERR__TRANSPORT, RD_KAFKA_RESP_ERR__ALL_BROKERS_DOWN, RD_KAFKA_RESP_ERR__TIMED_OUT,
            RD_KAFKA_RESP_ERR__RESOLVE, RD_KAFKA_RESP_ERR__MSG_TIMED_OUT, RD_KAFKA_RESP_ERR__WAIT_COORD,
            RD_KAFKA_RESP_ERR_REQUEST_TIMED_OUT, RD_KAFKA_RESP_ERR_NOT_LEADER_FOR_PARTITION,
            RD_KAFKA_RESP_ERR_LEADER_NOT_AVAILABLE, RD_KAFKA_RESP_ERR_COORDINATOR_NOT_AVAILABLE,
            RD_KAFKA_RESP_ERR_NOT_COORDINATOR,
        ].contains(err)
    }

    private static func level(of error: KafkaError) -> Logger.Level {
        if error.isFatal { return .critical }
        return error.isRetriable ? .warning : .error
    }

    private static func forwardLog(_ event: OpaquePointer, logger: Logger) {
        var facility: UnsafePointer<CChar>?
        var text: UnsafePointer<CChar>?
        var syslogLevel: Int32 = 0
        guard rd_kafka_event_log(event, &facility, &text, &syslogLevel) == 0 else { return }
        let facilityName = facility.map { String(cString: $0) } ?? ""
        var level = level(ofSyslog: syslogLevel)
        if facilityName == "FAIL", level > .warning {
            // Lost or refused connections: librdkafka retries them by itself.
            level = .warning
        }
        guard logger.logLevel <= level else { return }
        logger.log(
            level: level,
            "\(text.map { String(cString: $0) } ?? "")",
            metadata: [KafkaLogKey.facility: "\(facilityName)"]
        )
    }

    /// Maps librdkafka's syslog levels (0 emergency … 7 debug) to swift-log.
    static func level(ofSyslog level: Int32) -> Logger.Level {
        switch level {
        case ...2: .critical
        case 3: .error
        case 4: .warning
        case 5: .notice
        case 6: .info
        default: .debug
        }
    }
}

/// Logger metadata keys used by the Kafka bridge.
enum KafkaLogKey {
    static let facility = "kafka.facility"
    static let error = "kafka.error"
    static let topic = "kafka.topic"
    static let partition = "kafka.partition"
    static let tag = "kafka.tag"
    static let remaining = "kafka.remaining"
}
