/* The flatbuffer reader behind IPC decoding. Its input is untrusted: every offset is
 * checked with 64-bit arithmetic before anything is read, reads go through byte loads (no
 * alignment assumptions), and each table or vector opened spends work budget. Nothing here
 * recurses; callers that walk trees cap their own depth. */
#include <assert.h>
#include <stdio.h>
#include <string.h>

#include "arrow/flatbuf.h"

/* Flatbuffer offsets are 32-bit and Arrow's metadata is small; 2 GiB is the format's own
 * limit. */
#define FB_MAX_LEN ((size_t)INT32_MAX)

static reel_status fb_corrupt(const reel__fb_reader *reader, const char *fmt, uint64_t a,
                              uint64_t b)
{
    /* Every message has the same shape, "flatbuffer: <what> (<a>, <b>)", so keeping the
     * formatting here keeps callers short. */
    char what[200];
    snprintf(what, sizeof what, fmt, (unsigned long long)a, (unsigned long long)b);
    return reel_error_set(reader->err, REEL_CORRUPT, "flatbuffer (%u bytes): %s", reader->len,
                          what);
}

static reel_status fb_spend(reel__fb_reader *reader, uint32_t pos)
{
    if (reader->work_left == 0)
        return reel_error_set(reader->err, REEL_LIMIT,
                              "flatbuffer (%u bytes): too many objects visited (at byte %u); "
                              "offsets must be shared in a loop or fan-out",
                              reader->len, pos);
    reader->work_left--;
    return REEL_OK;
}

reel_status reel__fb_reader_init(reel__fb_reader *reader, const uint8_t *data, size_t len,
                                 reel_error *err)
{
    memset(reader, 0, sizeof *reader);
    reader->err = err;
    if (len > FB_MAX_LEN)
        return reel_error_set(err, REEL_LIMIT, "flatbuffer of %zu bytes exceeds 2 GiB", len);
    reader->data = data;
    reader->len = (uint32_t)len;
    reader->work_left = (uint64_t)len / 2 + 64;
    return REEL_OK;
}

static reel_status fb_open_table(reel__fb_reader *reader, uint64_t pos, reel__fb_table *out)
{
    memset(out, 0, sizeof *out);
    out->reader = reader;
    if (pos + 4 > reader->len)
        return fb_corrupt(reader, "table at byte %llu does not fit (needs 4 bytes, %llu left)", pos,
                          pos < reader->len ? reader->len - pos : 0);
    REEL_TRY(fb_spend(reader, (uint32_t)pos));
    int32_t soffset = (int32_t)reel_load_u32le(reader->data + pos);
    int64_t vtable = (int64_t)pos - (int64_t)soffset;
    if (vtable < 0 || (uint64_t)vtable + 4 > reader->len)
        return reel_error_set(reader->err, REEL_CORRUPT,
                              "flatbuffer (%u bytes): table at byte %llu has its vtable at %lld, "
                              "out of bounds",
                              reader->len, (unsigned long long)pos, (long long)vtable);
    uint16_t vtable_size = reel_load_u16le(reader->data + vtable);
    uint16_t inline_size = reel_load_u16le(reader->data + vtable + 2);
    if (vtable_size < 4 || (vtable_size & 1) != 0 || (uint64_t)vtable + vtable_size > reader->len)
        return fb_corrupt(reader, "vtable at byte %llu has a bad size %llu", (uint64_t)vtable,
                          vtable_size);
    if (inline_size < 4 || pos + inline_size > reader->len)
        return fb_corrupt(reader, "table at byte %llu has inline size %llu past the end", pos,
                          inline_size);
    out->pos = (uint32_t)pos;
    out->vtable = (uint32_t)vtable;
    out->vtable_size = vtable_size;
    out->inline_size = inline_size;
    return REEL_OK;
}

reel_status reel__fb_root(reel__fb_reader *reader, reel__fb_table *out)
{
    if (reader->len < 4) {
        memset(out, 0, sizeof *out);
        out->reader = reader;
        return fb_corrupt(reader, "too short for a root offset (%llu bytes, needs %llu)",
                          reader->len, 4);
    }
    return fb_open_table(reader, reel_load_u32le(reader->data), out);
}

/* The field's offset from the table start, or 0 when absent. */
static uint16_t fb_field_offset(const reel__fb_table *table, uint16_t id)
{
    uint32_t entry = 4 + 2 * (uint32_t)id;
    if (table->reader == NULL || entry + 2 > table->vtable_size)
        return 0;
    return reel_load_u16le(table->reader->data + table->vtable + entry);
}

/* Points *out at the field's `size` bytes, or NULL when absent. */
static reel_status fb_field_bytes(const reel__fb_table *table, uint16_t id, uint32_t size,
                                  const uint8_t **out)
{
    *out = NULL;
    uint16_t offset = fb_field_offset(table, id);
    if (offset == 0)
        return REEL_OK;
    if ((uint32_t)offset + size > table->inline_size)
        return reel_error_set(table->reader->err, REEL_CORRUPT,
                              "flatbuffer (%u bytes): table at byte %u: field %u (%u bytes at "
                              "+%u) lies outside the table's %u inline bytes",
                              table->reader->len, table->pos, id, size, offset, table->inline_size);
    *out = table->reader->data + table->pos + offset;
    return REEL_OK;
}

reel_status reel__fb_get_u8(const reel__fb_table *table, uint16_t id, uint8_t def, uint8_t *out)
{
    const uint8_t *p;
    REEL_TRY(fb_field_bytes(table, id, 1, &p));
    *out = p ? p[0] : def;
    return REEL_OK;
}

reel_status reel__fb_get_bool(const reel__fb_table *table, uint16_t id, bool def, bool *out)
{
    uint8_t value;
    REEL_TRY(reel__fb_get_u8(table, id, def ? 1 : 0, &value));
    *out = value != 0;
    return REEL_OK;
}

reel_status reel__fb_get_i16(const reel__fb_table *table, uint16_t id, int16_t def, int16_t *out)
{
    const uint8_t *p;
    REEL_TRY(fb_field_bytes(table, id, 2, &p));
    *out = p ? (int16_t)reel_load_u16le(p) : def;
    return REEL_OK;
}

reel_status reel__fb_get_i32(const reel__fb_table *table, uint16_t id, int32_t def, int32_t *out)
{
    const uint8_t *p;
    REEL_TRY(fb_field_bytes(table, id, 4, &p));
    *out = p ? (int32_t)reel_load_u32le(p) : def;
    return REEL_OK;
}

reel_status reel__fb_get_i64(const reel__fb_table *table, uint16_t id, int64_t def, int64_t *out)
{
    const uint8_t *p;
    REEL_TRY(fb_field_bytes(table, id, 8, &p));
    *out = p ? (int64_t)reel_load_u64le(p) : def;
    return REEL_OK;
}

/* Follows the uoffset stored at byte `pos` to an absolute position (not yet checked
 * beyond being representable). */
static uint64_t fb_follow(const reel__fb_reader *reader, uint32_t pos)
{
    return (uint64_t)pos + reel_load_u32le(reader->data + pos);
}

/* Resolves a reference field to the absolute position it points to. */
static reel_status fb_ref_field(const reel__fb_table *table, uint16_t id, uint64_t *target,
                                bool *present)
{
    const uint8_t *p;
    REEL_TRY(fb_field_bytes(table, id, 4, &p));
    *present = p != NULL;
    if (p != NULL)
        *target = fb_follow(table->reader, (uint32_t)(p - table->reader->data));
    return REEL_OK;
}

reel_status reel__fb_get_table(const reel__fb_table *table, uint16_t id, reel__fb_table *out,
                               bool *present)
{
    uint64_t target = 0;
    memset(out, 0, sizeof *out);
    REEL_TRY(fb_ref_field(table, id, &target, present));
    if (!*present)
        return REEL_OK;
    return fb_open_table(table->reader, target, out);
}

reel_status reel__fb_get_union(const reel__fb_table *table, uint16_t type_id, uint8_t *type,
                               reel__fb_table *out, bool *present)
{
    REEL_TRY(reel__fb_get_u8(table, type_id, 0, type));
    return reel__fb_get_table(table, (uint16_t)(type_id + 1), out, present);
}

static reel_status fb_string_at(reel__fb_reader *reader, uint64_t pos, reel_span *out)
{
    *out = reel_span_make(NULL, 0);
    if (pos + 4 > reader->len)
        return fb_corrupt(reader, "string at byte %llu does not fit its length (%llu bytes left)",
                          pos, pos < reader->len ? reader->len - pos : 0);
    uint64_t len = reel_load_u32le(reader->data + pos);
    /* The bytes and the terminating NUL must lie inside the buffer. */
    if (len + 1 > reader->len - pos - 4)
        return fb_corrupt(reader, "string at byte %llu of length %llu runs past the end", pos, len);
    if (reader->data[pos + 4 + len] != 0)
        return fb_corrupt(reader, "string at byte %llu of length %llu lacks its NUL", pos, len);
    *out = reel_span_make(reader->data + pos + 4, (size_t)len);
    return REEL_OK;
}

reel_status reel__fb_get_string(const reel__fb_table *table, uint16_t id, reel_span *out,
                                bool *present)
{
    uint64_t target = 0;
    *out = reel_span_make(NULL, 0);
    REEL_TRY(fb_ref_field(table, id, &target, present));
    if (!*present)
        return REEL_OK;
    return fb_string_at(table->reader, target, out);
}

reel_status reel__fb_get_vector(const reel__fb_table *table, uint16_t id, uint32_t elem_size,
                                reel__fb_vector *out, bool *present)
{
    uint64_t target = 0;
    memset(out, 0, sizeof *out);
    out->reader = table->reader;
    out->elem_size = elem_size;
    REEL_TRY(fb_ref_field(table, id, &target, present));
    if (!*present)
        return REEL_OK;
    reel__fb_reader *reader = table->reader;
    if (target + 4 > reader->len)
        return fb_corrupt(reader, "vector at byte %llu does not fit its length (%llu bytes left)",
                          target, target < reader->len ? reader->len - target : 0);
    REEL_TRY(fb_spend(reader, (uint32_t)target));
    uint64_t count = reel_load_u32le(reader->data + target);
    if (count * elem_size > reader->len - target - 4)
        return fb_corrupt(reader, "vector at byte %llu of %llu elements runs past the end", target,
                          count);
    out->pos = (uint32_t)target + 4;
    out->count = (uint32_t)count;
    return REEL_OK;
}

reel_status reel__fb_vector_table(const reel__fb_vector *vector, uint32_t i, reel__fb_table *out)
{
    /* In range by reel__fb_get_vector's check (count * 4 bytes fit). */
    assert(i < vector->count && vector->elem_size == 4);
    uint32_t slot = vector->pos + 4 * i;
    return fb_open_table(vector->reader, fb_follow(vector->reader, slot), out);
}

const uint8_t *reel__fb_vector_elem(const reel__fb_vector *vector, uint32_t i)
{
    assert(i < vector->count);
    return vector->reader->data + vector->pos + (size_t)vector->elem_size * i;
}
