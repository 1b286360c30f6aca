/// What an S3 error answer said: the HTTP status and, when there was a body, its `<Error>` code,
/// message and request id.
struct S3ErrorResponse: Sendable, Equatable {
    var status: Int
    /// `NoSuchKey`, `AccessDenied`, `SignatureDoesNotMatch`, `SlowDown`, ...; nil without a body
    /// (HEAD requests).
    var code: String?
    var message: String?
    var requestID: String?

    init(status: Int, code: String? = nil, message: String? = nil, requestID: String? = nil) {
        self.status = status
        self.code = code
        self.message = message
        self.requestID = requestID
    }

    /// Reads the `<Error>` document of `body`, if it holds one.
    init(status: Int, body: [UInt8]) {
        self.init(status: status)
        guard !body.isEmpty, let root = try? S3XMLParser.parse(body), root.name == "Error" else { return }
        code = root.value("Code")
        message = root.value("Message")
        requestID = root.value("RequestId")
    }

    /// `403 SignatureDoesNotMatch: The request signature we calculated does not match ...`.
    var summary: String {
        var text = "HTTP \(status)"
        if let code { text += " \(code)" }
        if let message, !message.isEmpty { text += ": \(message)" }
        return text
    }

    /// The error a caller sees for this answer to a request about `location`.
    func lakehouseError(location: String, operation: String) -> LakehouseError {
        switch (status, code) {
        case (404, "NoSuchBucket"):
            let bucket = (try? S3Location(parsing: location).bucket) ?? location
            return LakehouseError(
                .undefinedFile, "bucket \"\(bucket)\" of \"\(location)\" does not exist",
                detail: "The object store answered \(operation) with \(summary).")
        case (404, _):
            return LakehouseError.notFound(location)
        case (403, _), (401, _):
            return LakehouseError(
                .ioError, "access to \"\(location)\" was refused by the object store (\(summary))",
                detail:
                    "\(operation) was not allowed. Check the S3 credentials (storage.s3.access_key_id and "
                    + "storage.s3.secret_access_key_env, or AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY), the region "
                    + "and the bucket policy." + (requestID.map { " Request id \($0)." } ?? ""))
        default:
            return LakehouseError.io(location, "\(operation) failed with \(summary)")
        }
    }
}
