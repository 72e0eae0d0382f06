
-- ============================================================================================
-- suppression: the secondary suppression of refresh_reports (src/suppression.c). The refresh
-- lists the cells of published in a temporary table and suppresses the primary (small) ones;
-- the passes that suppress the cells which would give them away run here, in memory.
-- ============================================================================================
CREATE FUNCTION @extschema@._secondary_suppression(cells regclass, min_count integer)
RETURNS TABLE (area_code text, period_type text, period_label text, measure text, breakdown text, pass integer)
AS 'MODULE_PATHNAME', 'skpi_secondary_suppression'
LANGUAGE C STABLE STRICT PARALLEL RESTRICTED ROWS 1000;
COMMENT ON FUNCTION @extschema@._secondary_suppression(regclass, integer) IS
	'the cells that secondary suppression adds to the primary ones of a table of report cells laid out as refresh_reports builds it (columns area_code, period_type, period_label, period_start, measure, breakdown, size, zero, prim, quarter_group, year_group), with the pass that added each; parallel restricted, as that table is a temporary one';
