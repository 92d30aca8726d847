-- Day 1 of the demo: what a customer's load looks like after it filled the in-tables.
TRUNCATE in_department, in_person, in_person_phone, in_person_group, in_contract,
    in_contract_payment, in_company;

-- D-SALES names its parent D-HQ, which comes later in the table: a forward self reference.
INSERT INTO in_department (external_id, code, name, parent_external_id) VALUES
    ('D-SALES', 'SALES', 'Sales', 'D-HQ'),
    ('D-HQ',    'HQ',    'Head office', NULL),
    ('D-IT',    'IT',    'Information technology', 'D-HQ'),
    ('D-OPS',   'OPS',   'Operations', 'D-REGION');  -- D-REGION only arrives on day 2

INSERT INTO in_person (external_id, first_name, last_name, iin, birth_date, email, department_external_id, salary) VALUES
    ('P-001', 'Aigerim', 'Bekova',   '900101300001', '1990-01-01', 'aigerim@example.kz', 'D-SALES', 410000.00),
    ('P-002', 'Dauren',  'Sadykov',  '850505300002', '1985-05-05', 'dauren@example.kz',  'D-IT',    520000.00),
    ('P-003', 'Olga',    'Ivanova',  '920202400003', '1992-02-02', 'olga@example.kz',    'D-OPS',   380000.00),
    ('P-004', 'Timur',   'Akhmetov', '880808300004', '1988-08-08', 'timur@example.kz',   'D-IT',    605000.00),
    ('P-005', 'Zhanna',  'Nurlanova','950909400005', '1995-09-09', 'zhanna@example.kz',  'D-SALES', 350000.00),
    ('P-006', 'Sergey',  'Petrov',   '800303300006', '1980-03-03', 'sergey@example.kz',  'D-HQ',    900000.00);

INSERT INTO in_person_phone (person_external_id, kind, number) VALUES
    ('P-001', 'mobile', '+7 701 000 0001'),
    ('P-001', 'work',   '+7 727 000 0001'),
    ('P-002', 'mobile', '+7 701 000 0002'),
    ('P-004', 'mobile', '+7 701 000 0004'),
    ('P-006', 'mobile', '+7 701 000 0006');

INSERT INTO in_person_group (external_id, code, name, member_external_ids) VALUES
    ('G-DEV',  'DEV',  'Developers', ARRAY['P-002', 'P-004']),
    ('G-MGMT', 'MGMT', 'Management', ARRAY['P-006', 'P-001']);

INSERT INTO in_contract (external_id, contract_number, person_external_id, department_external_id, status_code, amount, signed_on) VALUES
    ('C-1001', 'CN-1001', 'P-001', 'D-SALES', 'ACTIVE', 1200000.00, '2026-01-15'),
    ('C-1002', 'CN-1002', 'P-003', 'D-OPS',   'ACTIVE',  800000.00, '2026-03-01'),
    ('C-1003', 'CN-1003', 'P-005', 'D-SALES', 'DRAFT',   150000.00, '2026-10-30');

INSERT INTO in_contract_payment (contract_external_id, paid_on, amount) VALUES
    ('C-1001', '2026-02-01', 100000.00),
    ('C-1001', '2026-03-01', 100000.00),
    ('C-1002', '2026-04-01',  80000.00);

-- Company is refused: these records are reported, never migrated.
INSERT INTO in_company (external_id, name, bin) VALUES
    ('CO-1', 'Example LLP', '990101000001');
