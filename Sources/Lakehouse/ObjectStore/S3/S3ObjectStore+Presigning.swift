extension S3ObjectStore {
    /// A URL that lets whoever holds it `method` (GET, PUT, ...) the object at `location` without
    /// credentials, for `expires` (1 second to 7 days) from `time`. Query-string Signature
    /// Version 4 with an unsigned payload; `22023` when no credentials are configured.
    public func presignedURL(
        _ location: String, method: String = "GET", expires: Duration = .seconds(3600), at time: S3SigningTime = .now()
    ) throws(LakehouseError) -> String {
        guard let signer = transport.signer else {
            throw LakehouseError(
                .invalidParameterValue, "cannot presign \"\(location)\": no S3 credentials are configured")
        }
        let seconds = Int(expires.components.seconds)
        guard (1...604_800).contains(seconds) else {
            throw LakehouseError(
                .invalidParameterValue, "a presigned URL expires after 1 second to 7 days, not \(seconds) seconds")
        }
        let object = try S3Location(parsing: location)
        let endpoint = transport.endpoint
        let path = endpoint.path(bucket: object.bucket, key: object.key)
        let query = signer.presignedQuery(
            for: S3RequestSigner.Request(
                method: method, path: path, headers: [("host", endpoint.hostHeader(bucket: object.bucket))]),
            expires: seconds, at: time)
        return endpoint.origin(bucket: object.bucket) + path + S3Transport.queryString(query)
    }
}
