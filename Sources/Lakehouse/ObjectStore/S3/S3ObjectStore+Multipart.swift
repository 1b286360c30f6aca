extension S3ObjectStore {
    /// Writes `bytes` as a multipart upload: create, upload `partSize` parts (several in flight),
    /// complete. The object appears only at completion, whole; on any failure the upload is
    /// aborted so no parts are left behind. With `onlyIfAbsent` the completion carries
    /// `If-None-Match: *` and false means another object was already there.
    func uploadMultipart(_ object: S3Location, location: String, bytes: [UInt8], onlyIfAbsent: Bool) async throws
        -> Bool
    {
        let created = try await transport.send(
            S3Request(method: .POST, bucket: object.bucket, key: object.key, query: [("uploads", "")]),
            location: location, operation: "CreateMultipartUpload")
        guard created.isSuccess else { throw created.error(location: location, operation: "CreateMultipartUpload") }
        guard let uploadID = (try? S3XMLParser.parse(created.body))?.value("UploadId"), !uploadID.isEmpty else {
            throw LakehouseError.io(location, "CreateMultipartUpload answered without an UploadId")
        }

        do {
            let partSize = configuration.partSize
            let ranges = stride(from: 0, to: bytes.count, by: partSize).map { $0..<min($0 + partSize, bytes.count) }
            let etags = try await concurrentlyMap(
                Array(ranges.enumerated()), limit: configuration.maxConcurrentRequests
            ) {
                part in
                try await uploadPart(
                    object, location: location, uploadID: uploadID, number: part.offset + 1, bytes: bytes[part.element])
            }
            return try await completeMultipart(
                object, location: location, uploadID: uploadID, etags: etags, bytes: bytes, onlyIfAbsent: onlyIfAbsent)
        } catch {
            await abortMultipart(object, location: location, uploadID: uploadID)
            throw error
        }
    }

    private func uploadPart(
        _ object: S3Location, location: String, uploadID: String, number: Int, bytes: ArraySlice<UInt8>
    ) async throws -> String {
        let response = try await transport.send(
            S3Request(
                method: .PUT, bucket: object.bucket, key: object.key,
                query: [("partNumber", String(number)), ("uploadId", uploadID)], body: bytes,
                payloadHash: S3RequestSigner.hexSHA256(bytes)),
            location: location, operation: "UploadPart \(number)")
        guard response.isSuccess else { throw response.error(location: location, operation: "UploadPart \(number)") }
        guard let etag = response.headers.first(name: "etag") else {
            throw LakehouseError.io(location, "UploadPart \(number) answered without an ETag")
        }
        return etag
    }

    /// Completes the upload; false when `onlyIfAbsent` and an object already exists. The upload is
    /// aborted in that case, by the caller's cleanup path.
    private func completeMultipart(
        _ object: S3Location, location: String, uploadID: String, etags: [String], bytes: [UInt8], onlyIfAbsent: Bool
    ) async throws -> Bool {
        var document = "<CompleteMultipartUpload xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\">"
        for (index, etag) in etags.enumerated() {
            document += "<Part><PartNumber>\(index + 1)</PartNumber><ETag>\(S3XMLParser.escape(etag))</ETag></Part>"
        }
        document += "</CompleteMultipartUpload>"
        let body = Array(document.utf8)
        var request = S3Request(
            method: .POST, bucket: object.bucket, key: object.key, query: [("uploadId", uploadID)],
            headers: [("content-type", "application/xml")], body: body[...],
            payloadHash: S3RequestSigner.hexSHA256(body))
        if onlyIfAbsent { request.headers.append(("if-none-match", "*")) }
        let response = try await transport.send(request, location: location, operation: "CompleteMultipartUpload")
        if response.isSuccess, S3ErrorResponse(status: response.status, body: response.body).code == nil { return true }
        if onlyIfAbsent, response.status == 412 {
            if response.followsUncertainAttempt, try await holdsOurBytes(location, bytes: bytes) { return true }
            await abortMultipart(object, location: location, uploadID: uploadID)
            return false
        }
        throw response.error(location: location, operation: "CompleteMultipartUpload")
    }

    /// Best effort: a failed abort leaves parts that the bucket's lifecycle rules clean up.
    private func abortMultipart(_ object: S3Location, location: String, uploadID: String) async {
        _ = try? await transport.send(
            S3Request(method: .DELETE, bucket: object.bucket, key: object.key, query: [("uploadId", uploadID)]),
            location: location, operation: "AbortMultipartUpload")
    }
}
