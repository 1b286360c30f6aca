import Engine

/// The leaf columns of a Parquet file, in schema order, built from the footer's flattened schema tree.
public struct ParquetSchema: Sendable {
    /// Every leaf column; index `i` matches column chunk `i` of each row group.
    public let columns: [ParquetColumn]

    /// The index of the top-level column called `name`, if there is one.
    public func columnIndex(named name: String) -> Int? {
        columns.firstIndex { $0.name == name }
    }

    init(_ elements: [SchemaElement]) throws {
        guard let root = elements.first else { throw ParquetFormatError("footer has no schema") }
        var columns: [ParquetColumn] = []
        var position = 1
        let rootChildren = root.numChildren ?? 0
        guard rootChildren >= 0, rootChildren < elements.count else {
            throw ParquetFormatError("schema root claims \(rootChildren) children")
        }
        for _ in 0..<rootChildren {
            try Self.walk(
                elements, at: &position, parentPath: [], definition: 0, repetition: 0, isNested: false, into: &columns)
        }
        guard position == elements.count else {
            throw ParquetFormatError("schema tree covers \(position) of \(elements.count) elements")
        }
        self.columns = columns
    }

    /// Consumes the node at `position` and its subtree, appending its leaves.
    private static func walk(
        _ elements: [SchemaElement], at position: inout Int, parentPath: [String],
        definition: Int, repetition: Int, isNested: Bool, into columns: inout [ParquetColumn]
    ) throws {
        guard position < elements.count else { throw ParquetFormatError("schema tree ends early") }
        guard parentPath.count < 64 else { throw ParquetFormatError("schema nesting too deep") }
        let element = elements[position]
        position += 1
        let path = parentPath + [element.name]
        let repetitionType = element.repetition ?? .required
        let definition = definition + (repetitionType == .required ? 0 : 1)
        let repetition = repetition + (repetitionType == .repeated || repetitionType == .vector ? 1 : 0)
        if let childCount = element.numChildren, element.type == nil {
            guard childCount >= 0, childCount < elements.count - position + 1 else {
                throw ParquetFormatError("schema group \"\(element.name)\" claims \(childCount) children")
            }
            for _ in 0..<childCount {
                try walk(
                    elements, at: &position, parentPath: path, definition: definition, repetition: repetition,
                    isNested: true, into: &columns)
            }
            return
        }
        columns.append(
            leaf(
                element, path: path, definition: definition, repetition: repetition,
                isNested: isNested || repetition > 0))
    }

    private static func leaf(
        _ element: SchemaElement, path: [String], definition: Int, repetition: Int, isNested: Bool
    ) -> ParquetColumn {
        let name = path.joined(separator: ".")
        var dataType: DataType?
        var conversion = ValueConversion.identity
        var reason: String?
        if isNested {
            reason = "nested Parquet column \"\(name)\" (list, map or struct) is not supported yet"
        } else {
            switch ParquetTypeMapping.map(element) {
            case .success(let mapped): (dataType, conversion) = mapped
            case .failure(let unsupported):
                reason = "Parquet column \"\(name)\" has an unsupported type: \(unsupported.reason)"
            }
        }
        let typeLength = element.type == .int96 ? 12 : (element.typeLength ?? 0)
        return ParquetColumn(
            name: name, path: path, fieldID: element.fieldID, physicalType: element.type ?? .byteArray,
            dataType: dataType,
            isNullable: definition > 0, unsupportedReason: reason, typeLength: typeLength,
            maxDefinitionLevel: definition, maxRepetitionLevel: repetition, conversion: conversion)
    }
}
