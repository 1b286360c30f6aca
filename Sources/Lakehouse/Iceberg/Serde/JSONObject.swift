import Foundation

/// Typed access to one object of a metadata JSON document; a missing or mistyped key throws
/// `XX001` naming the file and the key's path.
struct JSONObject {
    let fields: [String: Any]
    let location: String
    let path: String

    init(_ value: Any, location: String, path: String) throws {
        guard let fields = value as? [String: Any] else {
            throw LakehouseError.corrupt(location, "\(path.isEmpty ? "document" : path) is not a JSON object")
        }
        self.fields = fields
        self.location = location
        self.path = path
    }

    /// Parses a whole JSON document whose top level is an object.
    static func parse(_ bytes: [UInt8], location: String) throws -> JSONObject {
        let value: Any
        do {
            value = try JSONSerialization.jsonObject(with: Data(bytes))
        } catch {
            throw LakehouseError.corrupt(location, "table metadata is not valid JSON")
        }
        return try JSONObject(value, location: location, path: "")
    }

    func problem(_ key: String, _ text: String) -> LakehouseError {
        LakehouseError.corrupt(location, "metadata field \"\(qualified(key))\" \(text)")
    }

    private func qualified(_ key: String) -> String { path.isEmpty ? key : path + "." + key }

    func has(_ key: String) -> Bool { fields[key] != nil && !(fields[key] is NSNull) }

    func optionalInt64(_ key: String) throws -> Int64? {
        guard has(key) else { return nil }
        guard let number = fields[key] as? NSNumber else { throw problem(key, "is not a number") }
        return number.int64Value
    }

    func int64(_ key: String) throws -> Int64 {
        guard let value = try optionalInt64(key) else { throw problem(key, "is missing") }
        return value
    }

    func optionalInt(_ key: String) throws -> Int? { try optionalInt64(key).map { Int($0) } }
    func int(_ key: String) throws -> Int { Int(try int64(key)) }

    func optionalString(_ key: String) throws -> String? {
        guard has(key) else { return nil }
        guard let string = fields[key] as? String else { throw problem(key, "is not a string") }
        return string
    }

    func string(_ key: String) throws -> String {
        guard let value = try optionalString(key) else { throw problem(key, "is missing") }
        return value
    }

    func optionalBool(_ key: String) throws -> Bool? {
        guard has(key) else { return nil }
        guard let value = fields[key] as? Bool else { throw problem(key, "is not a boolean") }
        return value
    }

    func object(_ key: String) throws -> JSONObject {
        guard let value = fields[key] else { throw problem(key, "is missing") }
        return try JSONObject(value, location: location, path: qualified(key))
    }

    /// The elements of an array of objects; an absent key is an empty array.
    func objects(_ key: String) throws -> [JSONObject] {
        guard has(key) else { return [] }
        guard let array = fields[key] as? [Any] else { throw problem(key, "is not an array") }
        return try array.enumerated().map { index, element in
            try JSONObject(element, location: location, path: "\(qualified(key))[\(index)]")
        }
    }

    func intArray(_ key: String) throws -> [Int] {
        guard has(key) else { return [] }
        guard let array = fields[key] as? [NSNumber] else { throw problem(key, "is not an array of numbers") }
        return array.map { $0.intValue }
    }

    func stringArray(_ key: String) throws -> [String] {
        guard has(key) else { return [] }
        guard let array = fields[key] as? [String] else { throw problem(key, "is not an array of strings") }
        return array
    }

    /// A string-to-string map such as `properties` or a snapshot `summary`; absent is empty.
    func stringMap(_ key: String) throws -> [String: String] {
        guard has(key) else { return [:] }
        guard let map = fields[key] as? [String: Any] else { throw problem(key, "is not an object") }
        var result: [String: String] = [:]
        for (name, value) in map {
            switch value {
            case let string as String: result[name] = string
            case let number as NSNumber: result[name] = number.stringValue
            default: throw problem(key, "has a non-string value for \"\(name)\"")
            }
        }
        return result
    }
}
