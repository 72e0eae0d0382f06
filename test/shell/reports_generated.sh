#!/bin/bash
# Data quality on generated data: every kind of dirty row that skpi.generate_ssd writes on
# purpose (skpi.generator_dirty_rates) is handled the way the report layer promises: listed in
# data_quality under the right rule and left out of the n_ views the measures read, or kept with
# the unreadable value NULL, or (descriptions, 1900 dates of optional columns, NA flags) read as
# the code or NULL they stand for. build_reports and refresh_reports succeed on two councils.
set -euo pipefail
PSQL="$SKPI_PGBIN/psql -X -v ON_ERROR_STOP=1 -q"
DB=skpi_reports_generated_$$
trap 'PGOPTIONS="-c client_min_messages=warning" $PSQL -d postgres -c "DROP DATABASE IF EXISTS $DB WITH (FORCE)" >/dev/null 2>&1 || true' EXIT

$PSQL -d postgres -c "CREATE DATABASE $DB"
$PSQL -d $DB -c "SET client_min_messages = warning; CREATE EXTENSION safeguarding_kpi"
if [ "$($PSQL -At -d $DB -c "SELECT to_regproc('skpi.generate_ssd') IS NOT NULL AND to_regclass('skpi.generator_dirty_rates') IS NOT NULL")" != t ]; then
	echo "skipped: skpi.generate_ssd and skpi.generator_dirty_rates are not installed"
	exit 0
fi

# One council, one year: the generator writes every dirty kind at its rate.
start=$(date +%s)
$PSQL -d $DB -c "SELECT skpi.generate_ssd('gen', 1, 1, 3)" >/dev/null
echo "generated in $(( $(date +%s) - start ))s"
# build_reports refreshes every view (the normalisation layer, each theme, the suppressed cells).
start=$(date +%s)
$PSQL -d $DB -c "SELECT skpi.build_reports('gen', 'kpi')" >/dev/null
echo "built and refreshed in $(( $(date +%s) - start ))s"
$PSQL -At -d $DB -c "SELECT theme || ': ' || count(*) || ' rows, ' || count(*) FILTER (WHERE suppressed) || ' suppressed' FROM kpi.published GROUP BY theme ORDER BY theme"

$PSQL -d $DB <<'SQL'
SET client_min_messages = notice;
CREATE TEMP TABLE handling (kind text, table_name text, column_name text, checked text, src_id text, id_col text,
							value_col text, expect text, extra text DEFAULT 'true');
-- How each kind of dirty row must come out: checked_ view, the source and checked id columns
-- (rows are matched per council on them), the normalised column, and the outcome:
--   excluded:<rule>  listed under rule, not usable (an earlier rule of the same row may win,
--                    but the row is never usable);
--   kept:<rule>      listed under rule, usable, value column NULL;
--   null             usable or not, the value column is NULL and no rule is about this column;
--   code             not listed as unknown_code, value column is the code the description stands for.
INSERT INTO handling (kind, table_name, column_name, checked, src_id, id_col, value_col, expect, extra) VALUES
	('date_1900', 'ssd_person', 'pers_dob', 'checked_person', 'pers_person_id', 'person_id', 'dob', 'kept:missing_dob', 'true'),
	('missing_dob', 'ssd_person', 'pers_dob', 'checked_person', 'pers_person_id', 'person_id', 'dob', 'kept:missing_dob', 'true'),
	('date_1900', 'ssd_cin_episodes', 'cine_close_date', 'checked_referrals', 'cine_referral_id', 'referral_id', 'close_date', 'null', 'true'),
	('date_1900', 'ssd_cin_assessments', 'cina_assessment_auth_date', 'checked_assessments', 'cina_assessment_id', 'assessment_id', 'auth_date', 'null', 'true'),
	('date_1900', 'ssd_cp_visits', 'cppv_cp_visit_date', 'checked_cp_visits', 'cppv_cp_visit_id', 'visit_id', 'visit_date', 'excluded:missing_date', 'true'),
	('date_1900', 'ssd_cla_reviews', 'clar_cla_review_date', 'checked_cla_reviews', 'clar_cla_review_id', 'review_id', 'review_date', 'null', 'true'),
	('date_1900', 'ssd_care_leavers', 'clea_care_leaver_latest_contact', 'checked_care_leavers', 'clea_person_id', 'person_id', 'latest_contact', 'null', 'c.latest_contact IS NOT DISTINCT FROM (CASE WHEN t.clea_care_leaver_latest_contact >= ''1901-01-01'' THEN t.clea_care_leaver_latest_contact::date END)'),
	('date_1900', 'ssd_involvements', 'invo_involvement_end_date', 'checked_involvements', 'invo_involvements_id', 'involvement_id', 'end_date', 'null', 'true'),
	('description', 'ssd_legal_status', 'lega_legal_status', 'checked_legal_status', 'lega_person_id', 'person_id', 'legal_status', 'code:legal_status', 'c.start_date IS NOT DISTINCT FROM (CASE WHEN t.lega_legal_status_start_date >= ''1901-01-01'' THEN t.lega_legal_status_start_date::date END)'),
	('description', 'ssd_cla_episodes', 'clae_cla_episode_start_reason', 'checked_cla_episodes', 'clae_cla_episode_id', 'episode_id', 'rne', 'code:rne', 'true'),
	('description', 'ssd_cla_episodes', 'clae_cla_episode_ceased_reason', 'checked_cla_episodes', 'clae_cla_episode_id', 'episode_id', 'rec', 'code:rec', 'true'),
	('description', 'ssd_cp_plans', 'cppl_cp_plan_initial_category', 'checked_cp_plans', 'cppl_cp_plan_id', 'plan_id', 'initial_category', 'code:cp_category', 'true'),
	('description', 'ssd_care_leavers', 'clea_care_leaver_accommodation', 'checked_care_leavers', 'clea_person_id', 'person_id', 'accommodation', 'code:cl_accommodation', 'c.latest_contact IS NOT DISTINCT FROM (CASE WHEN t.clea_care_leaver_latest_contact >= ''1901-01-01'' THEN t.clea_care_leaver_latest_contact::date END)'),
	('description', 'ssd_care_leavers', 'clea_care_leaver_activity', 'checked_care_leavers', 'clea_person_id', 'person_id', 'activity', 'code:cl_activity', 'c.latest_contact IS NOT DISTINCT FROM (CASE WHEN t.clea_care_leaver_latest_contact >= ''1901-01-01'' THEN t.clea_care_leaver_latest_contact::date END)'),
	('end_before_start', 'ssd_cin_plans', 'cinp_cin_plan_end_date', 'checked_cin_plans', 'cinp_cin_plan_id', 'plan_id', NULL, 'excluded:end_before_start', 'true'),
	('end_before_start', 'ssd_cp_plans', 'cppl_cp_plan_end_date', 'checked_cp_plans', 'cppl_cp_plan_id', 'plan_id', NULL, 'excluded:end_before_start', 'true'),
	('end_before_start', 'ssd_missing', 'miss_missing_episode_end_date', 'checked_missing', 'miss_table_id', 'missing_id', NULL, 'excluded:end_before_start', 'true'),
	('end_before_start', 'ssd_involvements', 'invo_involvement_end_date', 'checked_involvements', 'invo_involvements_id', 'involvement_id', NULL, 'excluded:end_before_start', 'true'),
	('unknown_code', 'ssd_assessment_factors', 'cinf_assessment_factors_json', 'checked_assessment_factors', 'cinf_assessment_id', 'assessment_id', NULL, 'excluded:unknown_code', 'true'),
	('malformed_json', 'ssd_assessment_factors', 'cinf_assessment_factors_json', 'checked_assessment_factors', 'cinf_assessment_id', 'assessment_id', NULL, 'excluded:malformed_json', 'true'),
	('malformed_json', 'ssd_contacts', 'cont_contact_outcome_json', 'checked_contacts', 'cont_contact_id', 'contact_id', 'new_referral', 'kept:malformed_json', 'true'),
	('malformed_json', 'ssd_s47_enquiry', 's47e_s47_outcome_json', 'checked_s47', 's47e_s47_enquiry_id', 's47_id', 'cp_conference', 'kept:malformed_json', 'true'),
	('orphan_id', 'ssd_contacts', 'cont_person_id', 'checked_contacts', 'cont_contact_id', 'contact_id', NULL, 'excluded:orphan', 'true'),
	('orphan_id', 'ssd_cin_assessments', 'cina_referral_id', 'checked_assessments', 'cina_assessment_id', 'assessment_id', 'referral_date', 'kept:orphan', 'true'),
	('orphan_id', 'ssd_cp_visits', 'cppv_cp_plan_id', 'checked_cp_visits', 'cppv_cp_visit_id', 'visit_id', NULL, 'excluded:orphan', 'true'),
	('orphan_id', 'ssd_cla_reviews', 'clar_cla_id', 'checked_cla_reviews', 'clar_cla_review_id', 'review_id', NULL, 'excluded:orphan', 'true'),
	('orphan_id', 'ssd_involvements', 'invo_professional_id', 'checked_involvements', 'invo_involvements_id', 'involvement_id', NULL, 'excluded:orphan', 'true'),
	('duplicate_id', 'ssd_contacts', 'cont_contact_id', 'checked_contacts', 'cont_contact_id', 'contact_id', NULL, 'duplicate', 'true'),
	('na_flag', 'ssd_cp_visits', 'cppv_cp_visit_seen', 'checked_cp_visits', 'cppv_cp_visit_id', 'visit_id', 'seen', 'null', 'true'),
	('na_flag', 'ssd_cla_visits', 'clav_cla_visit_seen', 'checked_cla_visits', 'clav_cla_visit_id', 'visit_id', 'seen', 'null', 'true'),
	('na_flag', 'ssd_cla_reviews', 'clar_cla_review_cancelled', 'checked_cla_reviews', 'clar_cla_review_id', 'review_id', 'cancelled', 'null', 'true'),
	('na_flag', 'ssd_missing', 'miss_missing_rhi_offered', 'checked_missing', 'miss_table_id', 'missing_id', 'rhi_offered', 'null', 'true'),
	('na_flag', 'ssd_professionals', 'prof_agency_worker_flag', 'checked_professionals', 'prof_professional_id', 'professional_id', 'agency_worker', 'null', 'true');

DO $$
DECLARE
	d record;
	pred text;
	cond text;
	dirty bigint;
	bad bigint;
	failures int := 0;
	sample text;
BEGIN
	-- Every kind the generator writes has a handling, and the other way round.
	FOR d IN SELECT g.kind, g.table_name, g.column_name FROM skpi.generator_dirty_rates g
			 EXCEPT SELECT kind, table_name, column_name FROM handling LOOP
		RAISE WARNING 'no handling for dirty kind % of %.%', d.kind, d.table_name, d.column_name;
		failures := failures + 1;
	END LOOP;

	FOR d IN SELECT g.*, h.checked, h.src_id, h.id_col, h.value_col, h.expect, h.extra
			 FROM skpi.generator_dirty_rates g
			 JOIN handling h USING (kind, table_name, column_name)
			 ORDER BY g.kind, g.table_name, g.column_name LOOP
		pred := CASE WHEN d.expect = 'duplicate'
					 -- the generator's own test is a correlated count: group instead
					 THEN format('(t.area_code, t.%1$I) IN (SELECT x.area_code, x.%1$I FROM gen.%2$I x GROUP BY 1, 2 HAVING count(*) > 1)',
								 d.src_id, d.table_name)
					 ELSE format('(%s) AND (%s)', replace(d.denominator, '{schema}', 'gen'), replace(d.detect, '{schema}', 'gen')) END;
		cond := CASE
			WHEN d.expect LIKE 'excluded:%' THEN
				format('c.usable IS NOT FALSE OR c.dq_rule IS NULL OR (c.dq_rule <> %L AND c.dq_rule NOT IN (''missing_id'', ''duplicate_id'', ''missing_date'', ''orphan'', ''end_before_start''))',
					   split_part(d.expect, ':', 2))
			WHEN d.expect LIKE 'kept:%' THEN
				format('(c.usable AND (c.dq_rule IS DISTINCT FROM %L OR c.%I IS NOT NULL))'
					   ' OR (NOT c.usable AND c.dq_rule NOT IN (''missing_id'', ''duplicate_id'', ''missing_date'', ''orphan'', ''end_before_start''))',
					   split_part(d.expect, ':', 2), d.value_col)
			WHEN d.expect = 'null' THEN
				format('(c.usable AND c.%I IS NOT NULL) OR (NOT c.usable AND c.dq_rule IS NULL)', d.value_col)
			WHEN d.expect LIKE 'code:%' THEN
				format('c.dq_rule IS NOT DISTINCT FROM ''unknown_code'' OR c.%I IS NULL OR c.%I IS DISTINCT FROM '
					   '(SELECT m.code FROM skpi.code_map m WHERE m.field = %L AND upper(btrim(m.raw_value)) = upper(btrim(t.%I::text)))',
					   d.value_col, d.value_col, split_part(d.expect, ':', 2), d.column_name)
			WHEN d.expect = 'duplicate' THEN
				'false'
			END;
		IF d.expect = 'duplicate' THEN
			-- Each duplicated id: one usable row, the other copies listed as duplicate_id.
			EXECUTE format('SELECT count(DISTINCT (t.area_code, t.%1$I)), count(DISTINCT (t.area_code, t.%1$I)) FILTER (WHERE NOT ok)
							FROM gen.%2$I t
							CROSS JOIN LATERAL (SELECT
								(SELECT count(*) FROM kpi.%3$I c WHERE c.area_code = t.area_code AND c.%4$I = t.%1$I::text AND c.usable) = 1
								AND (SELECT count(*) FROM kpi.data_quality q WHERE q.area_code = t.area_code AND q.source_table = %5$L
									 AND q.source_id = t.%1$I::text AND q.rule = ''duplicate_id'')
									= (SELECT count(*) FROM gen.%2$I x WHERE x.area_code = t.area_code AND x.%1$I = t.%1$I) - 1 AS ok) o
							WHERE %6$s', d.src_id, d.table_name, d.checked, d.id_col, d.table_name, pred)
				INTO dirty, bad;
		ELSE
			EXECUTE format('SELECT count(*), count(*) FILTER (WHERE c.area_code IS NULL OR %1$s)
							FROM gen.%2$I t
							LEFT JOIN kpi.%3$I c ON c.area_code = t.area_code AND c.%4$I = t.%5$I::text AND %7$s
							WHERE %6$s', cond, d.table_name, d.checked, d.id_col, d.src_id, pred, d.extra)
				INTO dirty, bad;
		END IF;
		RAISE NOTICE '% %.%: % dirty rows (rate %), % handled wrongly', d.kind, d.table_name, d.column_name, dirty, d.rate, bad;
		IF dirty = 0 THEN
			-- Nothing to check; a failure only when the rate promised several such rows.
			EXECUTE format('SELECT count(*) FROM gen.%I t WHERE %s', d.table_name, replace(d.denominator, '{schema}', 'gen'))
				INTO bad;
			IF bad * d.rate >= 5 THEN
				RAISE WARNING 'no dirty row of kind % in %.% (about % expected)', d.kind, d.table_name, d.column_name, round(bad * d.rate);
				failures := failures + 1;
			ELSE
				RAISE NOTICE 'no dirty row of kind % in %.% to check (about % expected)', d.kind, d.table_name, d.column_name, round(bad * d.rate, 1);
			END IF;
			CONTINUE;
		END IF;
		IF bad > 0 THEN
			EXECUTE format('SELECT string_agg(format(''%%s (rule %%s, usable %%s) %%s'', t.%1$I, coalesce(c.dq_rule, ''-''), coalesce(c.usable::text, ''no checked row''), coalesce(left(c.dq_detail, 80), '''')), ''; '')
							FROM (SELECT t.%1$I, c.dq_rule, c.usable, c.dq_detail
								  FROM gen.%2$I t
								  LEFT JOIN kpi.%4$I c ON c.area_code = t.area_code AND c.%5$I = t.%1$I::text AND %6$s
								  WHERE %3$s AND (c.area_code IS NULL OR %7$s) LIMIT 3) c',
						   d.src_id, d.table_name, pred, d.checked, d.id_col, d.extra, cond) INTO sample;
			RAISE WARNING '% %.%: % rows handled wrongly, e.g. %', d.kind, d.table_name, d.column_name, bad, sample;
			failures := failures + 1;
		END IF;
	END LOOP;

	-- Descriptions the generator writes: the code it means and the code the map gives.
	FOR d IN SELECT g.field, g.raw_value, g.code, m.code AS mapped
			 FROM skpi.generator_code_descriptions g
			 LEFT JOIN skpi.code_map m ON m.field = g.field AND upper(btrim(m.raw_value)) = upper(btrim(g.raw_value))
			 WHERE m.code IS DISTINCT FROM g.code LOOP
		IF d.mapped IS NULL THEN
			RAISE WARNING 'code_map lacks % description %', d.field, quote_literal(d.raw_value);
			failures := failures + 1;
		ELSE
			RAISE NOTICE 'code_map maps % description % to %, the generator means %', d.field, quote_literal(d.raw_value), d.mapped, d.code;
		END IF;
	END LOOP;

	-- Every source row is in its checked_ view, and every rule is listed once.
	FOR d IN SELECT t.source_table, t.name FROM skpi._report_templates() t WHERE t.needs IS NULL OR t.needs LIKE '+%' LOOP
		CONTINUE WHEN to_regclass('gen.' || d.source_table) IS NULL;
		EXECUTE format('SELECT (SELECT count(*) FROM gen.%I), (SELECT count(*) FROM kpi.%I)', d.source_table, 'checked_' || d.name)
			INTO dirty, bad;
		IF dirty <> bad THEN
			RAISE WARNING '%: % source rows, % checked', d.source_table, dirty, bad;
			failures := failures + 1;
		END IF;
	END LOOP;

	IF failures > 0 THEN
		RAISE EXCEPTION '% data-quality checks failed', failures;
	END IF;
END $$;
SQL
$PSQL -At -d $DB -c "SELECT area_code || ' ' || rule || ': ' || count(*) FROM kpi.data_quality GROUP BY area_code, rule ORDER BY area_code, rule"
