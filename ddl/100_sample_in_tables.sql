-- The sample in-tables of the demo and the tests: one per business object, plus child tables.
-- A real customer's in-tables look different; in-migration discovers their columns at run time
-- and the configuration's `mapping` names only what cannot be discovered.

-- Department (system BO). parent_external_id is a self reference that may point forward: the
-- parent can come later in the same load, or on a later day.
CREATE TABLE IF NOT EXISTS in_department (
    external_id        text,
    code               text,
    name               text,
    parent_external_id text,
    removed            boolean NOT NULL DEFAULT false
);

-- Person (system BO), in a Department; phones are child rows.
CREATE TABLE IF NOT EXISTS in_person (
    external_id            text,
    first_name             text,
    last_name              text,
    iin                    text,      -- national id: a unique key
    birth_date             date,
    email                  text,
    department_external_id text,
    salary                 numeric(12, 2),
    removed                boolean NOT NULL DEFAULT false
);
CREATE TABLE IF NOT EXISTS in_person_phone (
    person_external_id text NOT NULL,
    kind               text,
    number             text
);
CREATE INDEX IF NOT EXISTS in_person_phone_person ON in_person_phone (person_external_id);

-- PersonGroup (system BO): members are many Person references.
CREATE TABLE IF NOT EXISTS in_person_group (
    external_id         text,
    code                text,
    name                text,
    member_external_ids text[],
    removed             boolean NOT NULL DEFAULT false
);

-- Contract (business BO): references a Person and a Department, a status from the
-- contract_status catalog (a CO reference), and has payments as child rows.
CREATE TABLE IF NOT EXISTS in_contract (
    external_id            text,
    contract_number        text,
    person_external_id     text,
    department_external_id text,
    status_code            text,
    amount                 numeric(14, 2),
    signed_on              date,
    removed                boolean NOT NULL DEFAULT false
);
CREATE TABLE IF NOT EXISTS in_contract_payment (
    contract_external_id text NOT NULL,
    paid_on              date,
    amount               numeric(14, 2)
);
CREATE INDEX IF NOT EXISTS in_contract_payment_contract ON in_contract_payment (contract_external_id);

-- Company: never migrated through in-migration (seed 001). Its records are refused, each with
-- an error in the journal.
CREATE TABLE IF NOT EXISTS in_company (
    external_id text,
    name        text,
    bin         text
);
