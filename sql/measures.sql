-- The theme queries of the report views over a hand-built fixture of the normalised views
-- (plain tables named like them, in schema mfx) with answers worked out by hand: every measure
-- group of the scorecard, numerator, denominator and value. Areas MX1 (the council) and MX2
-- (a second council: partitions are per area, no population estimate).
SET client_min_messages = warning;
SET datestyle = 'ISO, YMD';
-- A hand-built fixture of the normalised views (tables named like them) with known answers.
CREATE SCHEMA mfx;
CREATE TABLE mfx.report_periods (area_code text, period_type text, period_label text, period_start date, period_end date);
INSERT INTO mfx.report_periods VALUES
	('MX1', 'month', 'Jun 2019', '2019-06-01', '2019-06-30'),
	('MX1', 'quarter', '2019/20 Q1', '2019-04-01', '2019-06-30'),
	('MX1', 'year', '2019/20', '2019-04-01', '2020-03-31'),
	('MX2', 'quarter', '2019/20 Q1', '2019-04-01', '2019-06-30');
CREATE TABLE mfx.inputs_available (input text, available boolean);
INSERT INTO mfx.inputs_available VALUES ('contact_decisions', true), ('children_missing_education', false);

CREATE TABLE mfx.n_person (area_code text, person_id text, dob date, sex text, ethnicity text, death_date date);
INSERT INTO mfx.n_person (area_code, person_id, dob) VALUES
	('MX1', 'P24', '2008-01-01'), ('MX1', 'P25', '2006-05-01'), ('MX1', 'P26', '2002-12-01'),
	('MX1', 'P27', '2003-03-01'), ('MX1', 'P31', '2012-01-01'), ('MX1', 'P32', '2000-01-01'),
	('MX1', 'P40', '1999-05-01'), ('MX1', 'P41', '1998-07-15'), ('MX1', 'P42', '1997-08-01'),
	('MX1', 'P43', '2000-06-30'), ('MX1', 'P44', '1999-01-01'), ('MX1', 'P45', '2001-01-01'),
	('MX1', 'P46', '1996-01-01'), ('MX1', 'P47', '2000-04-10');
INSERT INTO mfx.n_person (area_code, person_id, dob)
SELECT 'MX1', 'P' || i, '2010-01-01' FROM generate_series(1, 23) i;
CREATE TABLE mfx.n_family (area_code text, family_id text, person_id text);
INSERT INTO mfx.n_family VALUES
	('MX1', 'F1', 'P16'), ('MX1', 'F1', 'P17'), ('MX1', 'F1', 'P18'),
	('MX1', 'F2', 'P19'), ('MX1', 'F2', 'P20'),
	('MX1', 'F3', 'P21'), ('MX1', 'F3', 'P22'), ('MX1', 'F3', 'P23');

CREATE TABLE mfx.n_contacts (area_code text, contact_id text, person_id text, contact_date date, source_code text,
	source_desc text, new_referral boolean, existing_referral boolean, cp_enquiry boolean, decided_at timestamp, need_level int);
INSERT INTO mfx.n_contacts VALUES
	('MX1', 'C1', 'P1', '2019-04-02', '2A', 'School', true, false, false, '2019-04-03 16:00', NULL),
	('MX1', 'C2', 'P2', '2019-04-10', '2A', 'School', false, false, false, '2019-04-12 09:00', NULL),
	('MX1', 'C3', 'P3', '2019-05-01', '6', 'Police', false, true, false, NULL, NULL),
	('MX1', 'C4', 'P4', '2019-05-03', '3A', 'GP', false, false, false, '2019-05-07 10:00', 4),
	('MX1', 'C5', 'P5', '2019-06-28', 'XX', 'Other', NULL, NULL, NULL, '2019-06-28 17:00', 2),
	('MX1', 'C6', 'P6', '2019-03-15', '2A', 'School', true, false, false, NULL, NULL),
	('MX1', 'C7', 'P7', '2019-07-01', '6', 'Police', false, false, false, NULL, NULL);

CREATE TABLE mfx.n_referrals (area_code text, referral_id text, person_id text, referral_date date, source_code text,
	nfa boolean, close_reason text, close_date date, primary_need_code text);
INSERT INTO mfx.n_referrals (area_code, referral_id, person_id, referral_date, nfa, close_reason, close_date) VALUES
	('MX1', 'R1', 'P1', '2018-06-01', false, 'RC7', '2018-09-01'),
	('MX1', 'R2', 'P1', '2019-05-01', false, NULL, NULL),
	('MX1', 'R3', 'P2', '2017-01-10', false, 'RC7', '2017-03-01'),
	('MX1', 'R4', 'P2', '2019-04-15', false, 'RC8', '2019-06-10'),
	('MX1', 'R5', 'P3', '2019-06-20', true, NULL, '2019-06-20'),
	('MX1', 'R6', 'P4', '2019-02-01', false, 'RC7', '2019-06-15'),
	('MX1', 'R7', 'P5', '2018-12-01', false, 'RC7', '2019-05-20'),
	('MX1', 'R8', 'P6', '2019-04-20', false, 'RC1', '2019-05-30'),
	('MX1', 'R9', 'P7', '2019-01-05', false, NULL, NULL),
	('MX1', 'R10', 'P7', '2019-03-01', false, 'RC7', '2019-08-01');

CREATE TABLE mfx.n_cin_plans (area_code text, plan_id text, person_id text, start_date date, end_date date);
INSERT INTO mfx.n_cin_plans VALUES
	('MX1', 'CIN1', 'P1', '2018-11-01', NULL),
	('MX1', 'CIN2', 'P7', '2019-03-01', NULL),
	('MX1', 'CIN3', 'P2', '2018-10-01', '2019-06-10'),
	('MX1', 'CIN4', 'P8', '2018-12-30', NULL);

CREATE TABLE mfx.n_assessments (area_code text, assessment_id text, person_id text, referral_id text, start_date date,
	auth_date date, outcome_nfa boolean, referral_date date);
INSERT INTO mfx.n_assessments VALUES
	('MX1', 'A0', 'P1', 'R1', '2018-07-01', '2018-08-01', false, '2018-06-01'),
	('MX1', 'A1', 'P1', 'R2', '2019-04-01', '2019-06-05', false, '2019-03-01'),
	('MX1', 'A2', 'P2', 'R4', '2019-03-01', '2019-05-31', false, '2019-03-01'),
	('MX1', 'A3', 'P3', 'R5', '2019-06-20', '2019-06-20', true, '2019-06-20'),
	('MX1', 'A4', 'P4', 'R6', NULL, '2019-04-30', false, '2019-02-01'),
	('MX1', 'A6', 'P6', 'R8', '2019-05-02', '2019-06-28', false, '2019-04-20'),
	('MX1', 'A7', 'P6', NULL, '2018-04-01', '2018-05-01', false, NULL);
CREATE TABLE mfx.n_assessment_factors (area_code text, assessment_id text, codes text[]);
INSERT INTO mfx.n_assessment_factors VALUES
	('MX1', 'A0', '{1B}'),
	('MX1', 'A1', '{16A,1B,3B,4B}'),
	('MX1', 'A2', '{2C,3A,4C}'),
	('MX1', 'A3', '{21}'),
	('MX1', 'A4', '{11A,3B}'),
	('MX1', 'A6', '{17A,24A}');

CREATE TABLE mfx.n_s47 (area_code text, s47_id text, person_id text, referral_id text, start_date date, end_date date,
	nfa boolean, cp_conference boolean);
INSERT INTO mfx.n_s47 (area_code, s47_id, person_id, start_date, end_date, cp_conference) VALUES
	('MX1', 'S1', 'P4', '2019-04-01', '2019-04-08', true),
	('MX1', 'S2', 'P9', '2019-04-15', '2019-04-20', false),
	('MX1', 'S3', 'P10', '2019-05-01', '2019-05-10', NULL),
	('MX1', 'S4', 'P11', '2019-06-25', NULL, NULL),
	('MX1', 'S5', 'P12', '2019-03-20', '2019-04-02', true);
CREATE TABLE mfx.n_icpc (area_code text, icpc_id text, s47_id text, person_id text, icpc_date date, transfer_in boolean,
	outcome_cp boolean);
INSERT INTO mfx.n_icpc VALUES
	('MX1', 'I1', 'S1', 'P4', '2019-04-10', false, true),
	('MX1', 'I2', 'S3', 'P10', '2019-05-31', false, true),
	('MX1', 'I3', 'S5', 'P12', '2019-04-05', NULL, true),
	('MX1', 'I4', NULL, 'P13', '2019-05-15', true, true),
	('MX1', 'I5', 'S99', 'P14', '2019-06-10', false, true);

CREATE TABLE mfx.n_cp_plans (area_code text, plan_id text, person_id text, start_date date, end_date date,
	initial_category text);
INSERT INTO mfx.n_cp_plans (area_code, plan_id, person_id, start_date, end_date) VALUES
	('MX1', 'CPP0', 'P4', '2016-01-01', '2017-01-05'),
	('MX1', 'CPP1', 'P4', '2019-04-10', NULL),
	('MX1', 'CPP3', 'P10', '2018-01-01', '2018-12-01'),
	('MX1', 'CPP2', 'P10', '2019-06-03', NULL),
	('MX1', 'CPP4', 'P12', '2019-04-05', '2019-06-30'),
	('MX1', 'CPP5', 'P13', '2017-05-01', '2019-05-15'),
	('MX1', 'CPP6', 'P14', '2018-09-01', '2019-04-20'),
	('MX1', 'CPP7', 'P15', '2018-01-01', NULL),
	('MX1', 'CPP16', 'P16', '2019-05-01', NULL),
	('MX1', 'CPP17', 'P17', '2019-05-06', NULL),
	('MX1', 'CPP18', 'P18', '2019-05-12', NULL),
	('MX1', 'CPP19', 'P19', '2019-06-01', NULL),
	('MX1', 'CPP20', 'P20', '2019-06-02', NULL),
	('MX1', 'CPP21', 'P21', '2019-04-01', '2019-04-15'),
	('MX1', 'CPP22', 'P22', '2019-04-20', NULL),
	('MX1', 'CPP23', 'P23', '2019-04-22', NULL),
	('MX2', 'E2CP1', 'P10', '2019-05-01', NULL);
CREATE TABLE mfx.n_cp_visits (area_code text, visit_id text, person_id text, plan_id text, visit_date date, seen boolean);
INSERT INTO mfx.n_cp_visits VALUES
	('MX1', 'V1', 'P4', 'CPP1', '2019-06-20', true),
	('MX1', 'V2', 'P10', 'CPP2', '2019-06-05', true),
	('MX1', 'V3', 'P10', 'CPP2', '2019-06-13', false),
	('MX1', 'V4', 'P16', 'CPP16', '2019-06-14', true),
	('MX1', 'V5', 'P17', 'CPP17', '2019-07-02', true),
	('MX1', 'V6', 'P19', 'CPP19', '2019-06-28', true),
	('MX1', 'V7', 'P22', 'CPP22', '2019-06-20', true),
	('MX1', 'V8', 'P23', 'CPP23', '2019-06-30', true);
CREATE TABLE mfx.n_cp_reviews (area_code text, review_id text, person_id text, plan_id text, due_date date, review_date date);
INSERT INTO mfx.n_cp_reviews VALUES
	('MX1', 'RV1', 'P4', 'CPP1', '2019-04-20', '2019-04-18'),
	('MX1', 'RV2', 'P15', 'CPP7', '2019-05-10', '2019-05-15'),
	('MX1', 'RV3', 'P15', 'CPP7', '2019-06-30', NULL),
	('MX1', 'RV4', 'P15', 'CPP7', '2019-03-01', '2019-03-01');

CREATE TABLE mfx.n_cla_episodes (area_code text, episode_id text, person_id text, cla_id text, start_date date, rne text,
	end_date date, rec text, placement_id text, placement_type text, placement_distance float8, legal_status text);
INSERT INTO mfx.n_cla_episodes VALUES
	('MX1', 'E1', 'P5', 'CLA5', '2019-05-20', 'S', NULL, NULL, 'PL1', 'U1', 5.0, 'V2'),
	('MX1', 'MX2', 'P24', 'CLA24', '2015-01-01', 'S', '2016-03-01', NULL, 'PL2', 'U1', 25.0, 'C2'),
	('MX1', 'E3', 'P24', 'CLA24', '2016-03-01', 'P', '2017-02-01', NULL, 'PL3', 'U1', 25.0, 'C2'),
	('MX1', 'E4', 'P24', 'CLA24', '2017-02-01', 'L', NULL, NULL, 'PL3', 'U1', 25.0, 'C2'),
	('MX1', 'E5', 'P25', 'CLA25', '2016-01-01', 'S', '2018-10-01', NULL, 'PL4', 'U1', NULL, 'C2'),
	('MX1', 'E6', 'P25', 'CLA25', '2018-10-01', 'P', '2019-02-01', NULL, 'PL5', 'U1', NULL, 'C2'),
	('MX1', 'E7', 'P25', 'CLA25', '2019-02-01', 'T', '2019-04-01', NULL, 'PL6', 'U1', NULL, 'C2'),
	('MX1', 'E8', 'P25', 'CLA25', '2019-04-01', 'B', NULL, NULL, 'PL7', 'U1', NULL, 'C2'),
	('MX1', 'E9', 'P26', 'CLA26', '2018-12-01', 'S', NULL, NULL, 'PL8', 'U1', 30.0, 'V2'),
	('MX1', 'E10', 'P27', 'CLA27', '2018-08-01', 'S', '2018-09-01', NULL, 'PL9', 'U1', 10.0, 'C1'),
	('MX1', 'E11', 'P27', 'CLA27', '2018-09-01', 'P', '2018-10-01', NULL, 'PL10', 'T1', 10.0, 'C1'),
	('MX1', 'E12', 'P27', 'CLA27', '2018-10-01', 'P', NULL, NULL, 'PL11', 'U1', 10.0, 'C1'),
	('MX1', 'E13', 'P28', 'CLA28', '2019-04-01', 'S', NULL, NULL, 'PL12', 'U1', 1.0, 'V3'),
	('MX1', 'E14', 'P29', 'CLA29', '2018-01-01', 'S', '2019-06-15', 'E11', 'PL13', 'U1', 2.0, 'C2'),
	('MX1', 'E15', 'P30', 'CLA30', '2019-04-03', 'S', '2019-04-20', 'E13', 'PL14', 'U1', 2.0, 'L1'),
	('MX1', 'E16', 'P30', 'CLA30b', '2019-05-01', 'S', '2019-05-03', 'E13', 'PL15', 'U1', 2.0, 'V2'),
	('MX1', 'E17', 'P31', 'CLA31', '2016-06-01', 'S', '2018-01-01', NULL, 'PL16', 'U1', NULL, 'C2'),
	('MX1', 'E18', 'P31', 'CLA31', '2018-01-01', 'P', NULL, NULL, 'PL17', 'A4', NULL, 'E1'),
	('MX1', 'E19', 'P32', 'CLA32', '2014-01-01', 'S', NULL, NULL, 'PL18', 'U1', 21.0, 'C2');
CREATE TABLE mfx.n_cla_care_plan (area_code text, care_plan_id text, person_id text, start_date date, end_date date);
INSERT INTO mfx.n_cla_care_plan VALUES
	('MX1', 'CP5', 'P5', '2019-05-25', NULL),
	('MX1', 'CP24', 'P24', '2017-01-01', NULL),
	('MX1', 'CP25', 'P25', '2016-01-01', '2019-06-01'),
	('MX1', 'CP26', 'P26', '2018-12-01', NULL),
	('MX1', 'CP31', 'P31', '2016-06-01', NULL),
	('MX1', 'CP32', 'P32', '2014-01-01', NULL);
CREATE TABLE mfx.n_cla_visits (area_code text, visit_id text, cla_id text, person_id text, visit_date date, seen boolean);
INSERT INTO mfx.n_cla_visits VALUES
	('MX1', 'CV1', 'CLA5', 'P5', '2019-06-10', true),
	('MX1', 'CV2', 'CLA24', 'P24', '2019-05-18', true),
	('MX1', 'CV3', 'CLA25', 'P25', '2019-06-29', true),
	('MX1', 'CV4', 'CLA26', 'P26', '2019-05-19', true),
	('MX1', 'CV5', 'CLA27', 'P27', '2019-06-20', false),
	('MX1', 'CV6', 'CLA32', 'P32', '2019-06-01', true);
CREATE TABLE mfx.n_cla_health (area_code text, health_check_id text, person_id text, check_type text, check_date date,
	status text);
INSERT INTO mfx.n_cla_health VALUES
	('MX1', 'H1', 'P24', 'Health Assessment', '2019-01-10', 'Completed'),
	('MX1', 'H2', 'P25', 'Dental Check', '2019-01-10', 'Completed'),
	('MX1', 'H3', 'P31', 'Health Assessment', '2018-06-30', 'Completed'),
	('MX1', 'H4', 'P32', 'Review Health Assessment', '2019-03-01', 'Refused'),
	('MX1', 'H5', 'P32', ' health assessment ', '2019-04-01', NULL);
CREATE TABLE mfx.n_cla_reviews (area_code text, review_id text, cla_id text, person_id text, due_date date,
	review_date date, cancelled boolean);
INSERT INTO mfx.n_cla_reviews VALUES
	('MX1', 'CR1', 'CLA24', 'P24', '2019-04-10', '2019-04-10', false),
	('MX1', 'CR2', 'CLA25', 'P25', '2019-05-01', '2019-05-02', false),
	('MX1', 'CR3', 'CLA26', 'P26', '2019-06-01', NULL, true),
	('MX1', 'CR4', 'CLA27', 'P27', '2019-06-20', NULL, NULL);

CREATE TABLE mfx.n_care_leavers (area_code text, person_id text, in_touch text, latest_contact date, accommodation text,
	accom_suitable boolean, activity text);
INSERT INTO mfx.n_care_leavers VALUES
	('MX1', 'P26', 'YES', '2019-05-01', 'B', true, 'G5'),
	('MX1', 'P27', 'YES', '2019-05-01', 'B', true, 'F2'),
	('MX1', 'P40', 'YES', '2019-06-01', 'B', true, 'F1'),
	('MX1', 'P41', 'NO', '2019-05-10', 'W', false, 'G6'),
	('MX1', 'P41', 'YES', '2019-06-25', 'D', true, 'F5'),
	('MX1', 'P42', 'YES', '2019-08-01', 'B', true, 'F1'),
	('MX1', 'P43', 'REFU', '2019-06-20', 'Z', true, 'G4'),
	('MX1', 'P44', 'DIED', '2019-01-01', NULL, NULL, NULL),
	('MX1', 'P45', 'YES', '2019-01-01', 'W', false, 'F5'),
	('MX1', 'P46', 'YES', '2019-06-01', 'B', true, 'F5'),
	('MX1', 'P47', 'YES', '2018-12-01', 'B', true, 'F5');

CREATE TABLE mfx.n_missing (area_code text, missing_id text, person_id text, start_date date, end_date date,
	missing_type text, rhi_offered boolean, rhi_accepted boolean);
INSERT INTO mfx.n_missing VALUES
	('MX1', 'M1', 'P5', '2019-06-01', '2019-06-02', 'MISSING', true, true),
	('MX1', 'M2', 'P5', '2019-06-05', '2019-06-05', 'AWAY', true, false),
	('MX1', 'M3', 'P1', '2019-04-10', '2019-04-11', 'MISSING', false, NULL),
	('MX1', 'M4', 'P1', '2019-04-20', '2019-04-21', 'MISSING', true, NULL),
	('MX1', 'M5', 'P2', '2019-05-05', '2019-05-06', 'Missing', NULL, NULL),
	('MX1', 'M6', 'P29', '2019-06-15', '2019-06-16', 'MISSING', true, true),
	('MX1', 'M7', 'P28', '2019-05-01', '2019-05-01', 'MISSING', false, NULL),
	('MX1', 'M8', 'P24', '2019-03-01', '2019-03-02', 'MISSING', true, true);
CREATE TABLE mfx.n_children_missing_education (area_code text, person_id text, start_date date, end_date date);
INSERT INTO mfx.n_children_missing_education VALUES
	('MX1', 'P1', '2019-05-01', NULL),
	('MX1', 'P2', '2019-04-01', '2019-06-30');

CREATE TABLE mfx.n_professionals (area_code text, professional_id text, agency_worker boolean, job_title text,
	caseload int, fte float8);
INSERT INTO mfx.n_professionals VALUES
	('MX1', 'W1', false, 'Social Worker', 4, 1.0),
	('MX1', 'W2', true, 'Senior Social Worker', 1, 0.5),
	('MX1', 'W3', false, 'Team Manager', 0, 1.0),
	('MX1', 'W5', false, 'Social Worker', 0, 1.0);
CREATE TABLE mfx.n_involvements (area_code text, involvement_id text, professional_id text, role_id text, person_id text,
	start_date date, end_date date, change_reason text);
INSERT INTO mfx.n_involvements VALUES
	('MX1', 'IV1', 'W1', 'SW', 'P1', '2019-01-01', NULL, NULL),
	('MX1', 'IV2', 'W1', 'SW', 'P2', '2019-02-01', '2019-06-30', NULL),
	('MX1', 'IV3', 'W1', 'SW', 'P4', '2019-04-10', NULL, NULL),
	('MX1', 'IV4', 'W2', 'SW', 'P4', '2019-05-01', NULL, NULL),
	('MX1', 'IV5', 'W2', 'SW', 'P10', '2018-01-01', '2019-05-01', NULL),
	('MX1', 'IV6', 'W1', 'SW', 'P10', '2019-05-01', NULL, 'LEFT'),
	('MX1', 'IV7', 'W3', 'TM', 'P15', '2019-04-01', NULL, NULL),
	('MX1', 'IV8', 'W5', 'SW', 'P16', '2018-01-01', '2019-03-01', NULL),
	('MX1', 'IV9', 'W1', 'SW', 'P16', '2019-04-15', NULL, 'LEFT');

CREATE TABLE mfx.n_legal_status (area_code text, person_id text, legal_status text, start_date date, end_date date);
CREATE TABLE mfx.n_cla_placements (area_code text, placement_id text, start_date date, end_date date, placement_type text,
	distance float8);


INSERT INTO skpi.population (area_code, mid_year, age_from, age_to, population) VALUES
	('MX1', 2018, 0, 17, 20000), ('MX1', 2019, 0, 17, 25000);

-- The SELECT of theme t over schema mfx.
CREATE FUNCTION mfx.theme_sql(t text) RETURNS text LANGUAGE plpgsql AS $$
DECLARE
	q text;
BEGIN
	EXECUTE format('SELECT skpi.%I($1)', '_theme_' || t) INTO q USING 'mfx';
	RETURN q;
END
$$;

-- Runs every theme into mfx.r_<theme> and their union into mfx.r.
CREATE FUNCTION mfx.run_themes() RETURNS void LANGUAGE plpgsql AS $$
DECLARE
	t text;
BEGIN
	DROP TABLE IF EXISTS mfx.r;
	CREATE TABLE mfx.r (theme text, area_code text, period_type text, period_label text, period_start date,
		period_end date, measure text, breakdown text, numerator numeric, denominator numeric, value numeric,
		unit text, polarity text);
	FOR t IN SELECT x.theme FROM skpi._report_themes() x ORDER BY 1 LOOP
		EXECUTE format('DROP TABLE IF EXISTS mfx.%I', 'r_' || t);
		EXECUTE format('CREATE TABLE mfx.%I AS %s', 'r_' || t, mfx.theme_sql(t));
		EXECUTE format('INSERT INTO mfx.r SELECT %L, * FROM mfx.%I', t, 'r_' || t);
	END LOOP;
END
$$;
SELECT mfx.run_themes();
RESET client_min_messages;

-- The eight themes, each with exactly the contract's columns and types, in order.
SELECT c.relname AS theme_table,
	   string_agg(a.attname || ' ' || format_type(a.atttypid, a.atttypmod), ', ' ORDER BY a.attnum) AS columns
FROM pg_class c JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0
WHERE c.relnamespace = 'mfx'::regnamespace AND c.relname LIKE 'r\_%'
GROUP BY c.relname ORDER BY 1;

-- One row per (area, period, measure, breakdown); breakdown never NULL.
SELECT count(*) AS rows, count(DISTINCT (area_code, period_type, period_label, measure, breakdown)) AS distinct_keys,
	   count(*) FILTER (WHERE breakdown IS NULL) AS null_breakdowns
FROM mfx.r;

-- Every catalogue measure is in its theme for every period of every area, and nothing else is.
SELECT c.theme, c.measure, count(DISTINCT (r.area_code, r.period_label)) AS periods
FROM skpi.measure_catalogue c LEFT JOIN mfx.r ON r.measure = c.measure AND r.theme = c.theme
WHERE c.measure <> 'risk_factor_pct'	-- one row per factor recorded: none in MX2
GROUP BY c.theme, c.measure HAVING count(DISTINCT (r.area_code, r.period_label)) <> 4;
SELECT DISTINCT r.theme, r.measure FROM mfx.r
WHERE NOT EXISTS (SELECT 1 FROM skpi.measure_catalogue c WHERE c.measure = r.measure AND c.theme = r.theme);

-- Units and polarities come from the catalogue (the contacts average is per month).
SELECT DISTINCT r.measure, r.unit, r.polarity FROM mfx.r JOIN skpi.measure_catalogue c USING (measure)
WHERE r.unit <> c.unit OR r.polarity <> c.polarity;

-- 2019/20 Q1 of MX1 (1 April - 30 June 2019), every measure of every theme. Worked by hand:
-- front door: contacts C1-C5 (schools 2, police, health, unmapped XX), 5 / 3 months; threshold
--   C1 flag, C3 flag, C4 need level 4 met, C2 not, C5 unknown (NULL flags) skipped: 3/4;
--   decided within 1 wd: C1 (1), C2 (2: no), C4 (Fri-Tue over the 6 May holiday: 1), C5 (0),
--   C3 undecided skipped: 3/4; referrals R2 R4 R5 R8, R2 within 12 months of R1: 1/4.
-- assessments: authorised A1 A2 A3 A4 A6; working days A1 43, A2 61, A3 0, A6 39, A4 no start:
--   3/4; A1 repeats A0 (2018-08-01): 1/5; with factors A1 A2 A4 A6 (A3 only 21); trio any A1
--   A2 A4, all three A1 A2, all three for parent/carer A1 (1B 3B 4B); 3B in A1 and A4 ranks
--   first (2/4); CSE P4 (11A), CCE P6 (24A).
-- child protection: S47s S1-S4 started; ended S1 (flag) S2 (no) S3 (ICPC) S5 (ICPC): 3/4;
--   ICPCs I1 7 wd, I2 20 wd, I3 12 wd, I4 transfer-in, I5 no S47: 2/3; plans open 30 June: 10
--   of 25,000 children (mid-2019) = 4.0; 11 new, CPP2 within 2 years of CPP3, CPP1 after 4 years
--   (second: 2/11); family F1 chained 1-6-12 May = 1 group of 3 (F2 has 2, F3 breaks); ended
--   CPP4 CPP5 (2 years 2 weeks) CPP6 CPP21: 1/4; visits within 10 wd of 30 June (from 14 June):
--   P4 P16 P19 P22 P23 yes of 10: 5/10; reviews RV1 on time, RV2 late, RV3 not held: 1/3.
-- children in need: open P1 (R2) and P7 (R9, R10 merged), NFA R5 excluded: 2, 0.8 per 10,000;
--   CIN plans open CIN1 (8 months) CIN2 CIN4 (exactly 6 months): 1/3; closed R4 (RC8) and R5
--   (NFA flag): NFA 2, R6 CP plan during it, R7 care started on its close date, R8 other.
-- looked after: open P5 P24 P25 P26 P27 P31 P32 (P28 short break, P29 P30 left): 7, 2.8 per
--   10,000; started P5, P30 (twice, counted once; first start L1): V2 1/2; ceased P29 P30; V2 at
--   30 June P5 P26: 2/7; care plan P5 P24 P26 P31 P32: 5/7; seen within 42 days P5 P25 P26 (42)
--   P32: 4/7; health: in care 12 months P24 P25 P31 P32, assessed P24 and P32 (lower-case type,
--   the refused one not counted): 2/4; reviews CR1 on time, CR2 late, CR4 not held, CR3
--   cancelled: 1/3; placements since 1 July 2018 P25 E5 (open) + E6 (P) + E8 (B), E7 (T) not:
--   1/7; long-term P24 (same carer since 2016 over P then L) and P31 (adoption with the previous
--   carer) of P24 P25 P31: 2/3; over 20 miles P24 P26 P32 of 5 known: 3/5; NEET P26 of P26 P27
--   (aged 16): 1/2; PEP unavailable.
-- care leavers (19-21): local P40 P41 (its 25 June status replaces the 10 May one) P42 (status
--   dated after 30 June: not known) P43 P47, in touch P40 P41 P47, suitable P40 P41 P43 P47, EET
--   P40 P41 P47; national: birthdays P40 (20th, 1 May) P43 (19th, 30 June) P47 (19th, 10 April,
--   status 4 months before: not counted); bed and breakfast (18-25) P45 (P41 no longer): 1.
--   In 2019/20 P41's 21st birthday (15 July) takes its status nearest to it (25 June).
-- missing: home P1 (M3 M4) P2 (M5) P29 (M6, care ended that day) P28 (M7, short break): 4
--   children 5 incidents; care P5 (M1 M2); RHI offered 4 of 6 recorded; accepted 2 of 3 offered
--   and recorded; children missing education unavailable.
-- workforce at 30 June: W1 4 children (P1 P4 P10 P16), W2 1 (P4), W3 not a social worker, W5
--   none: mean 5/2, median 2.5, agency 1/2, 4 children per 1.5 FTE; changes IV4 IV6 IV9: 3.
SELECT theme, measure, breakdown, numerator, denominator, round(value, 2) AS value
FROM mfx.r WHERE area_code = 'MX1' AND period_label = '2019/20 Q1'
ORDER BY theme, measure, breakdown;

-- Jun 2019 (a month inside the quarter) for the flows that differ from the quarter, and the
-- stocks at 30 June (the same as the quarter's).
SELECT theme, measure, breakdown, numerator, denominator, round(value, 2) AS value
FROM mfx.r WHERE area_code = 'MX1' AND period_label = 'Jun 2019'
  AND measure IN ('contacts', 'contacts_decided_1wd_pct', 'referrals', 'assessments_authorised',
				  'assessments_45wd_pct', 'assessments_repeat_12m_pct', 'cp_new', 'cp_repeat_2y_pct',
				  'cp_ended_2y_plus_pct', 'cp_open', 'cin_closed', 'cla_ceased', 'cla_started', 'cla_open',
				  'care_leavers_in_touch_pct', 'missing_incidents', 'missing_rhi_offered_pct', 'sw_changes')
ORDER BY theme, measure, breakdown;

-- 2019/20: flows over the year, stocks at 31 March 2020 (population: the mid-2019 estimate),
-- stability over the financial year, care leavers by birthdays in the year.
SELECT theme, measure, breakdown, numerator, denominator, round(value, 2) AS value
FROM mfx.r WHERE area_code = 'MX1' AND period_label = '2019/20'
  AND measure IN ('contacts', 'contacts_threshold_met_pct', 'referrals', 'cp_open', 'cp_rate_per_10k',
				  'cla_open', 'cla_3plus_placements_pct', 'cla_long_term_stability_pct', 'cla_16_17_neet_pct',
				  'care_leavers_in_touch_pct', 'care_leavers_suitable_accom_pct', 'care_leavers_eet_pct',
				  'care_leavers_bnb', 'caseload_mean')
  AND breakdown IN ('', 'average per month', 'national', 'local')
ORDER BY theme, measure, breakdown;

-- MX2: its own partitions (P10 has no earlier plan there) and no population estimate.
SELECT theme, measure, breakdown, numerator, denominator, round(value, 2) AS value
FROM mfx.r WHERE area_code = 'MX2' AND (numerator <> 0 OR breakdown LIKE 'unavailable%')
ORDER BY theme, measure, breakdown;

-- The settings are read when the query runs: timeliness from the referral date, a 6-month
-- repeat window, the seed's 18-21 care-leaver cohort, contact decisions absent and children
-- missing education supplied.
BEGIN;
UPDATE skpi.report_settings SET value = 'referral_date' WHERE name = 'assessment_timeliness_start';
UPDATE skpi.report_settings SET value = '6 months' WHERE name = 'cp_repeat_window';
UPDATE skpi.report_settings SET value = '18' WHERE name = 'care_leaver_age_from';
UPDATE mfx.inputs_available SET available = NOT available;
SET client_min_messages = warning;
SELECT mfx.run_themes();
RESET client_min_messages;
SELECT theme, measure, breakdown, numerator, denominator, round(value, 2) AS value
FROM mfx.r WHERE area_code = 'MX1' AND period_label = '2019/20 Q1'
  AND measure IN ('assessments_45wd_pct', 'cp_repeat_2y_pct', 'cp_repeat_over_2y_pct', 'care_leavers_in_touch_pct',
				  'care_leavers_suitable_accom_pct', 'care_leavers_eet_pct', 'contacts_decided_1wd_pct',
				  'children_missing_education')
ORDER BY theme, measure, breakdown;
ROLLBACK;

-- _snaps_between (the period ends a row may be open on, for the period-end measures) against a
-- filter over every period end: starts and ends before, on, between and after the ends, NULL
-- ends, ends on the start; an end before the start gives every end from the start on.
WITH s AS (SELECT ARRAY(SELECT (date '2019-01-31' + make_interval(months => m))::date
						FROM generate_series(0, 11, 2) AS m ORDER BY 1) AS snaps),
d AS (SELECT date '2018-12-01' + g AS d FROM generate_series(0, 420, 9) AS g
	  UNION ALL SELECT unnest(snaps) FROM s UNION ALL SELECT unnest(snaps) + 1 FROM s),
pairs AS (SELECT a.d AS start_date, b.d AS end_date FROM d a CROSS JOIN (SELECT d FROM d UNION ALL SELECT NULL) b)
SELECT count(*) AS pairs,
	   count(*) FILTER (WHERE cardinality(skpi._snaps_between(s.snaps, p.start_date, p.end_date)) > 0) AS non_empty,
	   count(*) FILTER (WHERE skpi._snaps_between(s.snaps, p.start_date, p.end_date) IS DISTINCT FROM
		   ARRAY(SELECT x FROM unnest(s.snaps) AS x
				 WHERE x >= p.start_date AND (p.end_date IS NULL OR p.end_date < p.start_date OR x < p.end_date)
				 ORDER BY x)) AS differing
FROM s CROSS JOIN pairs p;
SELECT skpi._snaps_between('{2019-03-31,2019-06-30}', NULL, '2019-12-31') AS null_start,
	   skpi._snaps_between('{}', '2019-01-01', NULL) AS no_ends,
	   skpi._snaps_between('{2019-03-31,2019-06-30}', '2019-03-31', '2019-03-31') AS same_day,
	   skpi._snaps_between('{2019-03-31,2019-06-30}', '2019-03-31', '2019-04-01') AS one_day;

-- Settings are checked.
SELECT skpi.report_setting('icpc_working_days') AS icpc_working_days;
SELECT skpi.report_setting('no_such_setting');
UPDATE skpi.report_settings SET value = 'fifteen' WHERE name = 'icpc_working_days';
UPDATE skpi.report_settings SET value = 'auth_date' WHERE name = 'assessment_timeliness_start';
UPDATE skpi.report_settings SET value = '-2 years' WHERE name = 'cp_repeat_window';
SELECT skpi.population_at('MX1', '2019-06-29') AS mid_2018, skpi.population_at('MX1', '2019-06-30') AS mid_2019,
	   skpi.population_at('MX1', '2010-01-01') AS earliest, skpi.population_at('MX2', '2019-06-30') AS none;

DELETE FROM skpi.population WHERE area_code IN ('MX1', 'MX2');
SET client_min_messages = warning;
DROP SCHEMA mfx CASCADE;
RESET client_min_messages;
