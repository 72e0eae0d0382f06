
-- ============================================================================================
-- reference: tables the council fills or edits, kept by pg_dump, and the machinery that lets
-- shipped rows be edited or deleted with the edit surviving dump and restore.
-- ============================================================================================

-- Statement trigger that invalidates every session's cached copy of a reference table.
CREATE FUNCTION @extschema@._reference_changed() RETURNS trigger
AS 'MODULE_PATHNAME', 'skpi_reference_changed'
LANGUAGE C;

-- Shipped rows that a user deleted (or re-keyed), so that a restore deletes them again.
CREATE TABLE @extschema@.config_removals (
	table_name text NOT NULL,
	key jsonb NOT NULL,
	removed_at timestamptz NOT NULL DEFAULT pg_catalog.now(),
	PRIMARY KEY (table_name, key)
);
COMMENT ON TABLE @extschema@.config_removals IS
	'rows deleted by users from reference tables that the extension pre-fills; replayed on restore';
SELECT pg_catalog.pg_extension_config_dump('@extschema@.config_removals', '');

-- The primary-key columns (trigger arguments) of NEW or OLD as a jsonb object.
CREATE FUNCTION @extschema@._config_key(r jsonb, cols text[]) RETURNS jsonb
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
AS $$ SELECT pg_catalog.jsonb_object_agg(c, r -> c) FROM pg_catalog.unnest(cols) AS c $$;

-- BEFORE INSERT: an insert of an existing key replaces that row (so restoring a dump over the
-- pre-filled rows works) and cancels an earlier removal of the key.
CREATE FUNCTION @extschema@._config_upsert() RETURNS trigger
LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
	k jsonb := @extschema@._config_key(pg_catalog.to_jsonb(NEW), TG_ARGV::text[]);
BEGIN
	EXECUTE pg_catalog.format('DELETE FROM %I.%I t WHERE pg_catalog.to_jsonb(t) OPERATOR(pg_catalog.@>) $1',
							  TG_TABLE_SCHEMA, TG_TABLE_NAME) USING k;
	DELETE FROM @extschema@.config_removals r
	WHERE r.table_name OPERATOR(pg_catalog.=) TG_TABLE_NAME AND r.key OPERATOR(pg_catalog.=) k;
	RETURN NEW;
END
$$;

-- AFTER DELETE or UPDATE: remembers a removed key so that a restore removes it again.
CREATE FUNCTION @extschema@._config_tombstone() RETURNS trigger
LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
	old_k jsonb := @extschema@._config_key(pg_catalog.to_jsonb(OLD), TG_ARGV::text[]);
	new_k jsonb;
BEGIN
	IF TG_OP = 'UPDATE' THEN
		new_k := @extschema@._config_key(pg_catalog.to_jsonb(NEW), TG_ARGV::text[]);
		IF new_k OPERATOR(pg_catalog.=) old_k THEN
			RETURN NULL;
		END IF;
		DELETE FROM @extschema@.config_removals r
		WHERE r.table_name OPERATOR(pg_catalog.=) TG_TABLE_NAME AND r.key OPERATOR(pg_catalog.=) new_k;
	END IF;
	INSERT INTO @extschema@.config_removals (table_name, key) VALUES (TG_TABLE_NAME, old_k)
	ON CONFLICT DO NOTHING;
	RETURN NULL;
END
$$;

-- BEFORE TRUNCATE: remembers every key of the table, as a DELETE of each row would.
CREATE FUNCTION @extschema@._config_truncate() RETURNS trigger
LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
	EXECUTE pg_catalog.format('INSERT INTO @extschema@.config_removals (table_name, key)
							   SELECT $1, @extschema@._config_key(pg_catalog.to_jsonb(t), $2) FROM %I.%I t
							   ON CONFLICT DO NOTHING', TG_TABLE_SCHEMA, TG_TABLE_NAME)
	USING TG_TABLE_NAME, TG_ARGV::text[];
	RETURN NULL;
END
$$;

-- AFTER INSERT on config_removals (a restore): deletes the removed row again.
CREATE FUNCTION @extschema@._config_apply_removal() RETURNS trigger
LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
	IF pg_catalog.to_regclass(pg_catalog.format('%I.%I', '@extschema@', NEW.table_name)) IS NOT NULL THEN
		EXECUTE pg_catalog.format('DELETE FROM %I.%I t WHERE pg_catalog.to_jsonb(t) OPERATOR(pg_catalog.@>) $1',
								  '@extschema@', NEW.table_name) USING NEW.key;
	END IF;
	RETURN NULL;
END
$$;
CREATE TRIGGER config_removals_apply AFTER INSERT ON @extschema@.config_removals
	FOR EACH ROW EXECUTE FUNCTION @extschema@._config_apply_removal();

-- Makes a pre-filled table a reference table: dumped by pg_dump, user edits of shipped rows
-- kept across dump and restore, cached copies invalidated on change. Call it after filling.
CREATE FUNCTION @extschema@._make_reference_table(tab regclass, key_cols text[]) RETURNS void
LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
	rel text := (SELECT c.relname FROM pg_catalog.pg_class c WHERE c.oid OPERATOR(pg_catalog.=) tab);
	args text := (SELECT pg_catalog.string_agg(pg_catalog.quote_literal(c), ', ') FROM pg_catalog.unnest(key_cols) c);
BEGIN
	PERFORM pg_catalog.pg_extension_config_dump(tab, '');
	EXECUTE pg_catalog.format('CREATE TRIGGER %I BEFORE INSERT ON %s FOR EACH ROW EXECUTE FUNCTION @extschema@._config_upsert(%s)',
							  rel || '_upsert', tab, args);
	EXECUTE pg_catalog.format('CREATE TRIGGER %I AFTER UPDATE OR DELETE ON %s FOR EACH ROW EXECUTE FUNCTION @extschema@._config_tombstone(%s)',
							  rel || '_tombstone', tab, args);
	EXECUTE pg_catalog.format('CREATE TRIGGER %I BEFORE TRUNCATE ON %s FOR EACH STATEMENT EXECUTE FUNCTION @extschema@._config_truncate(%s)',
							  rel || '_truncate', tab, args);
	EXECUTE pg_catalog.format('CREATE TRIGGER %I AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON %s FOR EACH STATEMENT EXECUTE FUNCTION @extschema@._reference_changed()',
							  rel || '_changed', tab);
END
$$;

-- ONS mid-year population estimates of children, per area.
CREATE TABLE @extschema@.population (
	area_code text NOT NULL,
	mid_year int NOT NULL CHECK (mid_year BETWEEN 1900 AND 2200),
	age_from int NOT NULL CHECK (age_from BETWEEN 0 AND 17),
	age_to int NOT NULL CHECK (age_to BETWEEN 0 AND 17),
	population bigint NOT NULL CHECK (population >= 0),
	PRIMARY KEY (area_code, mid_year, age_from),
	CHECK (age_to >= age_from)
);
COMMENT ON TABLE @extschema@.population IS
	'ONS mid-year estimates of children aged 0-17 per area (area_code ''local'' for a single-council source); rates per 10,000 divide by the sum over ages 0-17';
SELECT pg_catalog.pg_extension_config_dump('@extschema@.population', '');

-- Published comparator values (England, statistical neighbours, region) per measure and period.
CREATE TABLE @extschema@.comparators (
	indicator text NOT NULL,
	period_label text NOT NULL,
	comparator text NOT NULL CHECK (comparator IN ('england', 'stat_neighbours', 'region')),
	value float8 NOT NULL,
	PRIMARY KEY (indicator, period_label, comparator)
);
COMMENT ON TABLE @extschema@.comparators IS
	'comparator values loaded by the council from published DfE data: indicator is a measure id, period_label as in the report views (''2019/20''), comparator england, stat_neighbours or region';
SELECT pg_catalog.pg_extension_config_dump('@extschema@.comparators', '');

-- Local targets per measure and period.
CREATE TABLE @extschema@.targets (
	indicator text NOT NULL,
	period_label text NOT NULL,
	target float8 NOT NULL,
	amber_margin float8 NOT NULL DEFAULT 0 CHECK (amber_margin >= 0),
	PRIMARY KEY (indicator, period_label)
);
COMMENT ON TABLE @extschema@.targets IS
	'local targets: indicator is a measure id, period_label a report period label or ''*'' for every period; a value within amber_margin on the wrong side of the target is amber';
SELECT pg_catalog.pg_extension_config_dump('@extschema@.targets', '');

-- Description-to-code mappings for SSD columns that carry text instead of DfE codes.
CREATE TABLE @extschema@.code_map (
	field text NOT NULL,
	raw_value text NOT NULL,
	code text NOT NULL,
	PRIMARY KEY (field, raw_value)
);
COMMENT ON TABLE @extschema@.code_map IS
	'maps the text found in an SSD code column (field, e.g. legal_status; raw_value compared trimmed and upper-case) to the DfE code; pre-filled, councils add rows';
-- Filled (and made a reference table) in src/reports.sql.
