import Domain
import Metrics

/// What the consume stage reports to the metrics system (Prometheus at `/metrics`).
enum ConsumerMetrics {
    /// Records consumed and rejected per BO, and how long the transaction took.
    static func applied(_ stats: [StatsKey: ConsumeStats], mapping: MigrationMapping, duration: Duration) {
        var byBO: [String: ConsumeStats] = [:]
        for (key, value) in stats {
            let bo = mapping.tables.first { $0.table == key.table }?.bo.rawValue ?? key.table
            byBO[bo, default: ConsumeStats()] = byBO[bo, default: ConsumeStats()] + value
        }
        for (bo, total) in byBO {
            Counter(label: "inmigration_records_consumed_total", dimensions: [("bo", bo)]).increment(by: total.records)
            if total.rejected > 0 {
                Counter(label: "inmigration_records_rejected_total", dimensions: [("bo", bo), ("stage", "consume")])
                    .increment(by: total.rejected)
            }
        }
        Metrics.Timer(label: "inmigration_stage_duration_seconds", dimensions: [("stage", "consume_batch")])
            .recordNanoseconds(duration.nanoseconds)
    }

    /// How long a batch's offsets waited for its events' acknowledgements.
    static func settled(waited: Duration) {
        Metrics.Timer(label: "inmigration_stage_duration_seconds", dimensions: [("stage", "publish_batch")])
            .recordNanoseconds(waited.nanoseconds)
    }
}

extension Duration {
    var nanoseconds: Int64 {
        let (seconds, attoseconds) = components
        return seconds * 1_000_000_000 + attoseconds / 1_000_000_000
    }
}
