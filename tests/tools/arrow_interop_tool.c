/* arrow_interop_tool: the C half of the pyarrow interop tests (tests/interop). It decodes
 * Arrow IPC streams to JSON (`read`), builds streams from JSON case files (`build`),
 * re-encodes streams (`roundtrip`) and writes a small demo table (`write-demo`), so the
 * Python side can check Reel against pyarrow in both directions. With --file, `read` and
 * `build` read and write the IPC file format instead (`build --file --incremental` with a
 * reel_ipc_file_writer, flushing to disk after every call), and `roundtrip --from-file` /
 * `--to-file` converts between the two formats. It carries its own small, strict JSON
 * parser, private to this file.
 *
 * The JSON value form shared with tests/interop/cases.py: null; true/false; integers
 * (exact int64/uint64); floats as numbers or "NaN", "inf", "-inf"; strings; binary and
 * fixed_size_binary as hex strings; decimals as strings ("-12.50"); lists as arrays;
 * structs as objects; unions as [type_code, value]; maps as arrays of {"key": k, "value": v};
 * dictionary-encoded values as the values themselves; temporal types as integers.
 *
 * Exit status: 0 on success, 2 on any error (message on stderr), 1 on bad usage. */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "arrow/arrow.h"
#include "core/core.h"

#define TOOL_NAME "arrow_interop_tool"
#define EXIT_USAGE 1
#define EXIT_ERROR 2

/* ================================================================ JSON (parser) */

/* Nesting deeper than this is rejected: the parser recurses, and no case needs more. */
#define JSON_MAX_DEPTH 64

typedef enum json_kind {
    JSON_NULL,
    JSON_BOOL,
    JSON_INTEGER, /* a token without fraction or exponent; exact in int64 or uint64 */
    JSON_NUMBER,  /* any other number token */
    JSON_STRING,
    JSON_ARRAY,
    JSON_OBJECT,
} json_kind;

typedef struct json_member json_member;

typedef struct json_value {
    json_kind kind;
    size_t offset; /* byte offset of the token in the source text, for error messages */
    bool boolean;
    bool negative;      /* JSON_INTEGER: sign */
    uint64_t magnitude; /* JSON_INTEGER: absolute value (up to 2^63 when negative) */
    double number;      /* JSON_INTEGER and JSON_NUMBER */
    char *string;       /* JSON_STRING: UTF-8, NUL-terminated, may contain NULs */
    size_t string_len;
    size_t count;             /* JSON_ARRAY items / JSON_OBJECT members */
    struct json_value *items; /* JSON_ARRAY */
    json_member *members;     /* JSON_OBJECT, in source order */
} json_value;

struct json_member {
    char *key;
    size_t key_len;
    json_value value;
};

typedef struct json_parser {
    const char *text;
    size_t len;
    size_t pos;
    int depth;
    reel_arena *arena; /* every node and string lives here */
    reel_error *err;
} json_parser;

static reel_status json_fail(json_parser *p, size_t offset, const char *what)
{
    return reel_error_set(p->err, REEL_CORRUPT, "JSON error at offset %zu: %s", offset, what);
}

static void json_skip_space(json_parser *p)
{
    while (p->pos < p->len) {
        char c = p->text[p->pos];
        if (c != ' ' && c != '\t' && c != '\n' && c != '\r')
            break;
        p->pos++;
    }
}

static int hex_digit_value(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

/* Reads the 4 hex digits of a \u escape starting at p->pos. */
static reel_status json_read_hex4(json_parser *p, uint32_t *out)
{
    if (p->len - p->pos < 4)
        return json_fail(p, p->pos, "truncated \\u escape");
    uint32_t value = 0;
    for (int i = 0; i < 4; i++) {
        int digit = hex_digit_value(p->text[p->pos + (size_t)i]);
        if (digit < 0)
            return json_fail(p, p->pos + (size_t)i, "bad hex digit in \\u escape");
        value = value * 16 + (uint32_t)digit;
    }
    p->pos += 4;
    *out = value;
    return REEL_OK;
}

static reel_status append_utf8(reel_buf *buf, uint32_t cp)
{
    uint8_t bytes[4];
    size_t n;
    if (cp < 0x80) {
        bytes[0] = (uint8_t)cp;
        n = 1;
    } else if (cp < 0x800) {
        bytes[0] = (uint8_t)(0xC0 | (cp >> 6));
        bytes[1] = (uint8_t)(0x80 | (cp & 0x3F));
        n = 2;
    } else if (cp < 0x10000) {
        bytes[0] = (uint8_t)(0xE0 | (cp >> 12));
        bytes[1] = (uint8_t)(0x80 | ((cp >> 6) & 0x3F));
        bytes[2] = (uint8_t)(0x80 | (cp & 0x3F));
        n = 3;
    } else {
        bytes[0] = (uint8_t)(0xF0 | (cp >> 18));
        bytes[1] = (uint8_t)(0x80 | ((cp >> 12) & 0x3F));
        bytes[2] = (uint8_t)(0x80 | ((cp >> 6) & 0x3F));
        bytes[3] = (uint8_t)(0x80 | (cp & 0x3F));
        n = 4;
    }
    return reel_buf_append(buf, bytes, n);
}

/* Length of the valid UTF-8 sequence at s[0..avail), or 0 if it is not valid (overlong
 * forms, surrogates and code points above U+10FFFF are invalid). */
static size_t utf8_sequence_length(const uint8_t *s, size_t avail)
{
    uint8_t c = s[0];
    if (c < 0x80)
        return 1;
    size_t n;
    uint32_t cp;
    if (c >= 0xC2 && c <= 0xDF) {
        n = 2;
        cp = c & 0x1F;
    } else if (c >= 0xE0 && c <= 0xEF) {
        n = 3;
        cp = c & 0x0F;
    } else if (c >= 0xF0 && c <= 0xF4) {
        n = 4;
        cp = c & 0x07;
    } else {
        return 0;
    }
    if (avail < n)
        return 0;
    for (size_t i = 1; i < n; i++) {
        if ((s[i] & 0xC0) != 0x80)
            return 0;
        cp = (cp << 6) | (s[i] & 0x3F);
    }
    if ((n == 3 && cp < 0x800) || (n == 4 && cp < 0x10000) || cp > 0x10FFFF ||
        (cp >= 0xD800 && cp <= 0xDFFF))
        return 0;
    return n;
}

/* Parses a string token (p->pos at the opening quote) into arena memory. */
static reel_status json_parse_string(json_parser *p, char **out, size_t *out_len)
{
    size_t start = p->pos;
    p->pos++; /* opening quote */
    reel_buf buf = {0};
    reel_status status = REEL_OK;
    for (;;) {
        if (p->pos >= p->len) {
            status = json_fail(p, start, "unterminated string");
            break;
        }
        uint8_t c = (uint8_t)p->text[p->pos];
        if (c == '"') {
            p->pos++;
            break;
        }
        if (c < 0x20) {
            status = json_fail(p, p->pos, "control character in string");
            break;
        }
        if (c != '\\') {
            size_t n = utf8_sequence_length((const uint8_t *)p->text + p->pos, p->len - p->pos);
            if (n == 0) {
                status = json_fail(p, p->pos, "invalid UTF-8 in string");
                break;
            }
            status = reel_buf_append(&buf, p->text + p->pos, n);
            if (status != REEL_OK)
                break;
            p->pos += n;
            continue;
        }
        size_t escape_at = p->pos;
        p->pos++;
        if (p->pos >= p->len) {
            status = json_fail(p, escape_at, "unterminated escape");
            break;
        }
        char e = p->text[p->pos++];
        char simple = 0;
        switch (e) {
        case '"':
            simple = '"';
            break;
        case '\\':
            simple = '\\';
            break;
        case '/':
            simple = '/';
            break;
        case 'b':
            simple = '\b';
            break;
        case 'f':
            simple = '\f';
            break;
        case 'n':
            simple = '\n';
            break;
        case 'r':
            simple = '\r';
            break;
        case 't':
            simple = '\t';
            break;
        case 'u':
            break;
        default:
            status = json_fail(p, escape_at, "unknown escape");
            break;
        }
        if (status != REEL_OK)
            break;
        if (e != 'u') {
            status = reel_buf_append_u8(&buf, (uint8_t)simple);
            if (status != REEL_OK)
                break;
            continue;
        }
        uint32_t cp;
        status = json_read_hex4(p, &cp);
        if (status != REEL_OK)
            break;
        if (cp >= 0xDC00 && cp <= 0xDFFF) {
            status = json_fail(p, escape_at, "lone low surrogate in \\u escape");
            break;
        }
        if (cp >= 0xD800 && cp <= 0xDBFF) {
            if (p->len - p->pos < 2 || p->text[p->pos] != '\\' || p->text[p->pos + 1] != 'u') {
                status =
                    json_fail(p, escape_at, "high surrogate not followed by \\u low surrogate");
                break;
            }
            p->pos += 2;
            uint32_t low;
            status = json_read_hex4(p, &low);
            if (status != REEL_OK)
                break;
            if (low < 0xDC00 || low > 0xDFFF) {
                status = json_fail(p, escape_at, "high surrogate not followed by a low surrogate");
                break;
            }
            cp = 0x10000 + ((cp - 0xD800) << 10) + (low - 0xDC00);
        }
        status = append_utf8(&buf, cp);
        if (status != REEL_OK)
            break;
    }
    if (status == REEL_OK) {
        /* Not reel_arena_strndup: the string may contain NULs (from \u0000). */
        char *copy = reel_arena_alloc(p->arena, buf.len + 1, 1);
        if (copy) {
            if (buf.len)
                memcpy(copy, buf.data, buf.len);
            copy[buf.len] = '\0';
        }
        *out = copy;
        *out_len = buf.len;
        if (!*out)
            status = reel_error_set(p->err, REEL_OUT_OF_MEMORY, "out of memory parsing JSON");
    }
    reel_buf_free(&buf);
    return status;
}

static bool is_digit(char c)
{
    return c >= '0' && c <= '9';
}

static reel_status json_parse_number(json_parser *p, json_value *out)
{
    size_t start = p->pos;
    bool negative = false;
    if (p->text[p->pos] == '-') {
        negative = true;
        p->pos++;
    }
    if (p->pos >= p->len || !is_digit(p->text[p->pos]))
        return json_fail(p, start, "expected a digit");
    if (p->text[p->pos] == '0') {
        p->pos++;
        if (p->pos < p->len && is_digit(p->text[p->pos]))
            return json_fail(p, start, "leading zero in number");
    } else {
        while (p->pos < p->len && is_digit(p->text[p->pos]))
            p->pos++;
    }
    bool integer = true;
    if (p->pos < p->len && p->text[p->pos] == '.') {
        integer = false;
        p->pos++;
        if (p->pos >= p->len || !is_digit(p->text[p->pos]))
            return json_fail(p, start, "expected a digit after '.'");
        while (p->pos < p->len && is_digit(p->text[p->pos]))
            p->pos++;
    }
    if (p->pos < p->len && (p->text[p->pos] == 'e' || p->text[p->pos] == 'E')) {
        integer = false;
        p->pos++;
        if (p->pos < p->len && (p->text[p->pos] == '+' || p->text[p->pos] == '-'))
            p->pos++;
        if (p->pos >= p->len || !is_digit(p->text[p->pos]))
            return json_fail(p, start, "expected a digit in exponent");
        while (p->pos < p->len && is_digit(p->text[p->pos]))
            p->pos++;
    }
    size_t token_len = p->pos - start;
    char token[400];
    if (token_len >= sizeof token)
        return json_fail(p, start, "number token too long");
    memcpy(token, p->text + start, token_len);
    token[token_len] = '\0';

    out->offset = start;
    out->negative = negative;
    if (integer) {
        uint64_t magnitude = 0;
        for (size_t i = negative ? 1 : 0; i < token_len; i++) {
            uint64_t digit = (uint64_t)(token[i] - '0');
            if (magnitude > (UINT64_MAX - digit) / 10)
                return json_fail(p, start, "integer out of the uint64 range");
            magnitude = magnitude * 10 + digit;
        }
        if (negative && magnitude > (uint64_t)INT64_MAX + 1)
            return json_fail(p, start, "integer out of the int64 range");
        out->kind = JSON_INTEGER;
        out->magnitude = magnitude;
        out->number = negative ? -(double)magnitude : (double)magnitude;
        return REEL_OK;
    }
    errno = 0;
    char *end = NULL;
    double value = strtod(token, &end);
    if (end != token + token_len)
        return json_fail(p, start, "malformed number");
    if (isinf(value))
        return json_fail(p, start, "number out of the double range");
    out->kind = JSON_NUMBER;
    out->number = value;
    return REEL_OK;
}

static reel_status json_parse_value(json_parser *p, json_value *out);

static reel_status json_expect_literal(json_parser *p, const char *word)
{
    size_t n = strlen(word);
    if (p->len - p->pos < n || memcmp(p->text + p->pos, word, n) != 0)
        return json_fail(p, p->pos, "unexpected character");
    p->pos += n;
    return REEL_OK;
}

static reel_status json_parse_array(json_parser *p, json_value *out)
{
    reel_vec items;
    reel_vec_init(&items, sizeof(json_value), NULL);
    reel_status status = REEL_OK;
    p->pos++; /* '[' */
    json_skip_space(p);
    if (p->pos < p->len && p->text[p->pos] == ']') {
        p->pos++;
    } else {
        for (;;) {
            json_value *item = reel_vec_push_n(&items, 1);
            if (!item) {
                status = reel_error_set(p->err, REEL_OUT_OF_MEMORY, "out of memory parsing JSON");
                break;
            }
            status = json_parse_value(p, item);
            if (status != REEL_OK)
                break;
            json_skip_space(p);
            if (p->pos < p->len && p->text[p->pos] == ',') {
                p->pos++;
                continue;
            }
            if (p->pos < p->len && p->text[p->pos] == ']') {
                p->pos++;
                break;
            }
            status = json_fail(p, p->pos, "expected ',' or ']' in array");
            break;
        }
    }
    if (status == REEL_OK) {
        out->kind = JSON_ARRAY;
        out->count = items.len;
        out->items =
            reel_arena_alloc(p->arena, items.len * sizeof(json_value) + 1, _Alignof(json_value));
        if (!out->items)
            status = reel_error_set(p->err, REEL_OUT_OF_MEMORY, "out of memory parsing JSON");
        else if (items.len)
            memcpy(out->items, items.data, items.len * sizeof(json_value));
    }
    reel_vec_free(&items);
    return status;
}

static reel_status json_parse_object(json_parser *p, json_value *out)
{
    reel_vec members;
    reel_vec_init(&members, sizeof(json_member), NULL);
    reel_status status = REEL_OK;
    p->pos++; /* '{' */
    json_skip_space(p);
    if (p->pos < p->len && p->text[p->pos] == '}') {
        p->pos++;
    } else {
        for (;;) {
            json_skip_space(p);
            if (p->pos >= p->len || p->text[p->pos] != '"') {
                status = json_fail(p, p->pos, "expected a string key in object");
                break;
            }
            json_member *member = reel_vec_push_n(&members, 1);
            if (!member) {
                status = reel_error_set(p->err, REEL_OUT_OF_MEMORY, "out of memory parsing JSON");
                break;
            }
            status = json_parse_string(p, &member->key, &member->key_len);
            if (status != REEL_OK)
                break;
            json_skip_space(p);
            if (p->pos >= p->len || p->text[p->pos] != ':') {
                status = json_fail(p, p->pos, "expected ':' after object key");
                break;
            }
            p->pos++;
            status = json_parse_value(p, &member->value);
            if (status != REEL_OK)
                break;
            json_skip_space(p);
            if (p->pos < p->len && p->text[p->pos] == ',') {
                p->pos++;
                continue;
            }
            if (p->pos < p->len && p->text[p->pos] == '}') {
                p->pos++;
                break;
            }
            status = json_fail(p, p->pos, "expected ',' or '}' in object");
            break;
        }
    }
    if (status == REEL_OK) {
        out->kind = JSON_OBJECT;
        out->count = members.len;
        out->members = reel_arena_alloc(p->arena, members.len * sizeof(json_member) + 1,
                                        _Alignof(json_member));
        if (!out->members)
            status = reel_error_set(p->err, REEL_OUT_OF_MEMORY, "out of memory parsing JSON");
        else if (members.len)
            memcpy(out->members, members.data, members.len * sizeof(json_member));
    }
    reel_vec_free(&members);
    return status;
}

static reel_status json_parse_value(json_parser *p, json_value *out)
{
    memset(out, 0, sizeof *out);
    json_skip_space(p);
    if (p->pos >= p->len)
        return json_fail(p, p->pos, "unexpected end of input");
    out->offset = p->pos;
    char c = p->text[p->pos];
    switch (c) {
    case 'n':
        out->kind = JSON_NULL;
        return json_expect_literal(p, "null");
    case 't':
        out->kind = JSON_BOOL;
        out->boolean = true;
        return json_expect_literal(p, "true");
    case 'f':
        out->kind = JSON_BOOL;
        return json_expect_literal(p, "false");
    case '"':
        out->kind = JSON_STRING;
        return json_parse_string(p, &out->string, &out->string_len);
    case '[':
    case '{': {
        if (p->depth >= JSON_MAX_DEPTH)
            return json_fail(p, p->pos, "nesting deeper than 64 levels");
        p->depth++;
        reel_status status = c == '[' ? json_parse_array(p, out) : json_parse_object(p, out);
        p->depth--;
        return status;
    }
    default:
        if (c == '-' || is_digit(c))
            return json_parse_number(p, out);
        return json_fail(p, p->pos, "unexpected character");
    }
}

/* Parses a whole document; nodes live in `arena`. */
static reel_status json_parse(const char *text, size_t len, reel_arena *arena, json_value *out,
                              reel_error *err)
{
    json_parser p = {.text = text, .len = len, .arena = arena, .err = err};
    REEL_TRY(json_parse_value(&p, out));
    json_skip_space(&p);
    if (p.pos != p.len)
        return json_fail(&p, p.pos, "trailing characters after the JSON value");
    return REEL_OK;
}

static const json_value *json_get(const json_value *object, const char *key)
{
    if (object->kind != JSON_OBJECT)
        return NULL;
    size_t key_len = strlen(key);
    for (size_t i = 0; i < object->count; i++) {
        const json_member *m = &object->members[i];
        if (m->key_len == key_len && memcmp(m->key, key, key_len) == 0)
            return &m->value;
    }
    return NULL;
}

static const char *json_kind_name(json_kind kind)
{
    switch (kind) {
    case JSON_NULL:
        return "null";
    case JSON_BOOL:
        return "a boolean";
    case JSON_INTEGER:
        return "an integer";
    case JSON_NUMBER:
        return "a number";
    case JSON_STRING:
        return "a string";
    case JSON_ARRAY:
        return "an array";
    case JSON_OBJECT:
        return "an object";
    }
    return "?";
}

/* ================================================================ JSON (writer) */

static reel_status write_json_string(reel_buf *out, const char *s, size_t len)
{
    REEL_TRY(reel_buf_append_u8(out, '"'));
    for (size_t i = 0; i < len; i++) {
        uint8_t c = (uint8_t)s[i];
        if (c == '"' || c == '\\') {
            REEL_TRY(reel_buf_append_u8(out, '\\'));
            REEL_TRY(reel_buf_append_u8(out, c));
        } else if (c == '\n') {
            REEL_TRY(reel_buf_append(out, "\\n", 2));
        } else if (c == '\t') {
            REEL_TRY(reel_buf_append(out, "\\t", 2));
        } else if (c == '\r') {
            REEL_TRY(reel_buf_append(out, "\\r", 2));
        } else if (c < 0x20 || c == 0x7F) {
            REEL_TRY(reel_buf_printf(out, "\\u%04x", c));
        } else {
            REEL_TRY(reel_buf_append_u8(out, c));
        }
    }
    return reel_buf_append_u8(out, '"');
}

static reel_status write_json_cstring(reel_buf *out, const char *s)
{
    return write_json_string(out, s ? s : "", s ? strlen(s) : 0);
}

static reel_status write_metadata_json(reel_buf *out, const reel_arrow_metadata *md)
{
    REEL_TRY(reel_buf_append_u8(out, '{'));
    for (int32_t i = 0; i < md->count; i++) {
        if (i)
            REEL_TRY(reel_buf_append(out, ", ", 2));
        REEL_TRY(write_json_cstring(out, md->items[i].key));
        REEL_TRY(reel_buf_append(out, ": ", 2));
        REEL_TRY(write_json_cstring(out, md->items[i].value));
    }
    return reel_buf_append_u8(out, '}');
}

/* ================================================================ files */

static reel_status read_whole_file(const char *path, uint8_t **out_data, size_t *out_len,
                                   reel_error *err)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return reel_error_set(err, REEL_IO, "%s: cannot open: %s", path, strerror(errno));
    reel_buf buf = {0};
    reel_status status = REEL_OK;
    for (;;) {
        uint8_t *chunk = reel_buf_extend(&buf, 65536);
        if (!chunk) {
            status = reel_error_set(err, REEL_OUT_OF_MEMORY, "%s: out of memory", path);
            break;
        }
        size_t got = fread(chunk, 1, 65536, f);
        buf.len -= 65536 - got;
        if (got < 65536) {
            if (ferror(f))
                status = reel_error_set(err, REEL_IO, "%s: read error", path);
            break;
        }
    }
    fclose(f);
    if (status != REEL_OK) {
        reel_buf_free(&buf);
        return status;
    }
    /* Copy into exactly-sized malloc memory so the blob's bytes end where the file ends
     * (AddressSanitizer then catches any read past the end). */
    uint8_t *data = malloc(buf.len ? buf.len : 1);
    if (!data) {
        reel_buf_free(&buf);
        return reel_error_set(err, REEL_OUT_OF_MEMORY, "%s: out of memory", path);
    }
    if (buf.len)
        memcpy(data, buf.data, buf.len);
    *out_data = data;
    *out_len = buf.len;
    reel_buf_free(&buf);
    return REEL_OK;
}

static reel_status write_whole_file(const char *path, const void *data, size_t len, reel_error *err)
{
    FILE *f = fopen(path, "wb");
    if (!f)
        return reel_error_set(err, REEL_IO, "%s: cannot create: %s", path, strerror(errno));
    size_t written = len ? fwrite(data, 1, len, f) : 0;
    int close_rc = fclose(f);
    if (written != len || close_rc != 0)
        return reel_error_set(err, REEL_IO, "%s: write error", path);
    return REEL_OK;
}

static void free_file_bytes(void *ctx, void *data, size_t len)
{
    (void)ctx;
    (void)len;
    free(data);
}

/* ================================================================ IPC helpers */

static void free_batches(reel_vec *batches)
{
    for (size_t i = 0; i < batches->len; i++)
        reel_arrow_array_reset(&REEL_VEC_AT(batches, reel_arrow_array, i));
    reel_vec_free(batches);
}

/* Reads a whole stream with full validation. On success the caller resets *schema, each
 * batch, and frees *batches. */
/* The incremental path (what a socket or file reader does): size each message with
 * reel_ipc_message_size, feeding it only as many bytes as it asked for so far, then decode
 * it with a reel_ipc_decoder. Checks the sizing contract on the way (*needed grows, the
 * decoder's offset follows the messages). */
static reel_status read_incremental(reel_blob *blob, reel_arrow_field *schema, reel_vec *batches,
                                    reel_error *err)
{
    const uint8_t *data = reel_blob_data(blob);
    size_t len = reel_blob_len(blob);
    reel_ipc_decoder_options options = {0}; /* validate = FULL */
    reel_ipc_decoder *decoder = NULL;
    REEL_TRY(reel_ipc_decoder_create(&options, &decoder, err));
    reel_status status = REEL_OK;
    size_t offset = 0;
    bool saw_eos = false;
    while (offset < len && !saw_eos) {
        size_t available = len - offset;
        size_t have = 0;
        uint64_t message_size = 0;
        for (;;) {
            uint64_t needed = 0;
            status =
                reel_ipc_message_size(data + offset, have, 2ull << 30, &message_size, &needed, err);
            if (status != REEL_TRUNCATED)
                break;
            if (needed <= have) {
                status = reel_error_set(err, REEL_INTERNAL,
                                        "message_size at offset %zu: TRUNCATED with %zu bytes but "
                                        "needs only %llu",
                                        offset, have, (unsigned long long)needed);
                break;
            }
            if (needed > available) {
                status = reel_error_set(err, REEL_TRUNCATED,
                                        "message at offset %zu: needs %llu bytes to be sized, the "
                                        "stream has %zu more",
                                        offset, (unsigned long long)needed, available);
                break;
            }
            have = (size_t)needed;
        }
        if (status != REEL_OK) {
            /* message_size sees only the message's bytes: the stream offset is ours to add. */
            reel_error_prefix(err, "sizing the message at byte offset %zu: ", offset);
            break;
        }
        if (message_size == 0 || message_size > available) {
            status = reel_error_set(err, message_size ? REEL_TRUNCATED : REEL_INTERNAL,
                                    "message at offset %zu: size %llu, the stream has %zu more",
                                    offset, (unsigned long long)message_size, available);
            break;
        }
        if (reel_ipc_decoder_offset(decoder) != offset) {
            status = reel_error_set(err, REEL_INTERNAL, "decoder offset %llu, expected %zu",
                                    (unsigned long long)reel_ipc_decoder_offset(decoder), offset);
            break;
        }
        reel_ipc_message message = {0};
        status =
            reel_ipc_decoder_decode(decoder, blob, offset, (size_t)message_size, &message, err);
        if (status != REEL_OK) {
            reel_arrow_array_reset(&message.batch);
            break;
        }
        if (message.size != message_size) {
            reel_arrow_array_reset(&message.batch);
            status = reel_error_set(
                err, REEL_INTERNAL, "message at offset %zu: decoded size %llu, sized %llu", offset,
                (unsigned long long)message.size, (unsigned long long)message_size);
            break;
        }
        if (message.kind == REEL_IPC_MESSAGE_RECORD_BATCH) {
            status = reel_vec_push(batches, &message.batch);
            if (status != REEL_OK) {
                reel_arrow_array_reset(&message.batch);
                break;
            }
        } else {
            reel_arrow_array_reset(&message.batch);
            saw_eos = message.kind == REEL_IPC_MESSAGE_EOS;
        }
        offset += (size_t)message_size;
    }
    if (status == REEL_OK) {
        const reel_arrow_field *decoded = reel_ipc_decoder_schema(decoder);
        if (!decoded)
            status = reel_error_set(err, REEL_TRUNCATED,
                                    "stream of %zu bytes has no schema "
                                    "message (offset %zu)",
                                    len, offset);
        else
            status = reel_arrow_field_copy(schema, decoded, NULL);
    }
    reel_ipc_decoder_destroy(decoder);
    return status;
}

/* How a command reads or writes Arrow IPC bytes. */
typedef enum ipc_format {
    IPC_STREAM,             /* reel_ipc_read_stream, reel_ipc_write_stream */
    IPC_STREAM_INCREMENTAL, /* read only: message by message with a reel_ipc_decoder */
    IPC_FILE,               /* reel_ipc_read_file, reel_ipc_write_file */
    IPC_FILE_INCREMENTAL,   /* write only: a reel_ipc_file_writer, flushed after each call */
} ipc_format;

/* Reads a whole stream or file with full validation. On success the caller resets *schema,
 * each batch, and frees *batches. */
static reel_status read_arrow_file(const char *path, ipc_format format, reel_arrow_field *schema,
                                   reel_vec *batches, reel_error *err)
{
    uint8_t *data = NULL;
    size_t len = 0;
    REEL_TRY(read_whole_file(path, &data, &len, err));
    reel_blob *blob = reel_blob_wrap(data, len, free_file_bytes, NULL);
    if (!blob) {
        free(data);
        return reel_error_set(err, REEL_OUT_OF_MEMORY, "%s: out of memory", path);
    }
    reel_ipc_decoder_options options = {0}; /* validate = FULL: the bytes are untrusted */
    reel_vec_init(batches, sizeof(reel_arrow_array), NULL);
    reel_status status;
    if (format == IPC_STREAM_INCREMENTAL)
        status = read_incremental(blob, schema, batches, err);
    else if (format == IPC_FILE)
        status = reel_ipc_read_file(blob, &options, schema, batches, err);
    else
        status = reel_ipc_read_stream(blob, &options, schema, batches, err);
    reel_blob_release(blob);
    if (status != REEL_OK) {
        /* Whatever was decoded before the error is still ours to free. */
        reel_error_prefix(err, "%s: ", path);
        free_batches(batches);
        reel_arrow_field_reset(schema);
    }
    return status;
}

/* Writes a file with a reel_ipc_file_writer, handing each call a drained buffer whose bytes
 * go to disk right after it (so the writer must count the file's bytes itself). */
static reel_status write_file_incrementally(FILE *f, const reel_arrow_field *schema,
                                            const reel_arrow_array *batches, int64_t batch_count,
                                            const reel_ipc_write_options *options, reel_error *err)
{
    reel_buf out = {0};
    reel_ipc_file_writer *writer = NULL;
    reel_status status = reel_ipc_file_writer_create(schema, options, &out, &writer, err);
    for (int64_t i = 0; status == REEL_OK && i <= batch_count + 1; i++) {
        if (out.len != 0 && fwrite(out.data, 1, out.len, f) != out.len) {
            status = reel_error_set(err, REEL_IO, "write error");
            break;
        }
        reel_buf_clear(&out);
        if (i < batch_count)
            status = reel_ipc_file_writer_write_batch(writer, &batches[i], &out, err);
        else if (i == batch_count)
            status = reel_ipc_file_writer_finish(writer, &out, err);
    }
    reel_ipc_file_writer_destroy(writer);
    reel_buf_free(&out);
    return status;
}

/* Writes a stream or a file. */
static reel_status write_arrow_file(const char *path, const reel_arrow_field *schema,
                                    const reel_arrow_array *batches, int64_t batch_count,
                                    int32_t alignment, ipc_format format, reel_error *err)
{
    reel_ipc_write_options options = {.alignment = alignment};
    if (format == IPC_FILE_INCREMENTAL) {
        FILE *f = fopen(path, "wb");
        if (!f)
            return reel_error_set(err, REEL_IO, "%s: cannot create: %s", path, strerror(errno));
        reel_status status =
            write_file_incrementally(f, schema, batches, batch_count, &options, err);
        if (fclose(f) != 0 && status == REEL_OK)
            status = reel_error_set(err, REEL_IO, "write error");
        if (status != REEL_OK)
            reel_error_prefix(err, "%s: encoding: ", path);
        return status;
    }
    reel_buf out = {0};
    reel_status status =
        format == IPC_FILE
            ? reel_ipc_write_file(&out, schema, batches, batch_count, &options, err)
            : reel_ipc_write_stream(&out, schema, batches, batch_count, &options, err);
    if (status == REEL_OK)
        status = write_whole_file(path, out.data, out.len, err);
    else
        reel_error_prefix(err, "%s: encoding: ", path);
    reel_buf_free(&out);
    return status;
}

/* A record batch (STRUCT array without validity) taking ownership of `columns`' contents
 * (each column is moved; the caller's copies are zeroed). */
static reel_status make_batch(reel_arrow_array *batch, reel_arrow_array *columns,
                              int32_t column_count, int64_t length, reel_error *err)
{
    memset(batch, 0, sizeof *batch);
    batch->length = length;
    batch->n_buffers = reel_arrow_type_buffer_count(REEL_ARROW_STRUCT);
    if (column_count > 0) {
        batch->children = reel_alloc_zeroed(NULL, (size_t)column_count * sizeof(reel_arrow_array));
        if (!batch->children)
            return reel_error_set(err, REEL_OUT_OF_MEMORY, "out of memory");
        for (int32_t c = 0; c < column_count; c++) {
            batch->children[c] = columns[c];
            memset(&columns[c], 0, sizeof columns[c]);
        }
        batch->n_children = column_count;
    }
    return REEL_OK;
}

/* ================================================================ read */

static reel_status cmd_read(const char *in_path, ipc_format format, reel_error *err)
{
    reel_arrow_field schema = {0};
    reel_vec batches;
    REEL_TRY(read_arrow_file(in_path, format, &schema, &batches, err));

    reel_buf out = {0};
    reel_buf type_text = {0};
    reel_status status = REEL_OK;
#define OUT_TRY(expr)                                                                              \
    do {                                                                                           \
        status = (expr);                                                                           \
        if (status != REEL_OK)                                                                     \
            goto done;                                                                             \
    } while (0)

    OUT_TRY(reel_buf_append(&out, "{\"schema_metadata\": ", 20));
    OUT_TRY(write_metadata_json(&out, &schema.metadata));
    OUT_TRY(reel_buf_append(&out, ",\n \"fields\": [", 14));
    for (int32_t c = 0; c < schema.n_children; c++) {
        const reel_arrow_field *field = &schema.children[c];
        reel_buf_clear(&type_text);
        status = reel_arrow_type_format(field, &type_text);
        if (status != REEL_OK) {
            reel_error_set(err, status, "%s: cannot format the type of column %d", in_path, c);
            goto done;
        }
        OUT_TRY(reel_buf_append(&out, c ? ",\n  {\"name\": " : "\n  {\"name\": ", c ? 13 : 12));
        OUT_TRY(write_json_cstring(&out, field->name));
        OUT_TRY(reel_buf_append(&out, ", \"type\": ", 10));
        OUT_TRY(write_json_string(&out, (const char *)type_text.data, type_text.len));
        OUT_TRY(reel_buf_printf(
            &out, ", \"nullable\": %s, \"metadata\": ", field->nullable ? "true" : "false"));
        OUT_TRY(write_metadata_json(&out, &field->metadata));
        OUT_TRY(reel_buf_append_u8(&out, '}'));
    }
    OUT_TRY(reel_buf_append(&out, "],\n \"batches\": [", 16));
    for (size_t b = 0; b < batches.len; b++) {
        const reel_arrow_array *batch = &REEL_VEC_AT(&batches, reel_arrow_array, b);
        if (batch->n_children != schema.n_children) {
            status = reel_error_set(err, REEL_INTERNAL,
                                    "%s: batch %zu has %d columns but the schema has %d", in_path,
                                    b, batch->n_children, schema.n_children);
            goto done;
        }
        OUT_TRY(reel_buf_printf(&out, "%s\n  {\"length\": %lld, \"columns\": [", b ? "," : "",
                                (long long)batch->length));
        for (int32_t c = 0; c < batch->n_children; c++) {
            const reel_arrow_array *column = &batch->children[c];
            if (column->length != batch->length) {
                status = reel_error_set(
                    err, REEL_INTERNAL, "%s: batch %zu column %d has length %lld, batch %lld",
                    in_path, b, c, (long long)column->length, (long long)batch->length);
                goto done;
            }
            OUT_TRY(reel_buf_append(&out, c ? ",\n    [" : "\n    [", c ? 7 : 6));
            for (int64_t i = 0; i < column->length; i++) {
                if (i)
                    OUT_TRY(reel_buf_append(&out, ", ", 2));
                status = reel_arrow_value_to_json(&schema.children[c], column, i, &out);
                if (status != REEL_OK) {
                    reel_error_set(err, status,
                                   "%s: batch %zu column %d row %lld: value_to_json "
                                   "failed",
                                   in_path, b, c, (long long)i);
                    goto done;
                }
            }
            OUT_TRY(reel_buf_append_u8(&out, ']'));
        }
        OUT_TRY(reel_buf_append(&out, "]}", 2));
    }
    OUT_TRY(reel_buf_append(&out, "]}\n", 3));
    if (fwrite(out.data, 1, out.len, stdout) != out.len || fflush(stdout) != 0)
        status = reel_error_set(err, REEL_IO, "writing to stdout failed");
#undef OUT_TRY
done:
    if (status != REEL_OK && err->status == REEL_OK)
        reel_error_set(err, status, "%s: formatting the output failed", in_path);
    reel_buf_free(&type_text);
    reel_buf_free(&out);
    free_batches(&batches);
    reel_arrow_field_reset(&schema);
    return status;
}

/* ================================================================ build */

/* The values each dictionary builder of one column got so far, in first-occurrence order
 * (its index is the position), so equal values share one dictionary entry as in pyarrow's
 * DictionaryBuilder and the built array equals pyarrow's. */
typedef struct dictionary_memo {
    reel_arrow_builder *builder;
    reel_vec values; /* const json_value * */
} dictionary_memo;

/* Where a value came from, for error messages, and the dictionaries of its column. */
typedef struct value_site {
    const char *case_path;
    const char *column;
    int64_t row;
    reel_vec *memos; /* dictionary_memo */
} value_site;

static void free_memos(reel_vec *memos)
{
    for (size_t i = 0; i < memos->len; i++)
        reel_vec_free(&REEL_VEC_AT(memos, dictionary_memo, i).values);
    reel_vec_free(memos);
}

static bool json_equal(const json_value *a, const json_value *b)
{
    if (a->kind != b->kind)
        return false;
    switch (a->kind) {
    case JSON_NULL:
        return true;
    case JSON_BOOL:
        return a->boolean == b->boolean;
    case JSON_INTEGER:
        return a->negative == b->negative && a->magnitude == b->magnitude;
    case JSON_NUMBER:
        return memcmp(&a->number, &b->number, sizeof a->number) == 0;
    case JSON_STRING:
        return a->string_len == b->string_len && memcmp(a->string, b->string, a->string_len) == 0;
    case JSON_ARRAY:
        if (a->count != b->count)
            return false;
        for (size_t i = 0; i < a->count; i++)
            if (!json_equal(&a->items[i], &b->items[i]))
                return false;
        return true;
    case JSON_OBJECT:
        if (a->count != b->count)
            return false;
        for (size_t i = 0; i < a->count; i++)
            if (a->members[i].key_len != b->members[i].key_len ||
                memcmp(a->members[i].key, b->members[i].key, a->members[i].key_len) != 0 ||
                !json_equal(&a->members[i].value, &b->members[i].value))
                return false;
        return true;
    }
    return false;
}

static reel_status value_error(reel_error *err, const value_site *site, const json_value *value,
                               const char *fmt, const char *detail)
{
    char what[256];
    snprintf(what, sizeof what, fmt, detail);
    return reel_error_set(err, REEL_INVALID_ARGUMENT,
                          "%s: column '%s' row %lld: %s (JSON offset %zu)", site->case_path,
                          site->column, (long long)site->row, what, value->offset);
}

static reel_status builder_error(reel_error *err, const value_site *site, const json_value *value,
                                 reel_status status, const char *call)
{
    return reel_error_set(err, status, "%s: column '%s' row %lld: %s failed: %s (JSON offset %zu)",
                          site->case_path, site->column, (long long)site->row, call,
                          reel_status_name(status), value->offset);
}

static bool is_signed_like(reel_arrow_type type)
{
    switch (type) {
    case REEL_ARROW_INT8:
    case REEL_ARROW_INT16:
    case REEL_ARROW_INT32:
    case REEL_ARROW_INT64:
    case REEL_ARROW_DATE32:
    case REEL_ARROW_DATE64:
    case REEL_ARROW_TIME32:
    case REEL_ARROW_TIME64:
    case REEL_ARROW_TIMESTAMP:
    case REEL_ARROW_DURATION:
        return true;
    default:
        return false;
    }
}

static bool is_unsigned(reel_arrow_type type)
{
    return type == REEL_ARROW_UINT8 || type == REEL_ARROW_UINT16 || type == REEL_ARROW_UINT32 ||
           type == REEL_ARROW_UINT64;
}

static bool is_float(reel_arrow_type type)
{
    return type == REEL_ARROW_FLOAT16 || type == REEL_ARROW_FLOAT32 || type == REEL_ARROW_FLOAT64;
}

static bool json_string_is(const json_value *value, const char *text)
{
    size_t n = strlen(text);
    return value->kind == JSON_STRING && value->string_len == n &&
           memcmp(value->string, text, n) == 0;
}

static reel_status append_json_value(reel_arrow_builder *builder, const json_value *value,
                                     const value_site *site, reel_error *err);

static reel_status append_hex_bytes(reel_arrow_builder *builder, const json_value *value,
                                    const value_site *site, reel_error *err)
{
    if (value->kind != JSON_STRING)
        return value_error(err, site, value, "expected a hex string, got %s",
                           json_kind_name(value->kind));
    if (value->string_len % 2 != 0)
        return value_error(err, site, value, "%s", "hex string of odd length");
    size_t n = value->string_len / 2;
    uint8_t *bytes = malloc(n ? n : 1);
    if (!bytes)
        return reel_error_set(err, REEL_OUT_OF_MEMORY, "out of memory");
    for (size_t i = 0; i < n; i++) {
        int hi = hex_digit_value(value->string[2 * i]);
        int lo = hex_digit_value(value->string[2 * i + 1]);
        if (hi < 0 || lo < 0) {
            free(bytes);
            return value_error(err, site, value, "%s", "bad hex digit");
        }
        bytes[i] = (uint8_t)(hi * 16 + lo);
    }
    reel_status status = reel_arrow_builder_append_bytes(builder, bytes, n);
    free(bytes);
    if (status != REEL_OK)
        return builder_error(err, site, value, status, "append_bytes");
    return REEL_OK;
}

static reel_status append_json_double(reel_arrow_builder *builder, const json_value *value,
                                      const value_site *site, reel_error *err)
{
    double number;
    if (value->kind == JSON_INTEGER || value->kind == JSON_NUMBER)
        number = value->number;
    else if (json_string_is(value, "NaN"))
        number = NAN;
    else if (json_string_is(value, "inf"))
        number = INFINITY;
    else if (json_string_is(value, "-inf"))
        number = -INFINITY;
    else
        return value_error(err, site, value,
                           "expected a number, \"NaN\", \"inf\" or \"-inf\", got %s",
                           json_kind_name(value->kind));
    reel_status status = reel_arrow_builder_append_double(builder, number);
    if (status != REEL_OK)
        return builder_error(err, site, value, status, "append_double");
    return REEL_OK;
}

static reel_status append_json_list(reel_arrow_builder *builder, const reel_arrow_field *field,
                                    const json_value *value, const value_site *site,
                                    reel_error *err)
{
    if (value->kind != JSON_ARRAY)
        return value_error(err, site, value, "expected an array for a %s",
                           reel_arrow_type_name(field->type));
    if (field->type == REEL_ARROW_FIXED_SIZE_LIST && (int64_t)value->count != field->fixed_size) {
        char detail[64];
        snprintf(detail, sizeof detail, "%zu items, the list size is %d", value->count,
                 field->fixed_size);
        return value_error(err, site, value, "fixed_size_list element with %s", detail);
    }
    reel_arrow_builder *child = reel_arrow_builder_child(builder, 0);
    for (size_t i = 0; i < value->count; i++)
        REEL_TRY(append_json_value(child, &value->items[i], site, err));
    reel_status status = reel_arrow_builder_finish_element(builder);
    if (status != REEL_OK)
        return builder_error(err, site, value, status, "finish_element (list)");
    return REEL_OK;
}

static reel_status append_json_decimal(reel_arrow_builder *builder, const reel_arrow_field *field,
                                       const json_value *value, const value_site *site,
                                       reel_error *err)
{
    if (value->kind != JSON_STRING)
        return value_error(err, site, value, "expected a decimal string, got %s",
                           json_kind_name(value->kind));
    uint8_t bytes[32];
    reel_error parse_err = {0};
    reel_status status =
        reel_arrow_decimal_parse(field, value->string, value->string_len, bytes, &parse_err);
    if (status != REEL_OK) {
        char detail[200];
        snprintf(detail, sizeof detail, "%.150s", parse_err.message);
        return value_error(err, site, value, "%s", detail);
    }
    status = reel_arrow_builder_append_bytes(builder, bytes, (size_t)reel_arrow_fixed_width(field));
    if (status != REEL_OK)
        return builder_error(err, site, value, status, "append_bytes (decimal)");
    return REEL_OK;
}

/* A dictionary-encoded value: the index of an equal value appended before, else a new one. */
static reel_status append_json_dictionary(reel_arrow_builder *builder, const json_value *value,
                                          const value_site *site, reel_error *err)
{
    dictionary_memo *memo = NULL;
    for (size_t i = 0; i < site->memos->len && memo == NULL; i++)
        if (REEL_VEC_AT(site->memos, dictionary_memo, i).builder == builder)
            memo = &REEL_VEC_AT(site->memos, dictionary_memo, i);
    if (memo == NULL) {
        memo = reel_vec_push_n(site->memos, 1);
        if (memo == NULL)
            return reel_error_set(err, REEL_OUT_OF_MEMORY, "out of memory");
        memo->builder = builder;
        reel_vec_init(&memo->values, sizeof(const json_value *), NULL);
    }
    size_t index = 0;
    while (index < memo->values.len &&
           !json_equal(REEL_VEC_AT(&memo->values, const json_value *, index), value))
        index++;
    if (index == memo->values.len) {
        REEL_TRY(append_json_value(reel_arrow_builder_child(builder, 0), value, site, err));
        if (reel_vec_push(&memo->values, &value) != REEL_OK)
            return reel_error_set(err, REEL_OUT_OF_MEMORY, "out of memory");
    }
    reel_status status = reel_arrow_builder_append_int(builder, (int64_t)index);
    if (status != REEL_OK)
        return builder_error(err, site, value, status, "append_int (dictionary index)");
    return REEL_OK;
}

static reel_status append_json_struct(reel_arrow_builder *builder, const reel_arrow_field *field,
                                      const json_value *value, const value_site *site,
                                      reel_error *err)
{
    if (value->kind != JSON_OBJECT)
        return value_error(err, site, value, "expected an object for a struct, got %s",
                           json_kind_name(value->kind));
    /* Every key must name a child; missing children are null. */
    for (size_t m = 0; m < value->count; m++) {
        bool known = false;
        for (int32_t c = 0; c < field->n_children && !known; c++) {
            const char *name = field->children[c].name ? field->children[c].name : "";
            known = strlen(name) == value->members[m].key_len &&
                    memcmp(name, value->members[m].key, value->members[m].key_len) == 0;
        }
        if (!known)
            return value_error(err, site, &value->members[m].value,
                               "struct has no child named '%s'", value->members[m].key);
    }
    for (int32_t c = 0; c < field->n_children; c++) {
        const char *name = field->children[c].name ? field->children[c].name : "";
        const json_value *child_value = json_get(value, name);
        reel_arrow_builder *child = reel_arrow_builder_child(builder, c);
        if (child_value) {
            REEL_TRY(append_json_value(child, child_value, site, err));
        } else {
            reel_status status = reel_arrow_builder_append_null(child, 1);
            if (status != REEL_OK)
                return builder_error(err, site, value, status, "append_null (missing child)");
        }
    }
    reel_status status = reel_arrow_builder_finish_element(builder);
    if (status != REEL_OK)
        return builder_error(err, site, value, status, "finish_element (struct)");
    return REEL_OK;
}

static reel_status append_json_union(reel_arrow_builder *builder, const reel_arrow_field *field,
                                     const json_value *value, const value_site *site,
                                     reel_error *err)
{
    if (value->kind != JSON_ARRAY || value->count != 2 || value->items[0].kind != JSON_INTEGER)
        return value_error(err, site, value, "%s", "expected [type_code, value] for a union");
    const json_value *code_value = &value->items[0];
    if (code_value->magnitude > 128 || (!code_value->negative && code_value->magnitude > 127))
        return value_error(err, site, code_value, "%s", "union type code out of the int8 range");
    int64_t code =
        code_value->negative ? -(int64_t)code_value->magnitude : (int64_t)code_value->magnitude;
    int32_t child_index = -1;
    for (int32_t c = 0; c < field->n_children; c++) {
        int64_t child_code = field->union_type_codes ? field->union_type_codes[c] : c;
        if (child_code == code) {
            child_index = c;
            break;
        }
    }
    if (child_index < 0)
        return value_error(err, site, code_value, "%s", "no union child has this type code");
    REEL_TRY(append_json_value(reel_arrow_builder_child(builder, child_index), &value->items[1],
                               site, err));
    reel_status status = reel_arrow_builder_append_union(builder, (int8_t)code);
    if (status != REEL_OK)
        return builder_error(err, site, value, status, "append_union");
    return REEL_OK;
}

/* Appends one JSON value (the shared value form) to a builder of any type. */
static reel_status append_json_value(reel_arrow_builder *builder, const json_value *value,
                                     const value_site *site, reel_error *err)
{
    const reel_arrow_field *field = reel_arrow_builder_field(builder);
    reel_arrow_type type = field->type;
    reel_status status;
    if (value->kind == JSON_NULL) {
        status = reel_arrow_builder_append_null(builder, 1);
        if (status != REEL_OK)
            return builder_error(err, site, value, status, "append_null");
        return REEL_OK;
    }
    if (type == REEL_ARROW_NULL_TYPE)
        return value_error(err, site, value, "a null column takes only null, got %s",
                           json_kind_name(value->kind));
    if (type == REEL_ARROW_BOOL) {
        if (value->kind != JSON_BOOL)
            return value_error(err, site, value, "expected true or false, got %s",
                               json_kind_name(value->kind));
        status = reel_arrow_builder_append_bool(builder, value->boolean);
        if (status != REEL_OK)
            return builder_error(err, site, value, status, "append_bool");
        return REEL_OK;
    }
    if (is_signed_like(type)) {
        if (value->kind != JSON_INTEGER)
            return value_error(err, site, value, "expected an integer, got %s",
                               json_kind_name(value->kind));
        if (!value->negative && value->magnitude > (uint64_t)INT64_MAX)
            return value_error(err, site, value, "%s", "integer does not fit in int64");
        int64_t v = value->negative ? (int64_t)(0 - value->magnitude) : (int64_t)value->magnitude;
        status = reel_arrow_builder_append_int(builder, v);
        if (status != REEL_OK)
            return builder_error(err, site, value, status, "append_int");
        return REEL_OK;
    }
    if (is_unsigned(type)) {
        if (value->kind != JSON_INTEGER || (value->negative && value->magnitude != 0))
            return value_error(err, site, value, "expected a non-negative integer, got %s",
                               json_kind_name(value->kind));
        status = reel_arrow_builder_append_uint(builder, value->magnitude);
        if (status != REEL_OK)
            return builder_error(err, site, value, status, "append_uint");
        return REEL_OK;
    }
    if (is_float(type))
        return append_json_double(builder, value, site, err);
    switch (type) {
    case REEL_ARROW_UTF8:
    case REEL_ARROW_LARGE_UTF8:
        if (value->kind != JSON_STRING)
            return value_error(err, site, value, "expected a string, got %s",
                               json_kind_name(value->kind));
        status = reel_arrow_builder_append_bytes(builder, value->string, value->string_len);
        if (status != REEL_OK)
            return builder_error(err, site, value, status, "append_bytes");
        return REEL_OK;
    case REEL_ARROW_BINARY:
    case REEL_ARROW_LARGE_BINARY:
    case REEL_ARROW_FIXED_SIZE_BINARY:
        return append_hex_bytes(builder, value, site, err);
    case REEL_ARROW_LIST:
    case REEL_ARROW_LARGE_LIST:
    case REEL_ARROW_FIXED_SIZE_LIST:
    case REEL_ARROW_MAP: /* a list of {"key": k, "value": v} entry structs */
        return append_json_list(builder, field, value, site, err);
    case REEL_ARROW_STRUCT:
        return append_json_struct(builder, field, value, site, err);
    case REEL_ARROW_DECIMAL32:
    case REEL_ARROW_DECIMAL64:
    case REEL_ARROW_DECIMAL128:
    case REEL_ARROW_DECIMAL256:
        return append_json_decimal(builder, field, value, site, err);
    case REEL_ARROW_DICTIONARY:
        return append_json_dictionary(builder, value, site, err);
    case REEL_ARROW_SPARSE_UNION:
    case REEL_ARROW_DENSE_UNION:
        return append_json_union(builder, field, value, site, err);
    default:
        break;
    }
    return value_error(err, site, value, "unsupported type '%s'", reel_arrow_type_name(type));
}

static reel_status set_metadata_from_json(reel_arrow_metadata *md, const reel_allocator *alloc,
                                          const json_value *object, const char *case_path,
                                          const char *what, reel_error *err)
{
    if (!object || object->kind == JSON_NULL)
        return REEL_OK;
    if (object->kind != JSON_OBJECT)
        return reel_error_set(err, REEL_INVALID_ARGUMENT,
                              "%s: %s must be an object of strings (JSON offset %zu)", case_path,
                              what, object->offset);
    for (size_t i = 0; i < object->count; i++) {
        const json_member *m = &object->members[i];
        if (m->value.kind != JSON_STRING || strlen(m->key) != m->key_len ||
            strlen(m->value.string) != m->value.string_len)
            return reel_error_set(err, REEL_INVALID_ARGUMENT,
                                  "%s: %s: values must be strings without NUL (JSON offset %zu)",
                                  case_path, what, m->value.offset);
        reel_status status = reel_arrow_metadata_set(md, alloc, m->key, m->value.string);
        if (status != REEL_OK)
            return reel_error_set(err, status, "%s: %s: metadata_set failed", case_path, what);
    }
    return REEL_OK;
}

/* Fills `schema` (a STRUCT field) from the case's "fields" and "schema_metadata". */
static reel_status schema_from_case(const json_value *doc, const char *case_path,
                                    reel_arrow_field *schema, reel_error *err)
{
    const json_value *fields = json_get(doc, "fields");
    if (!fields || fields->kind != JSON_ARRAY)
        return reel_error_set(err, REEL_INVALID_ARGUMENT, "%s: \"fields\" must be an array",
                              case_path);
    reel_status status = reel_arrow_field_init(schema, "", REEL_ARROW_STRUCT, false, NULL);
    if (status != REEL_OK)
        return reel_error_set(err, status, "%s: field_init failed", case_path);
    for (size_t c = 0; c < fields->count; c++) {
        const json_value *f = &fields->items[c];
        const json_value *name = json_get(f, "name");
        const json_value *type = json_get(f, "type");
        const json_value *nullable = json_get(f, "nullable");
        if (!name || name->kind != JSON_STRING || !type || type->kind != JSON_STRING ||
            (nullable && nullable->kind != JSON_BOOL))
            return reel_error_set(err, REEL_INVALID_ARGUMENT,
                                  "%s: field %zu needs a string \"name\", a string \"type\" and "
                                  "an optional boolean \"nullable\" (JSON offset %zu)",
                                  case_path, c, f->offset);
        reel_arrow_field parsed = {0};
        status = reel_arrow_type_parse(type->string, type->string_len, &parsed, NULL, err);
        if (status != REEL_OK) {
            reel_arrow_field_reset(&parsed);
            return reel_error_prefix(err, "%s: field '%s': type \"%s\": ", case_path, name->string,
                                     type->string);
        }
        reel_arrow_field *child = NULL;
        status = reel_arrow_field_add_child(schema, name->string, parsed.type, true, &child);
        if (status == REEL_OK) {
            reel_arrow_field_reset(child);
            status = reel_arrow_field_copy(child, &parsed, NULL);
        }
        reel_arrow_field_reset(&parsed);
        if (status == REEL_OK)
            status = reel_arrow_field_set_name(child, name->string);
        if (status != REEL_OK)
            return reel_error_set(err, status, "%s: field '%s': building the field failed",
                                  case_path, name->string);
        child->nullable = nullable ? nullable->boolean : true;
        REEL_TRY(set_metadata_from_json(&child->metadata, child->alloc, json_get(f, "metadata"),
                                        case_path, "field metadata", err));
        status = reel_arrow_field_validate(child, err);
        if (status != REEL_OK)
            return reel_error_prefix(err, "%s: field '%s': ", case_path, name->string);
    }
    return set_metadata_from_json(&schema->metadata, schema->alloc,
                                  json_get(doc, "schema_metadata"), case_path, "schema metadata",
                                  err);
}

static reel_status json_to_int64(const json_value *value, int64_t *out)
{
    if (value->kind != JSON_INTEGER || value->negative || value->magnitude > (uint64_t)INT64_MAX)
        return REEL_INVALID_ARGUMENT;
    *out = (int64_t)value->magnitude;
    return REEL_OK;
}

/* Builds one batch's columns from JSON arrays, applies the optional slice, and assembles
 * the record batch. */
static reel_status build_batch(const json_value *batch_json, size_t batch_index,
                               const char *case_path, const reel_arrow_field *schema,
                               reel_arrow_builder **builders, reel_arrow_array *out,
                               reel_error *err)
{
    const json_value *columns = json_get(batch_json, "columns");
    const json_value *slice = json_get(batch_json, "slice");
    const json_value *length_json = json_get(batch_json, "length");
    if (!columns || columns->kind != JSON_ARRAY || columns->count != (size_t)schema->n_children)
        return reel_error_set(err, REEL_INVALID_ARGUMENT,
                              "%s: batch %zu needs \"columns\": an array of %d value arrays",
                              case_path, batch_index, schema->n_children);
    int64_t slice_offset = 0, slice_length = 0;
    bool sliced = slice && slice->kind != JSON_NULL;
    if (sliced && (slice->kind != JSON_ARRAY || slice->count != 2 ||
                   json_to_int64(&slice->items[0], &slice_offset) != REEL_OK ||
                   json_to_int64(&slice->items[1], &slice_length) != REEL_OK))
        return reel_error_set(err, REEL_INVALID_ARGUMENT,
                              "%s: batch %zu: \"slice\" must be [offset, length] (JSON offset %zu)",
                              case_path, batch_index, slice->offset);

    int32_t column_count = schema->n_children;
    reel_arrow_array *arrays =
        reel_alloc_zeroed(NULL, (size_t)(column_count > 0 ? column_count : 1) * sizeof *arrays);
    if (!arrays)
        return reel_error_set(err, REEL_OUT_OF_MEMORY, "out of memory");
    reel_status status = REEL_OK;
    int64_t batch_length = 0;
    if (length_json && json_to_int64(length_json, &batch_length) != REEL_OK) {
        status = reel_error_set(err, REEL_INVALID_ARGUMENT, "%s: batch %zu: bad \"length\"",
                                case_path, batch_index);
        goto done;
    }
    for (int32_t c = 0; c < column_count; c++) {
        const reel_arrow_field *field = &schema->children[c];
        const json_value *values = &columns->items[c];
        reel_vec memos;
        reel_vec_init(&memos, sizeof(dictionary_memo), NULL);
        value_site site = {
            .case_path = case_path, .column = field->name ? field->name : "", .memos = &memos};
        if (values->kind != JSON_ARRAY) {
            status = reel_error_set(err, REEL_INVALID_ARGUMENT,
                                    "%s: batch %zu column '%s': values must be an array", case_path,
                                    batch_index, site.column);
            goto done;
        }
        for (size_t i = 0; i < values->count && status == REEL_OK; i++) {
            site.row = (int64_t)i;
            status = append_json_value(builders[c], &values->items[i], &site, err);
        }
        free_memos(&memos); /* the builder's dictionaries end with this batch */
        if (status != REEL_OK)
            goto done;
        reel_arrow_array built = {0};
        status = reel_arrow_builder_finish(builders[c], &built, err);
        if (status != REEL_OK) {
            reel_error_prefix(err, "%s: batch %zu column '%s': builder_finish: ", case_path,
                              batch_index, site.column);
            goto done;
        }
        /* Our own builders' output must pass full validation. */
        status = reel_arrow_array_validate(field, &built, REEL_ARROW_VALIDATE_FULL, err);
        if (status != REEL_OK) {
            reel_arrow_array_reset(&built);
            reel_error_prefix(err, "%s: batch %zu column '%s': built array is invalid: ", case_path,
                              batch_index, site.column);
            goto done;
        }
        if (built.length != (int64_t)values->count) {
            status = reel_error_set(
                err, REEL_INTERNAL, "%s: batch %zu column '%s': built %lld rows from %zu values",
                case_path, batch_index, site.column, (long long)built.length, values->count);
            reel_arrow_array_reset(&built);
            goto done;
        }
        if (sliced) {
            if (slice_offset > built.length || slice_length > built.length - slice_offset) {
                status = reel_error_set(err, REEL_INVALID_ARGUMENT,
                                        "%s: batch %zu: slice [%lld, +%lld) outside %lld rows",
                                        case_path, batch_index, (long long)slice_offset,
                                        (long long)slice_length, (long long)built.length);
                reel_arrow_array_reset(&built);
                goto done;
            }
            status =
                reel_arrow_array_slice(&arrays[c], field, &built, slice_offset, slice_length, err);
            reel_arrow_array_reset(&built);
            if (status != REEL_OK) {
                reel_error_prefix(err, "%s: batch %zu column '%s': array_slice: ", case_path,
                                  batch_index, site.column);
                goto done;
            }
            status = reel_arrow_array_validate(field, &arrays[c], REEL_ARROW_VALIDATE_FULL, err);
            if (status != REEL_OK) {
                reel_error_prefix(err,
                                  "%s: batch %zu column '%s': sliced array is invalid: ", case_path,
                                  batch_index, site.column);
                goto done;
            }
        } else {
            arrays[c] = built;
        }
        if (c == 0)
            batch_length = arrays[c].length;
        else if (arrays[c].length != batch_length) {
            status = reel_error_set(err, REEL_INVALID_ARGUMENT,
                                    "%s: batch %zu: column '%s' has %lld rows, column 0 has %lld",
                                    case_path, batch_index, site.column,
                                    (long long)arrays[c].length, (long long)batch_length);
            goto done;
        }
    }
    status = make_batch(out, arrays, column_count, batch_length, err);
done:
    for (int32_t c = 0; c < column_count; c++)
        reel_arrow_array_reset(&arrays[c]);
    reel_free(NULL, arrays, (size_t)(column_count > 0 ? column_count : 1) * sizeof *arrays);
    return status;
}

/* Case file: {"fields": [{"name", "type", "nullable", "metadata"}...], "schema_metadata":
 * {...}, "batches": [{"columns": [[values]...], "slice": [offset, length] | null}...]}. */
static reel_status cmd_build(const char *case_path, const char *out_path, int32_t alignment,
                             ipc_format format, reel_error *err)
{
    uint8_t *text = NULL;
    size_t text_len = 0;
    REEL_TRY(read_whole_file(case_path, &text, &text_len, err));
    reel_arena arena;
    reel_arena_init(&arena, NULL, 0);
    json_value doc;
    reel_arrow_field schema = {0};
    reel_arrow_builder **builders = NULL;
    int32_t builder_count = 0;
    reel_vec batches;
    reel_vec_init(&batches, sizeof(reel_arrow_array), NULL);

    reel_status status = json_parse((const char *)text, text_len, &arena, &doc, err);
    if (status != REEL_OK) {
        reel_error_prefix(err, "%s: ", case_path);
        goto done;
    }
    if (doc.kind != JSON_OBJECT) {
        status =
            reel_error_set(err, REEL_INVALID_ARGUMENT, "%s: the case must be an object", case_path);
        goto done;
    }
    status = schema_from_case(&doc, case_path, &schema, err);
    if (status != REEL_OK)
        goto done;
    const json_value *batch_list = json_get(&doc, "batches");
    if (!batch_list || batch_list->kind != JSON_ARRAY) {
        status = reel_error_set(err, REEL_INVALID_ARGUMENT, "%s: \"batches\" must be an array",
                                case_path);
        goto done;
    }
    builders = calloc((size_t)schema.n_children + 1, sizeof *builders);
    if (!builders) {
        status = reel_error_set(err, REEL_OUT_OF_MEMORY, "out of memory");
        goto done;
    }
    for (; builder_count < schema.n_children; builder_count++) {
        status = reel_arrow_builder_create(&schema.children[builder_count], NULL,
                                           &builders[builder_count], err);
        if (status != REEL_OK) {
            reel_error_prefix(err, "%s: column '%s': builder_create: ", case_path,
                              schema.children[builder_count].name);
            goto done;
        }
    }
    for (size_t b = 0; b < batch_list->count; b++) {
        reel_arrow_array *batch = reel_vec_push_n(&batches, 1);
        if (!batch) {
            status = reel_error_set(err, REEL_OUT_OF_MEMORY, "out of memory");
            goto done;
        }
        /* Builders are reused across batches (finish empties them). */
        status = build_batch(&batch_list->items[b], b, case_path, &schema, builders, batch, err);
        if (status != REEL_OK)
            goto done;
    }
    status = write_arrow_file(out_path, &schema, batches.data, (int64_t)batches.len, alignment,
                              format, err);
done:
    free_batches(&batches);
    for (int32_t c = 0; c < builder_count; c++)
        reel_arrow_builder_destroy(builders[c]);
    free(builders);
    reel_arrow_field_reset(&schema);
    reel_arena_free(&arena);
    free(text);
    return status;
}

/* ================================================================ roundtrip */

static reel_status cmd_roundtrip(const char *in_path, const char *out_path, int32_t alignment,
                                 ipc_format in_format, ipc_format out_format, reel_error *err)
{
    reel_arrow_field schema = {0};
    reel_vec batches;
    REEL_TRY(read_arrow_file(in_path, in_format, &schema, &batches, err));
    reel_status status = write_arrow_file(out_path, &schema, batches.data, (int64_t)batches.len,
                                          alignment, out_format, err);
    free_batches(&batches);
    reel_arrow_field_reset(&schema);
    return status;
}

/* ================================================================ write-demo */

/* A small "points" table shaped like a Rerun Points3D chunk: a frame index, positions as
 * list<fixed_size_list<float, 3>>, colors as list<uint32> (with a null row) and a label
 * column (with a null). Built with the builders' typed and bulk appends, no JSON. */
static reel_status build_demo(reel_arrow_field *schema, reel_arrow_array *batch, reel_error *err)
{
    reel_arrow_field *frame, *positions, *point, *coordinate, *colors, *color, *label;
    REEL_TRY(reel_arrow_field_init(schema, "", REEL_ARROW_STRUCT, false, NULL));
    REEL_TRY(
        reel_arrow_metadata_set(&schema->metadata, NULL, "rerun:entity_path", "/world/points"));
    REEL_TRY(reel_arrow_field_add_child(schema, "frame", REEL_ARROW_INT64, false, &frame));
    REEL_TRY(reel_arrow_metadata_set(&frame->metadata, NULL, "rerun:index", "frame"));
    REEL_TRY(reel_arrow_field_add_child(schema, "positions", REEL_ARROW_LIST, true, &positions));
    REEL_TRY(reel_arrow_metadata_set(&positions->metadata, NULL, "rerun:component",
                                     "Points3D:positions"));
    REEL_TRY(
        reel_arrow_field_add_child(positions, "item", REEL_ARROW_FIXED_SIZE_LIST, true, &point));
    point->fixed_size = 3;
    REEL_TRY(reel_arrow_field_add_child(point, "item", REEL_ARROW_FLOAT32, true, &coordinate));
    REEL_TRY(reel_arrow_field_add_child(schema, "colors", REEL_ARROW_LIST, true, &colors));
    REEL_TRY(
        reel_arrow_metadata_set(&colors->metadata, NULL, "rerun:component", "Points3D:colors"));
    REEL_TRY(reel_arrow_field_add_child(colors, "item", REEL_ARROW_UINT32, true, &color));
    REEL_TRY(reel_arrow_field_add_child(schema, "label", REEL_ARROW_UTF8, true, &label));
    REEL_TRY(reel_arrow_metadata_set(&label->metadata, NULL, "rerun:component", "Points3D:labels"));
    REEL_TRY(reel_arrow_field_validate(schema, err));

    enum { ROWS = 4, COLUMNS = 4 };
    static const int64_t frames[ROWS] = {0, 1, 2, 3};
    static const float points[][3] = {{0, 0, 0}, {1, 0, 0},          {0, 1, 0},
                                      {0, 0, 1}, {0.5f, 0.5f, 0.5f}, {-1, -1, -1}};
    static const int point_counts[ROWS] = {3, 1, 0, 2};
    static const uint32_t rgba[] = {0xFF0000FF, 0x00FF00FF, 0x0000FFFF, 0xFFFFFFFF};
    static const char *labels[ROWS] = {"axes", NULL, "empty", "pair"};

    reel_arrow_builder *builders[COLUMNS] = {0};
    reel_arrow_array columns[COLUMNS] = {{0}};
    reel_status status = REEL_OK;
    for (int c = 0; c < COLUMNS && status == REEL_OK; c++)
        status = reel_arrow_builder_create(&schema->children[c], NULL, &builders[c], err);
    if (status != REEL_OK)
        goto done;
#define DEMO_TRY(expr)                                                                             \
    do {                                                                                           \
        status = (expr);                                                                           \
        if (status != REEL_OK) {                                                                   \
            reel_error_set(err, status, "write-demo: %s failed", #expr);                           \
            goto done;                                                                             \
        }                                                                                          \
    } while (0)
    DEMO_TRY(reel_arrow_builder_append_values(builders[0], frames, ROWS));
    reel_arrow_builder *point_builder = reel_arrow_builder_child(builders[1], 0);
    reel_arrow_builder *coordinate_builder = reel_arrow_builder_child(point_builder, 0);
    int next_point = 0;
    for (int row = 0; row < ROWS; row++) {
        for (int k = 0; k < point_counts[row]; k++, next_point++) {
            DEMO_TRY(reel_arrow_builder_append_values(coordinate_builder, points[next_point], 3));
            DEMO_TRY(reel_arrow_builder_finish_element(point_builder));
        }
        DEMO_TRY(reel_arrow_builder_finish_element(builders[1]));
    }
    reel_arrow_builder *color_builder = reel_arrow_builder_child(builders[2], 0);
    DEMO_TRY(reel_arrow_builder_append_values(color_builder, rgba, 3));
    DEMO_TRY(reel_arrow_builder_finish_element(builders[2]));
    DEMO_TRY(reel_arrow_builder_append_null(builders[2], 1));
    DEMO_TRY(reel_arrow_builder_finish_element(builders[2])); /* an empty list */
    DEMO_TRY(reel_arrow_builder_append_uint(color_builder, rgba[3]));
    DEMO_TRY(reel_arrow_builder_finish_element(builders[2]));
    for (int row = 0; row < ROWS; row++) {
        if (labels[row])
            DEMO_TRY(
                reel_arrow_builder_append_bytes(builders[3], labels[row], strlen(labels[row])));
        else
            DEMO_TRY(reel_arrow_builder_append_null(builders[3], 1));
    }
#undef DEMO_TRY
    for (int c = 0; c < COLUMNS; c++) {
        status = reel_arrow_builder_finish(builders[c], &columns[c], err);
        if (status != REEL_OK)
            goto done;
        status = reel_arrow_array_validate(&schema->children[c], &columns[c],
                                           REEL_ARROW_VALIDATE_FULL, err);
        if (status != REEL_OK)
            goto done;
    }
    status = make_batch(batch, columns, COLUMNS, ROWS, err);
done:
    for (int c = 0; c < COLUMNS; c++) {
        reel_arrow_array_reset(&columns[c]);
        reel_arrow_builder_destroy(builders[c]);
    }
    return status;
}

static reel_status cmd_write_demo(const char *out_path, int32_t alignment, reel_error *err)
{
    reel_arrow_field schema = {0};
    reel_arrow_array batch = {0};
    reel_status status = build_demo(&schema, &batch, err);
    if (status != REEL_OK && err->status == REEL_OK)
        reel_error_set(err, status, "write-demo: building the schema failed");
    if (status == REEL_OK)
        status = write_arrow_file(out_path, &schema, &batch, 1, alignment, IPC_STREAM, err);
    reel_arrow_array_reset(&batch);
    reel_arrow_field_reset(&schema);
    return status;
}

/* ================================================================ main */

static int usage(void)
{
    fprintf(stderr,
            "usage: " TOOL_NAME " read IN.arrows [--incremental | --file]\n"
            "       " TOOL_NAME
            " build CASE.json OUT.arrows [--align 8|64] [--file [--incremental]]\n"
            "       " TOOL_NAME " roundtrip IN.arrows OUT.arrows [--align 8|64] [--from-file] "
            "[--to-file]\n"
            "       " TOOL_NAME " write-demo OUT.arrows [--align 8|64]\n");
    return EXIT_USAGE;
}

int main(int argc, char **argv)
{
    const char *positional[3] = {0};
    int positional_count = 0;
    int32_t alignment = 0; /* library default */
    bool incremental = false, file = false, from_file = false, to_file = false;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--incremental") == 0) {
            incremental = true;
        } else if (strcmp(argv[i], "--file") == 0) {
            file = true;
        } else if (strcmp(argv[i], "--from-file") == 0) {
            from_file = true;
        } else if (strcmp(argv[i], "--to-file") == 0) {
            to_file = true;
        } else if (strcmp(argv[i], "--align") == 0) {
            if (i + 1 >= argc)
                return usage();
            const char *value = argv[++i];
            if (strcmp(value, "8") == 0)
                alignment = 8;
            else if (strcmp(value, "64") == 0)
                alignment = 64;
            else
                return usage();
        } else if (argv[i][0] == '-' && argv[i][1] == '-') {
            return usage();
        } else {
            if (positional_count == 3)
                return usage();
            positional[positional_count++] = argv[i];
        }
    }
    if (positional_count == 0)
        return usage();
    const char *command = positional[0];
    bool roundtrip_flags = from_file || to_file;
    ipc_format read_format = IPC_STREAM, build_format = IPC_STREAM;
    if (file) {
        read_format = IPC_FILE;
        build_format = incremental ? IPC_FILE_INCREMENTAL : IPC_FILE;
    } else if (incremental) {
        read_format = IPC_STREAM_INCREMENTAL;
    }
    reel_error err = {0};
    reel_status status;
    if (strcmp(command, "read") == 0 && positional_count == 2 && alignment == 0 &&
        !(incremental && file) && !roundtrip_flags)
        status = cmd_read(positional[1], read_format, &err);
    else if (strcmp(command, "build") == 0 && positional_count == 3 && (file || !incremental) &&
             !roundtrip_flags)
        status = cmd_build(positional[1], positional[2], alignment, build_format, &err);
    else if (strcmp(command, "roundtrip") == 0 && positional_count == 3 && !incremental && !file)
        status =
            cmd_roundtrip(positional[1], positional[2], alignment,
                          from_file ? IPC_FILE : IPC_STREAM, to_file ? IPC_FILE : IPC_STREAM, &err);
    else if (strcmp(command, "write-demo") == 0 && positional_count == 2 && !incremental && !file &&
             !roundtrip_flags)
        status = cmd_write_demo(positional[1], alignment, &err);
    else
        return usage();
    if (status != REEL_OK) {
        fprintf(stderr, TOOL_NAME " %s: %s: %s\n", command, reel_status_name(status),
                err.message[0] ? err.message : reel_status_text(status));
        return EXIT_ERROR;
    }
    return 0;
}
