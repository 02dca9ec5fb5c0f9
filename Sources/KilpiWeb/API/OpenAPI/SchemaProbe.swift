import Foundation

/// A type that states its own schema instead of being probed: for values whose JSON is not what their decoding
/// asks for (a time sent as text and parsed by hand) or that need limits the types cannot say.
protocol SchemaDescribed {
    static var jsonSchema: JSONSchema { get }
    /// Any value of the type, for the probe to hand back.
    static var schemaSample: Self { get }
}

/// Builds the `JSONSchema` of a `Decodable` type by decoding it with a recording `Decoder`: every key the type's
/// `init(from:)` asks for, with its type, required when read with `decode` and optional when read with
/// `decodeIfPresent` (or after `contains`). String-raw-value `CaseIterable` enums become `enum` lists, `Date` a
/// `date-time` string, `[String: V]` a map, arrays their element's schema, `Optional` (as a value) nullable.
/// The schema is therefore the one the decoder really accepts, and the document is generated from the same types
/// the handlers decode and encode.
enum SchemaProbe {
    static func schema<T: Decodable>(of type: T.Type) -> JSONSchema {
        do {
            return try probe(type, depth: 0).schema
        } catch {
            preconditionFailure("cannot describe \(T.self): \(error)")
        }
    }

    struct ProbeError: Error, CustomStringConvertible {
        let description: String
    }

    static func probe<T: Decodable>(_ type: T.Type, depth: Int) throws -> (value: T, schema: JSONSchema) {
        guard depth < 32 else { throw ProbeError(description: "\(T.self) nests too deep (recursive?)") }
        if let described = T.self as? any SchemaDescribed.Type {
            return (described.schemaSample as! T, described.jsonSchema)
        }
        switch T.self {
        case is String.Type: return ("" as! T, .string())
        case is Bool.Type: return (false as! T, .boolean)
        case is Int.Type: return (0 as! T, .integer())
        case is Int64.Type: return (Int64(0) as! T, .integer())
        case is Int32.Type: return (Int32(0) as! T, .integer(format: "int32"))
        case is Double.Type: return (0.0 as! T, .number)
        case is Date.Type: return (Date(timeIntervalSince1970: 0) as! T, .string(format: "date-time"))
        case is URL.Type: return (URL(string: "https://example.com")! as! T, .string(format: "uri"))
        default: break
        }
        if let cases = enumCases(T.self) {
            guard let first = cases.values.first else { throw ProbeError(description: "\(T.self) has no cases") }
            return (first as! T, .enumeration(cases.names))
        }
        if let dictionary = T.self as? any StringKeyedDictionary.Type {
            return (dictionary.empty as! T, .map(try dictionary.valueSchema(depth: depth + 1)))
        }
        let recorder = Recorder(depth: depth)
        let value = try T(from: ProbeDecoder(recorder: recorder, codingPath: []))
        return (value, try recorder.schema(named: componentName(T.self)))
    }

    /// The names and values of a String-raw-value `CaseIterable` enum; nil for any other type.
    private static func enumCases(_ type: Any.Type) -> (names: [String], values: [Any])? {
        guard let iterable = type as? any CaseIterable.Type else { return nil }
        func all<C: CaseIterable>(_ type: C.Type) -> [Any] { Array(type.allCases) }
        let values = all(iterable)
        let names = values.compactMap { ($0 as? any RawRepresentable)?.rawValue as? String }
        guard names.count == values.count else { return nil }
        return (names, values)
    }

    /// A component name for a struct: its own name (`IncidentDTO` → `Incident`, `CreateBody` stays), none for
    /// generic wrappers, which are written out where they are used.
    private static func componentName(_ type: Any.Type) -> String? {
        let name = String(describing: type)
        guard !name.contains("<") else { return nil }
        return name.hasSuffix("DTO") ? String(name.dropLast(3)) : name
    }

    /// What one `init(from:)` asked of the decoder.
    final class Recorder {
        let depth: Int
        enum Shape {
            case none
            case keyed
            case unkeyed
            case single
        }
        var shape = Shape.none
        var properties: [JSONSchema.Property] = []
        var required: [String] = []
        /// Keys asked about with `contains`: reading them afterwards does not make them required.
        var checked: Set<String> = []
        var element: JSONSchema?
        var single: JSONSchema?
        var allowsNull = false

        init(depth: Int) { self.depth = depth }

        func record(_ key: String, _ schema: JSONSchema, required isRequired: Bool) {
            guard !properties.contains(where: { $0.name == key }) else { return }
            properties.append(JSONSchema.Property(name: key, schema: schema))
            if isRequired && !checked.contains(key) { required.append(key) }
        }

        func schema(named name: String?) throws -> JSONSchema {
            switch shape {
            case .keyed: return .object(name: name, properties: properties, required: required)
            case .unkeyed: return .array(element ?? .any)
            case .single:
                guard let single else { return allowsNull ? .nullable(.any) : .any }
                return allowsNull ? single.orNull : single
            case .none: throw ProbeError(description: "decoding asked for no container")
            }
        }
    }

    struct ProbeDecoder: Decoder {
        let recorder: Recorder
        let codingPath: [any CodingKey]
        var userInfo: [CodingUserInfoKey: Any] { [:] }

        func container<Key: CodingKey>(keyedBy type: Key.Type) throws -> KeyedDecodingContainer<Key> {
            recorder.shape = .keyed
            return KeyedDecodingContainer(Keyed<Key>(recorder: recorder, codingPath: codingPath))
        }
        func unkeyedContainer() throws -> any UnkeyedDecodingContainer {
            recorder.shape = .unkeyed
            return Unkeyed(recorder: recorder, codingPath: codingPath)
        }
        func singleValueContainer() throws -> any SingleValueDecodingContainer {
            recorder.shape = .single
            return Single(recorder: recorder, codingPath: codingPath)
        }
    }

    struct Keyed<Key: CodingKey>: KeyedDecodingContainerProtocol {
        let recorder: Recorder
        let codingPath: [any CodingKey]
        var allKeys: [Key] { [] }

        func contains(_ key: Key) -> Bool {
            recorder.checked.insert(key.stringValue)
            return true
        }
        func decodeNil(forKey key: Key) throws -> Bool {
            recorder.checked.insert(key.stringValue)
            return false
        }
        func decode<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T { try value(type, forKey: key) }
        private func value<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T {
            let (value, schema) = try probe(type, depth: recorder.depth + 1)
            recorder.record(key.stringValue, schema, required: true)
            return value
        }
        func decode(_ type: Bool.Type, forKey key: Key) throws -> Bool { try value(type, forKey: key) }
        func decode(_ type: String.Type, forKey key: Key) throws -> String { try value(type, forKey: key) }
        func decode(_ type: Double.Type, forKey key: Key) throws -> Double { try value(type, forKey: key) }
        func decode(_ type: Float.Type, forKey key: Key) throws -> Float { try value(type, forKey: key) }
        func decode(_ type: Int.Type, forKey key: Key) throws -> Int { try value(type, forKey: key) }
        func decode(_ type: Int8.Type, forKey key: Key) throws -> Int8 { try value(type, forKey: key) }
        func decode(_ type: Int16.Type, forKey key: Key) throws -> Int16 { try value(type, forKey: key) }
        func decode(_ type: Int32.Type, forKey key: Key) throws -> Int32 { try value(type, forKey: key) }
        func decode(_ type: Int64.Type, forKey key: Key) throws -> Int64 { try value(type, forKey: key) }
        func decode(_ type: UInt.Type, forKey key: Key) throws -> UInt { try value(type, forKey: key) }
        func decode(_ type: UInt8.Type, forKey key: Key) throws -> UInt8 { try value(type, forKey: key) }
        func decode(_ type: UInt16.Type, forKey key: Key) throws -> UInt16 { try value(type, forKey: key) }
        func decode(_ type: UInt32.Type, forKey key: Key) throws -> UInt32 { try value(type, forKey: key) }
        func decode(_ type: UInt64.Type, forKey key: Key) throws -> UInt64 { try value(type, forKey: key) }
        func decodeIfPresent<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T? {
            let (_, schema) = try probe(type, depth: recorder.depth + 1)
            recorder.record(key.stringValue, schema, required: false)
            return nil
        }
        func nestedContainer<NestedKey: CodingKey>(
            keyedBy type: NestedKey.Type,
            forKey key: Key
        ) throws -> KeyedDecodingContainer<NestedKey> {
            throw ProbeError(description: "nested containers are not described (\(key.stringValue))")
        }
        func nestedUnkeyedContainer(forKey key: Key) throws -> any UnkeyedDecodingContainer {
            throw ProbeError(description: "nested containers are not described (\(key.stringValue))")
        }
        func superDecoder() throws -> any Decoder {
            throw ProbeError(description: "superDecoder is not described")
        }
        func superDecoder(forKey key: Key) throws -> any Decoder {
            throw ProbeError(description: "superDecoder is not described")
        }
    }

    struct Unkeyed: UnkeyedDecodingContainer {
        let recorder: Recorder
        let codingPath: [any CodingKey]
        var count: Int? { nil }
        var isAtEnd: Bool { recorder.element != nil }
        var currentIndex: Int { recorder.element == nil ? 0 : 1 }

        mutating func decodeNil() throws -> Bool { false }
        mutating func decode<T: Decodable>(_ type: T.Type) throws -> T { try value(type) }
        private func value<T: Decodable>(_ type: T.Type) throws -> T {
            let (value, schema) = try probe(type, depth: recorder.depth + 1)
            recorder.element = schema
            return value
        }
        mutating func decode(_ type: Bool.Type) throws -> Bool { try value(type) }
        mutating func decode(_ type: String.Type) throws -> String { try value(type) }
        mutating func decode(_ type: Double.Type) throws -> Double { try value(type) }
        mutating func decode(_ type: Float.Type) throws -> Float { try value(type) }
        mutating func decode(_ type: Int.Type) throws -> Int { try value(type) }
        mutating func decode(_ type: Int8.Type) throws -> Int8 { try value(type) }
        mutating func decode(_ type: Int16.Type) throws -> Int16 { try value(type) }
        mutating func decode(_ type: Int32.Type) throws -> Int32 { try value(type) }
        mutating func decode(_ type: Int64.Type) throws -> Int64 { try value(type) }
        mutating func decode(_ type: UInt.Type) throws -> UInt { try value(type) }
        mutating func decode(_ type: UInt8.Type) throws -> UInt8 { try value(type) }
        mutating func decode(_ type: UInt16.Type) throws -> UInt16 { try value(type) }
        mutating func decode(_ type: UInt32.Type) throws -> UInt32 { try value(type) }
        mutating func decode(_ type: UInt64.Type) throws -> UInt64 { try value(type) }
        mutating func nestedContainer<NestedKey: CodingKey>(
            keyedBy type: NestedKey.Type
        ) throws -> KeyedDecodingContainer<NestedKey> {
            throw ProbeError(description: "nested containers are not described")
        }
        mutating func nestedUnkeyedContainer() throws -> any UnkeyedDecodingContainer {
            throw ProbeError(description: "nested containers are not described")
        }
        mutating func superDecoder() throws -> any Decoder {
            throw ProbeError(description: "superDecoder is not described")
        }
    }

    struct Single: SingleValueDecodingContainer {
        let recorder: Recorder
        let codingPath: [any CodingKey]

        func decodeNil() -> Bool {
            recorder.allowsNull = true
            return false
        }
        func decode<T: Decodable>(_ type: T.Type) throws -> T { try value(type) }
        // The primitive requirements, all through the generic one.
        func decode(_ type: Bool.Type) throws -> Bool { try value(type) }
        func decode(_ type: String.Type) throws -> String { try value(type) }
        func decode(_ type: Double.Type) throws -> Double { try value(type) }
        func decode(_ type: Float.Type) throws -> Float { try value(type) }
        func decode(_ type: Int.Type) throws -> Int { try value(type) }
        func decode(_ type: Int8.Type) throws -> Int8 { try value(type) }
        func decode(_ type: Int16.Type) throws -> Int16 { try value(type) }
        func decode(_ type: Int32.Type) throws -> Int32 { try value(type) }
        func decode(_ type: Int64.Type) throws -> Int64 { try value(type) }
        func decode(_ type: UInt.Type) throws -> UInt { try value(type) }
        func decode(_ type: UInt8.Type) throws -> UInt8 { try value(type) }
        func decode(_ type: UInt16.Type) throws -> UInt16 { try value(type) }
        func decode(_ type: UInt32.Type) throws -> UInt32 { try value(type) }
        func decode(_ type: UInt64.Type) throws -> UInt64 { try value(type) }

        private func value<T: Decodable>(_ type: T.Type) throws -> T {
            let (value, schema) = try probe(type, depth: recorder.depth + 1)
            recorder.single = schema
            return value
        }
    }
}

/// `[String: V]`, seen through its type so the probe can describe it as a map.
protocol StringKeyedDictionary {
    static var empty: Self { get }
    static func valueSchema(depth: Int) throws -> JSONSchema
}

extension Dictionary: StringKeyedDictionary where Key == String, Value: Decodable {
    static var empty: Self { [:] }
    static func valueSchema(depth: Int) throws -> JSONSchema { try SchemaProbe.probe(Value.self, depth: depth).schema }
}
