extension BOIEvent {
    /// The event as published on `BOI`: what its `Encodable` conformance gives, keys sorted at
    /// every level, so the same change is the same bytes every time it is published.
    ///
    /// Written by hand because the consumer publishes an event for nearly every record, and
    /// `JSONEncoder` cost more than everything else the consumer does to a record's output.
    public var json: [UInt8] {
        var buffer: [UInt8] = []
        buffer.reserveCapacity(320)
        // Members in key order: actual, bo, boiId, changes, eventId, externalId, isCreate,
        // migrationId, operDate, version.
        buffer.append(contentsOf: #"{"actual":"#.utf8)
        buffer.append(contentsOf: (actual ? "true" : "false").utf8)
        buffer.append(contentsOf: #","bo":"#.utf8)
        JSONText.appendString(bo.rawValue.utf8, to: &buffer)
        buffer.append(contentsOf: #","boiId":"#.utf8)
        JSONText.appendString(boiId.rawValue.utf8, to: &buffer)
        buffer.append(contentsOf: #","changes":"#.utf8)
        JSONText.appendObject(changes, to: &buffer)
        buffer.append(contentsOf: #","eventId":"#.utf8)
        JSONText.appendString(eventId.utf8, to: &buffer)
        buffer.append(contentsOf: #","externalId":"#.utf8)
        JSONText.appendString(externalId.utf8, to: &buffer)
        buffer.append(contentsOf: #","isCreate":"#.utf8)
        buffer.append(contentsOf: (isCreate ? "true" : "false").utf8)
        buffer.append(contentsOf: #","migrationId":"#.utf8)
        JSONText.appendString(migrationId.rawValue.utf8, to: &buffer)
        buffer.append(contentsOf: #","operDate":"#.utf8)
        JSONText.appendString(operDate.rawValue.utf8, to: &buffer)
        buffer.append(contentsOf: #","version":"#.utf8)
        JSONText.appendInteger(version, to: &buffer)
        buffer.append(UInt8(ascii: "}"))
        return buffer
    }
}
