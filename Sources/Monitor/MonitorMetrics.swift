import Metrics

/// What the monitor reports to the metrics system (Prometheus at `/metrics`).
enum MonitorMetrics {
    /// Lag per partition and each group's verdict (0 OK … 4 DATA_LOSS, in ``LagStatus`` order).
    static func record(_ report: LagReport) {
        for group in report.groups {
            for partition in group.partitions {
                Gauge(
                    label: "inmigration_consumer_lag",
                    dimensions: [("group", group.group), ("topic", group.topic), ("partition", String(partition.partition))]
                ).record(partition.lag)
            }
            Gauge(label: "inmigration_consumer_lag_status", dimensions: [("group", group.group), ("topic", group.topic)])
                .record(LagStatus.allCases.firstIndex(of: group.status) ?? 0)
        }
    }

    static func parkedReferences(_ count: Int64) {
        Gauge(label: "inmigration_parked_references").record(count)
    }
}
