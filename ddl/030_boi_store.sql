-- The BOI store (module PostgresStore): business-object instances as JSONB documents, and what
-- the consumer keeps next to them so that one transaction covers a whole batch — its positions,
-- the outgoing messages, parked references and counters. Lives in the product's schema (the
-- journal's, store.schema, default "inmigration"); the service creates it at start-up with
-- search_path set to that schema, so the names below are unqualified.
--
-- Unique keys of the mapping are not here: the service creates one partial unique index per BO
-- and key at start-up, named boi_uk_<bo>_<hash of the fields>, over (document->>'field', …)
-- WHERE bo = '<bo>', collated "C"; a clash with one of them is how a duplicate business key is
-- detected.
--
-- Identifiers (ids, BO codes, externalIds, field names, catalogs and codes) are collated "C":
-- compared byte by byte, whatever the database's collation. They are only ever looked up and
-- ordered for keyset paging, never shown sorted to people, and a linguistic collation costs
-- every index probe and insert: in a database collated ICU en-US the consumer's PostgreSQL took
-- a fifth more CPU than with these columns in "C". Byte order is also the order of Swift's
-- String comparison for the normalised text the consumer writes. Equality is the same under
-- both (PostgreSQL's collations here are deterministic), so no key changes meaning.

-- One row per business-object instance (BOI). The document holds every migrated field: plain
-- fields as the in-table gave them, BO fields as the target's boi_id, CO fields as the catalog
-- entry's id, child rows as arrays of objects.
CREATE TABLE IF NOT EXISTS boi_instance (
    boi_id                  text COLLATE "C" PRIMARY KEY,   -- derived from (bo, external_id) of its first record
    bo                      text COLLATE "C" NOT NULL,      -- business-object code: Person, Department…
    external_id             text COLLATE "C" NOT NULL,      -- the customer's id of the record that created it
    document                jsonb       NOT NULL,
    actual                  boolean     NOT NULL DEFAULT true,  -- false once a record said removed
    version                 bigint      NOT NULL DEFAULT 0,     -- incremented by every published change
    created_at              timestamptz NOT NULL DEFAULT now(),
    updated_at              timestamptz NOT NULL DEFAULT now(),     -- the document last changed
    in_migration_updated_at timestamptz NOT NULL DEFAULT now()      -- a record last arrived for it
);
-- Earlier versions indexed bo alone; no statement reads by it, and every instance written paid for it.
DROP INDEX IF EXISTS boi_instance_by_bo;

-- externalId → instance (the seed's BoiInMigrationRef): how a record finds the instance it
-- updates, and how a reference given by externalId finds its target. An instance's id is derived
-- from the BO and externalId of the record that created it, so that record's key needs no row
-- here; only aliases do: the externalIds of records merged into another instance on a unique
-- key. (Rows that map a key to its own instance, as earlier versions wrote, are harmless.)
CREATE TABLE IF NOT EXISTS boi_map (
    bo          text COLLATE "C" NOT NULL,
    external_id text COLLATE "C" NOT NULL,
    boi_id      text COLLATE "C" NOT NULL,
    PRIMARY KEY (bo, external_id)
);

-- References whose target did not exist yet (the seed's boi_reference). A slot — one field of
-- one instance, and one position of a many-valued field — waits for one target at a time: a
-- business object by (target_bo, target_external_id) or a catalog entry by (catalog, code).
CREATE TABLE IF NOT EXISTS boi_reference (
    source_boi_id      text COLLATE "C" NOT NULL,    -- the instance whose field waits
    field              text COLLATE "C" NOT NULL,
    position           int         NOT NULL DEFAULT -1,  -- index in a many-valued field; -1: single-valued
    target_kind        text COLLATE "C" NOT NULL CHECK (target_kind IN ('object', 'catalog')),
    target_bo          text COLLATE "C",             -- target_kind 'object'
    target_external_id text COLLATE "C",
    catalog            text COLLATE "C",             -- target_kind 'catalog'
    code               text COLLATE "C",
    migration_id       text COLLATE "C" NOT NULL,    -- the migration whose record parked it
    created_at         timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (source_boi_id, field, position),
    CHECK (target_kind <> 'object' OR (target_bo IS NOT NULL AND target_external_id IS NOT NULL)),
    CHECK (target_kind <> 'catalog' OR (catalog IS NOT NULL AND code IS NOT NULL))
);
CREATE INDEX IF NOT EXISTS boi_reference_by_object ON boi_reference (target_kind, target_bo, target_external_id);
CREATE INDEX IF NOT EXISTS boi_reference_by_catalog ON boi_reference (catalog, code);
-- A migration's parked references in slot order: its reference check reads them a page at a time.
CREATE INDEX IF NOT EXISTS boi_reference_by_migration_slot ON boi_reference (migration_id, source_boi_id, field, position);
DROP INDEX IF EXISTS boi_reference_by_migration;

-- Classifier entries that CO fields resolve against: a record gives a code, the instance gets
-- the entry's id. Filled by the platform, read-only for in-migration.
CREATE TABLE IF NOT EXISTS catalog_entry (
    catalog text COLLATE "C" NOT NULL,
    code    text COLLATE "C" NOT NULL,
    id      text NOT NULL,
    PRIMARY KEY (catalog, code)
);

-- The transactional outbox: the messages (BOI change events, dead letters) of one batch,
-- written in the same transaction as the changes they announce, published after commit in id
-- order, then deleted. One row per batch, not per message: a batch's thousands of events cost
-- one insert and one delete. `payload` frames each message in order as
--   topic length (4 bytes, big-endian), topic (UTF-8),
--   key length (4 bytes, big-endian; 0xFFFFFFFF: no key), key,
--   value length (4 bytes, big-endian), value.
-- Compressed with lz4 where the server has it (PostgreSQL 14 and later, built --with-lz4): a batch
-- of events shrinks about sixfold in half the time of writing it uncompressed, and the WAL, the
-- TOAST pages and the file extensions shrink with it (at a million records the server's time in
-- the kernel went from 7.6–9.0 s to 4.7–5.4 s, its CPU in all from 23.4–28.2 s to 20.8–21.5 s).
-- pglz, the other method, takes twice the time of no compression, so without lz4 the payload is
-- stored uncompressed (STORAGE EXTERNAL).
CREATE TABLE IF NOT EXISTS outbox_batch (
    id         bigserial   PRIMARY KEY,
    messages   int         NOT NULL CHECK (messages > 0),
    payload    bytea       NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now()
);
-- Earlier versions kept one row per message in `outbox`. An empty one is dropped; one still
-- holding messages stops the upgrade, for the earlier version to publish them first.
DO $$
BEGIN
    -- A server older than 14 (no attcompression, no COMPRESSION clause) or without lz4 fails
    -- inside this block, where it is caught; the ALTER is dynamic so that it is parsed only when
    -- it runs.
    BEGIN
        IF (SELECT attcompression FROM pg_attribute WHERE attrelid = 'outbox_batch'::regclass
                AND attname = 'payload') IS DISTINCT FROM 'l'
        THEN
            EXECUTE 'ALTER TABLE outbox_batch ALTER COLUMN payload SET STORAGE EXTENDED, '
                || 'ALTER COLUMN payload SET COMPRESSION lz4';
        END IF;
    EXCEPTION WHEN feature_not_supported OR syntax_error OR undefined_column THEN
        IF (SELECT attstorage FROM pg_attribute WHERE attrelid = 'outbox_batch'::regclass
                AND attname = 'payload') <> 'e'
        THEN
            ALTER TABLE outbox_batch ALTER COLUMN payload SET STORAGE EXTERNAL;
        END IF;
    END;
    IF to_regclass('outbox') IS NOT NULL THEN
        IF EXISTS (SELECT 1 FROM outbox) THEN
            RAISE EXCEPTION 'the outbox of an earlier in-migration version still holds messages'
                USING HINT = 'run that version''s consume --until-idle to publish them, then start this one';
        END IF;
        DROP TABLE outbox;
    END IF;
END
$$;

-- The consumer's positions (next offset to process per partition), committed with the store
-- writes they cover. Kafka's own committed offsets follow these, never lead them.
CREATE TABLE IF NOT EXISTS consumer_position (
    group_id    text        NOT NULL,
    topic       text        NOT NULL,
    partition   int         NOT NULL,
    next_offset bigint      NOT NULL,
    updated_at  timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (group_id, topic, partition)
);

-- Counters of the consume stage per migration and in-table: every record consumed is counted
-- in exactly one of created, updated, unchanged, merged, removed, skipped or rejected.
CREATE TABLE IF NOT EXISTS consume_stats (
    migration_id  text        NOT NULL,
    table_name    text        NOT NULL,
    records       bigint      NOT NULL DEFAULT 0,
    created       bigint      NOT NULL DEFAULT 0,
    updated       bigint      NOT NULL DEFAULT 0,
    unchanged     bigint      NOT NULL DEFAULT 0,
    merged        bigint      NOT NULL DEFAULT 0,
    removed       bigint      NOT NULL DEFAULT 0,
    skipped       bigint      NOT NULL DEFAULT 0,
    rejected      bigint      NOT NULL DEFAULT 0,
    refs_parked   bigint      NOT NULL DEFAULT 0,
    refs_resolved bigint      NOT NULL DEFAULT 0,
    boi_events    bigint      NOT NULL DEFAULT 0,
    updated_at    timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (migration_id, table_name)
);

-- Offsets the consumer never saw: the next message of a partition lay beyond the stored
-- position, because the broker's retention dropped what was in between. Written with the batch
-- that found it; the monitor fails the unfinished migrations and sets reported_at.
CREATE TABLE IF NOT EXISTS consumer_gap (
    group_id    text        NOT NULL,
    topic       text        NOT NULL,
    partition   int         NOT NULL,
    from_offset bigint      NOT NULL,             -- first offset missed
    to_offset   bigint      NOT NULL,             -- the offset the consumer got instead
    found_at    timestamptz NOT NULL DEFAULT now(),
    reported_at timestamptz,
    PRIMARY KEY (group_id, topic, partition, from_offset)
);

-- Reference-check markers seen, one row per migration and partition of IN_MIGRATION: when a
-- migration has all of its `partitions` markers, every one of its records was consumed.
CREATE TABLE IF NOT EXISTS migration_marker (
    migration_id text        NOT NULL,
    partition    int         NOT NULL,
    partitions   int         NOT NULL,   -- how many markers the migration sent
    seen_at      timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (migration_id, partition)
);

-- References still parked after a migration's reference check: the operator's list of targets
-- that never arrived. Emptied each time the check runs for the migration, then written a page at
-- a time.
CREATE TABLE IF NOT EXISTS migration_dangling (
    migration_id       text COLLATE "C" NOT NULL,    -- the migration whose check found it
    source_boi_id      text COLLATE "C" NOT NULL,
    field              text COLLATE "C" NOT NULL,
    position           int         NOT NULL DEFAULT -1,  -- as in boi_reference
    target             text        NOT NULL,             -- for people: 'Person:P-9', 'catalog contract_status:X'
    target_kind        text        NOT NULL CHECK (target_kind IN ('object', 'catalog')),
    target_bo          text,                             -- the target again, as in boi_reference
    target_external_id text,
    catalog            text,
    code               text,
    parked_by          text        NOT NULL,             -- the migration whose record parked it
    recorded_at        timestamptz NOT NULL DEFAULT now()
);
-- In slot order: the report lists the first of them.
CREATE INDEX IF NOT EXISTS migration_dangling_by_migration_slot ON migration_dangling (migration_id, source_boi_id, field, position);
DROP INDEX IF EXISTS migration_dangling_by_migration;

-- Earlier versions collated the identifiers above as the database does. Each such column is
-- altered to "C" once: no table is rewritten (the bytes stay), but the indexes over them are
-- rebuilt, which at a first start on a large store takes a while. The view below reads some of
-- them and stops the alteration, so it is dropped first and created again after. A view of
-- someone else's over a table stops it too: that table keeps its collation (slower, not wrong)
-- and the start-up goes on with a warning that names it.
DO $$
DECLARE
    stale record;
BEGIN
    FOR stale IN
        SELECT a.attrelid::regclass AS tbl,
            string_agg(format('ALTER COLUMN %I TYPE text COLLATE "C"', a.attname), ', ') AS alterations
        FROM (VALUES
            ('boi_instance', ARRAY['boi_id', 'bo', 'external_id']),
            ('boi_map', ARRAY['bo', 'external_id', 'boi_id']),
            ('boi_reference', ARRAY['source_boi_id', 'field', 'target_kind', 'target_bo',
                'target_external_id', 'catalog', 'code', 'migration_id']),
            ('catalog_entry', ARRAY['catalog', 'code']),
            ('migration_dangling', ARRAY['migration_id', 'source_boi_id', 'field'])
        ) AS c (tbl, columns)
        JOIN pg_attribute a ON a.attrelid = c.tbl::regclass AND a.attname = ANY (c.columns)
        WHERE a.attcollation <> (SELECT oid FROM pg_collation
            WHERE collname = 'C' AND collnamespace = 'pg_catalog'::regnamespace)
        GROUP BY a.attrelid
    LOOP
        BEGIN
            DROP VIEW IF EXISTS boi_external_id;
            EXECUTE format('ALTER TABLE %s %s', stale.tbl, stale.alterations);
        EXCEPTION WHEN feature_not_supported THEN
            -- The log shows a warning's message, not its hint: the advice goes into the message.
            RAISE WARNING 'the identifiers of % keep the database''s collation (%): drop the views or '
                'rules over them and restart, so that they are collated "C" and every lookup is faster',
                stale.tbl, SQLERRM;
        END;
    END LOOP;
END
$$;

-- Every externalId and the instance it maps to, for people and reports: the aliases, and each
-- instance under the key of the record that created it.
CREATE OR REPLACE VIEW boi_external_id AS
SELECT bo, external_id, boi_id FROM boi_map
UNION ALL
SELECT i.bo, i.external_id, i.boi_id FROM boi_instance i
WHERE NOT EXISTS (SELECT 1 FROM boi_map m WHERE m.bo = i.bo AND m.external_id = i.external_id);
