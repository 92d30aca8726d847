-- The journal: in-migration's own record of every migration it claimed (seed 000's task and
-- sub-task tables). Lives in the product's database, in the schema named by store.schema
-- (default "inmigration"); the service creates it at start-up with search_path set to that
-- schema, so the names below are unqualified.

-- One row per claimed migration. A migration taken over after its claimer died is a new row;
-- the old one becomes ABANDONED and the new one names it in takeover_of.
CREATE TABLE IF NOT EXISTS migration (
    id               text        PRIMARY KEY,
    tracking_id      bigint      NOT NULL,           -- process_tracking.id
    oper_date        date        NOT NULL,
    status           text        NOT NULL,           -- see migration_status below
    claimed_by       text        NOT NULL,           -- host and pid of the claimer
    takeover_of      text,                           -- the migration whose expired lease this one took
    started_at       timestamptz NOT NULL DEFAULT now(),
    streamed_at      timestamptz,                    -- every record and marker acknowledged
    finished_at      timestamptz,
    records_streamed bigint      NOT NULL DEFAULT 0,
    records_rejected bigint      NOT NULL DEFAULT 0,
    error            text
);

-- Completion (added in the second release; the ALTERs bring an older journal up to date).
--   completed_at      the moment the migration became safe to clear: its stream was done, its
--                     reference-check markers were consumed, and after that the lag of the
--                     consumer group on IN_MIGRATION was 0. Written once, with status COMPLETE.
--   records_consumed  records the consume stage accounted for (created, updated, unchanged,
--                     merged, removed, skipped or rejected)
--   consume_rejected  records the consume stage rejected
--   refs_dangling     references still parked after the migration's reference check
--   signalled_at      when completed_at was copied into process_tracking.safe_to_clear_at
ALTER TABLE migration ADD COLUMN IF NOT EXISTS completed_at     timestamptz;
ALTER TABLE migration ADD COLUMN IF NOT EXISTS records_consumed bigint;
ALTER TABLE migration ADD COLUMN IF NOT EXISTS consume_rejected bigint;
ALTER TABLE migration ADD COLUMN IF NOT EXISTS refs_dangling    bigint;
ALTER TABLE migration ADD COLUMN IF NOT EXISTS signalled_at     timestamptz;

-- STREAMING -> STREAMED -> COMPLETE; FAILED (stream failed, or data was lost before it was
-- consumed); ABANDONED (lease lost or shutdown; another migration of the row took over).
-- Replaced only when it lacks COMPLETE, so that a start-up neither locks nor rescans the table.
DO $$
BEGIN
    IF NOT EXISTS (
        SELECT 1 FROM pg_constraint
        WHERE conrelid = 'migration'::regclass AND conname = 'migration_status_check'
            AND pg_get_constraintdef(oid) LIKE '%COMPLETE%'
    ) THEN
        ALTER TABLE migration DROP CONSTRAINT IF EXISTS migration_status_check;
        ALTER TABLE migration ADD CONSTRAINT migration_status_check
            CHECK (status IN ('STREAMING', 'STREAMED', 'COMPLETE', 'FAILED', 'ABANDONED'));
    END IF;
END
$$;
CREATE INDEX IF NOT EXISTS migration_by_tracking ON migration (tracking_id, started_at);

-- Progress per in-table of one migration (the sub-tasks).
CREATE TABLE IF NOT EXISTS migration_table (
    migration_id  text        NOT NULL REFERENCES migration (id) ON DELETE CASCADE,
    table_name    text        NOT NULL,
    bo            text        NOT NULL,
    position      int         NOT NULL,              -- order in the mapping
    status        text        NOT NULL DEFAULT 'PENDING'
        CHECK (status IN ('PENDING', 'STREAMING', 'STREAMED', 'REFUSED', 'FAILED')),
    rows_total    bigint,                            -- count(*) when the table was started
    rows_read     bigint      NOT NULL DEFAULT 0,
    rows_streamed bigint      NOT NULL DEFAULT 0,    -- handed to the producer
    child_rows    bigint      NOT NULL DEFAULT 0,    -- child rows carried inside the records
    rows_rejected bigint      NOT NULL DEFAULT 0,
    started_at    timestamptz,
    finished_at   timestamptz,
    PRIMARY KEY (migration_id, table_name)
);

-- Every record or migration that failed, with the reason, for the operator.
CREATE TABLE IF NOT EXISTS migration_error (
    id           bigserial   PRIMARY KEY,
    migration_id text        NOT NULL,
    stage        text        NOT NULL CHECK (stage IN ('stream', 'consume')),
    table_name   text,
    external_id  text,
    field        text,
    reason       text        NOT NULL,
    raw          text,                               -- the message as it was, when there is one
    created_at   timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX IF NOT EXISTS migration_error_by_migration ON migration_error (migration_id, id);
