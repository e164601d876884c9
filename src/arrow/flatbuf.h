/* Hand-written flatbuffers, just enough for Arrow IPC metadata (Schema.fbs, Message.fbs):
 * a reader that bounds-checks every access against the buffer and caps the work one
 * buffer can cause, and a back-to-front builder that writes aligned, valid flatbuffers.
 * Internal to the arrow module (reel__ prefix); no flatbuffers library involved.
 *
 * Flatbuffer layout in one paragraph: a buffer starts with a uoffset (u32) to the root
 * table. A table starts with an soffset (i32); its vtable lies at table - soffset and holds
 * u16 vtable size, u16 table inline size, then one u16 per field id: the field's offset
 * from the table start, 0 = absent (the default applies). Reference fields (tables,
 * strings, vectors) hold a uoffset relative to the field's own position. Strings and
 * vectors start with a u32 count; strings end with a NUL. A union is two fields: a u8 type
 * (id n) and a table (id n+1). Everything is little-endian. */
#ifndef REEL_ARROW_FLATBUF_H
#define REEL_ARROW_FLATBUF_H

#include "core/core.h"

/* ---------------------------------------------------------------- reader */

/* One flatbuffer being read. Every table or vector opened costs one unit of `work_left`;
 * running out is REEL_LIMIT, so a buffer whose offsets make a DAG that fans out (the same
 * table referenced again and again) cannot make callers walk forever. Errors go to `err`
 * with a message naming the byte position inside the flatbuffer. */
typedef struct reel__fb_reader {
    const uint8_t *data;
    uint32_t len;
    uint64_t work_left;
    reel_error *err;
} reel__fb_reader;

typedef struct reel__fb_table {
    reel__fb_reader *reader;
    uint32_t pos;         /* table start (its soffset) */
    uint32_t vtable;      /* vtable start */
    uint16_t vtable_size; /* bytes, including the two u16 header fields */
    uint16_t inline_size; /* bytes of the table's inline part, from pos */
} reel__fb_table;

typedef struct reel__fb_vector {
    reel__fb_reader *reader;
    uint32_t pos;       /* first element */
    uint32_t count;     /* elements */
    uint32_t elem_size; /* bytes per element (4 for vectors of tables/strings) */
} reel__fb_vector;

/* Borrows `data` (up to 2 GiB). The work budget is proportional to `len`: a legitimate
 * buffer needs at least 4 distinct bytes per object, so honest input never hits it. */
reel_status reel__fb_reader_init(reel__fb_reader *reader, const uint8_t *data, size_t len,
                                 reel_error *err);
/* Opens the root table. */
reel_status reel__fb_root(reel__fb_reader *reader, reel__fb_table *out);

/* Scalar fields: `*out` = the stored value, or `def` when the field is absent. A field
 * whose bytes lie outside the table's inline part is REEL_CORRUPT. */
reel_status reel__fb_get_u8(const reel__fb_table *table, uint16_t id, uint8_t def, uint8_t *out);
reel_status reel__fb_get_bool(const reel__fb_table *table, uint16_t id, bool def, bool *out);
reel_status reel__fb_get_i16(const reel__fb_table *table, uint16_t id, int16_t def, int16_t *out);
reel_status reel__fb_get_i32(const reel__fb_table *table, uint16_t id, int32_t def, int32_t *out);
reel_status reel__fb_get_i64(const reel__fb_table *table, uint16_t id, int64_t def, int64_t *out);
/* Reference fields. `*present` says whether the field was there; when it is not, `*out`
 * is zeroed and the status is REEL_OK. */
reel_status reel__fb_get_table(const reel__fb_table *table, uint16_t id, reel__fb_table *out,
                               bool *present);
/* The string's bytes (without the NUL, which must be there). Borrowed from the buffer. */
reel_status reel__fb_get_string(const reel__fb_table *table, uint16_t id, reel_span *out,
                                bool *present);
/* A vector whose elements are `elem_size` bytes each (4 for tables and strings, 16 for the
 * Buffer and FieldNode structs). */
reel_status reel__fb_get_vector(const reel__fb_table *table, uint16_t id, uint32_t elem_size,
                                reel__fb_vector *out, bool *present);
/* A union: its type tag (u8 field `type_id`, 0 = NONE when absent) and its table (field
 * type_id + 1; `*present` false when absent, as a NONE union is). */
reel_status reel__fb_get_union(const reel__fb_table *table, uint16_t type_id, uint8_t *type,
                               reel__fb_table *out, bool *present);
/* Element i of a vector of tables (i < count is the caller's invariant). */
reel_status reel__fb_vector_table(const reel__fb_vector *vector, uint32_t i, reel__fb_table *out);
/* Element i of a vector of structs or scalars: its bytes, elem_size of them, in range. */
const uint8_t *reel__fb_vector_elem(const reel__fb_vector *vector, uint32_t i);

/* ---------------------------------------------------------------- builder */

/* An object already written, as its distance from the end of the buffer. */
typedef uint32_t reel__fb_ref;

#define REEL__FB_MAX_FIELDS 16

/* Builds one flatbuffer back to front: children first, then the tables that refer to them,
 * the root last. Zero-initialised is valid (default allocator). Errors (out of memory, a
 * buffer past 2 GiB) are sticky: later calls do nothing and reel__fb_finish reports them,
 * so callers can build a whole tree and check once. One table at a time: create a table's
 * strings, vectors and sub-tables before reel__fb_table_begin. */
typedef struct reel__fb_builder {
    uint8_t *buf; /* data lives at buf + cap - size .. buf + cap */
    size_t cap;
    size_t size;
    size_t min_align; /* largest alignment used; the finished size is a multiple of it */
    const reel_allocator *alloc;
    reel_status status;
    bool in_table;
    size_t table_start_size; /* size when the current table began */
    int n_fields;
    struct {
        uint16_t id;
        reel__fb_ref pos;
    } fields[REEL__FB_MAX_FIELDS];
} reel__fb_builder;

void reel__fb_builder_init(reel__fb_builder *builder, const reel_allocator *alloc);
/* Forgets the contents, keeps the memory. */
void reel__fb_builder_clear(reel__fb_builder *builder);
/* Frees the memory. NULL-safe. */
void reel__fb_builder_free(reel__fb_builder *builder);

/* A string (copied; a NUL is added). */
reel__fb_ref reel__fb_create_string(reel__fb_builder *builder, const char *text, size_t len);
/* A vector of references to tables or strings made before. */
reel__fb_ref reel__fb_create_ref_vector(reel__fb_builder *builder, const reel__fb_ref *refs,
                                        size_t count);
/* A vector of scalars or structs: reel__fb_vector_begin returns room for count * elem_size
 * bytes aligned to `align` (the caller stores little-endian elements there before any other
 * builder call; NULL after an error), then reel__fb_vector_end(count) closes it. */
uint8_t *reel__fb_vector_begin(reel__fb_builder *builder, size_t count, size_t elem_size,
                               size_t align);
reel__fb_ref reel__fb_vector_end(reel__fb_builder *builder, size_t count);

/* `len` bytes copied verbatim, their start `align`-aligned (a power of two) in the finished
 * buffer; returns the reference of their first byte. When the bytes are another finished
 * flatbuffer, its objects keep their alignment and the one at its byte p can be referred to
 * (reel__fb_add_ref) as the returned reference minus p: how a file Footer reuses the Schema
 * table of a Schema message, and how the file reader hands the Footer's Schema to the
 * message decoder. */
reel__fb_ref reel__fb_create_bytes(reel__fb_builder *builder, const void *data, size_t len,
                                   size_t align);

/* Tables: begin, add fields (each at most once, any order), end. Scalars are always
 * written, even when equal to the default. */
void reel__fb_table_begin(reel__fb_builder *builder);
void reel__fb_add_u8(reel__fb_builder *builder, uint16_t id, uint8_t value);
void reel__fb_add_bool(reel__fb_builder *builder, uint16_t id, bool value);
void reel__fb_add_i16(reel__fb_builder *builder, uint16_t id, int16_t value);
void reel__fb_add_i32(reel__fb_builder *builder, uint16_t id, int32_t value);
void reel__fb_add_i64(reel__fb_builder *builder, uint16_t id, int64_t value);
void reel__fb_add_ref(reel__fb_builder *builder, uint16_t id, reel__fb_ref ref);
reel__fb_ref reel__fb_table_end(reel__fb_builder *builder);

/* Writes the root offset and returns the finished bytes (borrowed from the builder, valid
 * until its next use); their length is a multiple of the largest alignment used, and
 * they must be placed at an address with that alignment for aligned access. */
reel_status reel__fb_finish(reel__fb_builder *builder, reel__fb_ref root, reel_span *out);

#endif
