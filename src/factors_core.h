/*
 * factors_core.h
 *	  Assessment factor codes, the SSD factor-list scanner and the toxic-trio bit set, without
 *	  PostgreSQL types (so that they can be unit-tested and fuzzed on their own).
 *
 * A factor code is 1-8 characters from [0-9A-Z] once trimmed and upper-cased; it is packed into
 * a nonzero uint64 key (the bytes in order), 0 meaning "cannot be a code".
 */
#ifndef SKPI_FACTORS_CORE_H
#define SKPI_FACTORS_CORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define FC_CODE_MAX 8

/* Whom a factor is about (assessment_factors.relates_to). */
#define FC_CHILD 0
#define FC_PARENT 1
#define FC_OTHER 2
#define FC_NRELATES 3

/* Toxic-trio elements (toxic_trio_codes.element); FC_NONE: not part of the trio. */
#define FC_NONE (-1)
#define FC_DOMESTIC_ABUSE 0
#define FC_MENTAL_HEALTH 1
#define FC_SUBSTANCE_MISUSE 2
#define FC_NELEMENTS 3

extern const char *const fc_relates_names[FC_NRELATES];
extern const char *const fc_element_names[FC_NELEMENTS];

/* Index of a relates_to / element name (exact, case-insensitive), or -1. */
extern int	fc_relates_from_name(const char *s, size_t len);
extern int	fc_element_from_name(const char *s, size_t len);

/* Key of s trimmed of ASCII white space and upper-cased; 0 if it cannot be a code. */
extern uint64_t fc_code_key(const char *s, size_t len);

/* Writes the code of a nonzero key into buf (FC_CODE_MAX bytes, no terminator); returns its length. */
extern int	fc_key_text(uint64_t key, char *buf);

/* Code table: open addressing over keys; built once per cache load. */
typedef struct FcEntry
{
	uint64_t	key;			/* 0: empty slot */
	int8_t		relates;		/* FC_CHILD .. FC_OTHER */
	int8_t		element;		/* FC_NONE or a trio element */
} FcEntry;

typedef struct FcSet
{
	FcEntry    *slots;
	uint32_t	mask;			/* slots - 1 (a power of 2 minus 1) */
	uint32_t	n;
} FcSet;

/* Bytes of slot memory needed for n codes. */
extern size_t fc_set_mem_size(uint32_t n);

/* Initialises an empty set in mem (fc_set_mem_size(n) bytes) able to hold n codes. */
extern void fc_set_init(FcSet *set, void *mem, uint32_t n);

/* Adds a code; returns false if the key is already there or the set is full. */
extern bool fc_set_add(FcSet *set, uint64_t key, int relates, int element);

/* Sets the trio element of a code already in the set; false if it is not there. */
extern bool fc_set_element(FcSet *set, uint64_t key, int element);

/* Entry of key, or NULL. */
static inline const FcEntry *
fc_set_find(const FcSet *set, uint64_t key)
{
	uint32_t	i;

	if (key == 0 || set->slots == NULL)
		return NULL;
	i = (uint32_t) ((key * UINT64_C(0x9E3779B97F4A7C15)) >> 32) & set->mask;
	for (;;)
	{
		const FcEntry *e = &set->slots[i];

		if (e->key == key)
			return e;
		if (e->key == 0)
			return NULL;
		i = (i + 1) & set->mask;
	}
}

/*
 * Factor-list scanner over the SSD form '["1B", "3A"]': a JSON array of strings (JSON numbers
 * are accepted too, as their literal text). fc_list_next returns 1 with the next element, 0 at
 * the end of a well-formed list, -1 on malformed text (errpos and errmsg set).
 */
typedef struct FcListIter
{
	const char *s;
	size_t		len;
	size_t		pos;
	int			state;
	size_t		errpos;			/* byte offset of the error */
	const char *errmsg;			/* static description of the error */
} FcListIter;

typedef struct FcListItem
{
	size_t		start;			/* the element as written: s[start .. end) */
	size_t		end;
	uint64_t	key;			/* normalised code key, 0 if it cannot be a code */
} FcListItem;

extern void fc_list_init(FcListIter *it, const char *s, size_t len);
extern int	fc_list_next(FcListIter *it, FcListItem *item);

/*
 * Toxic-trio bit set: bit element * 3 + relates. Text form '{element:relates_to, ...}' with the
 * pairs in element then relates_to order, '{}' when empty.
 */
typedef uint16_t FcTrio;

#define FC_TRIO_BITS 9
#define FC_TRIO_MASK ((FcTrio) 0x1FF)
#define FC_TRIO_TEXT_MAX 512

static inline FcTrio
fc_trio_bit(int element, int relates)
{
	return (FcTrio) (1u << (element * FC_NRELATES + relates));
}

/* Number of elements present for anyone (0-3). */
extern int	fc_trio_count(FcTrio t);

/* True when every element is present for the person type relates. */
extern bool fc_trio_all_for(FcTrio t, int relates);

/* Writes the text form (NUL-terminated, at most FC_TRIO_TEXT_MAX bytes); returns its length. */
extern size_t fc_trio_format(FcTrio t, char *buf);

/* Parses the text form; returns 0, or -1 with *errpos at the offending byte. */
extern int	fc_trio_parse(const char *s, size_t len, FcTrio *out, size_t *errpos);

#endif							/* SKPI_FACTORS_CORE_H */
