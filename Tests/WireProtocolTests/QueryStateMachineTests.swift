import Testing

@testable import WireProtocol

/// The query phase's rules, scripted message by message.
@Suite struct QueryStateMachineTests {
    let parse = FrontendMessage.parse(.init(statementName: "s", query: "SELECT 1/0", parameterTypeOIDs: []))
    let bind = FrontendMessage.bind(
        .init(portalName: "", statementName: "s", parameterFormats: [], parameters: [], resultFormats: []))
    let execute = FrontendMessage.execute(portal: "", maxRows: 0)

    @Test func aPipelineRunsStepByStepAndSyncEndsIt() {
        var machine = QueryStateMachine()
        for step in [parse, bind, .describe(.portal("")), execute] {
            #expect(machine.messageReceived(step) == .runStep(step))
            machine.stepSucceeded()
        }
        #expect(machine.messageReceived(.sync) == .sync)
        #expect(machine.messageReceived(.query("SELECT 1")) == .runSimpleQuery("SELECT 1"))
    }

    @Test func afterAFailedStepEverythingIsSkippedUntilSync() {
        var machine = QueryStateMachine()
        #expect(machine.messageReceived(parse) == .runStep(parse))
        machine.stepSucceeded()
        #expect(machine.messageReceived(bind) == .runStep(bind))
        machine.stepFailed()
        #expect(machine.isSkippingUntilSync)
        // Execute, Describe, Close, Flush and even a simple query are skipped.
        for skipped in [execute, .describe(.statement("s")), .close(.statement("s")), .flush, .query("SELECT 2")] {
            #expect(machine.messageReceived(skipped) == .ignore)
        }
        #expect(machine.messageReceived(.sync) == .sync)
        #expect(!machine.isSkippingUntilSync)
        #expect(machine.messageReceived(execute) == .runStep(execute))
    }

    @Test func closeFlushTerminateAndStrayMessages() {
        var machine = QueryStateMachine()
        #expect(machine.messageReceived(.close(.portal("p"))) == .close(.portal("p")))
        #expect(machine.messageReceived(.flush) == .flush)
        #expect(machine.messageReceived(.copyDone) == .ignore)
        #expect(machine.messageReceived(.functionCall) == .runStep(.functionCall))
        machine.stepFailed()
        #expect(machine.messageReceived(.terminate) == .terminate)
        var fresh = QueryStateMachine()
        #expect(fresh.messageReceived(.sslRequest) == .fail(.protocolViolation("unexpected message during a session")))
    }
}
