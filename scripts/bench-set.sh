# Sourced by scripts/bench and scripts/profile-consumer: the bench's in-tables and configuration,
# so that a profile runs on the very data the bench times.

# bench_load_tables URL RECORDS: the DDL and RECORDS root records in the bench's mix (see
# scripts/bench), analysed, and a process_tracking row signalling the day as loaded.
bench_load_tables() {
    local url=$1 records=$2
    psql -q "$url" -v ON_ERROR_STOP=1 -f ddl/010_process_tracking.sql -f ddl/100_sample_in_tables.sql >/dev/null
    psql -q "$url" -v ON_ERROR_STOP=1 >/dev/null <<SQL
INSERT INTO in_department (external_id, code, name)
SELECT 'D-' || r, 'DEP' || r, 'Department ' || r FROM generate_series(100, $records, 100) r;
INSERT INTO in_contract (external_id, contract_number, person_external_id, department_external_id, status_code,
    amount, signed_on)
SELECT 'C-' || r, 'N-' || r, 'P-' || (r + 10), 'D-' || (100 * (1 + (r / 100) % ($records / 100))), 'ACTIVE',
       1000 + r % 9000, date '2020-01-01' + (r % 2000)
FROM generate_series(1, $records) r WHERE r % 100 BETWEEN 1 AND 5;
INSERT INTO in_contract_payment (contract_external_id, paid_on, amount)
SELECT 'C-' || r, date '2021-01-01' + (r % 1000) + k * 30, 100 + r % 900
FROM generate_series(1, $records) r, generate_series(0, 1) k WHERE r % 100 BETWEEN 1 AND 5;
INSERT INTO in_person (external_id, first_name, last_name, iin, birth_date, email, department_external_id, salary)
SELECT 'P-' || r, 'First' || r, 'Last' || r,
       lpad((CASE WHEN r % 100 IN (30, 60) THEN r - 1 ELSE r END)::text, 12, '0'), date '1970-01-01' + (r % 15000),
       'person' || r || '@example.kz',
       CASE WHEN r % 100 BETWEEN 6 AND 20 THEN 'D-' || (100 * (1 + (r / 100) % ($records / 100))) END, 1000 + r % 5000
FROM generate_series(1, $records) r WHERE r % 100 > 5;
INSERT INTO in_person_phone (person_external_id, kind, number)
SELECT 'P-' || r, CASE k WHEN 0 THEN 'mobile' ELSE 'home' END, '+7701' || lpad((r * 2 + k)::text, 7, '0')
FROM generate_series(1, $records) r, generate_series(0, 1) k WHERE r % 100 > 5 AND (k = 0 OR r % 3 = 0);
VACUUM ANALYZE;
INSERT INTO process_tracking (oper_date, start_load_time, end_load_time, load_status)
VALUES ('2026-11-20', now(), now(), 'DONE');
SQL
}

# bench_config FILE URL BOOTSTRAP_FILE: the configuration of (b) and (c).
bench_config() {
    local url=$2 bootstrap_file=$3
    cat > "$1" <<YAML
source:
  url: $url
kafka:
  bootstrapFile: $bootstrap_file
  deliveryTimeout: 5m
mapping:
  tables:
    - table: in_department
      bo: Department
      externalId: external_id
      removed: removed
      uniqueKeys: [[code]]
      systemFields: [name]
    - table: in_contract
      bo: Contract
      externalId: external_id
      removed: removed
      references:
        - column: person_external_id
          field: person
          target: Person
        - column: department_external_id
          field: department
          target: Department
      children:
        - table: in_contract_payment
          link: contract_external_id
          field: payments
      uniqueKeys: [[contract_number]]
    - table: in_person
      bo: Person
      externalId: external_id
      removed: removed
      references:
        - column: department_external_id
          field: department
          target: Department
      children:
        - table: in_person_phone
          link: person_external_id
          field: phones
      uniqueKeys: [[iin]]
      systemFields: [first_name, last_name]
YAML
}
