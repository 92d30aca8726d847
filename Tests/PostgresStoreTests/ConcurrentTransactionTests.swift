import Dispatch
import IntegrationSupport
import Postgres
import PostgresStore
import Testing

@Suite(.serialized, .enabled(if: TestDatabase.isAvailable), .timeLimit(.minutes(2)))
struct ConcurrentTransactionTests {
    /// Each transaction waits for the other to have begun: both finish only if the store runs
    /// them at once, one per transaction connection (the consumer's lanes).
    @Test func aStoreWithTwoTransactionConnectionsRunsTwoTransactionsAtOnce() async throws {
        try await StoreFixture.with { fixture in
            let connections = (0..<2).map { _ in PostgresClient(conninfo: fixture.database.url, logger: StoreFixture.logger) }
            let store = PostgresBOIStore(
                client: fixture.client, transactionClients: connections, schema: StoreFixture.schema,
                logger: StoreFixture.logger)
            let first = DispatchSemaphore(value: 0)
            let second = DispatchSemaphore(value: 0)
            async let a = store.transaction { _ in
                first.signal()
                return second.wait(timeout: .now() + 10) == .success
            }
            async let b = store.transaction { _ in
                second.signal()
                return first.wait(timeout: .now() + 10) == .success
            }
            let (metA, metB) = try await (a, b)
            #expect(metA && metB)
            for connection in connections { await connection.close() }
        }
    }
}
