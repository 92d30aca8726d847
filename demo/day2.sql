-- Day 2 of the demo: the customer cleared the in-tables and loaded only what changed.
TRUNCATE in_department, in_person, in_person_phone, in_person_group, in_contract,
    in_contract_payment, in_company;

-- The parent D-OPS has waited for since day 1.
INSERT INTO in_department (external_id, code, name, parent_external_id) VALUES
    ('D-REGION', 'REG', 'Regional office', NULL);

INSERT INTO in_person (external_id, first_name, last_name, iin, birth_date, email, department_external_id, salary, removed) VALUES
    -- Unchanged: exactly as on day 1.
    ('P-001', 'Aigerim', 'Bekova',   '900101300001', '1990-01-01', 'aigerim@example.kz', 'D-SALES', 410000.00, false),
    -- Changed: a new e-mail and a raise.
    ('P-003', 'Olga',    'Ivanova',  '920202400003', '1992-02-02', 'olga.ivanova@example.kz', 'D-OPS', 395000.00, false),
    -- Removed.
    ('P-005', 'Zhanna',  'Nurlanova','950909400005', '1995-09-09', 'zhanna@example.kz',  'D-SALES', 350000.00, true),
    -- Another externalId for Dauren (P-002): same national id, so it merges into P-002.
    ('P-102', 'Dauren',  'Sadykov',  '850505300002', '1985-05-05', 'd.sadykov@example.kz', 'D-IT', 540000.00, false),
    -- Bad: no externalId.
    (NULL,    'Nobody',  'Unknown',  '000000000000', NULL, NULL, NULL, NULL, false);

INSERT INTO in_person_phone (person_external_id, kind, number) VALUES
    ('P-001', 'mobile', '+7 701 000 0001'),
    ('P-001', 'work',   '+7 727 000 0001');

INSERT INTO in_contract (external_id, contract_number, person_external_id, department_external_id, status_code, amount, signed_on) VALUES
    ('C-1002', 'CN-1002', 'P-003', 'D-OPS', 'CLOSED', 800000.00, '2026-03-01');

-- Company is refused again.
INSERT INTO in_company (external_id, name, bin) VALUES
    ('CO-2', 'Second LLP', '990101000002');
