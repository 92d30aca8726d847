import Postgres
import Synchronization

/// The connections the store runs transactions on, so that several consumers in one process
/// apply batches side by side: each transaction takes the connection with the fewest
/// transactions on it. A client runs one call at a time and queues the rest, so two
/// transactions on one connection wait for each other but never interleave.
final class TransactionClients: Sendable {
    private let clients: [PostgresClient]
    /// Transactions running or queued, per client.
    private let load: Mutex<[Int]>

    /// - Parameter clients: at least one.
    init(_ clients: [PostgresClient]) {
        precondition(!clients.isEmpty, "a store needs a connection for its transactions")
        self.clients = clients
        self.load = Mutex(Array(repeating: 0, count: clients.count))
    }

    func withLeastLoaded<T>(_ body: (PostgresClient) async throws -> T) async throws -> T {
        let index = load.withLock { load in
            let index = load.indices.min { load[$0] < load[$1] } ?? 0
            load[index] += 1
            return index
        }
        defer { load.withLock { $0[index] -= 1 } }
        return try await body(clients[index])
    }
}
