import CLibPQ

/// The rows of one statement's result, copied out of libpq into Swift strings, so they can
/// outlive the connection's thread and cross tasks. Values are PostgreSQL's text format.
public struct PostgresRows: Sendable, RandomAccessCollection {
    /// Column names in result order.
    public var columns: [String] { index.names }
    /// Rows inserted, updated, deleted, copied or selected, per the command tag; 0 where the
    /// command reports none (`PQcmdTuples`).
    public var affectedRows: Int
    /// The command tag, e.g. `INSERT 0 3` or `CREATE TABLE` (`PQcmdStatus`).
    public var commandTag: String

    private let index: ColumnIndex
    private let values: [String?]
    private let rowCount: Int

    public var startIndex: Int { 0 }
    public var endIndex: Int { rowCount }

    public subscript(position: Int) -> PostgresRow {
        precondition(position >= startIndex && position < endIndex, "row \(position) out of range 0..<\(endIndex)")
        let width = index.names.count
        return PostgresRow(index: index, values: values[(position * width)..<((position + 1) * width)])
    }

    /// Copies everything out of a successful result; the caller still clears it.
    init(result: OpaquePointer) {
        let rowCount = Int(PQntuples(result))
        let columnCount = Int(PQnfields(result))
        let names = (0..<columnCount).map { String(cString: PQfname(result, Int32($0))) }
        var values: [String?] = []
        values.reserveCapacity(rowCount * columnCount)
        for row in 0..<Int32(rowCount) {
            for column in 0..<Int32(columnCount) {
                if PQgetisnull(result, row, column) == 1 {
                    values.append(nil)
                } else {
                    let bytes = UnsafeRawBufferPointer(
                        start: PQgetvalue(result, row, column),
                        count: Int(PQgetlength(result, row, column))
                    )
                    values.append(String(decoding: bytes, as: UTF8.self))
                }
            }
        }
        self.index = ColumnIndex(names: names)
        self.values = values
        self.rowCount = rowCount
        self.commandTag = PQcmdStatus(result).map { String(cString: $0) } ?? ""
        self.affectedRows = PQcmdTuples(result).flatMap { Int(String(cString: $0)) } ?? 0
    }
}

/// One row of ``PostgresRows``. Values are PostgreSQL's text format, nil for NULL.
///
/// Asking for a column that the result does not have is a programming error and traps, like
/// an array index out of range: a silent nil would hide a typo as a NULL.
public struct PostgresRow: Sendable {
    private let index: ColumnIndex
    private let values: ArraySlice<String?>

    init(index: ColumnIndex, values: ArraySlice<String?>) {
        self.index = index
        self.values = values
    }

    /// Column names in result order.
    public var columns: [String] { index.names }

    /// The value at a column position, nil for NULL.
    public subscript(_ position: Int) -> String? {
        precondition(position >= 0 && position < values.count, "column \(position) out of range 0..<\(values.count)")
        return values[values.startIndex + position]
    }

    /// The value of the first column with this name, nil for NULL.
    public subscript(_ column: String) -> String? {
        guard let position = index.position(of: column) else {
            preconditionFailure("no column \"\(column)\" in result with columns \(index.names)")
        }
        return self[position]
    }

    /// The value as `Int`; nil for NULL or text that is not an integer.
    public func int(_ column: String) -> Int? {
        self[column].flatMap { Int($0) }
    }

    /// The value as `Int64`; nil for NULL or text that is not an integer.
    public func int64(_ column: String) -> Int64? {
        self[column].flatMap { Int64($0) }
    }

    /// The value of a `boolean` column (`t` / `f`); nil for NULL or any other text.
    public func bool(_ column: String) -> Bool? {
        switch self[column] {
        case "t": true
        case "f": false
        default: nil
        }
    }
}

/// Column names and their positions, shared by all rows of a result.
///
/// A result of a dozen columns or fewer finds a name by comparing it with each: short names
/// compare in a few instructions, where hashing one cost some three hundred, for every value
/// read by name. Wider results hash.
final class ColumnIndex: Sendable {
    let names: [String]
    private let positions: [String: Int]?

    init(names: [String]) {
        self.names = names
        if names.count > 12 {
            var positions: [String: Int] = [:]
            for (position, name) in names.enumerated() where positions[name] == nil {
                positions[name] = position
            }
            self.positions = positions
        } else {
            positions = nil
        }
    }

    /// The first column of this name.
    func position(of name: String) -> Int? {
        // Lengths first: `==` calls into the standard library for every name that is not the
        // very same text, and most names compared are not the one looked for.
        guard let positions else { return names.firstIndex { $0.utf8.count == name.utf8.count && $0 == name } }
        return positions[name]
    }
}
