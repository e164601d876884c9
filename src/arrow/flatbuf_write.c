/* The flatbuffer builder behind IPC encoding. It writes back to front, as the official
 * builders do, so every uoffset points forward to something already written: children
 * first, then the tables that refer to them, the root offset last. Before each object it
 * pads so the object lands aligned to its size once the buffer is finished. */
#include <assert.h>
#include <string.h>

#include "arrow/flatbuf.h"

#define FB_MAX_LEN ((size_t)INT32_MAX)
#define FB_MIN_CAPACITY ((size_t)256)

void reel__fb_builder_init(reel__fb_builder *builder, const reel_allocator *alloc)
{
    memset(builder, 0, sizeof *builder);
    builder->alloc = alloc;
    builder->min_align = 1;
}

void reel__fb_builder_clear(reel__fb_builder *builder)
{
    builder->size = 0;
    builder->min_align = 1;
    builder->status = REEL_OK;
    builder->in_table = false;
    builder->n_fields = 0;
}

void reel__fb_builder_free(reel__fb_builder *builder)
{
    if (builder == NULL)
        return;
    reel_free(builder->alloc, builder->buf, builder->cap);
    reel__fb_builder_init(builder, builder->alloc);
}

/* Makes room for `extra` more bytes in front of the data. */
static bool fb_grow(reel__fb_builder *builder, size_t extra)
{
    if (builder->status != REEL_OK)
        return false;
    if (builder->buf != NULL && builder->cap - builder->size >= extra)
        return true;
    size_t need;
    if (!reel_size_add(builder->size, extra, &need) || need > FB_MAX_LEN) {
        builder->status = REEL_LIMIT;
        return false;
    }
    size_t new_cap = builder->cap * 2;
    if (new_cap < need)
        new_cap = need;
    if (new_cap < FB_MIN_CAPACITY)
        new_cap = FB_MIN_CAPACITY;
    uint8_t *grown = reel_alloc(builder->alloc, new_cap);
    if (grown == NULL) {
        builder->status = REEL_OUT_OF_MEMORY;
        return false;
    }
    if (builder->size != 0)
        memcpy(grown + new_cap - builder->size, builder->buf + builder->cap - builder->size,
               builder->size);
    reel_free(builder->alloc, builder->buf, builder->cap);
    builder->buf = grown;
    builder->cap = new_cap;
    return true;
}

/* Pads with zeros so that once `len` more bytes are written the size is a multiple of
 * `align`, and makes room for those bytes. */
static bool fb_prep(reel__fb_builder *builder, size_t align, size_t len)
{
    if (align > builder->min_align)
        builder->min_align = align;
    size_t pad = (align - ((builder->size + len) & (align - 1))) & (align - 1);
    if (!fb_grow(builder, pad + len))
        return false;
    builder->size += pad;
    if (pad != 0)
        memset(builder->buf + builder->cap - builder->size, 0, pad);
    return true;
}

/* Claims `len` bytes made room for by fb_prep; returns where they start. */
static uint8_t *fb_push(reel__fb_builder *builder, size_t len)
{
    builder->size += len;
    return builder->buf + builder->cap - builder->size;
}

/* The value of a uoffset stored at `at` (a position, i.e. the size right after the 4
 * bytes were pushed) that refers to `target`. */
static uint32_t fb_uoffset(size_t at, reel__fb_ref target)
{
    assert(target != 0 && target < at);
    return (uint32_t)(at - target);
}

reel__fb_ref reel__fb_create_string(reel__fb_builder *builder, const char *text, size_t len)
{
    assert(!builder->in_table);
    if (len >= FB_MAX_LEN) {
        if (builder->status == REEL_OK)
            builder->status = REEL_LIMIT;
        return 0;
    }
    if (!fb_prep(builder, 4, len + 1))
        return 0;
    uint8_t *bytes = fb_push(builder, len + 1);
    if (len != 0)
        memcpy(bytes, text, len);
    bytes[len] = 0;
    if (!fb_prep(builder, 4, 4))
        return 0;
    reel_store_u32le(fb_push(builder, 4), (uint32_t)len);
    return (reel__fb_ref)builder->size;
}

reel__fb_ref reel__fb_create_ref_vector(reel__fb_builder *builder, const reel__fb_ref *refs,
                                        size_t count)
{
    assert(!builder->in_table);
    size_t bytes;
    if (!reel_size_mul(count, 4, &bytes) || bytes >= FB_MAX_LEN) {
        if (builder->status == REEL_OK)
            builder->status = REEL_LIMIT;
        return 0;
    }
    if (!fb_prep(builder, 4, bytes + 4))
        return 0;
    uint8_t *slots = fb_push(builder, bytes);
    size_t end = builder->size; /* position of slot 0 */
    for (size_t i = 0; i < count; i++)
        reel_store_u32le(slots + 4 * i, fb_uoffset(end - 4 * i, refs[i]));
    reel_store_u32le(fb_push(builder, 4), (uint32_t)count);
    return (reel__fb_ref)builder->size;
}

uint8_t *reel__fb_vector_begin(reel__fb_builder *builder, size_t count, size_t elem_size,
                               size_t align)
{
    assert(!builder->in_table && align != 0 && (align & (align - 1)) == 0);
    size_t bytes;
    if (!reel_size_mul(count, elem_size, &bytes) || bytes >= FB_MAX_LEN) {
        if (builder->status == REEL_OK)
            builder->status = REEL_LIMIT;
        return NULL;
    }
    /* Aligning the end of the elements to max(align, 4) both aligns the elements and puts
     * the u32 count that precedes them on a 4-byte boundary. */
    if (!fb_prep(builder, align < 4 ? 4 : align, bytes))
        return NULL;
    uint8_t *elems = fb_push(builder, bytes);
    if (bytes != 0)
        memset(elems, 0, bytes);
    return elems;
}

reel__fb_ref reel__fb_vector_end(reel__fb_builder *builder, size_t count)
{
    if (!fb_prep(builder, 4, 4))
        return 0;
    reel_store_u32le(fb_push(builder, 4), (uint32_t)count);
    return (reel__fb_ref)builder->size;
}

reel__fb_ref reel__fb_create_bytes(reel__fb_builder *builder, const void *data, size_t len,
                                   size_t align)
{
    assert(!builder->in_table && align != 0 && (align & (align - 1)) == 0);
    if (len >= FB_MAX_LEN) {
        if (builder->status == REEL_OK)
            builder->status = REEL_LIMIT;
        return 0;
    }
    /* Their start ends up `size` bytes before the end, and the finished length is a multiple
     * of min_align: a size that is a multiple of `align` once they are pushed aligns it. */
    if (!fb_prep(builder, align, len))
        return 0;
    uint8_t *bytes = fb_push(builder, len);
    if (len != 0)
        memcpy(bytes, data, len);
    return (reel__fb_ref)builder->size;
}

void reel__fb_table_begin(reel__fb_builder *builder)
{
    assert(!builder->in_table);
    builder->in_table = true;
    builder->n_fields = 0;
    builder->table_start_size = builder->size;
}

/* Writes `len` scalar bytes aligned to their size and records the field. */
static uint8_t *fb_add_field(reel__fb_builder *builder, uint16_t id, size_t len)
{
    assert(builder->in_table && id < 64 && builder->n_fields < REEL__FB_MAX_FIELDS);
    for (int i = 0; i < builder->n_fields; i++)
        assert(builder->fields[i].id != id);
    if (!fb_prep(builder, len, len))
        return NULL;
    uint8_t *bytes = fb_push(builder, len);
    builder->fields[builder->n_fields].id = id;
    builder->fields[builder->n_fields].pos = (reel__fb_ref)builder->size;
    builder->n_fields++;
    return bytes;
}

void reel__fb_add_u8(reel__fb_builder *builder, uint16_t id, uint8_t value)
{
    uint8_t *p = fb_add_field(builder, id, 1);
    if (p != NULL)
        p[0] = value;
}

void reel__fb_add_bool(reel__fb_builder *builder, uint16_t id, bool value)
{
    reel__fb_add_u8(builder, id, value ? 1 : 0);
}

void reel__fb_add_i16(reel__fb_builder *builder, uint16_t id, int16_t value)
{
    uint8_t *p = fb_add_field(builder, id, 2);
    if (p != NULL)
        reel_store_u16le(p, (uint16_t)value);
}

void reel__fb_add_i32(reel__fb_builder *builder, uint16_t id, int32_t value)
{
    uint8_t *p = fb_add_field(builder, id, 4);
    if (p != NULL)
        reel_store_u32le(p, (uint32_t)value);
}

void reel__fb_add_i64(reel__fb_builder *builder, uint16_t id, int64_t value)
{
    uint8_t *p = fb_add_field(builder, id, 8);
    if (p != NULL)
        reel_store_u64le(p, (uint64_t)value);
}

void reel__fb_add_ref(reel__fb_builder *builder, uint16_t id, reel__fb_ref ref)
{
    if (ref == 0) /* the referenced object failed; the sticky status says why */
        return;
    uint8_t *p = fb_add_field(builder, id, 4);
    if (p != NULL)
        reel_store_u32le(p, fb_uoffset(builder->size, ref));
}

reel__fb_ref reel__fb_table_end(reel__fb_builder *builder)
{
    assert(builder->in_table);
    builder->in_table = false;
    if (!fb_prep(builder, 4, 4))
        return 0;
    fb_push(builder, 4); /* the soffset, filled in below */
    size_t table_pos = builder->size;
    size_t inline_size = table_pos - builder->table_start_size;
    int n_entries = 0;
    for (int i = 0; i < builder->n_fields; i++)
        if (builder->fields[i].id + 1 > n_entries)
            n_entries = builder->fields[i].id + 1;
    size_t vtable_size = 4 + 2 * (size_t)n_entries;
    if (inline_size > UINT16_MAX) {
        builder->status = REEL_LIMIT;
        return 0;
    }
    /* The table start is 4-aligned and the vtable size even: no padding between them. */
    if (!fb_prep(builder, 2, vtable_size))
        return 0;
    uint8_t *vtable = fb_push(builder, vtable_size);
    memset(vtable, 0, vtable_size);
    reel_store_u16le(vtable, (uint16_t)vtable_size);
    reel_store_u16le(vtable + 2, (uint16_t)inline_size);
    for (int i = 0; i < builder->n_fields; i++)
        reel_store_u16le(vtable + 4 + 2 * builder->fields[i].id,
                         (uint16_t)(table_pos - builder->fields[i].pos));
    /* vtable = table - soffset, and the vtable sits just below the table. */
    uint8_t *table = builder->buf + builder->cap - table_pos;
    reel_store_u32le(table, (uint32_t)(int32_t)(builder->size - table_pos));
    return (reel__fb_ref)table_pos;
}

reel_status reel__fb_finish(reel__fb_builder *builder, reel__fb_ref root, reel_span *out)
{
    *out = reel_span_make(NULL, 0);
    assert(!builder->in_table);
    if (builder->status == REEL_OK && root == 0)
        builder->status = REEL_INTERNAL;
    if (!fb_prep(builder, builder->min_align < 4 ? 4 : builder->min_align, 4))
        return builder->status;
    uint8_t *slot = fb_push(builder, 4);
    reel_store_u32le(slot, fb_uoffset(builder->size, root));
    *out = reel_span_make(builder->buf + builder->cap - builder->size, builder->size);
    return REEL_OK;
}
