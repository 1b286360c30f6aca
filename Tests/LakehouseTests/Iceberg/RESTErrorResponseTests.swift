import Testing

@testable import Lakehouse

/// A REST catalog's error answers in PostgreSQL's terms.
@Suite struct RESTErrorResponseTests {
    func error(_ status: Int, _ body: String, namespace: [String]? = nil) -> LakehouseError {
        RESTErrorResponse(status: status, body: Array(body.utf8))
            .lakehouseError(catalog: "polaris", subject: "table \"ns.t\"", namespace: namespace)
    }

    func model(_ type: String, _ message: String, _ code: Int) -> String {
        #"{"error": {"message": "\#(message)", "type": "\#(type)", "code": \#(code)}}"#
    }

    @Test func theSpecsErrorTypesMapToSQLStates() {
        #expect(
            error(404, model("NoSuchTableException", "Table does not exist: ns.t", 404)).sqlState == .undefinedTable)
        #expect(
            error(404, model("NoSuchNamespaceException", "Namespace does not exist: ns", 404), namespace: ["ns"])
                == LakehouseError.noSuchNamespace(["ns"], catalog: "polaris"))
        #expect(
            error(409, model("CommitFailedException", "Requirement failed: branch main has changed", 409)).sqlState
                == .serializationFailure)
        #expect(error(409, model("AlreadyExistsException", "Table already exists", 409)).sqlState == .duplicateTable)
        #expect(
            error(409, model("NamespaceNotEmptyException", "Namespace is not empty", 409)).sqlState
                == .dependentObjectsStillExist)
        #expect(
            error(403, model("ForbiddenException", "Principal may not write", 403)).sqlState == .insufficientPrivilege)
        #expect(error(400, model("BadRequestException", "Malformed request", 400)).sqlState == .invalidParameterValue)
        #expect(error(503, model("ServiceUnavailableException", "Try later", 503)).sqlState == .ioError)
    }

    @Test func theCatalogsOwnWordsGoInTheDetail() {
        let refused = error(403, model("ForbiddenException", "Principal may not write", 403))
        #expect(refused.message == "permission denied for table \"ns.t\" in REST catalog \"polaris\"")
        #expect(refused.detail == "HTTP 403 ForbiddenException: Principal may not write")
        // OAuth2 errors and bodies that are not JSON are shown as they are.
        #expect(
            error(401, #"{"error": "invalid_client", "error_description": "bad secret"}"#).detail
                == "HTTP 401 invalid_client: bad secret")
        #expect(error(502, "<html>Bad Gateway</html>").detail == "HTTP 502: <html>Bad Gateway</html>")
    }

    @Test func namespacesAreJoinedByTheUnitSeparatorInPaths() {
        #expect(RESTPaths.namespace(["a", "b c", "d/e"]) == "a%1Fb%20c%1Fd%2Fe")
        #expect(
            RESTCatalogConfiguration.ClientCredential(parsing: "id:se:cret")
                == .init(clientID: "id", clientSecret: "se:cret"))
        #expect(
            !String(describing: RESTCatalogConfiguration.ClientCredential(parsing: "id:hunter2")).contains("hunter2"))
        #expect(RESTCatalogConfiguration.isHTTPURL("https://catalog.example.com:8181/api/catalog"))
        #expect(!RESTCatalogConfiguration.isHTTPURL("catalog.example.com"))
        #expect(!RESTCatalogConfiguration.isHTTPURL("http://user@host"))
    }
}
