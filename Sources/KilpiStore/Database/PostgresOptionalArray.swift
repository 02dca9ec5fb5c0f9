import Logging
import NIOCore
import PostgresNIO

/// A column of values bound as one PostgreSQL array, where some values may be NULL: bulk writers send a batch as a
/// handful of arrays for `unnest()` rather than a parameter per value. PostgresNIO's own arrays have no NULL
/// elements; in the binary array format a NULL element is simply a length of -1.
struct PostgresOptionalArray<Element: PostgresArrayEncodable & PostgresNonThrowingEncodable>:
    PostgresNonThrowingEncodable, Sendable
where Element: Sendable {
    var values: [Element?]

    init(_ values: [Element?]) {
        self.values = values
    }

    static var psqlType: PostgresDataType { Element.psqlArrayType }
    static var psqlFormat: PostgresFormat { .binary }

    func encode<JSONEncoder: PostgresJSONEncoder>(
        into buffer: inout ByteBuffer,
        context: PostgresEncodingContext<JSONEncoder>
    ) {
        // Header as in PostgreSQL's array_recv: dimensions, has-nulls flag, element type, then length and lower bound.
        buffer.writeInteger(values.isEmpty ? 0 : 1, as: Int32.self)
        buffer.writeInteger(values.contains { $0 == nil } ? 1 : 0, as: Int32.self)
        buffer.writeInteger(Element.psqlType.rawValue)
        guard !values.isEmpty else { return }
        buffer.writeInteger(Int32(values.count))
        buffer.writeInteger(1, as: Int32.self)
        for value in values {
            guard let value else {
                buffer.writeInteger(-1, as: Int32.self)
                continue
            }
            let lengthIndex = buffer.writerIndex
            buffer.writeInteger(0, as: Int32.self)
            value.encode(into: &buffer, context: context)
            buffer.setInteger(Int32(buffer.writerIndex - lengthIndex - 4), at: lengthIndex)
        }
    }
}

enum PostgresBulk {
    /// Statements of bulk writers are not logged: a batch's binds are thousands of values of personal data.
    static let logger = Logger(label: "kilpi.bulk")

    /// Runs `sql` and counts the rows it returns (those of a RETURNING clause; 0 without one).
    static func run(_ sql: String, _ binds: PostgresBindings, on connection: PostgresConnection) async throws -> Int {
        var count = 0
        for try await _ in try await connection.query(PostgresQuery(unsafeSQL: sql, binds: binds), logger: logger) {
            count += 1
        }
        return count
    }
}
