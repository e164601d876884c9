/* Entity paths: parsing (forgiving about characters that should have been escaped, strict
 * about escapes), Rerun's part escaping, and the part-wise operations (split, join, prefix,
 * parent). Canonical strings are what Rerun's EntityPath Display writes, so paths compare as
 * strings everywhere else in Reel. */
#include <stdio.h>
#include <string.h>

#include "chunk/chunk_internal.h"

/* ---------------------------------------------------------------- UTF-8 */

/* Decodes the UTF-8 sequence at s[0..len): its length (1-4), or 0 when invalid (overlong,
 * surrogate, above U+10FFFF, truncated). */
static size_t utf8_decode(const uint8_t *s, size_t len, uint32_t *cp)
{
    uint8_t b = s[0];
    if (b < 0x80) {
        *cp = b;
        return 1;
    }
    size_t n;
    uint32_t min;
    if ((b & 0xE0) == 0xC0)
        n = 2, min = 0x80, *cp = b & 0x1Fu;
    else if ((b & 0xF0) == 0xE0)
        n = 3, min = 0x800, *cp = b & 0x0Fu;
    else if ((b & 0xF8) == 0xF0)
        n = 4, min = 0x10000, *cp = b & 0x07u;
    else
        return 0;
    if (len < n)
        return 0;
    for (size_t i = 1; i < n; i++) {
        if ((s[i] & 0xC0) != 0x80)
            return 0;
        *cp = (*cp << 6) | (s[i] & 0x3Fu);
    }
    if (*cp < min || *cp > 0x10FFFF || (*cp >= 0xD800 && *cp <= 0xDFFF))
        return 0;
    return n;
}

static reel_status append_utf8(reel_buf *out, uint32_t cp)
{
    uint8_t bytes[4];
    size_t n;
    if (cp < 0x80) {
        bytes[0] = (uint8_t)cp, n = 1;
    } else if (cp < 0x800) {
        bytes[0] = (uint8_t)(0xC0 | cp >> 6), bytes[1] = (uint8_t)(0x80 | (cp & 0x3F)), n = 2;
    } else if (cp < 0x10000) {
        bytes[0] = (uint8_t)(0xE0 | cp >> 12), bytes[1] = (uint8_t)(0x80 | ((cp >> 6) & 0x3F));
        bytes[2] = (uint8_t)(0x80 | (cp & 0x3F)), n = 3;
    } else {
        bytes[0] = (uint8_t)(0xF0 | cp >> 18), bytes[1] = (uint8_t)(0x80 | ((cp >> 12) & 0x3F));
        bytes[2] = (uint8_t)(0x80 | ((cp >> 6) & 0x3F)), bytes[3] = (uint8_t)(0x80 | (cp & 0x3F));
        n = 4;
    }
    return reel_buf_append(out, bytes, n);
}

static bool is_ascii_punctuation(uint32_t c)
{
    return (c >= 0x21 && c <= 0x2F) || (c >= 0x3A && c <= 0x40) || (c >= 0x5B && c <= 0x60) ||
           (c >= 0x7B && c <= 0x7E);
}

/* ---------------------------------------------------------------- escaping */

static reel_status escape_part(reel_buf *out, const uint8_t *part, size_t len)
{
    for (size_t i = 0; i < len;) {
        uint32_t cp;
        size_t n = utf8_decode(part + i, len - i, &cp);
        if (n == 0)
            return REEL_INVALID_ARGUMENT;
        if (reel__chunk_is_alphanumeric(cp) || cp == '_' || cp == '-' || cp == '.') {
            REEL_TRY(reel_buf_append(out, part + i, n));
        } else if (cp == '\n' || cp == '\r' || cp == '\t') {
            char text[2] = {'\\', cp == '\n' ? 'n' : cp == '\r' ? 'r' : 't'};
            REEL_TRY(reel_buf_append(out, text, 2));
        } else if (cp == ' ' || is_ascii_punctuation(cp)) {
            char text[2] = {'\\', (char)cp};
            REEL_TRY(reel_buf_append(out, text, 2));
        } else {
            REEL_TRY(reel_buf_printf(out, "\\u{%04X}", (unsigned)cp));
        }
        i += n;
    }
    return REEL_OK;
}

/* Ends the canonical string with a NUL that len does not count. */
static reel_status terminate(reel_buf *out)
{
    REEL_TRY(reel_buf_append_u8(out, 0));
    out->len--;
    return REEL_OK;
}

/* ---------------------------------------------------------------- parsing */

static reel_status path_error(reel_error *err, const char *text, size_t len, size_t at,
                              const char *what)
{
    int shown = len > 120 ? 120 : (int)len;
    return reel_error_set(err, REEL_INVALID_ARGUMENT, "entity path '%.*s%s': %s at byte offset %zu",
                          shown, text, len > 120 ? "..." : "", what, at);
}

/* Parses "\u{H..HHHHHH}" at text[at] (the backslash); returns its length or 0. */
static size_t parse_unicode_escape(const char *text, size_t len, size_t at, uint32_t *cp)
{
    size_t i = at + 2;
    if (i >= len || text[i] != '{')
        return 0;
    uint32_t value = 0;
    size_t digits = 0;
    for (i++; i < len && text[i] != '}'; i++, digits++) {
        char c = text[i];
        int d = c >= '0' && c <= '9'   ? c - '0'
                : c >= 'a' && c <= 'f' ? c - 'a' + 10
                : c >= 'A' && c <= 'F' ? c - 'A' + 10
                                       : -1;
        if (d < 0 || digits == 6)
            return 0;
        value = value << 4 | (uint32_t)d;
    }
    if (i >= len || digits == 0 || value > 0x10FFFF || (value >= 0xD800 && value <= 0xDFFF))
        return 0;
    *cp = value;
    return i + 1 - at;
}

/* Reads the next part starting at *pos into `part` (appended), skipping empty parts. Sets
 * *found to false at the end. */
static reel_status next_part(const char *text, size_t len, size_t *pos, reel_buf *part, bool *found,
                             reel_error *err)
{
    const uint8_t *bytes = (const uint8_t *)text;
    size_t i = *pos;
    while (i < len && text[i] == '/')
        i++;
    *found = i < len;
    while (i < len && text[i] != '/') {
        uint32_t cp;
        size_t n;
        if (text[i] != '\\') {
            n = utf8_decode(bytes + i, len - i, &cp);
            if (n == 0)
                return path_error(err, text, len, i, "invalid UTF-8");
            REEL_TRY(reel_buf_append(part, bytes + i, n));
            i += n;
            continue;
        }
        if (i + 1 >= len)
            return path_error(err, text, len, i, "trailing backslash");
        char c = text[i + 1];
        if (c == 'n' || c == 'r' || c == 't') {
            REEL_TRY(reel_buf_append_u8(part, c == 'n' ? '\n' : c == 'r' ? '\r' : '\t'));
            n = 2;
        } else if (c == 'u') {
            n = parse_unicode_escape(text, len, i, &cp);
            if (n == 0)
                return path_error(err, text, len, i,
                                  "invalid unicode escape (expected e.g. '\\u{262E}')");
            REEL_TRY(append_utf8(part, cp));
        } else if (c == ' ' || is_ascii_punctuation((uint8_t)c)) {
            REEL_TRY(reel_buf_append_u8(part, (uint8_t)c));
            n = 2;
        } else {
            size_t shown = utf8_decode(bytes + i + 1, len - i - 1, &cp);
            char what[64];
            snprintf(what, sizeof what, "unknown escape sequence '\\%.*s'",
                     (int)(shown ? shown : 1), text + i + 1);
            return path_error(err, text, len, i, what);
        }
        i += n;
    }
    *pos = i;
    return REEL_OK;
}

reel_status reel_entity_path_normalize(const char *text, size_t len, reel_buf *out, reel_error *err)
{
    reel_buf_clear(out);
    reel_buf part = {0};
    reel_buf_init(&part, out->alloc);
    size_t pos = 0;
    bool found = true;
    reel_status status = reel_buf_append_u8(out, '/');
    for (bool first = true; status == REEL_OK; first = false) {
        reel_buf_clear(&part);
        status = next_part(text, len, &pos, &part, &found, err);
        if (status != REEL_OK || !found)
            break;
        if (!first)
            status = reel_buf_append_u8(out, '/');
        if (status == REEL_OK)
            status = escape_part(out, part.data, part.len);
    }
    reel_buf_free(&part);
    if (status == REEL_OK)
        status = terminate(out);
    if (status == REEL_OUT_OF_MEMORY)
        return reel_error_set(err, status, "entity path: out of memory");
    return status;
}

reel_status reel_entity_path_split(const char *path, size_t len, size_t *cursor, reel_buf *part,
                                   reel_error *err)
{
    reel_buf_clear(part);
    bool found;
    if (*cursor > len)
        return REEL_NOT_FOUND;
    REEL_TRY(next_part(path, len, cursor, part, &found, err));
    return found ? REEL_OK : REEL_NOT_FOUND;
}

reel_status reel_entity_path_from_parts(const reel_span *parts, size_t n, reel_buf *out)
{
    reel_buf_clear(out);
    if (n == 0)
        REEL_TRY(reel_buf_append_u8(out, '/'));
    for (size_t i = 0; i < n; i++) {
        if (parts[i].len == 0)
            return REEL_INVALID_ARGUMENT;
        REEL_TRY(reel_buf_append_u8(out, '/'));
        REEL_TRY(escape_part(out, parts[i].data, parts[i].len));
    }
    return terminate(out);
}

bool reel_entity_path_is_prefix(const char *parent, const char *child)
{
    size_t n = strlen(parent);
    if (n == 1 && parent[0] == '/')
        return true;
    /* In a canonical path every '\' starts a complete escape, so a '/' right after the whole
     * of `parent` is a separator, never the second half of an escape. */
    return strncmp(parent, child, n) == 0 && (child[n] == '\0' || child[n] == '/');
}

reel_status reel_entity_path_parent(const char *path, reel_buf *out)
{
    size_t last_separator = 0, len = strlen(path);
    bool has_part = false;
    for (size_t i = 0; i < len; i++) {
        if (path[i] == '\\') {
            i++; /* the escaped character (for \u{…}: the 'u'; the rest holds no '/') */
            has_part = true;
        } else if (path[i] == '/') {
            if (i + 1 < len)
                last_separator = i;
        } else {
            has_part = true;
        }
    }
    if (!has_part)
        return REEL_NOT_FOUND;
    reel_buf_clear(out);
    REEL_TRY(reel_buf_append(out, path, last_separator == 0 ? 1 : last_separator));
    return terminate(out);
}
