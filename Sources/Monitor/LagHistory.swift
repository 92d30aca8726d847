import Foundation

/// The checks of one group on one topic over the last `keep`, oldest first.
struct LagHistory: Sendable {
    let keep: Duration
    private(set) var samples: [LagSample] = []

    init(keep: Duration) {
        self.keep = keep
    }

    mutating func append(_ sample: LagSample) {
        samples.append(sample)
        let horizon = sample.at.addingTimeInterval(-keep.seconds)
        if let first = samples.firstIndex(where: { $0.at >= horizon }), first > 0 {
            samples.removeFirst(first)
        }
    }
}
