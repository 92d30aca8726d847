@testable import Postgres
import Testing

/// The binary COPY parser fed a known stream split at every possible byte, because libpq
/// hands over whatever CopyData messages the server chose to send.
@Suite struct BinaryCopyParserTests {
    private static func int16(_ value: Int16) -> [UInt8] {
        withUnsafeBytes(of: value.bigEndian, Array.init)
    }

    private static func int32(_ value: Int32) -> [UInt8] {
        withUnsafeBytes(of: value.bigEndian, Array.init)
    }

    private static func field(_ bytes: [UInt8]?) -> [UInt8] {
        guard let bytes else { return int32(-1) }
        return int32(Int32(bytes.count)) + bytes
    }

    private static let tuples: [[[UInt8]?]] = [
        [Array("ab".utf8), nil, Array("ü".utf8)],
        [[]],
        [],
        [Array(repeating: 0xFF, count: 300)],
    ]

    private static let stream: [UInt8] = {
        var bytes = BinaryCopyParser.signature + int32(0) + int32(3) + [1, 2, 3]
        for tuple in tuples {
            bytes += int16(Int16(tuple.count))
            for value in tuple { bytes += field(value) }
        }
        return bytes + int16(-1)
    }()

    /// Feeds `chunks` like the copyOut loop does and returns the tuples it produced.
    private static func parse(_ chunks: [ArraySlice<UInt8>]) throws -> [[[UInt8]?]] {
        var parser = BinaryCopyParser()
        var buffer: [UInt8] = []
        var consumed = 0
        var fields: [Int] = []
        var result: [[[UInt8]?]] = []
        for chunk in chunks {
            buffer.removeSubrange(0..<consumed)
            consumed = 0
            buffer += chunk
            while true {
                let step = try buffer.withUnsafeBufferPointer { try parser.next($0, offset: &consumed, fields: &fields) }
                guard case .tuple(let count) = step else { break }
                let row = CopyRow(bytes: buffer, fields: fields, count: count)
                result.append((0..<row.count).map { row[$0].map(Array.init) })
            }
        }
        #expect(parser.sawTrailer)
        return result
    }

    @Test func wholeStream() throws {
        #expect(try Self.parse([Self.stream[...]]) == Self.tuples)
    }

    @Test func everySplitPoint() throws {
        for split in 0...Self.stream.count {
            let chunks = [Self.stream[..<split], Self.stream[split...]]
            #expect(try Self.parse(chunks) == Self.tuples, "split at \(split)")
        }
    }

    @Test func oneByteAtATime() throws {
        let chunks = Self.stream.indices.map { Self.stream[$0...$0] }
        #expect(try Self.parse(chunks) == Self.tuples)
    }

    @Test func rejectsTextFormatAndGarbage() {
        var parser = BinaryCopyParser()
        var offset = 0
        var fields: [Int] = []
        let text = Array("1\tabc\n2\tdef\n3\tghi\n".utf8)
        #expect(throws: PostgresError.self) {
            try text.withUnsafeBufferPointer { try parser.next($0, offset: &offset, fields: &fields) }
        }
        var trailing = BinaryCopyParser()
        offset = 0
        let extra = Self.stream + [0]
        #expect(throws: PostgresError.self) {
            try extra.withUnsafeBufferPointer { bytes in
                while try trailing.next(bytes, offset: &offset, fields: &fields) != .end {}
            }
        }
    }
}

@Suite struct CopyTextEncoderTests {
    @Test func escapesSpecialCharactersAndNull() {
        var buffer: [UInt8] = []
        CopyTextEncoder.append(["a\tb", nil, "\\N", "x\r\ny", "ü"], to: &buffer)
        CopyTextEncoder.append([], to: &buffer)
        #expect(String(decoding: buffer, as: UTF8.self) == "a\\tb\t\\N\t\\\\N\tx\\r\\ny\tü\n\n")
    }
}
