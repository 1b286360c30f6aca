/// Which rows a join returns. The probe side is the streamed (left/outer) input, the build side the
/// materialized one.
public enum JoinKind: Sendable, Equatable {
    case inner
    /// Probe rows without a match are kept, with NULL build columns.
    case left
    /// Build rows without a match are kept, with NULL probe columns.
    case right
    case full
    /// Probe rows with at least one match, once each (EXISTS, IN); probe columns only.
    case semi
    /// Probe rows with no match (NOT EXISTS); probe columns only.
    case anti
    /// NOT IN: like `anti`, but any NULL build key yields no rows, and a NULL probe key is excluded
    /// unless the build side is empty.
    case nullAwareAnti

    /// True when only the probe columns come out.
    public var outputsProbeOnly: Bool { self == .semi || self == .anti || self == .nullAwareAnti }
    var keepsUnmatchedProbe: Bool { self == .left || self == .full }
    public var keepsUnmatchedBuild: Bool { self == .right || self == .full }
}
