#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// An `ObjectStore` over the local file system, for `file://` warehouses such as the embedded
/// default. Accepts `file:///absolute/path` URIs and plain absolute paths.
///
/// Reads use `pread` on the calling thread: local reads are short and the engine already runs scans
/// on its own worker tasks.
public struct LocalObjectStore: ObjectStore {
    public init() {}

    /// The file system path a location names.
    public static func path(of location: String) throws -> String {
        if location.hasPrefix("file://") {
            let path = String(location.dropFirst("file://".count))
            guard path.hasPrefix("/") else {
                throw LakehouseError.io(location, "file locations must be absolute (file:///...)")
            }
            return path
        }
        guard location.hasPrefix("/") else {
            throw LakehouseError.io(location, "not a local file location")
        }
        return location
    }

    public func size(of location: String) async throws -> Int {
        let path = try Self.path(of: location)
        var status = stat()
        guard stat(path, &status) == 0 else { throw Self.error(errno, location) }
        return Int(status.st_size)
    }

    public func read(_ location: String, range: Range<Int>) async throws -> [UInt8] {
        let descriptor = try openForReading(location)
        defer { close(descriptor) }
        return try readFully(descriptor, location: location, range: range)
    }

    public func read(_ location: String) async throws -> [UInt8] {
        let descriptor = try openForReading(location)
        defer { close(descriptor) }
        var status = stat()
        guard fstat(descriptor, &status) == 0 else { throw Self.error(errno, location) }
        return try readFully(descriptor, location: location, range: 0..<Int(status.st_size))
    }

    public func write(_ location: String, bytes: [UInt8]) async throws {
        let path = try Self.path(of: location)
        try createParentDirectories(of: path, location: location)
        let temporary = path + ".tmp-\(getpid())-\(UInt64.random(in: 0...UInt64.max))"
        let descriptor = open(temporary, O_WRONLY | O_CREAT | O_EXCL, 0o644)
        guard descriptor >= 0 else { throw Self.error(errno, location) }
        do {
            try writeFully(descriptor, bytes: bytes, location: location)
            guard fsync(descriptor) == 0 else { throw Self.error(errno, location) }
            close(descriptor)
        } catch {
            close(descriptor)
            unlink(temporary)
            throw error
        }
        guard rename(temporary, path) == 0 else {
            let code = errno
            unlink(temporary)
            throw Self.error(code, location)
        }
    }

    public func writeIfAbsent(_ location: String, bytes: [UInt8]) async throws -> Bool {
        let path = try Self.path(of: location)
        try createParentDirectories(of: path, location: location)
        let temporary = path + ".tmp-\(getpid())-\(UInt64.random(in: 0...UInt64.max))"
        let descriptor = open(temporary, O_WRONLY | O_CREAT | O_EXCL, 0o644)
        guard descriptor >= 0 else { throw Self.error(errno, location) }
        defer { unlink(temporary) }
        do {
            try writeFully(descriptor, bytes: bytes, location: location)
            guard fsync(descriptor) == 0 else { throw Self.error(errno, location) }
            close(descriptor)
        } catch {
            close(descriptor)
            throw error
        }
        // link(2) fails with EEXIST instead of replacing, which makes the publish atomic and exclusive.
        if link(temporary, path) == 0 { return true }
        if errno == EEXIST { return false }
        throw Self.error(errno, location)
    }

    public func delete(_ location: String) async throws {
        let path = try Self.path(of: location)
        if unlink(path) != 0, errno != ENOENT { throw Self.error(errno, location) }
    }

    public func list(prefix: String) async throws -> [String] {
        let path = try Self.path(of: prefix)
        let isFileURI = prefix.hasPrefix("file://")
        // The prefix may end inside a file name; walk from the directory that contains it.
        let directory = path.hasSuffix("/") ? String(path.dropLast()) : parentDirectory(of: path)
        var found: [String] = []
        walk(directory) { file in
            if file.hasPrefix(path) { found.append(isFileURI ? "file://" + file : file) }
        }
        return found.sorted()
    }

    public func listObjects(prefix: String) async throws -> [StoredObject] {
        try await list(prefix: prefix).map { location in
            var status = stat()
            guard stat(try Self.path(of: location), &status) == 0 else { throw Self.error(errno, location) }
            return StoredObject(
                location: location,
                modifiedMs: Int64(status.st_mtim.tv_sec) * 1000 + Int64(status.st_mtim.tv_nsec) / 1_000_000)
        }
    }

    // MARK: - System calls

    private func openForReading(_ location: String) throws -> Int32 {
        let path = try Self.path(of: location)
        let descriptor = open(path, O_RDONLY)
        guard descriptor >= 0 else { throw Self.error(errno, location) }
        return descriptor
    }

    private func readFully(_ descriptor: Int32, location: String, range: Range<Int>) throws -> [UInt8] {
        var bytes = [UInt8](repeating: 0, count: range.count)
        var done = 0
        try bytes.withUnsafeMutableBytes { buffer in
            while done < range.count {
                let count = pread(
                    descriptor, buffer.baseAddress! + done, range.count - done, off_t(range.lowerBound + done))
                if count < 0 {
                    if errno == EINTR { continue }
                    throw Self.error(errno, location)
                }
                if count == 0 {
                    throw LakehouseError.corrupt(
                        location, "file ends at byte \(range.lowerBound + done), expected \(range.upperBound)")
                }
                done += count
            }
        }
        return bytes
    }

    private func writeFully(_ descriptor: Int32, bytes: [UInt8], location: String) throws {
        var done = 0
        try bytes.withUnsafeBytes { buffer in
            while done < buffer.count {
                let count = writeBytes(descriptor, buffer.baseAddress! + done, buffer.count - done)
                if count < 0 {
                    if errno == EINTR { continue }
                    throw Self.error(errno, location)
                }
                done += count
            }
        }
    }

    private func createParentDirectories(of path: String, location: String) throws {
        var prefix = ""
        for component in parentDirectory(of: path).split(separator: "/") {
            prefix += "/" + component
            if mkdir(prefix, 0o755) != 0, errno != EEXIST { throw Self.error(errno, location) }
        }
    }

    private func parentDirectory(of path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return "." }
        return slash == path.startIndex ? "/" : String(path[..<slash])
    }

    private func walk(_ directory: String, _ visit: (String) -> Void) {
        guard let handle = opendir(directory) else { return }
        defer { closedir(handle) }
        while let entry = readdir(handle) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(decoding: raw.prefix(while: { $0 != 0 }), as: UTF8.self)
            }
            if name == "." || name == ".." { continue }
            let child = directory == "/" ? "/" + name : directory + "/" + name
            if Int32(entry.pointee.d_type) == Int32(DT_DIR) {
                walk(child, visit)
            } else {
                visit(child)
            }
        }
    }

    private static func error(_ code: Int32, _ location: String) -> LakehouseError {
        if code == ENOENT { return .notFound(location) }
        return .io(location, String(cString: strerror(code)))
    }
}

/// The C `write(2)`, named apart from `LocalObjectStore.write(_:bytes:)`.
private func writeBytes(_ descriptor: Int32, _ bytes: UnsafeRawPointer, _ count: Int) -> Int {
    write(descriptor, bytes, count)
}
