/* The fallback of the type-string parser: pyarrow prints names and timezones raw, so a
 * string whose obvious reading fails may still have another one (a name holding ": " or
 * ">"). This searches the readings by bounded backtracking and records the decisions of
 * the first that spans the whole text, for type_string.c to build from. */
#include "arrow/type_lex.h"

/* Continuation-passing backtracking over the open decisions. Every function parses its
 * piece and calls the continuation on the rest; true means the whole input was accepted
 * (the decision stack then holds the successful path). Bounded by a step budget and a
 * call-depth limit, so hostile strings cost little and cannot exhaust the stack. */
typedef struct recognizer recognizer;
typedef struct cont cont;
struct cont {
    bool (*fn)(recognizer *r, size_t pos, const cont *self);
    const cont *after;
    reel_arrow_type type;
    int depth;
    uint64_t seen_codes[2];
};

struct recognizer {
    const char *s;
    size_t len;
    size_t *decisions;
    size_t count, cap;
    const reel_allocator *alloc;
    long steps, calls;
    bool gave_up;
};

#define RECOGNIZER_MAX_STEPS 200000L
#define RECOGNIZER_MAX_CALLS 3000L

static bool enter(recognizer *r)
{
    if (r->gave_up || ++r->steps > RECOGNIZER_MAX_STEPS || ++r->calls > RECOGNIZER_MAX_CALLS) {
        r->gave_up = true;
        return false;
    }
    return true;
}

static bool leave(recognizer *r, bool result)
{
    r->calls--;
    return result;
}

static bool push_decision(recognizer *r, size_t value)
{
    if (r->count == r->cap) {
        size_t new_cap = r->cap ? r->cap * 2 : 32;
        size_t *d =
            reel_realloc(r->alloc, r->decisions, r->cap * sizeof(size_t), new_cap * sizeof(size_t));
        if (d == NULL) {
            r->gave_up = true;
            return false;
        }
        r->decisions = d;
        r->cap = new_cap;
    }
    r->decisions[r->count++] = value;
    return true;
}

/* Tries continuation k after recording `decision`; forgets the decision if k fails. */
static bool try_decision(recognizer *r, size_t decision, size_t pos, const cont *k)
{
    if (!push_decision(r, decision))
        return false;
    if (k->fn(r, pos, k))
        return true;
    r->count--;
    return false;
}

static bool rec_type(recognizer *r, size_t pos, int depth, const cont *k);
static bool rec_field(recognizer *r, size_t pos, int depth, const cont *k);

static bool k_end(recognizer *r, size_t pos, const cont *self)
{
    (void)self;
    return pos == r->len;
}

/* After a timezone's closing "]". */
static bool k_skip_bracket(recognizer *r, size_t pos, const cont *self)
{
    return self->after->fn(r, pos + 1, self->after);
}

/* After the type of a child field: " not null", then the field list's continuation. */
static bool k_field_tail(recognizer *r, size_t pos, const cont *self)
{
    if (has(r->s, r->len, pos, " not null"))
        pos += 9;
    return self->after->fn(r, pos, self->after);
}

/* After a list's child field: ">" and for fixed-size lists "[N]". */
static bool k_list_close(recognizer *r, size_t pos, const cont *self)
{
    if (!enter(r))
        return false;
    int64_t size = 0;
    if (!expect(r->s, r->len, &pos, ">", NULL))
        return leave(r, false);
    if (self->type == REEL_ARROW_FIXED_SIZE_LIST &&
        !(expect(r->s, r->len, &pos, "[", NULL) && !(pos < r->len && r->s[pos] == '0') &&
          lex_uint(r->s, r->len, &pos, INT32_MAX, &size, NULL) &&
          expect(r->s, r->len, &pos, "]", NULL)))
        return leave(r, false);
    return leave(r, self->after->fn(r, pos, self->after));
}

/* After a struct/union child field: "=code" for unions, then ", " and the next field or
 * ">" and the continuation after the whole type. */
static bool k_field_list(recognizer *r, size_t pos, const cont *self)
{
    if (!enter(r))
        return false;
    cont next = *self;
    if (self->type != REEL_ARROW_STRUCT) {
        int64_t code = 0;
        if (!expect(r->s, r->len, &pos, "=", NULL) ||
            !lex_uint(r->s, r->len, &pos, 127, &code, NULL) ||
            (self->seen_codes[code >> 6] >> (code & 63)) & 1)
            return leave(r, false);
        next.seen_codes[code >> 6] |= (uint64_t)1 << (code & 63);
    }
    if (has(r->s, r->len, pos, ", "))
        return leave(r, rec_field(r, pos + 2, self->depth, &next));
    if (has(r->s, r->len, pos, ">"))
        return leave(r, self->after->fn(r, pos + 1, self->after));
    return leave(r, false);
}

/* A map's optional " ('name')" after its key, value or entries: every "')" that could end
 * the name is a decision; then the continuation `next` (self->after is the map's). */
static bool rec_map_name(recognizer *r, size_t pos, const char *std_name, const cont *next)
{
    if (!has(r->s, r->len, pos, " ('"))
        return next->fn(r, pos, next);
    cont skip = {.fn = k_skip_bracket, .after = next}; /* skips the ')' */
    size_t start = pos + 3, std_len = strlen(std_name);
    for (size_t q = start; q + 1 < r->len && r->s[q] != '\0' && !r->gave_up; q++) {
        r->steps++;
        if (r->s[q] != '\'' || r->s[q + 1] != ')')
            continue;
        bool is_std = q - start == std_len && memcmp(r->s + start, std_name, std_len) == 0;
        if (!is_std && try_decision(r, q, q + 1, &skip))
            return true;
    }
    return false;
}

/* After a map's entries name: ">" and the continuation after the whole type. */
static bool k_map_close(recognizer *r, size_t pos, const cont *self)
{
    if (!has(r->s, r->len, pos, ">"))
        return false;
    return self->after->fn(r, pos + 1, self->after);
}

/* After a map's value name: ", keys_sorted", the entries' name, ">". */
static bool k_map_flags(recognizer *r, size_t pos, const cont *self)
{
    cont close = {.fn = k_map_close, .after = self->after};
    if (has(r->s, r->len, pos, ", keys_sorted"))
        pos += 13;
    return rec_map_name(r, pos, map_std_names[0], &close);
}

/* After a map's value type. */
static bool k_map_value(recognizer *r, size_t pos, const cont *self)
{
    if (!enter(r))
        return false;
    cont flags = {.fn = k_map_flags, .after = self->after};
    return leave(r, rec_map_name(r, pos, map_std_names[2], &flags));
}

/* After a map's key name: ", " and the value type. */
static bool k_map_key_done(recognizer *r, size_t pos, const cont *self)
{
    if (!has(r->s, r->len, pos, ", "))
        return false;
    cont value = {.fn = k_map_value, .after = self->after};
    return rec_type(r, pos + 2, self->depth, &value);
}

/* After a map's key type. */
static bool k_map_key(recognizer *r, size_t pos, const cont *self)
{
    if (!enter(r))
        return false;
    cont done = {.fn = k_map_key_done, .after = self->after, .depth = self->depth};
    return leave(r, rec_map_name(r, pos, map_std_names[1], &done));
}

/* After a dictionary's value type: indices and ordering. */
static bool k_dictionary(recognizer *r, size_t pos, const cont *self)
{
    reel_arrow_type index_type;
    bool ordered;
    if (!lex_dictionary_tail(r->s, r->len, &pos, &index_type, &ordered, NULL))
        return false;
    return self->after->fn(r, pos, self->after);
}

static bool rec_field(recognizer *r, size_t pos, int depth, const cont *k)
{
    if (!enter(r))
        return false;
    cont tail = {.fn = k_field_tail, .after = k};
    for (size_t q = pos; q + 1 < r->len && r->s[q] != '\0' && !r->gave_up; q++) {
        r->steps++;
        if (r->s[q] != ':' || r->s[q + 1] != ' ')
            continue;
        if (!push_decision(r, q))
            break;
        if (rec_type(r, q + 2, depth, &tail))
            return leave(r, true);
        r->count--;
    }
    return leave(r, false);
}

static bool rec_type(recognizer *r, size_t pos, int depth, const cont *k)
{
    if (depth > REEL__ARROW_MAX_DEPTH || !enter(r))
        return false;
    reel_arrow_type type = REEL_ARROW_NULL_TYPE;
    leaf_params lp;
    if (!lex_type_word(r->s, r->len, &pos, &type, NULL))
        return leave(r, false);
    if (!is_nested(type)) {
        if (!lex_leaf_params(r->s, r->len, &pos, type, &lp, NULL))
            return leave(r, false);
        if (!lp.has_tz)
            return leave(r, k->fn(r, pos, k));
        cont skip = {.fn = k_skip_bracket, .after = k};
        for (size_t q = pos + 1; q < r->len && r->s[q - 1] != '\0' && !r->gave_up; q++) {
            r->steps++;
            if (r->s[q] == ']' && try_decision(r, q, q, &skip))
                return leave(r, true);
        }
        return leave(r, false);
    }
    if (!expect(r->s, r->len, &pos, "<", NULL))
        return leave(r, false);
    if (type == REEL_ARROW_MAP) {
        cont key = {.fn = k_map_key, .after = k, .depth = depth + 1};
        return leave(r, rec_type(r, pos, depth + 1, &key));
    }
    if (type == REEL_ARROW_DICTIONARY) {
        cont tail = {.fn = k_dictionary, .after = k};
        return leave(r, expect(r->s, r->len, &pos, "values=", NULL) &&
                            rec_type(r, pos, depth + 1, &tail));
    }
    if (is_list(type)) {
        cont close = {.fn = k_list_close, .after = k, .type = type};
        return leave(r, rec_field(r, pos, depth + 1, &close));
    }
    cont list = {.fn = k_field_list, .after = k, .type = type, .depth = depth + 1};
    if (has(r->s, r->len, pos, ">") && try_decision(r, DECIDE_EMPTY, pos + 1, k))
        return leave(r, true);
    if (!push_decision(r, DECIDE_NONEMPTY))
        return leave(r, false);
    if (rec_field(r, pos, depth + 1, &list))
        return leave(r, true);
    r->count--;
    return leave(r, false);
}

bool reel__type_search(const char *s, size_t len, const reel_allocator *alloc, size_t **decisions,
                       size_t *count, size_t *cap)
{
    recognizer r = {.s = s, .len = len, .alloc = alloc};
    cont end = {.fn = k_end};
    bool found = rec_type(&r, 0, 0, &end);
    *decisions = r.decisions;
    *count = found ? r.count : 0;
    *cap = r.cap;
    return found;
}
