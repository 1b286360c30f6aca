import Testing

@testable import Lakehouse

/// The XML documents S3 answers with, as the S3 API reference shows them.
@Suite struct S3ResponseParsingTests {
    @Test func listPageWithURLEncodedKeys() throws {
        let body = Array(
            """
            <?xml version="1.0" encoding="UTF-8"?>
            <ListBucketResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/">
              <Name>bucket</Name><Prefix>dir%2F</Prefix><KeyCount>2</KeyCount><MaxKeys>2</MaxKeys>
              <EncodingType>url</EncodingType>
              <IsTruncated>true</IsTruncated>
              <NextContinuationToken>1ueGcxLPRx1Tr/XYExHnhbYLgveDs2J/wm36Hy4vbOwM=</NextContinuationToken>
              <Contents><Key>dir/a+b%2Bc.txt</Key><LastModified>2026-12-03T19:50:01.250Z</LastModified><Size>3</Size><ETag>&quot;abc&quot;</ETag></Contents>
              <Contents><Key>dir/%C3%A9t%C3%A9</Key><Size>0</Size></Contents>
            </ListBucketResult>
            """.utf8)
        let page = try S3ListPage(body)
        #expect(page.keys == ["dir/a b+c.txt", "dir/été"])
        // 2026-12-03 is day 20,790 after 1970-01-01.
        #expect(page.modifiedMs == [(20_790 * 86_400 + 19 * 3600 + 50 * 60 + 1) * 1000 + 250, 0])
        #expect(page.isTruncated)
        #expect(page.nextContinuationToken == "1ueGcxLPRx1Tr/XYExHnhbYLgveDs2J/wm36Hy4vbOwM=")

        let last = try S3ListPage(
            Array(
                "<ListBucketResult><IsTruncated>false</IsTruncated><Contents><Key>a&amp;b</Key></Contents></ListBucketResult>"
                    .utf8))
        #expect(last == S3ListPage(keys: ["a&b"], isTruncated: false, nextContinuationToken: nil))
    }

    @Test func errorDocument() {
        let body = Array(
            """
            <?xml version="1.0" encoding="UTF-8"?>
            <Error>
              <Code>NoSuchKey</Code>
              <Message>The resource you requested does not exist</Message>
              <Resource>/mybucket/myfoto.jpg</Resource>
              <RequestId>4442587FB7D0A2F9</RequestId>
            </Error>
            """.utf8)
        let error = S3ErrorResponse(status: 404, body: body)
        #expect(
            error
                == S3ErrorResponse(
                    status: 404, code: "NoSuchKey", message: "The resource you requested does not exist",
                    requestID: "4442587FB7D0A2F9"))
        #expect(
            error.lakehouseError(location: "s3://mybucket/myfoto.jpg", operation: "GET")
                == .notFound("s3://mybucket/myfoto.jpg"))

        let denied = S3ErrorResponse(
            status: 403, code: "SignatureDoesNotMatch", message: "The request signature we calculated does not match"
        )
        .lakehouseError(location: "s3://b/k", operation: "GET")
        #expect(denied.sqlState == .ioError)
        #expect(
            denied.message
                == "access to \"s3://b/k\" was refused by the object store (HTTP 403 SignatureDoesNotMatch: The request signature we calculated does not match)"
        )

        let noBucket = S3ErrorResponse(status: 404, code: "NoSuchBucket").lakehouseError(
            location: "s3://gone/k", operation: "GET")
        #expect(noBucket.sqlState == .undefinedFile)
        #expect(noBucket.message == "bucket \"gone\" of \"s3://gone/k\" does not exist")

        // HEAD answers have no body.
        #expect(S3ErrorResponse(status: 503, body: []).summary == "HTTP 503")
        #expect(S3ErrorResponse(status: 500, body: Array("<html>oops</html>".utf8)).code == nil)
    }

    @Test func xmlParser() throws {
        let root = try S3XMLParser.parse(
            Array(
                """
                <?xml version="1.0"?><!-- note --><a:Root xmlns:a="urn:x" attr='v>w'><Item>1</Item><Item/>\
                <Text><![CDATA[<raw> & ]]>&lt;&#65;&#x42;&gt;</Text></a:Root>
                """.utf8))
        #expect(root.name == "Root")
        #expect(root.children("Item").map(\.text) == ["1", ""])
        #expect(root.value("Text") == "<raw> & <AB>")
        #expect(throws: S3XMLParser.Failure.self) { try S3XMLParser.parse(Array("<a><b></a>".utf8)) }
        #expect(throws: S3XMLParser.Failure.self) { try S3XMLParser.parse(Array("<a>".utf8)) }
        #expect(throws: S3XMLParser.Failure.self) { try S3XMLParser.parse(Array("<a>&bogus;</a>".utf8)) }
        #expect(throws: S3XMLParser.Failure.self) { try S3XMLParser.parse(Array("<a/><b/>".utf8)) }
        #expect(S3XMLParser.escape("\"a\"<&>") == "\"a\"&lt;&amp;&gt;")
    }
}
