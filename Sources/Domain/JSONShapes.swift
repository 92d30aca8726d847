/// What ``JSONParser`` remembers of the messages it read before, for the next ones: the member
/// names it made into strings, and how it sorted the members of objects with the same names.
///
/// Why: every message of a table names the same columns in the same order. Making a string of
/// each name and sorting each row by comparing names, again for every message, were a fifth of
/// decoding one. One value serves one thread's messages in turn: it is not shared.
public struct JSONShapes: Sendable {
    var names: Names
    var orders: Orders

    public init() {
        names = Names()
        orders = Orders()
    }

    private init(names: Names, orders: Orders) {
        self.names = names
        self.orders = orders
    }

    /// Remembers nothing: every name is made and every object sorted anew.
    static let off = JSONShapes(names: .off, orders: .off)
}
