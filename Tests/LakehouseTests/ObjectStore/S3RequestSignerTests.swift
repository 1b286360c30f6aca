import Testing

@testable import Lakehouse

/// Signature Version 4 against published vectors: AWS's SigV4 test suite (credentials
/// `AKIDEXAMPLE`, region us-east-1, service `service`, 2015-08-30T12:36:00Z) and the worked
/// examples of the S3 API reference (bucket `examplebucket`, 2013-05-24). Every expected value
/// was also recomputed with botocore's signer.
@Suite struct S3RequestSignerTests {
    let suiteSigner = S3RequestSigner(
        credentials: S3Credentials(
            accessKeyID: "AKIDEXAMPLE", secretAccessKey: "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"),
        region: "us-east-1", service: "service")
    let suiteTime = S3SigningTime(timestamp: "20150830T123600Z")!

    let s3Signer = S3RequestSigner(
        credentials: S3Credentials(
            accessKeyID: "AKIAIOSFODNN7EXAMPLE", secretAccessKey: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"),
        region: "us-east-1")
    let s3Time = S3SigningTime(timestamp: "20130524T000000Z")!

    func authorization(_ headers: [(name: String, value: String)]) -> String? {
        headers.first { $0.name == "Authorization" }?.value
    }

    @Test func getVanilla() {
        let request = S3RequestSigner.Request(method: "GET", path: "/", headers: [("Host", "example.amazonaws.com")])
        let headers = suiteSigner.signatureHeaders(for: request, at: suiteTime)
        #expect(headers.first?.name == "x-amz-date" && headers.first?.value == "20150830T123600Z")
        #expect(
            authorization(headers)
                == "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, "
                + "SignedHeaders=host;x-amz-date, Signature=5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31"
        )

        var dated = request
        dated.headers.append(("X-Amz-Date", "20150830T123600Z"))
        let canonical = suiteSigner.canonicalRequest(dated)
        #expect(
            canonical.text
                == "GET\n/\n\nhost:example.amazonaws.com\nx-amz-date:20150830T123600Z\n\nhost;x-amz-date\n"
                + "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        #expect(
            suiteSigner.stringToSign(canonicalRequest: canonical.text, at: suiteTime)
                == "AWS4-HMAC-SHA256\n20150830T123600Z\n20150830/us-east-1/service/aws4_request\n"
                + "bb579772317eb040ac9ed261061d46c1f17a8133879d6129b6e1c25292927e63")
    }

    @Test func queryParametersAreSortedByName() {
        let request = S3RequestSigner.Request(
            method: "GET", path: "/", query: [("Param2", "value2"), ("Param1", "value1")],
            headers: [("Host", "example.amazonaws.com")])
        #expect(
            authorization(suiteSigner.signatureHeaders(for: request, at: suiteTime))?.hasSuffix(
                "Signature=b97d918cfa904a5beff61c982a1b6f458b799221646efd99d3219ec94cdf2500") == true)
    }

    @Test func headerValuesAreTrimmedAndSpacesCollapsed() {
        let request = S3RequestSigner.Request(
            method: "GET", path: "/",
            headers: [("Host", "example.amazonaws.com"), ("My-Header1", " value1"), ("My-Header2", " \"a   b   c\"")])
        let headers = suiteSigner.signatureHeaders(for: request, at: suiteTime)
        #expect(
            authorization(headers)
                == "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, "
                + "SignedHeaders=host;my-header1;my-header2;x-amz-date, "
                + "Signature=acc3ed3afb60bb290fc8d2dd0098b9911fcaa05412b367055dee359757a9c736")
    }

    @Test func postWithFormBody() {
        let request = S3RequestSigner.Request(
            method: "POST", path: "/",
            headers: [("Host", "example.amazonaws.com"), ("Content-Type", "application/x-www-form-urlencoded")],
            payloadHash: S3RequestSigner.hexSHA256(Array("Param1=value1".utf8)))
        #expect(request.payloadHash == "9095672bbd1f56dfc5b65f3e153adc8731a4a654192329106275f4c7b24d0b6e")
        #expect(
            authorization(suiteSigner.signatureHeaders(for: request, at: suiteTime))?.hasSuffix(
                "Signature=ff11897932ad3f4e8b18135d722051e5ac45fc38421b1da7b9d196a0fe09473a") == true)
    }

    /// S3 API reference, "Example: GET Object" (the first 10 bytes of test.txt).
    @Test func s3GetObjectWithRange() {
        let request = S3RequestSigner.Request(
            method: "GET", path: "/test.txt",
            headers: [
                ("Host", "examplebucket.s3.amazonaws.com"), ("Range", "bytes=0-9"),
                ("x-amz-content-sha256", S3RequestSigner.emptyPayloadHash),
            ])
        var dated = request
        dated.headers.append(("x-amz-date", "20130524T000000Z"))
        let canonical = s3Signer.canonicalRequest(dated).text
        #expect(
            s3Signer.stringToSign(canonicalRequest: canonical, at: s3Time)
                == "AWS4-HMAC-SHA256\n20130524T000000Z\n20130524/us-east-1/s3/aws4_request\n"
                + "7344ae5b7ee6c3e7e6b0fe0640412a37625d1fbfff95c48bbb2dc43964946972")
        #expect(
            authorization(s3Signer.signatureHeaders(for: request, at: s3Time))
                == "AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request, "
                + "SignedHeaders=host;range;x-amz-content-sha256;x-amz-date, "
                + "Signature=f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41")
    }

    /// S3 API reference, "Example: PUT Object": the `$` of the key is encoded in the path.
    @Test func s3PutObjectEncodesTheKey() {
        let body = Array("Welcome to Amazon S3.".utf8)
        let path = S3Endpoint(scheme: "https", host: "s3.amazonaws.com", pathStyle: false)
            .path(bucket: "examplebucket", key: "test$file.text")
        #expect(path == "/test%24file.text")
        let request = S3RequestSigner.Request(
            method: "PUT", path: path,
            headers: [
                ("Host", "examplebucket.s3.amazonaws.com"), ("Date", "Fri, 24 May 2013 00:00:00 GMT"),
                ("x-amz-storage-class", "REDUCED_REDUNDANCY"),
                ("x-amz-content-sha256", S3RequestSigner.hexSHA256(body)),
            ],
            payloadHash: S3RequestSigner.hexSHA256(body))
        #expect(request.payloadHash == "44ce7dd67c959e0d3524ffac1771dfbba87d2b6b4b4e99e42034a8b803f8b072")
        #expect(
            authorization(s3Signer.signatureHeaders(for: request, at: s3Time))?.hasSuffix(
                "SignedHeaders=date;host;x-amz-content-sha256;x-amz-date;x-amz-storage-class, "
                    + "Signature=98ad721746da40c64f1a55b78f14c238d841ea1380cd77a1b5971af0ece108bd") == true)
    }

    /// S3 API reference, "Example: GET Bucket (List Objects)".
    @Test func s3ListObjects() {
        let request = S3RequestSigner.Request(
            method: "GET", path: "/", query: [("max-keys", "2"), ("prefix", "J")],
            headers: [
                ("Host", "examplebucket.s3.amazonaws.com"),
                ("x-amz-content-sha256", S3RequestSigner.emptyPayloadHash),
            ])
        #expect(
            authorization(s3Signer.signatureHeaders(for: request, at: s3Time))?.hasSuffix(
                "Signature=34b48302e7b5fa45bde8084f4b7868a86f0a534bc59db6670ed5711ef69dc6f7") == true)
    }

    /// A ListObjectsV2 page request whose prefix and continuation token hold `/`, ` ` and `=`,
    /// which the canonical query encodes (`%2F`, `%20`, `%3D`). Not an AWS-published vector: the
    /// expected canonical request and signature come from botocore's `S3SigV4Auth`.
    @Test func listQueryValuesAreEncodedInTheCanonicalRequest() {
        let request = S3RequestSigner.Request(
            method: "GET", path: "/",
            query: [
                ("list-type", "2"), ("prefix", "warehouse/db 1/t/"),
                ("continuation-token", "1ueGcxLPRx1Tr/XYExHnhbYLgveDs2J/wm36Hy4vbOwM="),
            ],
            headers: [
                ("Host", "examplebucket.s3.amazonaws.com"), ("x-amz-content-sha256", S3RequestSigner.emptyPayloadHash),
            ])
        var dated = request
        dated.headers.append(("x-amz-date", "20130524T000000Z"))
        #expect(
            s3Signer.canonicalRequest(dated).text.split(separator: "\n")[2]
                == "continuation-token=1ueGcxLPRx1Tr%2FXYExHnhbYLgveDs2J%2Fwm36Hy4vbOwM%3D&list-type=2&prefix=warehouse%2Fdb%201%2Ft%2F"
        )
        #expect(
            authorization(s3Signer.signatureHeaders(for: request, at: s3Time))?.hasSuffix(
                "Signature=9b0de3cb27f92f132ce0db40c0f42f74ff0bec7fb8a96aa050954c08641cd661") == true)
    }

    /// S3 API reference, "Example: presigned URL" (GET test.txt, valid 86400 seconds).
    @Test func presignedURL() throws {
        let store = try S3ObjectStore(
            configuration: {
                var configuration = S3Configuration()
                configuration.credentials = s3Signer.credentials
                configuration.endpoint = "https://s3.amazonaws.com"
                configuration.pathStyle = false
                return configuration
            }())
        let url = try store.presignedURL("s3://examplebucket/test.txt", expires: .seconds(86400), at: s3Time)
        #expect(
            url
                == "https://examplebucket.s3.amazonaws.com/test.txt?X-Amz-Algorithm=AWS4-HMAC-SHA256"
                + "&X-Amz-Credential=AKIAIOSFODNN7EXAMPLE%2F20130524%2Fus-east-1%2Fs3%2Faws4_request"
                + "&X-Amz-Date=20130524T000000Z&X-Amz-Expires=86400&X-Amz-SignedHeaders=host"
                + "&X-Amz-Signature=aeeed9bbccd4d02ee5c0109b86d86835f995330da4c265957d157751f604d404")
        #expect(throws: LakehouseError.self) { try store.presignedURL("s3://b/k", expires: .seconds(0)) }
    }

    @Test func sessionTokenIsSigned() {
        var credentials = suiteSigner.credentials
        credentials.sessionToken = "token/with+chars"
        let signer = S3RequestSigner(credentials: credentials, region: "us-east-1", service: "service")
        let headers = signer.signatureHeaders(
            for: S3RequestSigner.Request(method: "GET", path: "/", headers: [("Host", "example.amazonaws.com")]),
            at: suiteTime)
        #expect(headers.contains { $0.name == "x-amz-security-token" && $0.value == "token/with+chars" })
        #expect(authorization(headers)?.contains("SignedHeaders=host;x-amz-date;x-amz-security-token,") == true)
    }

    @Test func signingTimeFromSeconds() {
        #expect(S3SigningTime(secondsSinceEpoch: 1_440_938_160).timestamp == "20150830T123600Z")
        #expect(S3SigningTime(secondsSinceEpoch: 951_782_400).timestamp == "20000229T000000Z")
        #expect(S3SigningTime(secondsSinceEpoch: 0).date == "19700101")
        #expect(S3SigningTime(timestamp: "2015-08-30") == nil)
    }

    @Test func uriEncoding() {
        #expect(S3URIEncoding.encodePath("dir/a b+c$~_.-é") == "dir/a%20b%2Bc%24~_.-%C3%A9")
        #expect(S3URIEncoding.encodeQueryComponent("a/b=c&d") == "a%2Fb%3Dc%26d")
        #expect(S3URIEncoding.decode("dir/a+b%2Bc%C3%A9%zz") == "dir/a b+cé%zz")
        #expect(
            S3Transport.queryString([("uploads", ""), ("prefix", "a b/"), ("list-type", "2")])
                == "?uploads&prefix=a%20b%2F&list-type=2")
    }
}
