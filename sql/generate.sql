-- generate_ssd: the synthetic SSD generator. One council over two years (2018/19 and 2019/20)
-- keeps the test fast; the model has the same rates at any length.
SET client_min_messages = warning;

-- Runs a statement and returns its SQLSTATE and message (or 'ok').
CREATE FUNCTION pg_temp.try(stmt text) RETURNS text LANGUAGE plpgsql AS $$
BEGIN
	EXECUTE stmt;
	RETURN 'ok';
EXCEPTION WHEN OTHERS THEN
	RETURN SQLSTATE || ': ' || SQLERRM;
END
$$;

-- md5 of every row of a table, in a fixed order.
CREATE FUNCTION pg_temp.checksum(sch text, tab text) RETURNS text LANGUAGE plpgsql AS $$
DECLARE
	r text;
BEGIN
	EXECUTE format('SELECT md5(string_agg(t::text, E''\n'' ORDER BY t::text)) FROM %I.%I t', sch, tab)
		INTO r;
	RETURN r;
END
$$;

-- Counts, per dirty kind, the rows of the denominator and the dirty ones.
CREATE FUNCTION pg_temp.dirty_counts(sch text)
RETURNS TABLE (kind text, table_name text, column_name text, rate float8, denom bigint, dirty bigint)
LANGUAGE plpgsql AS $$
DECLARE
	r record;
BEGIN
	FOR r IN SELECT * FROM skpi.generator_dirty_rates g ORDER BY 1, 2, 3 LOOP
		kind := r.kind; table_name := r.table_name; column_name := r.column_name; rate := r.rate;
		EXECUTE format('SELECT count(*) FROM %I.%I t WHERE %s', sch, r.table_name,
					   replace(r.denominator, '{schema}', quote_ident(sch))) INTO denom;
		EXECUTE format('SELECT count(*) FROM %I.%I t WHERE (%s) AND (%s)', sch, r.table_name,
					   replace(r.denominator, '{schema}', quote_ident(sch)),
					   replace(r.detect, '{schema}', quote_ident(sch))) INTO dirty;
		RETURN NEXT;
	END LOOP;
END
$$;

-- Bad arguments: SQLSTATE 22023 (22004 for a NULL) and a message naming the value.
SELECT a AS argument, pg_temp.try(format('SELECT skpi.generate_ssd(%s)', a)) AS result
FROM (VALUES ('NULL, 1, 1, 1'), ($$'', 1, 1, 1$$), ($$'a"; drop table x; --', 1, 1, 1$$),
			 ($$'Mixed_Case', 1, 1, 1$$), ($$'pg_catalog', 1, 1, 1$$), ($$'skpi', 1, 1, 1$$),
			 ($$'public', 1, 1, 1$$), ($$'pg_mine', 1, 1, 1$$), ($$'information_schema', 1, 1, 1$$),
			 ($$'gen_bad', 0, 1, 1$$), ($$'gen_bad', -3, 1, 1$$), ($$'gen_bad', 1001, 1, 1$$),
			 ($$'gen_bad', NULL, 1, 1$$), ($$'gen_bad', 1, 0, 1$$), ($$'gen_bad', 1, 21, 1$$),
			 ($$'gen_bad', 1, NULL, 1$$), ($$'gen_bad', 1, 1, NULL$$)) AS v(a);
SELECT count(*) AS schemas_created_by_bad_calls FROM pg_namespace WHERE nspname LIKE 'gen\_bad%';
-- A role that may not change skpi.population is stopped before any work (42501).
CREATE ROLE gen_no_rights;
SET ROLE gen_no_rights;
SELECT pg_temp.try($$SELECT skpi.generate_ssd('gen_denied', 1, 1, 1)$$) AS result;
RESET ROLE;
SELECT count(*) AS schemas_created_without_rights FROM pg_namespace WHERE nspname = 'gen_denied';
DROP ROLE gen_no_rights;

-- One council, two years.
SELECT skpi.generate_ssd('gen_a', 1, 2, 1) AS rows_a \gset
-- The return value is the number of rows written (tables and skpi.population).
SELECT :rows_a = (SELECT sum((xpath('/row/n/text()',
				  query_to_xml(format('SELECT count(*) AS n FROM gen_a.%I', c.relname), false, true, '')))[1]::text::bigint)
				  FROM pg_class c WHERE c.relnamespace = 'gen_a'::regnamespace AND c.relkind = 'r')
				 + (SELECT count(*) FROM skpi.population WHERE area_code = 'X10000001')
	   AS return_value_is_rows_written;

-- Tables, columns and types: the SSD names and types of inputs.md, plus area_code.
SELECT c.relname AS table_name,
	   string_agg(a.attname || ' ' || format_type(a.atttypid, a.atttypmod), ', ' ORDER BY a.attnum) AS columns
FROM pg_class c JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
WHERE c.relnamespace = 'gen_a'::regnamespace AND c.relkind = 'r'
GROUP BY c.relname ORDER BY c.relname;

-- Every table has rows, all of council 1's area code.
SELECT c.relname AS table_name,
	   (xpath('/row/n/text()', query_to_xml(format('SELECT count(*) > 0 AS n FROM gen_a.%I', c.relname), false, true, '')))[1]::text AS has_rows,
	   (xpath('/row/a/text()', query_to_xml(format('SELECT string_agg(DISTINCT area_code, '','') AS a FROM gen_a.%I', c.relname), false, true, '')))[1]::text AS area_codes
FROM pg_class c WHERE c.relnamespace = 'gen_a'::regnamespace AND c.relkind = 'r'
ORDER BY 1;

-- Determinism (one year): the same seed gives byte-identical tables (generating again into
-- the same schema replaces them), another seed other rows, and a council's rows do not depend
-- on how many councils are generated with it.
SELECT skpi.generate_ssd('gen_b', 1, 1, 1) AS rows_b \gset
CREATE TEMP TABLE sums AS
SELECT c.relname AS table_name, pg_temp.checksum('gen_b', c.relname) AS sum
FROM pg_class c WHERE c.relnamespace = 'gen_b'::regnamespace AND c.relkind = 'r';
-- A view over a generated table survives regeneration (the table is emptied and refilled); a
-- table whose shape changed is replaced.
CREATE VIEW gen_b.cp_count AS SELECT count(*) AS n FROM gen_b.ssd_cp_plans;
ALTER TABLE gen_b.ssd_family ADD COLUMN extra int;
SELECT skpi.generate_ssd('gen_b', 1, 1, 1) = :rows_b AS same_row_count;
SELECT n = (SELECT count(*) FROM gen_b.ssd_cp_plans) AND n > 0 AS view_sees_new_rows FROM gen_b.cp_count;
SELECT count(*) AS extra_columns_left FROM pg_attribute
WHERE attrelid = 'gen_b.ssd_family'::regclass AND attname = 'extra';
DROP VIEW gen_b.cp_count;
SELECT skpi.generate_ssd('gen_d', 1, 1, 2) > 0 AS other_seed_ran;
SELECT skpi.generate_ssd('gen_e', 2, 1, 1) > 0 AS two_councils_ran;
SELECT s.table_name,
	   s.sum = pg_temp.checksum('gen_b', s.table_name) AS same_seed_identical,
	   s.sum <> pg_temp.checksum('gen_d', s.table_name) AS other_seed_differs
FROM sums s ORDER BY 1;
SELECT area_code, count(*) > 0 AS has_contacts FROM gen_e.ssd_contacts GROUP BY 1 ORDER BY 1;
SELECT pg_temp.checksum('gen_b', 'ssd_contacts') =
	   (SELECT md5(string_agg(t::text, E'\n' ORDER BY t::text)) FROM gen_e.ssd_contacts t WHERE area_code = 'X10000001')
	   AS council_1_independent_of_council_count;
SELECT count(DISTINCT area_code) AS population_areas FROM skpi.population WHERE area_code IN ('X10000001', 'X10000002');
DROP SCHEMA gen_b CASCADE;
DROP SCHEMA gen_d CASCADE;
DROP SCHEMA gen_e CASCADE;

-- Population: one row per single age 0-17 and mid-year 2018-2020, about 117,000 children.
SELECT mid_year, count(*) AS ages, min(age_from) AS min_age, max(age_to) AS max_age,
	   sum(population) BETWEEN 114000 AND 120000 AS about_117000
FROM skpi.population WHERE area_code = 'X10000001' GROUP BY mid_year ORDER BY mid_year;

-- Front door, 2018/19 and 2019/20: contacts a month, and the share of each source group's
-- contacts that led to a referral (the seed: schools 77%, health 42%, police 30%).
SELECT sum(n) / 24 BETWEEN 750 AND 950 AS contacts_a_month_750_to_950,
	   min(n) >= 600 AND max(n) <= 1100 AS every_month_600_to_1100, count(*) AS months
FROM (SELECT date_trunc('month', cont_contact_date), count(*) AS n FROM gen_a.ssd_contacts GROUP BY 1) m;
SELECT g.grp,
	   round(100.0 * avg((c.cont_contact_outcome_json ~ '"(NEW_REFERRAL|EXISTING_REFERRAL|CP_ENQUIRY)_FLAG":"Y"')::int)) BETWEEN g.lo AND g.hi AS threshold_rate_in_band
FROM gen_a.ssd_contacts c
JOIN (VALUES ('schools', '^2', 70, 84), ('health', '^3', 36, 48), ('police', '^6$', 25, 35)) AS g(grp, re, lo, hi)
  ON c.cont_contact_source_code ~ g.re
GROUP BY g.grp, g.lo, g.hi ORDER BY g.grp;

-- Referrals a year and re-referrals within 12 months (2019/20).
SELECT count(*) BETWEEN 4000 AND 5500 AS referrals_4000_to_5500,
	   round(100.0 * avg(coalesce(prev >= cine_referral_date - interval '12 months', false)::int)) BETWEEN 15 AND 25
		   AS rereferrals_15_to_25_pct
FROM (SELECT r.cine_referral_date,
			 lag(r.cine_referral_date) OVER (PARTITION BY r.cine_person_id ORDER BY r.cine_referral_date) AS prev
	  FROM gen_a.ssd_cin_episodes r) x
WHERE cine_referral_date >= '2019-04-01';

-- Assessments authorised in 2019/20 within 45 weekdays of their start (80-92%).
SELECT round(100.0 * avg((n <= 45)::int)) BETWEEN 80 AND 92 AS assessments_45_weekdays_80_to_92_pct
FROM gen_a.ssd_cin_assessments a,
	 LATERAL (SELECT count(*) AS n FROM generate_series(a.cina_assessment_start_date + interval '1 day',
				a.cina_assessment_auth_date, interval '1 day') d WHERE extract(isodow FROM d) < 6) w
WHERE a.cina_assessment_auth_date >= '2019-04-01';

-- Factor lists of the assessments authorised in 2019/20 (well-formed lists of known shape):
-- the toxic trio (the seed: any 66%, all three 7%, all three for the parent 5%) and the top
-- factors (parent domestic abuse 31%, parent mental health 27%, child emotional abuse 25%).
CREATE TEMP TABLE f AS
SELECT a.cinf_assessment_id AS id,
	   ARRAY(SELECT upper(m[1]) FROM regexp_matches(a.cinf_assessment_factors_json, '"([0-9A-Za-z]+)"', 'g') m) AS codes
FROM gen_a.ssd_assessment_factors a JOIN gen_a.ssd_cin_assessments s ON s.cina_assessment_id = a.cinf_assessment_id
WHERE s.cina_assessment_auth_date >= '2019-04-01' AND a.cinf_assessment_factors_json ~ '^\[.*\]$'
  AND a.cinf_assessment_factors_json !~ '''' AND a.cinf_assessment_factors_json <> '["21"]';
SELECT round(100.0 * avg((codes && '{3A,3B,3C,4A,4B,4C,1A,1B,1C,2A,2B,2C}')::int)) BETWEEN 60 AND 72 AS trio_any_60_to_72,
	   round(100.0 * avg((codes && '{3A,3B,3C}' AND codes && '{4A,4B,4C}' AND codes && '{1A,1B,1C,2A,2B,2C}')::int)) BETWEEN 5 AND 10 AS trio_all_5_to_10,
	   round(100.0 * avg((codes @> '{3B,4B}' AND codes && '{1B,2B}')::int)) BETWEEN 3 AND 8 AS trio_parent_3_to_8
FROM f;
SELECT code, round(100.0 * count(*) / (SELECT count(*) FROM f)) BETWEEN lo AND hi AS pct_in_band
FROM f, unnest(codes) AS code
JOIN (VALUES ('3B', 27, 35), ('4B', 23, 31), ('17A', 21, 29), ('16A', 15, 22), ('2B', 12, 19)) AS b(c, lo, hi) ON b.c = code
GROUP BY code, lo, hi ORDER BY code;

-- Child protection: open plans at every month end (400-480), ICPCs within 15 weekdays of the
-- strategy discussion, S47s leading to an ICPC, repeat plans within 2 years (13-16% in the
-- seed; 9-20% here over one year of plans).
SELECT min(n) >= 400 AS cp_at_least_400, max(n) <= 480 AS cp_at_most_480
FROM (SELECT (SELECT count(DISTINCT p.cppl_person_id) FROM gen_a.ssd_cp_plans p
			  WHERE p.cppl_cp_plan_start_date <= d
				AND (p.cppl_cp_plan_end_date IS NULL OR p.cppl_cp_plan_end_date > d)) AS n
	  FROM generate_series(date '2018-05-01', date '2020-04-01', interval '1 month') AS m(m),
		   LATERAL (SELECT (m - interval '1 day')::date AS d) d) x;
SELECT round(100.0 * count(i.*) / count(*)) BETWEEN 35 AND 55 AS s47_to_icpc_35_to_55_pct
FROM gen_a.ssd_s47_enquiry s LEFT JOIN gen_a.ssd_initial_cp_conference i ON i.icpc_s47_enquiry_id = s.s47e_s47_enquiry_id
WHERE s.s47e_s47_start_date >= '2019-04-01' AND s.s47e_s47_start_date < '2020-02-01';
SELECT round(100.0 * avg((n <= 15)::int)) BETWEEN 78 AND 92 AS icpc_15_weekdays_78_to_92_pct
FROM gen_a.ssd_initial_cp_conference i JOIN gen_a.ssd_s47_enquiry s ON s.s47e_s47_enquiry_id = i.icpc_s47_enquiry_id,
	 LATERAL (SELECT count(*) AS n FROM generate_series(s.s47e_s47_start_date + interval '1 day',
				i.icpc_icpc_date, interval '1 day') d WHERE extract(isodow FROM d) < 6) w
WHERE i.icpc_icpc_date >= '2019-04-01';
SELECT round(100.0 * avg((EXISTS (SELECT 1 FROM gen_a.ssd_cp_plans q
			WHERE q.cppl_person_id = p.cppl_person_id AND q.cppl_cp_plan_start_date < p.cppl_cp_plan_start_date
			  AND (q.cppl_cp_plan_end_date IS NULL OR q.cppl_cp_plan_end_date >= p.cppl_cp_plan_start_date - interval '2 years')))::int))
		   BETWEEN 9 AND 20 AS cp_repeat_2y_9_to_20_pct
FROM gen_a.ssd_cp_plans p WHERE p.cppl_cp_plan_start_date >= '2019-04-01';

-- Children in need (open referrals) and looked after at 31 March, and looked after at every
-- month end (children only on short breaks V3/V4 would not count; the generator writes none).
SELECT (SELECT count(DISTINCT cine_person_id) FROM gen_a.ssd_cin_episodes
		WHERE cine_referral_date <= d AND (cine_close_date IS NULL OR cine_close_date > d OR cine_close_date < '1901-01-01'))
		BETWEEN 3000 AND 3800 AS cin_3000_to_3800,
	   (SELECT count(DISTINCT clae_person_id) FROM gen_a.ssd_cla_episodes
		WHERE clae_cla_episode_start_date <= d AND (clae_cla_episode_ceased_date IS NULL OR clae_cla_episode_ceased_date > d))
		BETWEEN 720 AND 880 AS cla_720_to_880
FROM (VALUES (date '2019-03-31'), (date '2020-03-31')) AS v(d);
SELECT (SELECT count(*) FROM gen_a.ssd_legal_status WHERE lega_legal_status IN ('V3', 'V4')) AS short_break_statuses,
	   round(100.0 * avg((l.lega_legal_status = 'V2')::int)) BETWEEN 15 AND 25 AS v2_share_of_starts_15_to_25
FROM gen_a.ssd_cla_episodes e
JOIN gen_a.ssd_legal_status l ON l.lega_person_id = e.clae_person_id
 AND l.lega_legal_status_start_date = e.clae_cla_episode_start_date
WHERE e.clae_cla_episode_start_reason = 'S' AND e.clae_cla_episode_start_date >= '2018-04-01'
  AND l.lega_legal_status ~ '^[A-Z][0-9]$';

-- Looked-after structure: every episode of a period of care but the last ends X1 (or its
-- description), start reasons S/L/P/T/B/U, temporary placements T0-T4, unknown distances.
SELECT clae_cla_episode_start_reason AS rne, count(*) > 0 AS present
FROM gen_a.ssd_cla_episodes WHERE length(clae_cla_episode_start_reason) = 1
GROUP BY 1 ORDER BY 1;
SELECT count(*) FILTER (WHERE clap_cla_placement_type ~ '^T[0-4]$') > 0 AS temporary_placements,
	   count(*) FILTER (WHERE clap_cla_placement_distance = 999.9) > 0 AS unknown_distances,
	   round(100.0 * avg((clap_cla_placement_distance > 20)::int) FILTER (WHERE clap_cla_placement_distance <> 999.9)) BETWEEN 8 AND 25 AS over_20_miles_8_to_25_pct
FROM gen_a.ssd_cla_placement;
SELECT count(*) = 0 AS episodes_chain_day_to_day
FROM (SELECT e.clae_cla_episode_ceased_date, e.clae_cla_episode_ceased_reason,
			 lead(e.clae_cla_episode_start_date) OVER w AS next_start
	  FROM gen_a.ssd_cla_episodes e
	  WINDOW w AS (PARTITION BY e.clae_cla_id ORDER BY e.clae_cla_episode_start_date)) x
WHERE next_start IS NOT NULL AND next_start <> clae_cla_episode_ceased_date;

-- Care leavers, latest status at 31 March 2020 of those aged 18-21 (the seed: in touch 85%,
-- suitable accommodation 89%, in education, employment or training 61%, a few in B&B).
SELECT round(100.0 * avg((x.clea_care_leaver_in_touch = 'YES')::int)) BETWEEN 78 AND 92 AS in_touch_78_to_92,
	   round(100.0 * avg((x.clea_care_leaver_accom_suitable = 'Y')::int) FILTER (WHERE x.clea_care_leaver_in_touch = 'YES')) BETWEEN 82 AND 95 AS suitable_82_to_95,
	   round(100.0 * avg((x.clea_care_leaver_activity ~ '^[FP]')::int) FILTER (WHERE x.clea_care_leaver_in_touch = 'YES')) BETWEEN 53 AND 69 AS eet_53_to_69,
	   (SELECT count(*) FROM gen_a.ssd_care_leavers WHERE clea_care_leaver_accommodation = 'W2') > 0 AS some_bed_and_breakfast
FROM (SELECT DISTINCT ON (l.clea_person_id) l.*
	  FROM gen_a.ssd_care_leavers l JOIN gen_a.ssd_person p ON p.pers_person_id = l.clea_person_id
	  WHERE l.clea_care_leaver_latest_contact BETWEEN '1901-01-01' AND '2020-03-31'
		AND p.pers_dob > date '2020-03-31' - interval '22 years'
	  ORDER BY l.clea_person_id, l.clea_care_leaver_latest_contact DESC) x;

-- Missing episodes in April-June 2019 (the seed: 84 children missing from home, 40 from care),
-- and return home interviews.
SELECT in_care, count(DISTINCT m.miss_person_id) BETWEEN lo AND hi AS children_in_band
FROM gen_a.ssd_missing m
CROSS JOIN LATERAL (SELECT EXISTS (SELECT 1 FROM gen_a.ssd_cla_episodes e WHERE e.clae_person_id = m.miss_person_id
		AND e.clae_cla_episode_start_date <= m.miss_missing_episode_start_date
		AND (e.clae_cla_episode_ceased_date IS NULL OR e.clae_cla_episode_ceased_date > m.miss_missing_episode_start_date)) AS in_care) c
JOIN (VALUES (false, 60, 130), (true, 20, 60)) AS b(care, lo, hi) ON b.care = c.in_care
WHERE m.miss_missing_episode_start_date >= '2019-04-01' AND m.miss_missing_episode_start_date < '2019-07-01'
GROUP BY in_care, lo, hi ORDER BY in_care;
SELECT miss_missing_episode_type AS type, count(*) > 0 AS present FROM gen_a.ssd_missing GROUP BY 1 ORDER BY 1;

-- Workers: social workers' mean caseload, agency share, changes of worker.
SELECT round(avg(prof_professional_caseload)) BETWEEN 12 AND 24 AS sw_caseload_12_to_24,
	   round(100.0 * avg((prof_agency_worker_flag = 'Y')::int)) BETWEEN 8 AND 25 AS agency_8_to_25_pct
FROM gen_a.ssd_professionals WHERE prof_professional_job_title IN ('Social Worker', 'Senior Social Worker', 'Advanced Practitioner');
SELECT count(*) FILTER (WHERE invo_worker_change_reason IS NOT NULL) > 0 AS worker_changes,
	   count(DISTINCT invo_professional_role_id) AS roles
FROM gen_a.ssd_involvements;

-- Families: sibling groups of 3 or more exist; every child of a CP plan is in ssd_family.
SELECT count(*) FILTER (WHERE n >= 3) > 0 AS sibling_groups_of_3_plus
FROM (SELECT count(*) AS n FROM gen_a.ssd_family GROUP BY fami_family_id) x;
SELECT count(*) AS cp_children_without_family
FROM gen_a.ssd_cp_plans p WHERE NOT EXISTS (SELECT 1 FROM gen_a.ssd_family f WHERE f.fami_person_id = p.cppl_person_id);

-- Every documented dirty kind is present at its rate (within 4 standard deviations + 2 rows).
SELECT kind, table_name, column_name, rate, dirty > 0 AS present,
	   abs(dirty - rate * denom) <= 4 * sqrt(rate * denom) + 2 AS rate_ok
FROM pg_temp.dirty_counts('gen_a');
-- Descriptions written instead of codes all come from generator_code_descriptions.
SELECT 'legal_status' AS field, count(*) AS unknown_descriptions FROM gen_a.ssd_legal_status
WHERE lega_legal_status !~ '^[A-Z][0-9]$' AND lega_legal_status NOT IN
	(SELECT raw_value FROM skpi.generator_code_descriptions WHERE field = 'legal_status')
UNION ALL
SELECT 'rne', count(*) FROM gen_a.ssd_cla_episodes WHERE length(clae_cla_episode_start_reason) > 1
  AND clae_cla_episode_start_reason NOT IN (SELECT raw_value FROM skpi.generator_code_descriptions WHERE field = 'rne')
UNION ALL
SELECT 'rec', count(*) FROM gen_a.ssd_cla_episodes WHERE clae_cla_episode_ceased_reason !~ '^[A-Z][0-9A-Z]{1,2}$'
  AND clae_cla_episode_ceased_reason NOT IN (SELECT raw_value FROM skpi.generator_code_descriptions WHERE field = 'rec')
UNION ALL
SELECT 'cp_category', count(*) FROM gen_a.ssd_cp_plans WHERE cppl_cp_plan_initial_category !~ '^[A-Z]{3}$'
  AND cppl_cp_plan_initial_category NOT IN (SELECT raw_value FROM skpi.generator_code_descriptions WHERE field = 'cp_category')
UNION ALL
SELECT 'cl_accommodation', count(*) FROM gen_a.ssd_care_leavers WHERE clea_care_leaver_accommodation !~ '^[A-Z][12]$'
  AND clea_care_leaver_accommodation NOT IN (SELECT raw_value FROM skpi.generator_code_descriptions WHERE field = 'cl_accommodation')
UNION ALL
SELECT 'cl_activity', count(*) FROM gen_a.ssd_care_leavers WHERE clea_care_leaver_activity !~ '^[A-Z][0-9]$'
  AND clea_care_leaver_activity NOT IN (SELECT raw_value FROM skpi.generator_code_descriptions WHERE field = 'cl_activity');

DROP SCHEMA gen_a CASCADE;
DELETE FROM skpi.population WHERE area_code IN ('X10000001', 'X10000002');
