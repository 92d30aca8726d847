-- process_tracking: the handshake between the customer and in-migration (seed 001).
-- Lives in the customer's database, beside the in-tables.
--
-- The seed's columns:
--   id                     autoincrement id
--   oper_date              operational day whose data the in-tables hold
--   start_load_time        customer: loading into the in-tables started
--   end_load_time          customer: loading into the in-tables ended
--   load_status            customer: 'DONE' (configurable: source.readyStatus) = the in-tables are
--                          complete and may be migrated
--   start_ins_inkafka_time in-migration: streaming to IN_MIGRATION started (set by the claim)
--   end_ins_inkafka_time   in-migration: every record was acknowledged by the broker
--   ins_inkafka_status     in-migration: NULL while not done; 'DONE' once every record (and the
--                          reference-check markers) was acknowledged; 'FAILED' when streaming
--                          failed (the reason is in the journal; only an explicit trigger for
--                          that oper_date retries it)
--   occupied_by_process    in-migration: id of the migration that claimed the row
--   migrate_cur_date       in-migration: the date the migration ran
--   periodic_update_time   in-migration: lease heartbeat, renewed while streaming; a claim whose
--                          heartbeat is older than the lease length is taken over by another
--                          instance; NULL after a failure (the row is free to retry)
--   inserted_at            when the customer inserted the row
--
-- States of one row, as the seed describes them:
--   customer inserts (load_status NULL) -> customer sets load_status 'DONE'
--   -> a claim sets occupied_by_process, start_ins_inkafka_time, migrate_cur_date,
--      periodic_update_time -> heartbeats -> end_ins_inkafka_time + ins_inkafka_status 'DONE'
--      (or 'FAILED') -> once the consumer group has caught up with the migration:
--      safe_to_clear_at and the final counts (or ins_inkafka_status 'FAILED' when data was lost).
CREATE TABLE IF NOT EXISTS process_tracking (
    id                     bigserial PRIMARY KEY,
    oper_date              date        NOT NULL,
    start_load_time        timestamptz,
    end_load_time          timestamptz,
    load_status            text,
    start_ins_inkafka_time timestamptz,
    end_ins_inkafka_time   timestamptz,
    ins_inkafka_status     text,
    occupied_by_process    text,
    migrate_cur_date       date,
    periodic_update_time   timestamptz,
    inserted_at            timestamptz NOT NULL DEFAULT now()
);

-- Added by in-migration: the answer to "may the in-tables be cleared?" (seed 001 asks operators to
-- wait until the lag of group in_migration on IN_MIGRATION is 0; the service watches it and
-- writes the moment here). The service adds these columns itself at start-up when they are
-- missing (ALTER TABLE … ADD COLUMN IF NOT EXISTS, on the configured table).
--   safe_to_clear_at       when every record of this row's migration was stored, its change
--                          events were on BOI, its reference check was done and the group's lag
--                          was 0: from then on the customer may clear the in-tables. Written
--                          exactly once; NULL until then, and for ever when the migration failed
--                          (ins_inkafka_status 'FAILED': the reason is in the journal)
--   records_streamed       final counts of that migration: records streamed to IN_MIGRATION,
--   records_consumed       records the consumer accounted for,
--   records_rejected       records rejected (by the stream or the consumer; reasons in the
--                          journal's migration_error),
--   refs_dangling          references whose target never arrived
ALTER TABLE process_tracking ADD COLUMN IF NOT EXISTS safe_to_clear_at timestamptz;
ALTER TABLE process_tracking ADD COLUMN IF NOT EXISTS records_streamed bigint;
ALTER TABLE process_tracking ADD COLUMN IF NOT EXISTS records_consumed bigint;
ALTER TABLE process_tracking ADD COLUMN IF NOT EXISTS records_rejected bigint;
ALTER TABLE process_tracking ADD COLUMN IF NOT EXISTS refs_dangling    bigint;

-- Added by in-migration (not a column): the claim looks for ready rows that are not done.
CREATE INDEX IF NOT EXISTS process_tracking_ready
    ON process_tracking (oper_date, id)
    WHERE ins_inkafka_status IS NULL;
