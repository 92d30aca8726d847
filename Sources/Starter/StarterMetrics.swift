import Domain
import Journal
import Metrics

/// What the stream stage reports to the metrics system (Prometheus at `/metrics`).
enum StarterMetrics {
    /// Records streamed to `IN_MIGRATION` and records the stream refused, per BO, when a table ends.
    static func tableFinished(bo: BOCode, _ progress: TableProgress) {
        Counter(label: "inmigration_records_streamed_total", dimensions: [("bo", bo.rawValue)])
            .increment(by: progress.rowsStreamed)
        if progress.rowsRejected > 0 {
            Counter(label: "inmigration_records_rejected_total", dimensions: [("bo", bo.rawValue), ("stage", "stream")])
                .increment(by: progress.rowsRejected)
        }
    }

    /// How long a whole stream took, from the claim to the last acknowledgement.
    static func streamed(seconds: Double) {
        Metrics.Timer(label: "inmigration_stage_duration_seconds", dimensions: [("stage", "stream")])
            .recordNanoseconds(Int64(seconds * 1e9))
    }
}
