import Foundation

/// Runs blocking calls (a Kafka poll, a commit) on a thread of its own, so they never hold one of
/// the few threads of Swift's cooperative pool. Calls run one at a time, in order.
public final class BlockingExecutor: Sendable {
    private let queue: DispatchQueue

    public init(label: String) {
        queue = DispatchQueue(label: label)
    }

    public func run<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            queue.async {
                continuation.resume(with: Result { try body() })
            }
        }
    }
}
