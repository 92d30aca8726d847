/// When the scheduler looks for a finished load to claim.
public struct SchedulerOptions: Sendable, Hashable {
    /// How often `process_tracking` is polled for a ready row.
    public var pollInterval: ConfigDuration = .seconds(10)
    /// Claims happen only inside this daily window, if one is set.
    public var window: DailyWindow?

    public init() {}

    /// A daily window of local time, `start` inclusive and `end` exclusive, both written `HH:MM`.
    /// An `end` before `start` wraps past midnight (`22:00`–`06:00` is the night).
    public struct DailyWindow: Sendable, Hashable {
        public var start: String
        public var end: String

        public init(start: String, end: String) {
            self.start = start
            self.end = end
        }

        /// Whether a local time falls inside the window; `false` when either bound is not `HH:MM`.
        public func contains(hour: Int, minute: Int) -> Bool {
            guard let start = Self.minuteOfDay(start), let end = Self.minuteOfDay(end) else { return false }
            let now = hour * 60 + minute
            if start <= end { return start <= now && now < end }
            return now >= start || now < end
        }

        /// Minutes since midnight for `HH:MM` (00:00 to 23:59), or `nil`.
        static func minuteOfDay(_ text: String) -> Int? {
            let parts = text.split(separator: ":", omittingEmptySubsequences: false)
            guard parts.count == 2, parts[0].count == 2, parts[1].count == 2,
                parts.allSatisfy({ $0.allSatisfy { $0.isASCII && $0.isNumber } }),
                let hour = Int(parts[0]), let minute = Int(parts[1]), hour < 24, minute < 60
            else { return nil }
            return hour * 60 + minute
        }
    }
}
