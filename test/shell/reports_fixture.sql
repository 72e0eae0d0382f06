-- A hand-built SSD extract of one council (no area_code column): a dozen children and one
-- dirty row for each data-quality rule, with the answers worked out in sql/reports.sql.
-- Creates schema :"fixture" and the test theme skpi._theme_zz_test (drop it when done).
CREATE SCHEMA :"fixture";
SET search_path = :"fixture";

CREATE TABLE ssd_person (pers_person_id text, pers_dob timestamp, pers_sex text, pers_ethnicity text,
	pers_death_date timestamp);
INSERT INTO ssd_person VALUES
	('P01', '2010-05-01', 'M', 'WBRI', NULL),
	('P02', '2012-08-15', 'F', 'WBRI', NULL),
	('P03', '2015-01-20', 'm', 'ABAN', NULL),
	('P03', '2015-01-20', 'm', 'ABAN', NULL),			-- duplicate_id
	('P04', '2008-03-03', 'F', 'MWBC', NULL),
	('P05', '2011-11-11', 'M', 'WBRI', NULL),
	('P06', '2005-06-30', 'F', 'WBRI', NULL),
	('P07', '2009-09-09', 'M', 'BCRB', NULL),
	('P08', '2001-02-02', 'F', 'WBRI', NULL),
	('P09', '2000-07-07', 'M', 'WBRI', NULL),
	('P10', '2001-12-12', 'F', 'WBRI', NULL),
	('P11', '1900-01-01', 'F', 'WBRI', NULL),		-- missing_dob (kept)
	('P12', NULL, 'M', NULL, '2019-07-01 13:00');		-- missing_dob (kept)

CREATE TABLE ssd_family (fami_family_id text, fami_person_id text);
INSERT INTO ssd_family VALUES ('F1', 'P01'), ('F1', 'P02'), ('F1', 'P03'), ('F2', 'P04'),
	('F1', 'P01'),										-- duplicate_id
	('F3', 'P99');										-- orphan

CREATE TABLE ssd_contacts (cont_contact_id text, cont_person_id text, cont_contact_date timestamp,
	cont_contact_source_code text, cont_contact_source_desc text, cont_contact_outcome_json text);
INSERT INTO ssd_contacts VALUES
	('C01', 'P01', '2019-04-01 09:30', 'SCH', 'School', '{"NEW_REFERRAL_FLAG":"Y","EXISTING_REFERRAL_FLAG":"N","CP_ENQUIRY_FLAG":"N"}'),
	('C02', 'P02', '2019-04-15 10:00', 'POL', 'Police', '{"NEW_REFERRAL_FLAG":"N","EXISTING_REFERRAL_FLAG":"N","CP_ENQUIRY_FLAG":"N"}'),
	('C03', 'P03', '2019-05-02 11:00', 'sch ', 'School', '{"OUTCOME_NEW_REFERRAL_FLAG":"N","OUTCOME_CP_ENQUIRY_FLAG":"Y"}'),
	('C04', 'P04', '2019-05-20 12:00', 'HEA', 'Health', ' { "NEW_REFERRAL_FLAG" : "y" } '),
	('C05', 'P05', '2019-06-10 08:00', 'POL', 'Police', '{"NEW_REFERRAL_FLAG": "N", "NOTE": {"a": [1, 2.5e3, true, null, "x\u00e9"]}}'),
	('C05', 'P05', '2019-06-10 08:00', 'POL', 'Police', '{"NEW_REFERRAL_FLAG": "N", "NOTE": {"a": [1, 2.5e3, true, null, "x\u00e9"]}}'),	-- duplicate_id
	('C06', 'P06', '2019-07-01 09:00', 'SCH', 'School', '{"NEW_REFERRAL_FLAG": "Y"'),		-- malformed_json (kept)
	('C07', 'P07', '2019-08-12 14:00', 'HEA', 'Health', NULL),
	('C08', 'P99', '2019-08-20 15:00', 'POL', 'Police', '{}'),								-- orphan
	('C09', 'P08', '1900-01-01 00:00', 'POL', 'Police', '{}'),								-- missing_date
	('C10', 'P01', '2019-09-30 23:59', 'SCH', 'School', '[1, 2]'),							-- malformed_json (kept)
	(' ', 'P02', '2019-09-01 10:00', 'SCH', 'School', '{}');								-- missing_id

CREATE TABLE ssd_cin_episodes (cine_referral_id text, cine_person_id text, cine_referral_date timestamp,
	cine_referral_source_code text, cine_referral_nfa text, cine_close_reason text, cine_close_date timestamp,
	cine_cin_primary_need_code text);
INSERT INTO ssd_cin_episodes VALUES
	('R01', 'P01', '2019-04-01', 'SCH', 'N', 'RC1', '2019-06-30', 'N1'),
	('R02', 'P03', '2019-05-03', 'SCH', 'N', NULL, NULL, 'n2'),
	('R03', 'P04', '2019-05-21', 'HEA', 'Y', 'RC8', '2019-05-21', 'N9'),
	('R04', 'P05', '2019-06-11', 'POL', 'N', 'RC1', '2019-06-01', 'N1'),	-- end_before_start
	('R05', 'P06', '2019-07-02', 'SCH', 'NA', NULL, NULL, 'N1'),
	('R06', 'P01', '1900-01-01', 'SCH', 'N', NULL, NULL, 'N1');			-- missing_date

CREATE TABLE ssd_cin_assessments (cina_assessment_id text, cina_person_id text, cina_referral_id text,
	cina_assessment_start_date timestamp, cina_assessment_auth_date timestamp, cina_assessment_outcome_nfa text);
INSERT INTO ssd_cin_assessments VALUES
	('A01', 'P01', 'R01', '2019-04-02 10:00', '2019-05-20 16:00', 'N'),
	('A02', 'P03', 'R02', '2019-05-06', NULL, NULL),
	('A03', 'P04', 'R03', '2019-05-22', '2019-05-10', 'N'),		-- end_before_start
	('A04', 'P06', 'R05', '2019-07-03', '2019-07-30', 'n'),
	('A05', 'P02', 'R99', '2019-04-20', '2019-04-25', 'Y'),		-- unknown referral: kept
	('A06', 'P99', 'R01', '2019-04-20', NULL, NULL);				-- orphan

CREATE TABLE ssd_assessment_factors (cinf_assessment_id text, cinf_assessment_factors_json text);
INSERT INTO ssd_assessment_factors VALUES
	('A01', '["1B","3A","16a"]'),
	('A02', ' [ "4B" , " 3b", "4B" ] '),
	('A04', '["99Z"]'),					-- unknown_code
	('A05', '["1B", '),					-- malformed_json
	('A03', '["2A"]'),					-- orphan (A03 is left out)
	('A77', '["1B"]');					-- orphan

CREATE TABLE ssd_cin_plans (cinp_cin_plan_id text, cinp_person_id text, cinp_cin_plan_start_date timestamp,
	cinp_cin_plan_end_date timestamp);
INSERT INTO ssd_cin_plans VALUES
	('CIN1', 'P01', '2019-05-01', '2019-09-01'),
	('CIN2', 'P03', '2019-06-01', NULL),
	('CIN3', 'P04', '2019-06-01', '2019-05-01');		-- end_before_start

CREATE TABLE ssd_s47_enquiry (s47e_s47_enquiry_id text, s47e_person_id text, s47e_referral_id text,
	s47e_s47_start_date timestamp, s47e_s47_end_date timestamp, s47e_s47_nfa text, s47e_s47_outcome_json text);
INSERT INTO ssd_s47_enquiry VALUES
	('S01', 'P01', 'R01', '2019-04-03', '2019-04-20', 'N', '{"CP_CONFERENCE_FLAG":"Y"}'),
	('S02', 'P03', 'R02', '2019-05-07', '2019-05-30', 'N', '{"CP_CONFERENCE_FLAG": "N"'),	-- malformed_json (kept)
	('S03', 'P06', 'R05', '2019-07-04', NULL, 'N', NULL);

CREATE TABLE ssd_initial_cp_conference (icpc_icpc_id text, icpc_s47_enquiry_id text, icpc_person_id text,
	icpc_icpc_date timestamp, icpc_icpc_transfer_in text, icpc_icpc_outcome_cp_flag text);
INSERT INTO ssd_initial_cp_conference VALUES
	('I01', 'S01', 'P01', '2019-04-24', 'N', 'Y'),
	('I02', NULL, 'P07', '2019-08-01', 'Y', 'Y'),
	('I03', 'S99', 'P02', '2019-06-01', 'N', 'N');		-- orphan

CREATE TABLE ssd_cp_plans (cppl_cp_plan_id text, cppl_person_id text, cppl_cp_plan_start_date timestamp,
	cppl_cp_plan_end_date timestamp, cppl_cp_plan_initial_category text);
INSERT INTO ssd_cp_plans VALUES
	('CPP1', 'P01', '2019-04-24', NULL, 'Neglect'),
	('CPP2', 'P07', '2019-08-01', NULL, ' emo'),
	('CPP3', 'P02', '2019-06-01', '2019-08-01', 'Cruelty'),		-- unknown_code
	('CPP4', 'P01', '2019-06-01', NULL, 'PHY'),					-- overlap (CPP1 is open)
	('CPP5', 'P05', '2019-04-10', '2019-05-10', 'SAB'),
	('CPP6', 'P05', '2019-05-10', NULL, 'MUL');

CREATE TABLE ssd_cp_visits (cppv_cp_visit_id text, cppv_person_id text, cppv_cp_plan_id text,
	cppv_cp_visit_date timestamp, cppv_cp_visit_seen text);
INSERT INTO ssd_cp_visits VALUES
	('V1', 'P01', 'CPP1', '2019-05-01', 'Y'),
	('V2', 'P01', 'CPP4', '2019-06-05', 'N'),		-- orphan (CPP4 is left out)
	('V3', 'P07', 'CPP2', '2019-08-05', 'NA');

CREATE TABLE ssd_cp_reviews (cppr_cp_review_id text, cppr_person_id text, cppr_cp_plan_id text,
	cppr_cp_review_due timestamp, cppr_cp_review_date timestamp);
INSERT INTO ssd_cp_reviews VALUES
	('RV1', 'P01', 'CPP1', '2019-07-24', '2019-07-20'),
	('RV2', 'P05', 'CPP9', '2019-07-01', NULL);		-- orphan

CREATE TABLE ssd_legal_status (lega_person_id text, lega_legal_status text, lega_legal_status_start_date timestamp,
	lega_legal_status_end_date timestamp);
INSERT INTO ssd_legal_status VALUES
	('P05', 'Section 20', '2019-04-10', '2019-06-01'),
	('P05', 'c2', '2019-06-01', NULL),
	('P06', 'C1', '2019-05-01', NULL),
	('P07', 'Q9', '2019-05-01', NULL),					-- unknown_code
	('P04', 'C2', '2019-07-01', '2019-06-01');			-- end_before_start

CREATE TABLE ssd_cla_placement (clap_cla_placement_id text, clap_cla_placement_start_date timestamp,
	clap_cla_placement_end_date timestamp, clap_cla_placement_type text, clap_cla_placement_distance float8);
INSERT INTO ssd_cla_placement VALUES
	('PL1', '2019-04-10', '2019-06-01', 'U1', 12.5),
	('PL2', '2019-06-01', NULL, 'k2', 999.9),
	('PL3', '2019-05-01', NULL, 'R1', NULL);

CREATE TABLE ssd_cla_episodes (clae_cla_episode_id text, clae_person_id text, clae_cla_id text,
	clae_cla_episode_start_date timestamp, clae_cla_episode_start_reason text,
	clae_cla_episode_ceased_date timestamp, clae_cla_episode_ceased_reason text, clae_cla_placement_id text);
INSERT INTO ssd_cla_episodes VALUES
	('E1', 'P05', 'CLA1', '2019-04-10', 'S', '2019-06-01', 'X1', 'PL1'),
	('E2', 'P05', 'CLA1', '2019-06-01', 'Change of legal status and placement and carer(s) at the same time', NULL, NULL, 'PL2'),
	('E3', 'P06', 'CLA2', '2019-05-01', 's', NULL, NULL, 'PL3'),
	('E4', 'P06', 'CLA2', '2019-06-15', 'P', NULL, NULL, 'PL3'),	-- overlap (E3 is open)
	('E5', 'P07', 'CLA3', '2019-05-01', 'Z', NULL, NULL, NULL),		-- unknown_code
	('E6', 'P04', 'CLA4', '2019-05-01', 'S', '2019-04-01', 'E8', NULL);	-- end_before_start

CREATE TABLE ssd_cla_reviews (clar_cla_review_id text, clar_cla_id text, clar_cla_review_due_date timestamp,
	clar_cla_review_date timestamp, clar_cla_review_cancelled text);
INSERT INTO ssd_cla_reviews VALUES
	('CR1', 'CLA1', '2019-05-08', '2019-05-07', 'N'),
	('CR2', 'CLA9', '2019-05-08', NULL, 'N'),			-- orphan
	('CR3', 'CLA2', NULL, NULL, 'Y');

CREATE TABLE ssd_cla_visits (clav_cla_visit_id text, clav_cla_id text, clav_person_id text,
	clav_cla_visit_date timestamp, clav_cla_visit_seen text);
INSERT INTO ssd_cla_visits VALUES
	('CV1', 'CLA1', 'P05', '2019-04-15', 'Y'),
	('CV2', 'CLA5', 'P05', '2019-04-20', 'Y'),			-- orphan
	('CV3', NULL, 'P06', '2019-05-05', 'N');

CREATE TABLE ssd_cla_health (clah_health_check_id text, clah_person_id text, clah_health_check_type text,
	clah_health_check_date timestamp, clah_health_check_status text);
INSERT INTO ssd_cla_health VALUES
	('H1', 'P05', 'Health assessment', '2019-05-01', 'Completed'),
	('H2', 'P06', 'dental', NULL, 'Completed');		-- missing_date

CREATE TABLE ssd_cla_care_plan (lacp_table_id text, lacp_person_id text, lacp_cla_care_plan_start_date timestamp,
	lacp_cla_care_plan_end_date timestamp, lacp_cla_care_plan_json text);
INSERT INTO ssd_cla_care_plan VALUES
	('LP1', 'P05', '2019-04-12', NULL, '{}'),
	('LP2', 'P06', '2019-05-10', '2019-05-01', '{}');		-- end_before_start

CREATE TABLE ssd_care_leavers (clea_person_id text, clea_care_leaver_in_touch text,
	clea_care_leaver_latest_contact timestamp, clea_care_leaver_accommodation text,
	clea_care_leaver_accom_suitable text, clea_care_leaver_activity text);
INSERT INTO ssd_care_leavers VALUES
	('P08', 'Yes', '2019-09-01', 'B1', NULL, 'F2'),
	('P09', 'REFU', '2019-08-01', 'Bed and breakfast', 'Unsuitable', 'g5'),
	('P10', 'HUH', '2019-08-15', 'U1', 'Y', 'F1'),			-- unknown_code
	('P08', 'NO', '2019-06-01', NULL, NULL, NULL),			-- an earlier status (history)
	('P09', 'REFU', '2019-08-01', 'W2', NULL, 'G5');		-- duplicate_id (same young person and date)

CREATE TABLE ssd_missing (miss_table_id text, miss_person_id text, miss_missing_episode_start_date timestamp,
	miss_missing_episode_end_date timestamp, miss_missing_episode_type text, miss_missing_rhi_offered text,
	miss_missing_rhi_accepted text);
INSERT INTO ssd_missing VALUES
	('M1', 'P07', '2019-06-01 22:00', '2019-06-02 08:00', 'Missing', 'Y', 'N'),
	('M2', 'P07', '2019-07-10', '2019-07-09', 'AWAY', 'Y', 'Y'),		-- end_before_start
	('M3', 'P06', '2019-08-01', NULL, 'A', 'N', NULL),
	('M4', 'P06', '2019-08-05', NULL, 'Lost', NULL, NULL),			-- unknown_code
	('M5', 'P07', '2019-09-01 22:00', '2019-09-01 20:30', 'Missing', 'N', NULL);	-- end_before_start (same day)

CREATE TABLE ssd_professionals (prof_professional_id text, prof_agency_worker_flag text,
	prof_professional_job_title text, prof_professional_caseload int, prof_full_time_equivalency float8);
INSERT INTO ssd_professionals VALUES
	('W1', 'N', 'Social Worker', 18, 1.0),
	('W2', 'Y', 'Social Worker', 22, 0.8),
	('W2', 'Y', 'Social Worker', 22, 0.8);		-- duplicate_id

CREATE TABLE ssd_involvements (invo_involvements_id text, invo_professional_id text,
	invo_professional_role_id text, invo_person_id text, invo_involvement_start_date timestamp,
	invo_involvement_end_date timestamp, invo_worker_change_reason text);
INSERT INTO ssd_involvements VALUES
	('IV1', 'W1', 'SW', 'P01', '2019-04-01', NULL, NULL),
	('IV2', 'W2', 'SW', 'P05', '2019-04-10', '2019-06-01', 'Worker left'),
	('IV3', 'W9', 'SW', 'P06', '2019-05-01', NULL, NULL);	-- orphan

RESET search_path;

-- A test theme: contacts per period (count), contacts by source per quarter (a breakdown) and
-- the share of contacts with a new referral per quarter (percent, higher is better).
CREATE FUNCTION skpi._theme_zz_test(target_schema text) RETURNS text
LANGUAGE sql STABLE PARALLEL SAFE
AS $theme$
SELECT format($q$
SELECT p.area_code, p.period_type, p.period_label, p.period_start, p.period_end,
	'zz_contacts'::text AS measure, ''::text AS breakdown, count(c.contact_id)::numeric AS numerator,
	NULL::numeric AS denominator, count(c.contact_id)::numeric AS value, 'count'::text AS unit,
	'neither'::text AS polarity
FROM %1$I.report_periods p
LEFT JOIN %1$I.n_contacts c ON c.area_code = p.area_code AND c.contact_date BETWEEN p.period_start AND p.period_end
GROUP BY 1, 2, 3, 4, 5
UNION ALL
SELECT p.area_code, p.period_type, p.period_label, p.period_start, p.period_end,
	'zz_contacts_by_source', c.source_code, count(*), NULL, count(*), 'count', 'neither'
FROM %1$I.report_periods p
JOIN %1$I.n_contacts c ON c.area_code = p.area_code AND c.contact_date BETWEEN p.period_start AND p.period_end
WHERE p.period_type = 'quarter'
GROUP BY 1, 2, 3, 4, 5, 7
UNION ALL
SELECT p.area_code, p.period_type, p.period_label, p.period_start, p.period_end,
	'zz_referral_pct', '', count(*) FILTER (WHERE c.new_referral), count(c.new_referral),
	round(100.0 * count(*) FILTER (WHERE c.new_referral) / nullif(count(c.new_referral), 0), 1),
	'percent', 'higher'
FROM %1$I.report_periods p
LEFT JOIN %1$I.n_contacts c ON c.area_code = p.area_code AND c.contact_date BETWEEN p.period_start AND p.period_end
WHERE p.period_type = 'quarter'
GROUP BY 1, 2, 3, 4, 5
$q$, target_schema)
$theme$;
COMMENT ON FUNCTION skpi._theme_zz_test(text) IS 'test theme of the report-layer tests';
