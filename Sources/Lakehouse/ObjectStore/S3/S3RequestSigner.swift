import Crypto
import Foundation

/// AWS Signature Version 4 (`AWS4-HMAC-SHA256`), in the two forms S3 accepts: an `Authorization`
/// header on the request, or query parameters on a presigned URL.
///
/// Pure functions of the request, the credentials and the time, so the AWS-published test vectors
/// check them byte for byte. Paths arrive already encoded (`S3URIEncoding.encodePath`), exactly as
/// they go on the wire; S3 does not encode them a second time for the canonical request.
public struct S3RequestSigner: Sendable {
    public let credentials: S3Credentials
    public let region: String
    public let service: String

    public static let algorithm = "AWS4-HMAC-SHA256"
    /// The SHA-256 of an empty payload, for requests without a body.
    public static let emptyPayloadHash = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
    /// The payload hash presigned URLs carry: the body is not known when the URL is made.
    public static let unsignedPayload = "UNSIGNED-PAYLOAD"

    public init(credentials: S3Credentials, region: String, service: String = "s3") {
        self.credentials = credentials
        self.region = region
        self.service = service
    }

    /// A request as the signer sees it.
    public struct Request: Sendable {
        public var method: String
        /// The encoded path, e.g. `/bucket/dir/file%20name.parquet`.
        public var path: String
        /// Query parameters, not encoded.
        public var query: [(name: String, value: String)]
        /// Headers to sign; must include `host`.
        public var headers: [(name: String, value: String)]
        /// Hex SHA-256 of the body, `emptyPayloadHash`, or `unsignedPayload`.
        public var payloadHash: String

        public init(
            method: String, path: String, query: [(name: String, value: String)] = [],
            headers: [(name: String, value: String)], payloadHash: String = S3RequestSigner.emptyPayloadHash
        ) {
            self.method = method
            self.path = path
            self.query = query
            self.headers = headers
            self.payloadHash = payloadHash
        }
    }

    /// `<date>/<region>/<service>/aws4_request`.
    public func credentialScope(_ time: S3SigningTime) -> String {
        "\(time.date)/\(region)/\(service)/aws4_request"
    }

    /// The headers to add to `request` so it is signed: `x-amz-date`, `x-amz-security-token` for
    /// temporary credentials, and `Authorization`. Every header of `request` is signed.
    public func signatureHeaders(for request: Request, at time: S3SigningTime) -> [(name: String, value: String)] {
        var added: [(name: String, value: String)] = [("x-amz-date", time.timestamp)]
        if let token = credentials.sessionToken { added.append(("x-amz-security-token", token)) }
        var signed = request
        signed.headers += added
        let canonical = canonicalRequest(signed)
        let signature = signature(of: stringToSign(canonicalRequest: canonical.text, at: time), at: time)
        added.append(
            (
                "Authorization",
                "\(Self.algorithm) Credential=\(credentials.accessKeyID)/\(credentialScope(time)), "
                    + "SignedHeaders=\(canonical.signedHeaders), Signature=\(signature)"
            ))
        return added
    }

    /// The query parameters that presign `request` for `expires` seconds (1 to 604800): the
    /// request's own parameters followed by `X-Amz-Algorithm`, `X-Amz-Credential`, `X-Amz-Date`,
    /// `X-Amz-Expires`, `X-Amz-SignedHeaders` (and `X-Amz-Security-Token`), then
    /// `X-Amz-Signature`. The payload is `UNSIGNED-PAYLOAD`.
    public func presignedQuery(for request: Request, expires: Int, at time: S3SigningTime) -> [(
        name: String, value: String
    )] {
        var query = request.query
        let headerNames = Self.canonicalHeaders(request.headers).map(\.name).joined(separator: ";")
        query.append(("X-Amz-Algorithm", Self.algorithm))
        query.append(("X-Amz-Credential", "\(credentials.accessKeyID)/\(credentialScope(time))"))
        query.append(("X-Amz-Date", time.timestamp))
        query.append(("X-Amz-Expires", String(expires)))
        if let token = credentials.sessionToken { query.append(("X-Amz-Security-Token", token)) }
        query.append(("X-Amz-SignedHeaders", headerNames))
        var presigned = request
        presigned.query = query
        presigned.payloadHash = Self.unsignedPayload
        let canonical = canonicalRequest(presigned)
        query.append(
            ("X-Amz-Signature", signature(of: stringToSign(canonicalRequest: canonical.text, at: time), at: time)))
        return query
    }

    // MARK: - The steps of the algorithm, public for tests against published intermediate values

    /// The canonical request and its `SignedHeaders` list.
    public func canonicalRequest(_ request: Request) -> (text: String, signedHeaders: String) {
        let headers = Self.canonicalHeaders(request.headers)
        let signedHeaders = headers.map(\.name).joined(separator: ";")
        let headerLines = headers.map { "\($0.name):\($0.value)\n" }.joined()
        let text = [
            request.method, request.path.isEmpty ? "/" : request.path, Self.canonicalQuery(request.query), headerLines,
            signedHeaders, request.payloadHash,
        ].joined(separator: "\n")
        return (text, signedHeaders)
    }

    public func stringToSign(canonicalRequest: String, at time: S3SigningTime) -> String {
        [Self.algorithm, time.timestamp, credentialScope(time), Self.hexSHA256(Array(canonicalRequest.utf8))]
            .joined(separator: "\n")
    }

    /// The hex signature of `stringToSign` under the day's signing key.
    public func signature(of stringToSign: String, at time: S3SigningTime) -> String {
        let key = signingKey(at: time)
        return Self.hex(HMAC<SHA256>.authenticationCode(for: Array(stringToSign.utf8), using: key))
    }

    /// HMAC chain `AWS4<secret>` → date → region → service → `aws4_request`.
    func signingKey(at time: S3SigningTime) -> SymmetricKey {
        var key = SymmetricKey(data: Array(("AWS4" + credentials.secretAccessKey).utf8))
        for part in [time.date, region, service, "aws4_request"] {
            key = SymmetricKey(data: HMAC<SHA256>.authenticationCode(for: Array(part.utf8), using: key))
        }
        return key
    }

    /// Lower-cased names, sorted; values trimmed with inner runs of spaces collapsed; repeated
    /// headers joined with commas in order.
    static func canonicalHeaders(_ headers: [(name: String, value: String)]) -> [(name: String, value: String)] {
        var byName: [String: [String]] = [:]
        for (name, value) in headers {
            byName[name.lowercased(), default: []].append(normalizeHeaderValue(value))
        }
        return byName.keys.sorted().map { ($0, byName[$0]!.joined(separator: ",")) }
    }

    static func normalizeHeaderValue(_ value: String) -> String {
        var result = ""
        var pendingSpace = false
        for character in value {
            if character == " " || character == "\t" {
                pendingSpace = !result.isEmpty
            } else {
                if pendingSpace { result.append(" ") }
                pendingSpace = false
                result.append(character)
            }
        }
        return result
    }

    /// Names and values encoded, sorted by name then value, joined as `a=1&b=2`.
    static func canonicalQuery(_ query: [(name: String, value: String)]) -> String {
        query.map { (S3URIEncoding.encodeQueryComponent($0.name), S3URIEncoding.encodeQueryComponent($0.value)) }
            .sorted { $0.0 != $1.0 ? $0.0 < $1.0 : $0.1 < $1.1 }
            .map { "\($0.0)=\($0.1)" }
            .joined(separator: "&")
    }

    /// Lower-case hex of the SHA-256 of `bytes`.
    public static func hexSHA256(_ bytes: some DataProtocol) -> String {
        hex(SHA256.hash(data: bytes))
    }

    static func hex(_ digest: some Sequence<UInt8>) -> String {
        let digits = Array("0123456789abcdef".utf8)
        var text: [UInt8] = []
        for byte in digest {
            text.append(digits[Int(byte >> 4)])
            text.append(digits[Int(byte & 0x0F)])
        }
        return String(decoding: text, as: UTF8.self)
    }
}
