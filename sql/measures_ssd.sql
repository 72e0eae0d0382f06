-- The measures over a hand-built SSD fixture through the whole report layer: SSD tables of two
-- councils (area_code MX1 and MX2) -> build_reports -> refresh_reports -> measures / published,
-- with comparators, targets and RAG, and the HTML scorecard of the same period. The data are
-- those of sql/measures.sql (answers worked there), written as an SSD extract: Y/N flags, JSON
-- outcomes and factor lists, timestamps, legal statuses and placements in their own tables,
-- contact decisions supplied. Differences from that fixture: assessment A4 has a start date
-- (1 February 2019: 60 working days, late), a contact on 15 January 2017 opens the span (report
-- periods start at the first contact: February 2017, as the first referral) and one on 31 March
-- 2020 closes it, and MX2 has contacts so that it has report periods.
-- (Before the report layer is installed the test is skipped: expected/measures_ssd_1.out.)
SELECT to_regprocedure('skpi.build_reports(text,text)') IS NULL AS no_report_layer \gset
\if :no_report_layer
\echo 'skipped: skpi.build_reports is not installed'
\quit
\endif
SET client_min_messages = warning;
SET datestyle = 'ISO, YMD';
CREATE SCHEMA mssd;
CREATE TABLE mssd.ssd_person (area_code text, pers_person_id text, pers_dob timestamp, pers_sex text,
	pers_ethnicity text, pers_death_date timestamp);
CREATE TABLE mssd.ssd_family (area_code text, fami_family_id text, fami_person_id text);
CREATE TABLE mssd.ssd_contacts (area_code text, cont_contact_id text, cont_person_id text, cont_contact_date timestamp,
	cont_contact_source_code text, cont_contact_source_desc text, cont_contact_outcome_json text);
CREATE TABLE mssd.contact_decisions (area_code text, contact_id text, decided_at timestamp, need_level int);
CREATE TABLE mssd.ssd_cin_episodes (area_code text, cine_referral_id text, cine_person_id text,
	cine_referral_date timestamp, cine_referral_source_code text, cine_referral_nfa text, cine_close_reason text,
	cine_close_date timestamp, cine_cin_primary_need_code text);
CREATE TABLE mssd.ssd_cin_assessments (area_code text, cina_assessment_id text, cina_person_id text,
	cina_referral_id text, cina_assessment_start_date timestamp, cina_assessment_auth_date timestamp,
	cina_assessment_outcome_nfa text);
CREATE TABLE mssd.ssd_assessment_factors (area_code text, cinf_assessment_id text, cinf_assessment_factors_json text);
CREATE TABLE mssd.ssd_cin_plans (area_code text, cinp_cin_plan_id text, cinp_person_id text,
	cinp_cin_plan_start_date timestamp, cinp_cin_plan_end_date timestamp);
CREATE TABLE mssd.ssd_s47_enquiry (area_code text, s47e_s47_enquiry_id text, s47e_person_id text,
	s47e_referral_id text, s47e_s47_start_date timestamp, s47e_s47_end_date timestamp, s47e_s47_nfa text,
	s47e_s47_outcome_json text);
CREATE TABLE mssd.ssd_initial_cp_conference (area_code text, icpc_icpc_id text, icpc_s47_enquiry_id text,
	icpc_person_id text, icpc_icpc_date timestamp, icpc_icpc_transfer_in text, icpc_icpc_outcome_cp_flag text);
CREATE TABLE mssd.ssd_cp_plans (area_code text, cppl_cp_plan_id text, cppl_person_id text,
	cppl_cp_plan_start_date timestamp, cppl_cp_plan_end_date timestamp, cppl_cp_plan_initial_category text);
CREATE TABLE mssd.ssd_cp_visits (area_code text, cppv_cp_visit_id text, cppv_person_id text, cppv_cp_plan_id text,
	cppv_cp_visit_date timestamp, cppv_cp_visit_seen text);
CREATE TABLE mssd.ssd_cp_reviews (area_code text, cppr_cp_review_id text, cppr_person_id text, cppr_cp_plan_id text,
	cppr_cp_review_due timestamp, cppr_cp_review_date timestamp);
CREATE TABLE mssd.ssd_cla_episodes (area_code text, clae_cla_episode_id text, clae_person_id text, clae_cla_id text,
	clae_cla_episode_start_date timestamp, clae_cla_episode_start_reason text, clae_cla_episode_ceased_date timestamp,
	clae_cla_episode_ceased_reason text, clae_cla_placement_id text);
CREATE TABLE mssd.ssd_cla_placement (area_code text, clap_cla_placement_id text, clap_cla_placement_start_date timestamp,
	clap_cla_placement_end_date timestamp, clap_cla_placement_type text, clap_cla_placement_distance float8);
CREATE TABLE mssd.ssd_legal_status (area_code text, lega_person_id text, lega_legal_status text,
	lega_legal_status_start_date timestamp, lega_legal_status_end_date timestamp);
CREATE TABLE mssd.ssd_cla_reviews (area_code text, clar_cla_review_id text, clar_cla_id text,
	clar_cla_review_due_date timestamp, clar_cla_review_date timestamp, clar_cla_review_cancelled text);
CREATE TABLE mssd.ssd_cla_visits (area_code text, clav_cla_visit_id text, clav_cla_id text, clav_person_id text,
	clav_cla_visit_date timestamp, clav_cla_visit_seen text);
CREATE TABLE mssd.ssd_cla_health (area_code text, clah_health_check_id text, clah_person_id text,
	clah_health_check_type text, clah_health_check_date timestamp, clah_health_check_status text);
CREATE TABLE mssd.ssd_cla_care_plan (area_code text, lacp_table_id text, lacp_person_id text,
	lacp_cla_care_plan_start_date timestamp, lacp_cla_care_plan_end_date timestamp, lacp_cla_care_plan_json text);
CREATE TABLE mssd.ssd_care_leavers (area_code text, clea_person_id text, clea_care_leaver_in_touch text,
	clea_care_leaver_latest_contact timestamp, clea_care_leaver_accommodation text,
	clea_care_leaver_accom_suitable text, clea_care_leaver_activity text);
CREATE TABLE mssd.ssd_missing (area_code text, miss_table_id text, miss_person_id text,
	miss_missing_episode_start_date timestamp, miss_missing_episode_end_date timestamp,
	miss_missing_episode_type text, miss_missing_rhi_offered text, miss_missing_rhi_accepted text);
CREATE TABLE mssd.ssd_professionals (area_code text, prof_professional_id text, prof_agency_worker_flag text,
	prof_professional_job_title text, prof_professional_caseload int, prof_full_time_equivalency float8);
CREATE TABLE mssd.ssd_involvements (area_code text, invo_involvements_id text, invo_professional_id text,
	invo_professional_role_id text, invo_person_id text, invo_involvement_start_date timestamp,
	invo_involvement_end_date timestamp, invo_worker_change_reason text);

INSERT INTO mssd.ssd_person (area_code, pers_person_id, pers_dob, pers_sex, pers_ethnicity, pers_death_date) VALUES
	('MX1', 'P1', '2010-01-01', NULL, NULL, NULL),
	('MX1', 'P2', '2010-01-01', NULL, NULL, NULL),
	('MX1', 'P3', '2010-01-01', NULL, NULL, NULL),
	('MX1', 'P4', '2010-01-01', NULL, NULL, NULL),
	('MX1', 'P5', '2010-01-01', NULL, NULL, NULL),
	('MX1', 'P6', '2010-01-01', NULL, NULL, NULL),
	('MX1', 'P7', '2010-01-01', NULL, NULL, NULL),
	('MX1', 'P8', '2010-01-01', NULL, NULL, NULL),
	('MX1', 'P9', '2010-01-01', NULL, NULL, NULL),
	('MX1', 'P10', '2010-01-01', NULL, NULL, NULL),
	('MX1', 'P11', '2010-01-01', NULL, NULL, NULL),
	('MX1', 'P12', '2010-01-01', NULL, NULL, NULL),
	('MX1', 'P13', '2010-01-01', NULL, NULL, NULL),
	('MX1', 'P14', '2010-01-01', NULL, NULL, NULL),
	('MX1', 'P15', '2010-01-01', NULL, NULL, NULL),
	('MX1', 'P16', '2010-01-01', NULL, NULL, NULL),
	('MX1', 'P17', '2010-01-01', NULL, NULL, NULL),
	('MX1', 'P18', '2010-01-01', NULL, NULL, NULL),
	('MX1', 'P19', '2010-01-01', NULL, NULL, NULL),
	('MX1', 'P20', '2010-01-01', NULL, NULL, NULL),
	('MX1', 'P21', '2010-01-01', NULL, NULL, NULL),
	('MX1', 'P22', '2010-01-01', NULL, NULL, NULL),
	('MX1', 'P23', '2010-01-01', NULL, NULL, NULL),
	('MX1', 'P24', '2008-01-01', NULL, NULL, NULL),
	('MX1', 'P25', '2006-05-01', NULL, NULL, NULL),
	('MX1', 'P26', '2002-12-01', NULL, NULL, NULL),
	('MX1', 'P27', '2003-03-01', NULL, NULL, NULL),
	('MX1', 'P28', '2005-01-01', NULL, NULL, NULL),
	('MX1', 'P29', '2004-01-01', NULL, NULL, NULL),
	('MX1', 'P30', '2009-01-01', NULL, NULL, NULL),
	('MX1', 'P31', '2012-01-01', NULL, NULL, NULL),
	('MX1', 'P32', '2000-01-01', NULL, NULL, NULL),
	('MX1', 'P40', '1999-05-01', NULL, NULL, NULL),
	('MX1', 'P41', '1998-07-15', NULL, NULL, NULL),
	('MX1', 'P42', '1997-08-01', NULL, NULL, NULL),
	('MX1', 'P43', '2000-06-30', NULL, NULL, NULL),
	('MX1', 'P44', '1999-01-01', NULL, NULL, NULL),
	('MX1', 'P45', '2001-01-01', NULL, NULL, NULL),
	('MX1', 'P46', '1996-01-01', NULL, NULL, NULL),
	('MX1', 'P47', '2000-04-10', NULL, NULL, NULL),
	('MX2', 'P10', '2012-02-02', NULL, NULL, NULL);
INSERT INTO mssd.ssd_family (area_code, fami_family_id, fami_person_id) VALUES
	('MX1', 'F1', 'P16'),
	('MX1', 'F1', 'P17'),
	('MX1', 'F1', 'P18'),
	('MX1', 'F2', 'P19'),
	('MX1', 'F2', 'P20'),
	('MX1', 'F3', 'P21'),
	('MX1', 'F3', 'P22'),
	('MX1', 'F3', 'P23');
INSERT INTO mssd.ssd_contacts (area_code, cont_contact_id, cont_person_id, cont_contact_date, cont_contact_source_code, cont_contact_source_desc, cont_contact_outcome_json) VALUES
	('MX1', 'C0', 'P1', '2017-01-15', '2A', 'School', '{"NEW_REFERRAL_FLAG": "N", "EXISTING_REFERRAL_FLAG": "N", "CP_ENQUIRY_FLAG": "N"}'),
	('MX1', 'C1', 'P1', '2019-04-02', '2A', 'School', '{"NEW_REFERRAL_FLAG": "Y", "EXISTING_REFERRAL_FLAG": "N", "CP_ENQUIRY_FLAG": "N"}'),
	('MX1', 'C2', 'P2', '2019-04-10', '2A', 'School', '{"NEW_REFERRAL_FLAG": "N", "EXISTING_REFERRAL_FLAG": "N", "CP_ENQUIRY_FLAG": "N"}'),
	('MX1', 'C3', 'P3', '2019-05-01', '6', 'Police', '{"NEW_REFERRAL_FLAG": "N", "EXISTING_REFERRAL_FLAG": "Y", "CP_ENQUIRY_FLAG": "N"}'),
	('MX1', 'C4', 'P4', '2019-05-03', '3A', 'GP', '{"NEW_REFERRAL_FLAG": "N", "EXISTING_REFERRAL_FLAG": "N", "CP_ENQUIRY_FLAG": "N"}'),
	('MX1', 'C5', 'P5', '2019-06-28', 'XX', 'Other', NULL),
	('MX1', 'C6', 'P6', '2019-03-15', '2A', 'School', '{"NEW_REFERRAL_FLAG": "Y", "EXISTING_REFERRAL_FLAG": "N", "CP_ENQUIRY_FLAG": "N"}'),
	('MX1', 'C7', 'P7', '2019-07-01', '6', 'Police', '{"NEW_REFERRAL_FLAG": "N", "EXISTING_REFERRAL_FLAG": "N", "CP_ENQUIRY_FLAG": "N"}'),
	('MX1', 'C8', 'P8', '2020-03-31', '2A', 'School', '{"NEW_REFERRAL_FLAG": "N", "EXISTING_REFERRAL_FLAG": "N", "CP_ENQUIRY_FLAG": "N"}'),
	('MX2', 'C9', 'P10', '2019-04-01', '6', 'Police', '{"NEW_REFERRAL_FLAG": "Y", "EXISTING_REFERRAL_FLAG": "N", "CP_ENQUIRY_FLAG": "N"}'),
	('MX2', 'C10', 'P10', '2019-06-30', '6', 'Police', '{"NEW_REFERRAL_FLAG": "N", "EXISTING_REFERRAL_FLAG": "N", "CP_ENQUIRY_FLAG": "Y"}');
INSERT INTO mssd.contact_decisions (area_code, contact_id, decided_at, need_level) VALUES
	('MX1', 'C1', '2019-04-03 16:00:00', NULL),
	('MX1', 'C2', '2019-04-12 09:00:00', NULL),
	('MX1', 'C4', '2019-05-07 10:00:00', '4'),
	('MX1', 'C5', '2019-06-28 17:00:00', '2');
INSERT INTO mssd.ssd_cin_episodes (area_code, cine_referral_id, cine_person_id, cine_referral_date, cine_referral_source_code, cine_referral_nfa, cine_close_reason, cine_close_date, cine_cin_primary_need_code) VALUES
	('MX1', 'R1', 'P1', '2018-06-01', NULL, 'N', 'RC7', '2018-09-01', NULL),
	('MX1', 'R2', 'P1', '2019-05-01', NULL, 'N', NULL, NULL, NULL),
	('MX1', 'R3', 'P2', '2017-01-10', NULL, 'N', 'RC7', '2017-03-01', NULL),
	('MX1', 'R4', 'P2', '2019-04-15', NULL, 'N', 'RC8', '2019-06-10', NULL),
	('MX1', 'R5', 'P3', '2019-06-20', NULL, 'Y', NULL, '2019-06-20', NULL),
	('MX1', 'R6', 'P4', '2019-02-01', NULL, 'N', 'RC7', '2019-06-15', NULL),
	('MX1', 'R7', 'P5', '2018-12-01', NULL, 'N', 'RC7', '2019-05-20', NULL),
	('MX1', 'R8', 'P6', '2019-04-20', NULL, 'N', 'RC1', '2019-05-30', NULL),
	('MX1', 'R9', 'P7', '2019-01-05', NULL, 'N', NULL, NULL, NULL),
	('MX1', 'R10', 'P7', '2019-03-01', NULL, 'N', 'RC7', '2019-08-01', NULL);
INSERT INTO mssd.ssd_cin_assessments (area_code, cina_assessment_id, cina_person_id, cina_referral_id, cina_assessment_start_date, cina_assessment_auth_date, cina_assessment_outcome_nfa) VALUES
	('MX1', 'A0', 'P1', 'R1', '2018-07-01', '2018-08-01', 'N'),
	('MX1', 'A1', 'P1', 'R2', '2019-04-01', '2019-06-05', 'N'),
	('MX1', 'A2', 'P2', 'R4', '2019-03-01', '2019-05-31', 'N'),
	('MX1', 'A3', 'P3', 'R5', '2019-06-20', '2019-06-20', 'Y'),
	('MX1', 'A4', 'P4', 'R6', '2019-02-01', '2019-04-30', 'N'),
	('MX1', 'A6', 'P6', 'R8', '2019-05-02', '2019-06-28', 'N'),
	('MX1', 'A7', 'P6', NULL, '2018-04-01', '2018-05-01', 'N');
INSERT INTO mssd.ssd_assessment_factors (area_code, cinf_assessment_id, cinf_assessment_factors_json) VALUES
	('MX1', 'A0', '["1B"]'),
	('MX1', 'A1', '["16A","1B","3B","4B"]'),
	('MX1', 'A2', '["2C","3A","4C"]'),
	('MX1', 'A3', '["21"]'),
	('MX1', 'A4', '["11A","3B"]'),
	('MX1', 'A6', '["17A","21","24A"]');  -- 21 (no factors) beside others is left out of them
INSERT INTO mssd.ssd_cin_plans (area_code, cinp_cin_plan_id, cinp_person_id, cinp_cin_plan_start_date, cinp_cin_plan_end_date) VALUES
	('MX1', 'CIN1', 'P1', '2018-11-01', NULL),
	('MX1', 'CIN2', 'P7', '2019-03-01', NULL),
	('MX1', 'CIN3', 'P2', '2018-10-01', '2019-06-10'),
	('MX1', 'CIN4', 'P8', '2018-12-30', NULL);
INSERT INTO mssd.ssd_s47_enquiry (area_code, s47e_s47_enquiry_id, s47e_person_id, s47e_referral_id, s47e_s47_start_date, s47e_s47_end_date, s47e_s47_nfa, s47e_s47_outcome_json) VALUES
	('MX1', 'S1', 'P4', NULL, '2019-04-01', '2019-04-08', NULL, '{"CP_CONFERENCE_FLAG": "Y"}'),
	('MX1', 'S2', 'P9', NULL, '2019-04-15', '2019-04-20', NULL, '{"CP_CONFERENCE_FLAG": "N"}'),
	('MX1', 'S3', 'P10', NULL, '2019-05-01', '2019-05-10', NULL, NULL),
	('MX1', 'S4', 'P11', NULL, '2019-06-25', NULL, NULL, NULL),
	('MX1', 'S5', 'P12', NULL, '2019-03-20', '2019-04-02', NULL, '{"CP_CONFERENCE_FLAG": "Y"}');
INSERT INTO mssd.ssd_initial_cp_conference (area_code, icpc_icpc_id, icpc_s47_enquiry_id, icpc_person_id, icpc_icpc_date, icpc_icpc_transfer_in, icpc_icpc_outcome_cp_flag) VALUES
	('MX1', 'I1', 'S1', 'P4', '2019-04-10', 'N', 'Y'),
	('MX1', 'I2', 'S3', 'P10', '2019-05-31', 'N', 'Y'),
	('MX1', 'I3', 'S5', 'P12', '2019-04-05', NULL, 'Y'),
	('MX1', 'I4', NULL, 'P13', '2019-05-15', 'Y', 'Y'),
	('MX1', 'I5', 'S99', 'P14', '2019-06-10', 'N', 'Y');
INSERT INTO mssd.ssd_cp_plans (area_code, cppl_cp_plan_id, cppl_person_id, cppl_cp_plan_start_date, cppl_cp_plan_end_date, cppl_cp_plan_initial_category) VALUES
	('MX1', 'CPP0', 'P4', '2016-01-01', '2017-01-05', 'NEG'),
	('MX1', 'CPP1', 'P4', '2019-04-10', NULL, 'NEG'),
	('MX1', 'CPP2', 'P10', '2019-06-03', NULL, 'NEG'),
	('MX1', 'CPP3', 'P10', '2018-01-01', '2018-12-01', 'NEG'),
	('MX1', 'CPP4', 'P12', '2019-04-05', '2019-06-30', 'NEG'),
	('MX1', 'CPP5', 'P13', '2017-05-01', '2019-05-15', 'NEG'),
	('MX1', 'CPP6', 'P14', '2018-09-01', '2019-04-20', 'NEG'),
	('MX1', 'CPP7', 'P15', '2018-01-01', NULL, 'NEG'),
	('MX1', 'CPP16', 'P16', '2019-05-01', NULL, 'NEG'),
	('MX1', 'CPP17', 'P17', '2019-05-06', NULL, 'NEG'),
	('MX1', 'CPP18', 'P18', '2019-05-12', NULL, 'NEG'),
	('MX1', 'CPP19', 'P19', '2019-06-01', NULL, 'NEG'),
	('MX1', 'CPP20', 'P20', '2019-06-02', NULL, 'NEG'),
	('MX1', 'CPP21', 'P21', '2019-04-01', '2019-04-15', 'NEG'),
	('MX1', 'CPP22', 'P22', '2019-04-20', NULL, 'NEG'),
	('MX1', 'CPP23', 'P23', '2019-04-22', NULL, 'NEG'),
	('MX2', 'E2CP1', 'P10', '2019-05-01', NULL, 'NEG');
INSERT INTO mssd.ssd_cp_visits (area_code, cppv_cp_visit_id, cppv_person_id, cppv_cp_plan_id, cppv_cp_visit_date, cppv_cp_visit_seen) VALUES
	('MX1', 'V1', 'P4', 'CPP1', '2019-06-20', 'Y'),
	('MX1', 'V2', 'P10', 'CPP2', '2019-06-05', 'Y'),
	('MX1', 'V3', 'P10', 'CPP2', '2019-06-13', 'N'),
	('MX1', 'V4', 'P16', 'CPP16', '2019-06-14', 'Y'),
	('MX1', 'V5', 'P17', 'CPP17', '2019-07-02', 'Y'),
	('MX1', 'V6', 'P19', 'CPP19', '2019-06-28', 'Y'),
	('MX1', 'V7', 'P22', 'CPP22', '2019-06-20', 'Y'),
	('MX1', 'V8', 'P23', 'CPP23', '2019-06-30', 'Y');
INSERT INTO mssd.ssd_cp_reviews (area_code, cppr_cp_review_id, cppr_person_id, cppr_cp_plan_id, cppr_cp_review_due, cppr_cp_review_date) VALUES
	('MX1', 'RV1', 'P4', 'CPP1', '2019-04-20', '2019-04-18'),
	('MX1', 'RV2', 'P15', 'CPP7', '2019-05-10', '2019-05-15'),
	('MX1', 'RV3', 'P15', 'CPP7', '2019-06-30', NULL),
	('MX1', 'RV4', 'P15', 'CPP7', '2019-03-01', '2019-03-01');
INSERT INTO mssd.ssd_cla_episodes (area_code, clae_cla_episode_id, clae_person_id, clae_cla_id, clae_cla_episode_start_date, clae_cla_episode_start_reason, clae_cla_episode_ceased_date, clae_cla_episode_ceased_reason, clae_cla_placement_id) VALUES
	('MX1', 'E1', 'P5', 'CLA5', '2019-05-20', 'S', NULL, NULL, 'PL1'),
	('MX1', 'E3', 'P24', 'CLA24', '2016-03-01', 'P', '2017-02-01', 'X1', 'PL3'),
	('MX1', 'E4', 'P24', 'CLA24', '2017-02-01', 'L', NULL, NULL, 'PL3'),
	('MX1', 'E5', 'P25', 'CLA25', '2016-01-01', 'S', '2018-10-01', 'X1', 'PL4'),
	('MX1', 'E6', 'P25', 'CLA25', '2018-10-01', 'P', '2019-02-01', 'X1', 'PL5'),
	('MX1', 'E7', 'P25', 'CLA25', '2019-02-01', 'T', '2019-04-01', 'X1', 'PL6'),
	('MX1', 'E8', 'P25', 'CLA25', '2019-04-01', 'B', NULL, NULL, 'PL7'),
	('MX1', 'E9', 'P26', 'CLA26', '2018-12-01', 'S', NULL, NULL, 'PL8'),
	('MX1', 'E10', 'P27', 'CLA27', '2018-08-01', 'S', '2018-09-01', 'X1', 'PL9'),
	('MX1', 'E11', 'P27', 'CLA27', '2018-09-01', 'P', '2018-10-01', 'X1', 'PL10'),
	('MX1', 'E12', 'P27', 'CLA27', '2018-10-01', 'P', NULL, NULL, 'PL11'),
	('MX1', 'E13', 'P28', 'CLA28', '2019-04-01', 'S', NULL, NULL, 'PL12'),
	('MX1', 'E14', 'P29', 'CLA29', '2018-01-01', 'S', '2019-06-15', 'E11', 'PL13'),
	('MX1', 'E15', 'P30', 'CLA30', '2019-04-03', 'S', '2019-04-20', 'E13', 'PL14'),
	('MX1', 'E16', 'P30', 'CLA30b', '2019-05-01', 'S', '2019-05-03', 'E13', 'PL15'),
	('MX1', 'E17', 'P31', 'CLA31', '2016-06-01', 'S', '2018-01-01', 'X1', 'PL16'),
	('MX1', 'E18', 'P31', 'CLA31', '2018-01-01', 'P', NULL, NULL, 'PL17'),
	('MX1', 'E19', 'P32', 'CLA32', '2014-01-01', 'S', NULL, NULL, 'PL18'),
	('MX1', 'MX2', 'P24', 'CLA24', '2015-01-01', 'S', '2016-03-01', 'X1', 'PL2');
INSERT INTO mssd.ssd_cla_placement (area_code, clap_cla_placement_id, clap_cla_placement_start_date, clap_cla_placement_end_date, clap_cla_placement_type, clap_cla_placement_distance) VALUES
	('MX1', 'PL1', '2019-05-20', NULL, 'U1', 5),
	('MX1', 'PL2', '2015-01-01', '2016-03-01', 'U1', 25),
	('MX1', 'PL3', '2016-03-01', NULL, 'U1', 25),
	('MX1', 'PL4', '2016-01-01', '2018-10-01', 'U1', 999.9),
	('MX1', 'PL5', '2018-10-01', '2019-02-01', 'U1', 999.9),
	('MX1', 'PL6', '2019-02-01', '2019-04-01', 'U1', 999.9),
	('MX1', 'PL7', '2019-04-01', NULL, 'U1', 999.9),
	('MX1', 'PL8', '2018-12-01', NULL, 'U1', 30),
	('MX1', 'PL9', '2018-08-01', '2018-09-01', 'U1', 10),
	('MX1', 'PL10', '2018-09-01', '2018-10-01', 'T1', 10),
	('MX1', 'PL11', '2018-10-01', NULL, 'U1', 10),
	('MX1', 'PL12', '2019-04-01', NULL, 'U1', 1),
	('MX1', 'PL13', '2018-01-01', '2019-06-15', 'U1', 2),
	('MX1', 'PL14', '2019-04-03', '2019-04-20', 'U1', 2),
	('MX1', 'PL15', '2019-05-01', '2019-05-03', 'U1', 2),
	('MX1', 'PL16', '2016-06-01', '2018-01-01', 'U1', 999.9),
	('MX1', 'PL17', '2018-01-01', NULL, 'A4', 999.9),
	('MX1', 'PL18', '2014-01-01', NULL, 'U1', 21);
INSERT INTO mssd.ssd_legal_status (area_code, lega_person_id, lega_legal_status, lega_legal_status_start_date, lega_legal_status_end_date) VALUES
	('MX1', 'P5', 'V2', '2019-05-20', NULL),
	('MX1', 'P24', 'C2', '2016-03-01', '2017-02-01'),
	('MX1', 'P24', 'C2', '2017-02-01', NULL),
	('MX1', 'P25', 'C2', '2016-01-01', '2018-10-01'),
	('MX1', 'P25', 'C2', '2018-10-01', '2019-02-01'),
	('MX1', 'P25', 'C2', '2019-02-01', '2019-04-01'),
	('MX1', 'P25', 'C2', '2019-04-01', NULL),
	('MX1', 'P26', 'V2', '2018-12-01', NULL),
	('MX1', 'P27', 'C1', '2018-08-01', '2018-09-01'),
	('MX1', 'P27', 'C1', '2018-09-01', '2018-10-01'),
	('MX1', 'P27', 'C1', '2018-10-01', NULL),
	('MX1', 'P28', 'V3', '2019-04-01', NULL),
	('MX1', 'P29', 'C2', '2018-01-01', '2019-06-15'),
	('MX1', 'P30', 'L1', '2019-04-03', '2019-04-20'),
	('MX1', 'P30', 'V2', '2019-05-01', '2019-05-03'),
	('MX1', 'P31', 'C2', '2016-06-01', '2018-01-01'),
	('MX1', 'P31', 'E1', '2018-01-01', NULL),
	('MX1', 'P32', 'C2', '2014-01-01', NULL),
	('MX1', 'P24', 'C2', '2015-01-01', '2016-03-01');
INSERT INTO mssd.ssd_cla_reviews (area_code, clar_cla_review_id, clar_cla_id, clar_cla_review_due_date, clar_cla_review_date, clar_cla_review_cancelled) VALUES
	('MX1', 'CR1', 'CLA24', '2019-04-10', '2019-04-10', 'N'),
	('MX1', 'CR2', 'CLA25', '2019-05-01', '2019-05-02', 'N'),
	('MX1', 'CR3', 'CLA26', '2019-06-01', NULL, 'Y'),
	('MX1', 'CR4', 'CLA27', '2019-06-20', NULL, NULL);
INSERT INTO mssd.ssd_cla_visits (area_code, clav_cla_visit_id, clav_cla_id, clav_person_id, clav_cla_visit_date, clav_cla_visit_seen) VALUES
	('MX1', 'CV1', 'CLA5', 'P5', '2019-06-10', 'Y'),
	('MX1', 'CV2', 'CLA24', 'P24', '2019-05-18', 'Y'),
	('MX1', 'CV3', 'CLA25', 'P25', '2019-06-29', 'Y'),
	('MX1', 'CV4', 'CLA26', 'P26', '2019-05-19', 'Y'),
	('MX1', 'CV5', 'CLA27', 'P27', '2019-06-20', 'N'),
	('MX1', 'CV6', 'CLA32', 'P32', '2019-06-01', 'Y');
INSERT INTO mssd.ssd_cla_health (area_code, clah_health_check_id, clah_person_id, clah_health_check_type, clah_health_check_date, clah_health_check_status) VALUES
	('MX1', 'H1', 'P24', 'Health Assessment', '2019-01-10', 'Completed'),
	('MX1', 'H2', 'P25', 'Dental Check', '2019-01-10', 'Completed'),
	('MX1', 'H3', 'P31', 'Health Assessment', '2018-06-30', 'Completed'),
	('MX1', 'H4', 'P32', 'Review Health Assessment', '2019-03-01', 'Refused'),
	('MX1', 'H5', 'P32', ' health assessment ', '2019-04-01', NULL);
INSERT INTO mssd.ssd_cla_care_plan (area_code, lacp_table_id, lacp_person_id, lacp_cla_care_plan_start_date, lacp_cla_care_plan_end_date, lacp_cla_care_plan_json) VALUES
	('MX1', 'CP24', 'P24', '2017-01-01', NULL, NULL),
	('MX1', 'CP25', 'P25', '2016-01-01', '2019-06-01', NULL),
	('MX1', 'CP26', 'P26', '2018-12-01', NULL, NULL),
	('MX1', 'CP31', 'P31', '2016-06-01', NULL, NULL),
	('MX1', 'CP32', 'P32', '2014-01-01', NULL, NULL),
	('MX1', 'CP5', 'P5', '2019-05-25', NULL, NULL);
INSERT INTO mssd.ssd_care_leavers (area_code, clea_person_id, clea_care_leaver_in_touch, clea_care_leaver_latest_contact, clea_care_leaver_accommodation, clea_care_leaver_accom_suitable, clea_care_leaver_activity) VALUES
	('MX1', 'P26', 'YES', '2019-05-01', 'B1', 'Y', 'G5'),
	('MX1', 'P27', 'YES', '2019-05-01', 'B1', 'Y', 'F2'),
	('MX1', 'P40', 'YES', '2019-06-01', 'B1', 'Y', 'F1'),
	('MX1', 'P41', 'NO', '2019-05-10', 'W2', 'N', 'G6'),
	('MX1', 'P41', 'YES', '2019-06-25', 'D1', 'Y', 'F5'),
	('MX1', 'P42', 'YES', '2019-08-01', 'B1', 'Y', 'F1'),
	('MX1', 'P43', 'REFU', '2019-06-20', 'Z1', 'Y', 'G4'),
	('MX1', 'P44', 'DIED', '2019-01-01', NULL, NULL, NULL),
	('MX1', 'P45', 'YES', '2019-01-01', 'W2', 'N', 'F5'),
	('MX1', 'P46', 'YES', '2019-06-01', 'B1', 'Y', 'F5'),
	('MX1', 'P47', 'YES', '2018-12-01', 'B1', 'Y', 'F5');
INSERT INTO mssd.ssd_missing (area_code, miss_table_id, miss_person_id, miss_missing_episode_start_date, miss_missing_episode_end_date, miss_missing_episode_type, miss_missing_rhi_offered, miss_missing_rhi_accepted) VALUES
	('MX1', 'M1', 'P5', '2019-06-01', '2019-06-02', 'MISSING', 'Y', 'Y'),
	('MX1', 'M2', 'P5', '2019-06-05', '2019-06-05', 'AWAY', 'Y', 'N'),
	('MX1', 'M3', 'P1', '2019-04-10', '2019-04-11', 'MISSING', 'N', NULL),
	('MX1', 'M4', 'P1', '2019-04-20', '2019-04-21', 'MISSING', 'Y', NULL),
	('MX1', 'M5', 'P2', '2019-05-05', '2019-05-06', 'Missing', NULL, NULL),
	('MX1', 'M6', 'P29', '2019-06-15', '2019-06-16', 'MISSING', 'Y', 'Y'),
	('MX1', 'M7', 'P28', '2019-05-01', '2019-05-01', 'MISSING', 'N', NULL),
	('MX1', 'M8', 'P24', '2019-03-01', '2019-03-02', 'MISSING', 'Y', 'Y');
INSERT INTO mssd.ssd_professionals (area_code, prof_professional_id, prof_agency_worker_flag, prof_professional_job_title, prof_professional_caseload, prof_full_time_equivalency) VALUES
	('MX1', 'W1', 'N', 'Social Worker', '4', '1'),
	('MX1', 'W2', 'Y', 'Senior Social Worker', '1', '0.5'),
	('MX1', 'W3', 'N', 'Team Manager', '0', '1'),
	('MX1', 'W5', 'N', 'Social Worker', '0', '1');
INSERT INTO mssd.ssd_involvements (area_code, invo_involvements_id, invo_professional_id, invo_professional_role_id, invo_person_id, invo_involvement_start_date, invo_involvement_end_date, invo_worker_change_reason) VALUES
	('MX1', 'IV1', 'W1', 'SW', 'P1', '2019-01-01', NULL, NULL),
	('MX1', 'IV2', 'W1', 'SW', 'P2', '2019-02-01', '2019-06-30', NULL),
	('MX1', 'IV3', 'W1', 'SW', 'P4', '2019-04-10', NULL, NULL),
	('MX1', 'IV4', 'W2', 'SW', 'P4', '2019-05-01', NULL, NULL),
	('MX1', 'IV5', 'W2', 'SW', 'P10', '2018-01-01', '2019-05-01', NULL),
	('MX1', 'IV6', 'W1', 'SW', 'P10', '2019-05-01', NULL, 'LEFT'),
	('MX1', 'IV7', 'W3', 'TM', 'P15', '2019-04-01', NULL, NULL),
	('MX1', 'IV8', 'W5', 'SW', 'P16', '2018-01-01', '2019-03-01', NULL),
	('MX1', 'IV9', 'W1', 'SW', 'P16', '2019-04-15', NULL, 'LEFT');

INSERT INTO skpi.population (area_code, mid_year, age_from, age_to, population) VALUES
	('MX1', 2018, 0, 17, 20000), ('MX1', 2019, 0, 17, 25000);
INSERT INTO skpi.comparators (indicator, period_label, comparator, value) VALUES
	('cp_rate_per_10k', '2019/20 Q1', 'england', 43.7), ('cp_rate_per_10k', '2019/20 Q1', 'stat_neighbours', 40.0),
	('cla_rate_per_10k', '2019/20', 'england', 67);
INSERT INTO skpi.targets (indicator, period_label, target, amber_margin) VALUES
	('contacts_threshold_met_pct', '*', 85, 5),
	('cla_care_plan_pct', '2019/20 Q1', 70, 0),
	('icpc_15wd_pct', '*', 80, 10),
	('rereferrals_12m_pct', '*', 22, 5);
RESET client_min_messages;

SELECT skpi.build_reports('mssd', 'mkpi') AS theme_views;
SELECT view_name, rows FROM skpi.refresh_reports('mkpi')
WHERE view_name IN (SELECT theme FROM skpi.measure_catalogue) ORDER BY view_name;

-- theme_rows computes every theme at once: a Parallel Append of one _theme_rows call per theme
-- under a Gather, the costliest themes first, this session (the leader) only collecting rows.
CREATE FUNCTION pg_temp.plan_lines(q text) RETURNS SETOF text LANGUAGE plpgsql AS $f$
BEGIN
	RETURN QUERY EXECUTE 'EXPLAIN (COSTS OFF) ' || q;
END $f$;
BEGIN;
SET LOCAL max_parallel_workers_per_gather = 2;
SELECT regexp_replace(btrim(l), '^-> +| r(_[0-9]+)?$', '', 'g') AS plan_node, count(*)
FROM pg_temp.plan_lines(pg_get_viewdef('mkpi.theme_rows'::regclass)) l
GROUP BY 1 ORDER BY 1;
ROLLBACK;
SELECT array_agg(m[1] ORDER BY n) AS theme_order
FROM regexp_matches(pg_get_viewdef('mkpi.theme_rows'::regclass), '''(\w+)''::text AS theme', 'g') WITH ORDINALITY AS x(m, n);
-- Each theme view holds what its query gives when run by itself, in this session.
CREATE FUNCTION pg_temp.differing(th text) RETURNS bigint LANGUAGE plpgsql AS $f$
DECLARE
	n bigint;
BEGIN
	EXECUTE format('SELECT count(*) FROM ((SELECT * FROM (%1$s) q EXCEPT ALL SELECT * FROM mkpi.%2$I)'
				   ' UNION ALL (SELECT * FROM mkpi.%2$I EXCEPT ALL SELECT * FROM (%1$s) q)) d',
				   skpi._theme_query('mkpi', th), th) INTO n;
	RETURN n;
END $f$;
SELECT r.theme, count(*) AS rows, pg_temp.differing(r.theme) AS differing,
	   min(r.started) <= min(r.finished) AND max(r.finished) <= now() + interval '1 hour' AS timed
FROM mkpi.theme_rows r GROUP BY 1 ORDER BY 1;
-- Without parallel workers the session runs the theme queries itself, one after another: when
-- none may be planned, and when two are planned and none can be started.
BEGIN;
SET LOCAL max_parallel_workers_per_gather = 0;
SELECT count(*) AS views_refreshed FROM skpi.refresh_reports('mkpi');
SELECT r.theme, count(*) AS rows, pg_temp.differing(r.theme) AS differing FROM mkpi.theme_rows r GROUP BY 1 ORDER BY 1;
COMMIT;
BEGIN;
SET LOCAL max_parallel_workers = 0;
SELECT count(*) AS views_refreshed FROM skpi.refresh_reports('mkpi');
SELECT r.theme, count(*) AS rows, pg_temp.differing(r.theme) AS differing FROM mkpi.theme_rows r GROUP BY 1 ORDER BY 1;
COMMIT;

-- What the normalisation left out (and why), and the optional inputs.
SELECT area_code, source_table, source_id, rule FROM mkpi.data_quality ORDER BY 1, 2, 3;
SELECT * FROM mkpi.inputs_available ORDER BY 1;
SELECT area_code, period_type, count(*) AS periods, min(period_start) AS first, max(period_end) AS last
FROM mkpi.report_periods GROUP BY 1, 2 ORDER BY 1, 2;

-- 2019/20 Q1 of MX1 through the whole layer: the same answers as sql/measures.sql except
-- assessments_45wd_pct (A4 now has a start date: 3/5), with comparators, targets and RAG.
SELECT theme, measure, breakdown, numerator, denominator, round(value, 2) AS value,
	   england, stat_neighbours, target, rag
FROM mkpi.measures WHERE area_code = 'MX1' AND period_label = '2019/20 Q1'
ORDER BY theme, measure, breakdown;

-- MX2: its own plan for P10 is not a repeat, no population estimate.
SELECT theme, measure, breakdown, numerator, denominator, round(value, 2) AS value
FROM mkpi.measures WHERE area_code = 'MX2' AND period_label = '2019/20 Q1'
  AND (numerator <> 0 OR breakdown LIKE 'unavailable%')
ORDER BY theme, measure, breakdown;

-- 2019/20: C8 (31 March 2020, schools, no referral) joins the year's contacts: 7, threshold 3/6;
-- stocks at 31 March 2020 as worked in sql/measures.sql.
SELECT measure, breakdown, numerator, denominator, round(value, 2) AS value, england
FROM mkpi.measures WHERE area_code = 'MX1' AND period_label = '2019/20'
  AND measure IN ('contacts', 'contacts_threshold_met_pct', 'cla_open', 'cla_rate_per_10k',
				  'cla_3plus_placements_pct', 'cla_long_term_stability_pct', 'care_leavers_in_touch_pct')
  AND breakdown IN ('', 'average per month', 'national', 'local', 'schools')
ORDER BY measure, breakdown;

-- published hides counts from 1 to 5 (and the cells that would reveal them).
SELECT measure, breakdown, numerator, denominator, round(value, 2) AS value, suppressed
FROM mkpi.published WHERE area_code = 'MX1' AND period_label = '2019/20 Q1'
  AND measure IN ('cp_open', 'cp_new', 'contacts', 'cla_open', 'cla_started', 'cp_rate_per_10k')
  AND breakdown = ''
ORDER BY measure;

-- The HTML scorecard of the quarter: every section, the trio and rank tables, a chart per
-- monthly series, suppressed cells as c, comparators and RAG.
SELECT s.title, position('<h3>' || s.title || '</h3>' IN h.html) > 0 AS has_section
FROM (SELECT skpi.scorecard_html('mkpi', '2019/20 Q1') AS html) h,
	 unnest(ARRAY['Front door', 'Assessments and risk factors', 'Child protection', 'Children in need',
				  'Looked after', 'Care leavers', 'Missing', 'Workforce']) AS s(title)
WHERE h.html LIKE '%<h2>Area MX1</h2>%';
SELECT (length(h.html) - length(replace(h.html, '<svg ', ''))) / 5 AS charts,
	   h.html LIKE '%id="chart-MX1-contacts"%' AS contacts_chart,
	   h.html LIKE '%id="chart-MX1-cp_rate_per_10k"%' AS cp_chart,
	   h.html LIKE '%id="chart-MX1-cla_open"%' AS cla_chart,
	   h.html LIKE '%<table class="trio">%' AS trio_table,
	   h.html LIKE '%<td>Parent/Carer</td><td>domestic abuse (3B)</td><td class="num">1</td>%' AS rank_table,
	   h.html LIKE '%<td class="num suppressed"><abbr title="suppressed: small number">c</abbr></td>%' AS suppressed_cells,
	   h.html LIKE '%<td class="num">43.7</td><td class="num">40.0</td>%' AS comparators,
	   h.html LIKE '%<td class="num">85.0%%</td><td class="rag rag-none"></td>%' AS target_of_suppressed_cell,
	   h.html LIKE '%2018/19 Q1%' AS year_earlier,
	   h.html LIKE '<!DOCTYPE html>%</html>' || E'\n' AS whole_page
FROM (SELECT skpi.scorecard_html('mkpi', '2019/20 Q1') AS html) h;
-- Built with nothing suppressed (min_count 1), RAG shows.
SELECT skpi.build_reports('mssd', 'mkpi', 1) AS theme_views;
SELECT count(*) AS theme_views_refreshed FROM skpi.refresh_reports('mkpi') r
WHERE r.view_name IN (SELECT theme FROM skpi.measure_catalogue);
SELECT h.html LIKE '%<td>Contacts reaching the social care threshold (%%)</td><td>schools</td><td class="num">50.0%%</td><td class="num none">&#8211;</td><td class="num"></td><td class="num"></td><td class="num">85.0%%</td><td class="rag rag-red">red</td></tr>%' AS red,
	   h.html LIKE '%<td>Re-referrals within 12 months (%%)</td><td></td><td class="num">25.0%%</td>%<td class="rag rag-amber">amber</td>%' AS amber,
	   h.html LIKE '%<td>Children looked after with a care plan (%%)</td><td></td><td class="num">71.4%%</td>%<td class="rag rag-green">green</td>%' AS green,
	   h.html NOT LIKE '%class="num suppressed"%' AS nothing_suppressed
FROM (SELECT skpi.scorecard_html('mkpi', '2019/20 Q1') AS html) h;
SELECT skpi.scorecard_html('mkpi', '2031/32 Q1');
SELECT skpi.scorecard_html('no_such_schema', '2019/20 Q1');

SET client_min_messages = warning;
DROP SCHEMA mkpi CASCADE;
DROP SCHEMA mssd CASCADE;
DELETE FROM skpi.population WHERE area_code IN ('MX1', 'MX2');
DELETE FROM skpi.comparators WHERE indicator IN ('cp_rate_per_10k', 'cla_rate_per_10k') AND period_label IN ('2019/20 Q1', '2019/20');
DELETE FROM skpi.targets WHERE indicator IN ('contacts_threshold_met_pct', 'cla_care_plan_pct', 'icpc_15wd_pct', 'rereferrals_12m_pct');
RESET client_min_messages;
