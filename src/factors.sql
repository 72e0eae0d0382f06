
-- ============================================================================================
-- factors: CIN assessment factor codes, the SSD factor lists, the toxic trio.
-- ============================================================================================

-- Every CIN census factor code, legacy codes included.
CREATE TABLE @extschema@.assessment_factors (
	code text PRIMARY KEY CHECK (code OPERATOR(pg_catalog.~) '^[0-9A-Z]{1,8}$'),
	factor text NOT NULL,
	relates_to text NOT NULL CHECK (relates_to IN ('child', 'parent/carer', 'other')),
	label text NOT NULL,
	first_year text CHECK (first_year OPERATOR(pg_catalog.~) '^[0-9]{4}/[0-9]{2}$'),
	last_year text CHECK (last_year OPERATOR(pg_catalog.~) '^[0-9]{4}/[0-9]{2}$'),
	CHECK (last_year IS NULL OR first_year IS NULL OR last_year OPERATOR(pg_catalog.>=) first_year)
);
COMMENT ON TABLE @extschema@.assessment_factors IS
	'CIN census factors identified at the end of assessment: code (upper-case, 1-8 letters or digits), factor (short name shared by the A/B/C variants), relates_to (child, parent/carer or other: for 3A/3B/3C the subject of the abuse), label, first_year and last_year (financial years the code was in the census; NULL last_year = still current). Pre-filled, councils may add local codes; factor_code and factor_codes accept exactly these codes';

INSERT INTO @extschema@.assessment_factors (code, factor, relates_to, label, first_year, last_year) VALUES
('1A', 'alcohol misuse', 'child', 'Alcohol misuse: concerns about alcohol misuse by the child', '2013/14', NULL),
('1B', 'alcohol misuse', 'parent/carer', 'Alcohol misuse: concerns about alcohol misuse by the parent(s) or carer(s)', '2013/14', NULL),
('1C', 'alcohol misuse', 'other', 'Alcohol misuse: concerns about alcohol misuse by another person living in the household', '2013/14', NULL),
('2A', 'drug misuse', 'child', 'Drug misuse: concerns about drug misuse by the child', '2013/14', NULL),
('2B', 'drug misuse', 'parent/carer', 'Drug misuse: concerns about drug misuse by the parent(s) or carer(s)', '2013/14', NULL),
('2C', 'drug misuse', 'other', 'Drug misuse: concerns about drug misuse by another person living in the household', '2013/14', NULL),
('3A', 'domestic abuse', 'child', 'Domestic abuse: concerns about the child being the subject of domestic abuse', '2013/14', NULL),
('3B', 'domestic abuse', 'parent/carer', 'Domestic abuse: concerns about the parent(s) or carer(s) being the subject of domestic abuse', '2013/14', NULL),
('3C', 'domestic abuse', 'other', 'Domestic abuse: concerns about another person living in the household being the subject of domestic abuse', '2013/14', NULL),
('4A', 'mental health', 'child', 'Mental health: concerns about the mental health of the child', '2013/14', NULL),
('4B', 'mental health', 'parent/carer', 'Mental health: concerns about the mental health of the parent(s) or carer(s)', '2013/14', NULL),
('4C', 'mental health', 'other', 'Mental health: concerns about the mental health of another person living in the household', '2013/14', NULL),
('5A', 'learning disability', 'child', 'Learning disability: concerns about the child''s learning disability', '2013/14', NULL),
('5B', 'learning disability', 'parent/carer', 'Learning disability: concerns about the learning disability of the parent(s) or carer(s)', '2013/14', NULL),
('5C', 'learning disability', 'other', 'Learning disability: concerns about the learning disability of another person living in the household', '2013/14', NULL),
('6A', 'physical disability or illness', 'child', 'Physical disability or illness: concerns about the child''s physical disability or illness', '2013/14', NULL),
('6B', 'physical disability or illness', 'parent/carer', 'Physical disability or illness: concerns about the physical disability or illness of the parent(s) or carer(s)', '2013/14', NULL),
('6C', 'physical disability or illness', 'other', 'Physical disability or illness: concerns about the physical disability or illness of another person living in the household', '2013/14', NULL),
('7A', 'young carer', 'child', 'Young carer: concerns about services to the child as a young carer', '2013/14', NULL),
('8A', 'privately fostered', 'child', 'Privately fostered (legacy code, replaced by 8B-8F)', '2013/14', '2017/18'),
('8B', 'privately fostered', 'child', 'Privately fostered: overseas child who intends to return to their family', '2018/19', NULL),
('8C', 'privately fostered', 'child', 'Privately fostered: overseas child who intends to stay in the UK', '2018/19', NULL),
('8D', 'privately fostered', 'child', 'Privately fostered: UK child in an educational placement', '2018/19', NULL),
('8E', 'privately fostered', 'child', 'Privately fostered: UK child in an alternative family arrangement', '2018/19', NULL),
('8F', 'privately fostered', 'child', 'Privately fostered: other', '2018/19', NULL),
('9A', 'unaccompanied asylum-seeking child', 'child', 'Unaccompanied asylum-seeking child', '2013/14', NULL),
('10A', 'going missing', 'child', 'Going or being missing', '2013/14', NULL),
('11A', 'child sexual exploitation', 'child', 'Child sexual exploitation', '2013/14', NULL),
('12A', 'trafficking', 'child', 'Trafficking', '2013/14', NULL),
('13A', 'gangs', 'child', 'Gangs', '2013/14', NULL),
('14A', 'socially unacceptable behaviour', 'child', 'Socially unacceptable behaviour', '2013/14', NULL),
('15A', 'self-harm', 'child', 'Self-harm', '2013/14', NULL),
('16A', 'neglect', 'child', 'Abuse or neglect: neglect', '2013/14', NULL),
('17A', 'emotional abuse', 'child', 'Abuse or neglect: emotional abuse', '2013/14', NULL),
('18A', 'physical abuse', 'child', 'Abuse or neglect: physical abuse (legacy code, replaced by 18B/18C)', '2013/14', '2019/20'),
('18B', 'physical abuse by a child', 'child', 'Abuse or neglect: physical abuse of the child by another child', '2020/21', NULL),
('18C', 'physical abuse by an adult', 'child', 'Abuse or neglect: physical abuse of the child by an adult', '2020/21', NULL),
('19A', 'sexual abuse', 'child', 'Abuse or neglect: sexual abuse (legacy code, replaced by 19B/19C)', '2013/14', '2019/20'),
('19B', 'sexual abuse by a child', 'child', 'Abuse or neglect: sexual abuse of the child by another child', '2020/21', NULL),
('19C', 'sexual abuse by an adult', 'child', 'Abuse or neglect: sexual abuse of the child by an adult', '2020/21', NULL),
('20', 'other', 'child', 'Other factors', '2013/14', NULL),
('21', 'no factors identified', 'child', 'No factors identified (excluded from "% of assessments with factor" denominators by default)', '2013/14', NULL),
('22A', 'female genital mutilation', 'child', 'Female genital mutilation', '2015/16', NULL),
('23A', 'abuse linked to faith or belief', 'child', 'Abuse linked to faith or belief', '2015/16', NULL),
('24A', 'child criminal exploitation', 'child', 'Child criminal exploitation', '2021/22', NULL);

SELECT @extschema@._make_reference_table('@extschema@.assessment_factors', ARRAY['code']);

-- Which factor codes make up each element of the toxic trio.
CREATE TABLE @extschema@.toxic_trio_codes (
	code text PRIMARY KEY CHECK (code OPERATOR(pg_catalog.~) '^[0-9A-Z]{1,8}$'),
	element text NOT NULL CHECK (element IN ('domestic_abuse', 'mental_health', 'substance_misuse'))
);
COMMENT ON TABLE @extschema@.toxic_trio_codes IS
	'toxic-trio grouping of factor codes: element is domestic_abuse, mental_health or substance_misuse; whom a code is about comes from assessment_factors.relates_to (a code missing there is never matched). Pre-filled with 3A-3C, 4A-4C, 1A-1C and 2A-2C; edit it (e.g. keep only the parent codes) and the toxic_trio aggregates follow in every session';

INSERT INTO @extschema@.toxic_trio_codes (code, element) VALUES
('3A', 'domestic_abuse'), ('3B', 'domestic_abuse'), ('3C', 'domestic_abuse'),
('4A', 'mental_health'), ('4B', 'mental_health'), ('4C', 'mental_health'),
('1A', 'substance_misuse'), ('1B', 'substance_misuse'), ('1C', 'substance_misuse'),
('2A', 'substance_misuse'), ('2B', 'substance_misuse'), ('2C', 'substance_misuse');

SELECT @extschema@._make_reference_table('@extschema@.toxic_trio_codes', ARRAY['code']);

-- Normalised factor code.
CREATE FUNCTION @extschema@.factor_code(raw text) RETURNS text
AS 'MODULE_PATHNAME', 'skpi_factor_code'
LANGUAGE C STABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.factor_code(text) IS
	'the factor code raw trimmed and upper-cased; error 22023 when it is not in skpi.assessment_factors';

-- Codes of an SSD factor list.
CREATE FUNCTION @extschema@.factor_codes(json_list text) RETURNS text[]
AS 'MODULE_PATHNAME', 'skpi_factor_codes'
LANGUAGE C STABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.factor_codes(text) IS
	'codes of an SSD factor list such as ''["1B", "3A", "16A"]'', normalised, in list order (''[]'' gives an empty array); malformed text raises 22P02, a code not in skpi.assessment_factors 22023';

-- The distinct codes of an SSD factor list, sorted, or NULL where factor_codes raises (for the
-- report layer's normalisation, which lists such rows instead of failing).
CREATE FUNCTION @extschema@._factor_codes_sorted(json_list text) RETURNS text[]
AS 'MODULE_PATHNAME', 'skpi_factor_codes_sorted'
LANGUAGE C STABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@._factor_codes_sorted(text) IS
	'the distinct codes of factor_codes(json_list) in byte order (COLLATE "C"); NULL, never an error, where factor_codes raises one';

-- The trio type: which trio elements were seen for whom.
CREATE TYPE @extschema@.trio;

CREATE FUNCTION @extschema@.trio_in(cstring) RETURNS @extschema@.trio
AS 'MODULE_PATHNAME', 'skpi_trio_in'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.trio_out(@extschema@.trio) RETURNS cstring
AS 'MODULE_PATHNAME', 'skpi_trio_out'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.trio_recv(internal) RETURNS @extschema@.trio
AS 'MODULE_PATHNAME', 'skpi_trio_recv'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.trio_send(@extschema@.trio) RETURNS bytea
AS 'MODULE_PATHNAME', 'skpi_trio_send'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE TYPE @extschema@.trio (
	INPUT = @extschema@.trio_in,
	OUTPUT = @extschema@.trio_out,
	RECEIVE = @extschema@.trio_recv,
	SEND = @extschema@.trio_send,
	INTERNALLENGTH = 2,
	PASSEDBYVALUE,
	ALIGNMENT = int2,
	STORAGE = plain
);
COMMENT ON TYPE @extschema@.trio IS
	'toxic-trio elements seen for whom: a set of element:relates_to pairs, text form ''{domestic_abuse:parent/carer,mental_health:child}'' (''{}'' when none)';

CREATE FUNCTION @extschema@.trio_eq(@extschema@.trio, @extschema@.trio) RETURNS boolean
AS 'MODULE_PATHNAME', 'skpi_trio_eq'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.trio_eq(@extschema@.trio, @extschema@.trio) IS 'true when two trios hold the same pairs';
CREATE FUNCTION @extschema@.trio_ne(@extschema@.trio, @extschema@.trio) RETURNS boolean
AS 'MODULE_PATHNAME', 'skpi_trio_ne'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.trio_ne(@extschema@.trio, @extschema@.trio) IS 'true when two trios differ';
CREATE FUNCTION @extschema@.trio_hash(@extschema@.trio) RETURNS int
AS 'MODULE_PATHNAME', 'skpi_trio_hash'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.trio_hash(@extschema@.trio) IS 'hash of a trio (for GROUP BY and hash joins)';

CREATE OPERATOR @extschema@.= (
	LEFTARG = @extschema@.trio, RIGHTARG = @extschema@.trio,
	FUNCTION = @extschema@.trio_eq,
	COMMUTATOR = OPERATOR(@extschema@.=), NEGATOR = OPERATOR(@extschema@.<>),
	RESTRICT = pg_catalog.eqsel, JOIN = pg_catalog.eqjoinsel, HASHES
);
COMMENT ON OPERATOR @extschema@.= (@extschema@.trio, @extschema@.trio) IS 'same trio';
CREATE OPERATOR @extschema@.<> (
	LEFTARG = @extschema@.trio, RIGHTARG = @extschema@.trio,
	FUNCTION = @extschema@.trio_ne,
	COMMUTATOR = OPERATOR(@extschema@.<>), NEGATOR = OPERATOR(@extschema@.=),
	RESTRICT = pg_catalog.neqsel, JOIN = pg_catalog.neqjoinsel
);
COMMENT ON OPERATOR @extschema@.<> (@extschema@.trio, @extschema@.trio) IS 'different trios';

CREATE OPERATOR CLASS @extschema@.trio_hash_ops DEFAULT FOR TYPE @extschema@.trio USING hash AS
	OPERATOR 1 @extschema@.= (@extschema@.trio, @extschema@.trio),
	FUNCTION 1 @extschema@.trio_hash(@extschema@.trio);

-- Aggregate support: add a code (or an array of codes) to a trio; union of two trios.
CREATE FUNCTION @extschema@._trio_add(@extschema@.trio, text) RETURNS @extschema@.trio
AS 'MODULE_PATHNAME', 'skpi_trio_add'
LANGUAGE C STABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@._trio_add_all(@extschema@.trio, text[]) RETURNS @extschema@.trio
AS 'MODULE_PATHNAME', 'skpi_trio_add_all'
LANGUAGE C STABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@._trio_union(@extschema@.trio, @extschema@.trio) RETURNS @extschema@.trio
AS 'MODULE_PATHNAME', 'skpi_trio_union'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE AGGREGATE @extschema@.toxic_trio(code text) (
	SFUNC = @extschema@._trio_add,
	STYPE = @extschema@.trio,
	COMBINEFUNC = @extschema@._trio_union,
	INITCOND = '{}',
	PARALLEL = SAFE
);
COMMENT ON AGGREGATE @extschema@.toxic_trio(text) IS
	'toxic-trio elements seen for whom over the factor codes of a group (one assessment or one family), by skpi.toxic_trio_codes and skpi.assessment_factors.relates_to; codes outside the trio are ignored, NULLs skipped, unknown codes raise 22023';

CREATE AGGREGATE @extschema@.toxic_trio(codes text[]) (
	SFUNC = @extschema@._trio_add_all,
	STYPE = @extschema@.trio,
	COMBINEFUNC = @extschema@._trio_union,
	INITCOND = '{}',
	PARALLEL = SAFE
);
COMMENT ON AGGREGATE @extschema@.toxic_trio(text[]) IS
	'toxic_trio over arrays of factor codes (e.g. skpi.factor_codes of SSD lists): the same as over the codes as rows';

CREATE FUNCTION @extschema@.trio_of(codes text[]) RETURNS @extschema@.trio
AS 'MODULE_PATHNAME', 'skpi_trio_of'
LANGUAGE C STABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.trio_of(text[]) IS
	'the trio of one array of factor codes (toxic_trio over one row, without grouping)';

CREATE FUNCTION @extschema@.trio_any(t @extschema@.trio) RETURNS boolean
AS 'MODULE_PATHNAME', 'skpi_trio_any'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.trio_any(@extschema@.trio) IS 'at least one trio element for anyone';

CREATE FUNCTION @extschema@.trio_all(t @extschema@.trio) RETURNS boolean
AS 'MODULE_PATHNAME', 'skpi_trio_all'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.trio_all(@extschema@.trio) IS
	'all three elements present, each for anyone (child, parent/carer or other)';

CREATE FUNCTION @extschema@.trio_all(t @extschema@.trio, relates_to text) RETURNS boolean
AS 'MODULE_PATHNAME', 'skpi_trio_all_for'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.trio_all(@extschema@.trio, text) IS
	'all three elements present for that person type (child, parent/carer or other), e.g. 3B and 4B and (1B or 2B) by default for parent/carer';

CREATE FUNCTION @extschema@.trio_count(t @extschema@.trio) RETURNS int
AS 'MODULE_PATHNAME', 'skpi_trio_count'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.trio_count(@extschema@.trio) IS 'number of trio elements present for anyone (0-3)';
