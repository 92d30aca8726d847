extension BOIEvent {
    /// The event as published on `BOI`: what its `Encodable` conformance gives, keys sorted at
    /// every level, so the same change is the same bytes every time it is published.
    ///
    /// Written by hand because the consumer publishes an event for nearly every record, and
    /// `JSONEncoder` cost more than everything else the consumer does to a record's output.
    public var json: [UInt8] { jsonNotingChanges.json }

    /// The event's JSON, as ``json``, and where in it the text of `changes` lies. The changes an
    /// instance is created with are its document without the null members: that text, written
    /// for the event, serves the store too (the `creationTexts` of the store's changes).
    public var jsonNotingChanges: (json: [UInt8], changes: Range<Int>) {
        // Room for a record's changes and the rest: most events outgrew 512 bytes.
        var writer = JSONByteWriter(capacity: 1024)
        // Members in key order: actual, bo, boiId, changes, eventId, externalId, isCreate,
        // migrationId, operDate, version.
        writer.append(#"{"actual":"#)
        writer.append(actual ? "true" : "false")
        writer.append(#","bo":"#)
        writer.appendString(bo.rawValue)
        writer.append(#","boiId":"#)
        writer.appendString(boiId.rawValue)
        writer.append(#","changes":"#)
        let changesStart = writer.written
        writer.appendObject(changes)
        let changesEnd = writer.written
        writer.append(#","eventId":""#)
        writer.appendEscaped(boiId.rawValue)
        writer.append(UInt8(ascii: ":"))
        writer.appendInteger(version)
        writer.append(UInt8(ascii: "\""))
        writer.append(#","externalId":"#)
        writer.appendString(externalId)
        writer.append(#","isCreate":"#)
        writer.append(isCreate ? "true" : "false")
        writer.append(#","migrationId":"#)
        writer.appendString(migrationId.rawValue)
        writer.append(#","operDate":"#)
        writer.appendString(operDate.rawValue)
        writer.append(#","version":"#)
        writer.appendInteger(version)
        writer.append(UInt8(ascii: "}"))
        return (writer.finish(), changesStart..<changesEnd)
    }
}
