import Metrics
import Prometheus

/// The process's metrics go to one Prometheus registry, which `/metrics` renders.
enum MetricsBootstrap {
    /// Bootstraps the metrics system (once per process) and returns its registry.
    static func prometheus() -> PrometheusCollectorRegistry {
        let registry = PrometheusCollectorRegistry()
        MetricsSystem.bootstrap(PrometheusMetricsFactory(registry: registry))
        return registry
    }
}
