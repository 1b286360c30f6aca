import Synchronization

/// One hash-join build side shared by the probe partitions of a parallel join: the first partition to
/// ask builds it (in its own task), the others wait for it and then probe the same table.
///
/// Only join kinds that never emit unmatched build rows can share a build (inner, left, semi, anti,
/// NOT IN): right and full joins need one view of which build rows matched.
public final class SharedJoinBuild: Sendable {
    private enum State {
        case idle
        case building([CheckedContinuation<Result<JoinBuildSide, EngineError>, Never>])
        case built(Result<JoinBuildSide, EngineError>)
    }

    private let state = Mutex<State>(.idle)
    private let reservedBytes = Atomic<Int>(0)
    private let buildKeys: [Expression]
    private let buildTypes: [DataType]
    private let context: EvaluationContext
    private let cancellation: QueryCancellation
    private let memoryBudget: MemoryBudget?
    private let makeBuild: @Sendable () throws(EngineError) -> any BatchStream

    /// `makeBuild` creates the build input's stream; it runs once, in the task of the first partition.
    public init(
        buildKeys: [Expression], buildTypes: [DataType], context: EvaluationContext, cancellation: QueryCancellation,
        memoryBudget: MemoryBudget? = nil, makeBuild: @escaping @Sendable () throws(EngineError) -> any BatchStream
    ) {
        self.buildKeys = buildKeys
        self.buildTypes = buildTypes
        self.context = context
        self.cancellation = cancellation
        self.memoryBudget = memoryBudget
        self.makeBuild = makeBuild
    }

    var keyTypes: [DataType] { buildKeys.map(\.type) }
    var types: [DataType] { buildTypes }

    /// The build side, building it if no partition has started to.
    func side() async throws(EngineError) -> JoinBuildSide {
        let isBuilder = state.withLock { state -> Bool in
            guard case .idle = state else { return false }
            state = .building([])
            return true
        }
        if isBuilder {
            let result: Result<JoinBuildSide, EngineError>
            do throws(EngineError) {
                var reservation = MemoryReservation(budget: memoryBudget, consumer: "hash join build")
                let side = try await JoinBuildSide.build(
                    from: try makeBuild(), keys: buildKeys, types: buildTypes,
                    evaluator: ExpressionEvaluator(context: context),
                    cancellation: cancellation, reservation: &reservation)
                reservedBytes.store(reservation.detach(), ordering: .relaxed)
                result = .success(side)
            } catch {
                result = .failure(error)
            }
            let waiters = state.withLock { state in
                defer { state = .built(result) }
                if case .building(let waiters) = state { return waiters }
                return []
            }
            for waiter in waiters { waiter.resume(returning: result) }
            return try result.get()
        }
        let result = await withCheckedContinuation {
            (waiter: CheckedContinuation<Result<JoinBuildSide, EngineError>, Never>) in
            state.withLock { state in
                switch state {
                case .built(let result): waiter.resume(returning: result)
                case .building(let waiters): state = .building(waiters + [waiter])
                case .idle: preconditionFailure("build started above")
                }
            }
        }
        return try result.get()
    }

    deinit { memoryBudget?.shrink(by: reservedBytes.load(ordering: .relaxed)) }
}
