/* Arrow IPC file format ("Feather v2"): the stream's messages between an "ARROW1" magic and
 * a Footer that says where each DictionaryBatch and RecordBatch message lies (File.fbs), for
 * random access. The writer appends the stream writer's messages and records their blocks;
 * the reader checks the footer and every block against the file before it hands each
 * block's message to the stream decoder.
 *
 * Both reuse the stream code through its public API and one flatbuffer device: a finished
 * flatbuffer copied whole into another (reel__fb_create_bytes) keeps its tables usable there.
 * The writer's Footer embeds the Schema message's flatbuffer and points at its Schema table;
 * the reader wraps the Footer in a Schema Message that points at the Footer's Schema table,
 * and decodes that message. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "arrow/arrow_util.h"
#include "arrow/flatbuf.h"
#include "arrow/ipc_format.h"

/* Magic and padding before the first message. */
#define FILE_HEAD_LEN 8
/* int32 footer length and magic after the footer. */
#define FILE_TAIL_LEN (4 + REEL__IPC_FILE_MAGIC_LEN)

/* Where one message of the file lies: a Footer Block. */
typedef struct file_block {
    int64_t offset;
    int32_t metadata_len; /* prefix, flatbuffer and padding */
    int64_t body_len;
} file_block;

/* ---------------------------------------------------------------- writer */

struct reel_ipc_file_writer {
    const reel_allocator *alloc;
    reel_arrow_field schema;
    reel_ipc_write_options options;
    reel_buf schema_flatbuffer; /* the Schema message's flatbuffer, embedded in the Footer */
    uint32_t schema_table;      /* its Schema table's byte */
    bool has_dictionaries;      /* the schema has DICTIONARY fields */
    bool dictionaries_written;
    /* reel_arrow_array: the values of the file's dictionaries (shared), one per DICTIONARY
     * field outside other dictionaries' values, in the stream writer's pre-order. */
    reel_vec dictionaries;
    /* While no dictionary is written: the first batch (shared), whose dictionaries finish
     * writes if no batch with rows comes. */
    reel_arrow_array first_batch;
    bool has_first_batch;
    reel_vec dictionary_blocks; /* file_block */
    reel_vec batch_blocks;      /* file_block */
    uint64_t position;          /* bytes of the file so far */
    bool finished;
};

static bool has_dictionary_field(const reel_arrow_field *field)
{
    if (field->type == REEL_ARROW_DICTIONARY)
        return true;
    for (int32_t i = 0; i < field->n_children; i++)
        if (has_dictionary_field(&field->children[i]))
            return true;
    return false;
}

/* The blocks of the whole messages the stream writer appended to out[start..), out[start]
 * being file byte `position`. */
static reel_status split_messages(const reel_buf *out, size_t start, uint64_t position,
                                  reel_vec *blocks, reel_error *err)
{
    for (size_t pos = start; pos < out->len;) {
        uint64_t size = 0;
        reel_error ignored;
        /* Our own messages: always the 8-byte prefix, any size. */
        reel_status status = reel_ipc_message_size(out->data + pos, out->len - pos, UINT64_MAX,
                                                   &size, NULL, &ignored);
        if (status != REEL_OK || size < 8 || size > out->len - pos)
            return reel_error_set(err, REEL_INTERNAL,
                                  "IPC file write: cannot size the stream writer's message at "
                                  "byte %zu of the output",
                                  pos);
        uint64_t metadata_len = 8 + (uint64_t)reel_load_u32le(out->data + pos + 4);
        if (metadata_len > INT32_MAX)
            return reel_error_set(err, REEL_LIMIT,
                                  "IPC file write: message metadata of %llu bytes does not fit "
                                  "a Block's int32 metaDataLength",
                                  (unsigned long long)metadata_len);
        file_block block = {.offset = (int64_t)(position + (pos - start)),
                            .metadata_len = (int32_t)metadata_len,
                            .body_len = (int64_t)(size - metadata_len)};
        if (reel_vec_push(blocks, &block) != REEL_OK)
            return reel_error_set(err, REEL_OUT_OF_MEMORY, "IPC file write: out of memory");
        pos += (size_t)size;
    }
    return REEL_OK;
}

/* True when two arrays are the same buffers throughout, as the dictionaries of slices of one
 * batch or of batches read from one file are: equal without a look at the values. */
static bool same_arrays(const reel_arrow_array *a, const reel_arrow_array *b, int depth)
{
    if (a == b)
        return true;
    if (depth > REEL__IPC_MAX_DEPTH || a->length != b->length || a->offset != b->offset ||
        a->n_buffers != b->n_buffers || a->n_children != b->n_children ||
        (a->dictionary == NULL) != (b->dictionary == NULL))
        return false;
    if (a->n_children > 0 && (a->children == NULL || b->children == NULL))
        return false;
    for (int i = 0; i < 3; i++)
        if (a->buffers[i].data != b->buffers[i].data || a->buffers[i].size != b->buffers[i].size)
            return false;
    for (int32_t i = 0; i < a->n_children; i++)
        if (!same_arrays(&a->children[i], &b->children[i], depth + 1))
            return false;
    return a->dictionary == NULL || same_arrays(a->dictionary, b->dictionary, depth + 1);
}

/* Visits the dictionaries of a batch that are not inside other dictionaries' values, in the
 * order the stream writer numbers them, either keeping references to their values
 * (`compare` false) or comparing them with the file's (true). Checks the array tree's shape
 * on the way down. */
typedef struct dictionary_walk {
    reel_vec *dictionaries;
    bool compare;
    size_t next; /* compare: the file's dictionary to compare with next */
    reel__arrow_path path;
    reel_error *err;
} dictionary_walk;

static reel_status walk_dictionaries(dictionary_walk *walk, const reel_arrow_field *field,
                                     const reel_arrow_array *array, int depth)
{
    const char *where = reel__arrow_path_str(&walk->path);
    if (depth > REEL__IPC_MAX_DEPTH)
        return reel_error_set(walk->err, REEL_LIMIT, "%s: nested deeper than %d levels", where,
                              REEL__IPC_MAX_DEPTH);
    if (field->type == REEL_ARROW_DICTIONARY) {
        if (field->dictionary == NULL || array->dictionary == NULL)
            return reel_error_set(walk->err, REEL_INVALID_ARGUMENT,
                                  "%s: a dictionary array without its dictionary", where);
        if (!walk->compare) {
            reel_arrow_array *kept = reel_vec_push_n(walk->dictionaries, 1);
            if (kept == NULL || reel_arrow_array_share(kept, array->dictionary) != REEL_OK)
                return reel_error_set(walk->err, REEL_OUT_OF_MEMORY,
                                      "IPC file write: out of memory");
            return REEL_OK;
        }
        if (walk->next >= walk->dictionaries->len)
            return reel_error_set(walk->err, REEL_INTERNAL,
                                  "%s: more dictionaries than the first batch had", where);
        const reel_arrow_array *written =
            &REEL_VEC_AT(walk->dictionaries, reel_arrow_array, walk->next++);
        if (!same_arrays(written, array->dictionary, 0) &&
            !reel_arrow_array_equal(field->dictionary, written, array->dictionary))
            return reel_error_set(walk->err, REEL_UNSUPPORTED,
                                  "%s: the dictionary (%lld values) differs from the one the "
                                  "file holds (%lld values, from an earlier batch), and the IPC "
                                  "file format cannot replace a dictionary; concatenate the "
                                  "batches first (reel_arrow_concat) or write a stream",
                                  where, (long long)array->dictionary->length,
                                  (long long)written->length);
        return REEL_OK;
    }
    if (field->n_children == 0)
        return REEL_OK;
    if (array->n_children != field->n_children || array->children == NULL)
        return reel_error_set(walk->err, REEL_INVALID_ARGUMENT,
                              "%s: the array has %d children, the field %d", where,
                              (int)array->n_children, (int)field->n_children);
    for (int32_t i = 0; i < field->n_children; i++) {
        size_t old_len = reel__arrow_path_push(&walk->path, &field->children[i], i);
        reel_status status =
            walk_dictionaries(walk, &field->children[i], &array->children[i], depth + 1);
        reel__arrow_path_pop(&walk->path, old_len);
        REEL_TRY(status);
    }
    return REEL_OK;
}

static void reset_arrays(reel_vec *arrays, size_t from)
{
    for (size_t i = from; i < arrays->len; i++)
        reel_arrow_array_reset(&REEL_VEC_AT(arrays, reel_arrow_array, i));
    arrays->len = from;
}

void reel_ipc_file_writer_destroy(reel_ipc_file_writer *writer)
{
    if (writer == NULL)
        return;
    reset_arrays(&writer->dictionaries, 0);
    reel_vec_free(&writer->dictionaries);
    reel_vec_free(&writer->dictionary_blocks);
    reel_vec_free(&writer->batch_blocks);
    reel_arrow_array_reset(&writer->first_batch);
    reel_buf_free(&writer->schema_flatbuffer);
    reel_arrow_field_reset(&writer->schema);
    reel_free(writer->alloc, writer, sizeof *writer);
}

/* Keeps the flatbuffer of the Schema message at out[start..) and finds its Schema table. */
static reel_status keep_schema_flatbuffer(reel_ipc_file_writer *writer, const reel_buf *out,
                                          size_t start, reel_error *err)
{
    uint32_t metadata_len = reel_load_u32le(out->data + start + 4);
    if (reel_buf_append(&writer->schema_flatbuffer, out->data + start + 8, metadata_len) != REEL_OK)
        return reel_error_set(err, REEL_OUT_OF_MEMORY, "IPC file write: out of memory");
    reel__fb_reader reader;
    reel__fb_table message, header;
    uint8_t header_type;
    bool present = false;
    reel_error ignored;
    reel_status status = reel__fb_reader_init(&reader, writer->schema_flatbuffer.data,
                                              writer->schema_flatbuffer.len, &ignored);
    if (status == REEL_OK)
        status = reel__fb_root(&reader, &message);
    if (status == REEL_OK)
        status = reel__fb_get_union(&message, REEL__IPC_MESSAGE_HEADER_TYPE, &header_type, &header,
                                    &present);
    if (status != REEL_OK || !present || header_type != REEL__IPC_HEADER_SCHEMA)
        return reel_error_set(err, REEL_INTERNAL,
                              "IPC file write: cannot find the Schema table in the Schema "
                              "message just written");
    writer->schema_table = header.pos;
    return REEL_OK;
}

reel_status reel_ipc_file_writer_create(const reel_arrow_field *schema,
                                        const reel_ipc_write_options *options, reel_buf *out,
                                        reel_ipc_file_writer **writer_out, reel_error *err)
{
    *writer_out = NULL;
    reel_ipc_file_writer *writer = reel_alloc_zeroed(out->alloc, sizeof *writer);
    if (writer == NULL)
        return reel_error_set(err, REEL_OUT_OF_MEMORY, "IPC file write: out of memory");
    writer->alloc = out->alloc;
    if (options != NULL)
        writer->options = *options;
    reel_buf_init(&writer->schema_flatbuffer, out->alloc);
    reel_vec_init(&writer->dictionaries, sizeof(reel_arrow_array), out->alloc);
    reel_vec_init(&writer->dictionary_blocks, sizeof(file_block), out->alloc);
    reel_vec_init(&writer->batch_blocks, sizeof(file_block), out->alloc);

    size_t start = out->len;
    /* The magic padded to the alignment (as arrow-rs does), so that every message and buffer
     * lies aligned in the file; readers go by the blocks' offsets. An alignment other than 8
     * and 64 is refused by the schema writer below. */
    size_t head_len = writer->options.alignment == 64 ? 64 : FILE_HEAD_LEN;
    uint8_t *head = reel_buf_extend(out, head_len);
    reel_status status = REEL_OK;
    if (head == NULL)
        status = reel_error_set(err, REEL_OUT_OF_MEMORY, "IPC file write: out of memory");
    else {
        memset(head, 0, head_len);
        memcpy(head, REEL__IPC_FILE_MAGIC, REEL__IPC_FILE_MAGIC_LEN);
    }
    size_t schema_start = out->len;
    if (status == REEL_OK)
        status = reel_ipc_write_schema(out, schema, options, err);
    if (status == REEL_OK)
        status = keep_schema_flatbuffer(writer, out, schema_start, err);
    if (status == REEL_OK &&
        (status = reel_arrow_field_copy(&writer->schema, schema, out->alloc)) != REEL_OK)
        reel_error_set(err, status, "IPC file write: out of memory copying the schema");
    if (status != REEL_OK) {
        out->len = start;
        reel_ipc_file_writer_destroy(writer);
        return status;
    }
    writer->has_dictionaries = has_dictionary_field(schema);
    writer->position = out->len - start;
    *writer_out = writer;
    return REEL_OK;
}

/* Drops the messages the stream writer appended at out[start..) except the last one (the
 * RecordBatch; the file already holds or will hold the dictionaries). */
static void keep_last_message(reel_buf *out, size_t start, const reel_vec *blocks)
{
    const file_block *last = &REEL_VEC_AT(blocks, file_block, blocks->len - 1);
    const file_block *first = &REEL_VEC_AT(blocks, file_block, 0);
    size_t last_start = start + (size_t)(last->offset - first->offset);
    size_t last_len = out->len - last_start;
    memmove(out->data + start, out->data + last_start, last_len);
    out->len = start + last_len;
}

reel_status reel_ipc_file_writer_write_batch(reel_ipc_file_writer *writer,
                                             const reel_arrow_array *batch, reel_buf *out,
                                             reel_error *err)
{
    if (writer->finished)
        return reel_error_set(err, REEL_INVALID_ARGUMENT,
                              "IPC file write: the file is already finished");
    if (batch == NULL)
        return reel_error_set(err, REEL_INVALID_ARGUMENT, "IPC file write: no batch");
    /* Which of the batch's messages the file keeps: all (its dictionaries become the file's)
     * or only the RecordBatch (the file holds them already, or a batch with rows brings
     * them later; a batch of zero rows decodes nothing through its dictionaries). */
    bool with_rows = batch->length > 0;
    bool keep_dictionaries = writer->has_dictionaries && !writer->dictionaries_written && with_rows;
    bool compare = writer->has_dictionaries && writer->dictionaries_written && with_rows;
    bool share_first = writer->has_dictionaries && !writer->dictionaries_written && !with_rows &&
                       !writer->has_first_batch;
    size_t start = out->len, first_kept = writer->dictionaries.len;
    reel_vec blocks;
    reel_vec_init(&blocks, sizeof(file_block), writer->alloc);
    reel_status status = reel_ipc_write_batch(out, &writer->schema, batch, &writer->options, err);
    if (status == REEL_OK)
        status = split_messages(out, start, writer->position, &blocks, err);
    /* After the stream writer, which checked the arrays' shapes on the way. */
    if (status == REEL_OK && (keep_dictionaries || compare)) {
        dictionary_walk walk = {
            .dictionaries = &writer->dictionaries, .compare = compare, .err = err};
        reel__arrow_path_root(&walk.path, &writer->schema);
        status = walk_dictionaries(&walk, &writer->schema, batch, 0);
        if (status != REEL_OK)
            reel_error_prefix(err, "IPC file write: ");
    }
    if (status == REEL_OK && share_first &&
        (status = reel_arrow_array_share(&writer->first_batch, batch)) != REEL_OK)
        reel_error_set(err, status, "IPC file write: out of memory");
    /* Room for the blocks first, so that nothing below can fail half way. */
    if (status == REEL_OK && ((keep_dictionaries && reel_vec_reserve(&writer->dictionary_blocks,
                                                                     blocks.len) != REEL_OK) ||
                              reel_vec_reserve(&writer->batch_blocks, 1) != REEL_OK))
        status = reel_error_set(err, REEL_OUT_OF_MEMORY, "IPC file write: out of memory");
    if (status != REEL_OK) {
        out->len = start; /* nothing of the batch is left behind */
        reset_arrays(&writer->dictionaries, first_kept);
        if (share_first)
            reel_arrow_array_reset(&writer->first_batch);
        reel_vec_free(&blocks);
        return status;
    }

    file_block record_batch = REEL_VEC_AT(&blocks, file_block, blocks.len - 1);
    if (keep_dictionaries) {
        for (size_t i = 0; i + 1 < blocks.len; i++)
            reel_vec_push(&writer->dictionary_blocks, &REEL_VEC_AT(&blocks, file_block, i));
        writer->dictionaries_written = true;
        reel_arrow_array_reset(&writer->first_batch);
        writer->has_first_batch = false;
    } else if (blocks.len > 1) {
        record_batch.offset = REEL_VEC_AT(&blocks, file_block, 0).offset;
        keep_last_message(out, start, &blocks);
    }
    if (share_first)
        writer->has_first_batch = true;
    reel_vec_push(&writer->batch_blocks, &record_batch);
    writer->position += out->len - start;
    reel_vec_free(&blocks);
    return REEL_OK;
}

/* A vector of Block structs. */
static reel__fb_ref write_blocks(reel__fb_builder *fb, const reel_vec *blocks)
{
    uint8_t *p = reel__fb_vector_begin(fb, blocks->len, REEL__IPC_BLOCK_SIZE, 8);
    for (size_t i = 0; p != NULL && i < blocks->len; i++) {
        const file_block *block = &REEL_VEC_AT(blocks, file_block, i);
        uint8_t *slot = p + (size_t)REEL__IPC_BLOCK_SIZE * i; /* bytes 12..16: padding, zero */
        reel_store_u64le(slot, (uint64_t)block->offset);
        reel_store_u32le(slot + 8, (uint32_t)block->metadata_len);
        reel_store_u64le(slot + 16, (uint64_t)block->body_len);
    }
    return reel__fb_vector_end(fb, blocks->len);
}

/* Appends the Footer flatbuffer, its length and the magic. */
static reel_status write_footer(const reel_ipc_file_writer *writer, const reel_vec *dictionaries,
                                reel_buf *out, reel_error *err)
{
    reel__fb_builder fb;
    reel__fb_builder_init(&fb, writer->alloc);
    /* The Schema message's flatbuffer, whole: its Schema table is the Footer's schema. */
    reel__fb_ref embedded = reel__fb_create_bytes(&fb, writer->schema_flatbuffer.data,
                                                  writer->schema_flatbuffer.len, 8);
    reel__fb_ref schema = embedded != 0 ? embedded - writer->schema_table : 0;
    reel__fb_ref dictionary_vec = write_blocks(&fb, dictionaries);
    reel__fb_ref batch_vec = write_blocks(&fb, &writer->batch_blocks);
    reel__fb_table_begin(&fb);
    reel__fb_add_ref(&fb, REEL__IPC_FOOTER_SCHEMA, schema);
    reel__fb_add_ref(&fb, REEL__IPC_FOOTER_DICTIONARIES, dictionary_vec);
    reel__fb_add_ref(&fb, REEL__IPC_FOOTER_RECORD_BATCHES, batch_vec);
    reel__fb_add_i16(&fb, REEL__IPC_FOOTER_VERSION, REEL__IPC_V5);
    reel__fb_ref footer = reel__fb_table_end(&fb);
    reel_span bytes;
    reel_status status = reel__fb_finish(&fb, footer, &bytes);
    if (status != REEL_OK)
        reel_error_set(err, status, "IPC file write: cannot build the footer (%zu batches)",
                       writer->batch_blocks.len);
    else if (bytes.len > INT32_MAX)
        status =
            reel_error_set(err, REEL_LIMIT, "IPC file write: a footer of %zu bytes", bytes.len);
    uint8_t tail[FILE_TAIL_LEN];
    reel_store_u32le(tail, (uint32_t)bytes.len);
    memcpy(tail + 4, REEL__IPC_FILE_MAGIC, REEL__IPC_FILE_MAGIC_LEN);
    if (status == REEL_OK && (reel_buf_append(out, bytes.data, bytes.len) != REEL_OK ||
                              reel_buf_append(out, tail, sizeof tail) != REEL_OK))
        status = reel_error_set(err, REEL_OUT_OF_MEMORY, "IPC file write: out of memory");
    reel__fb_builder_free(&fb);
    return status;
}

/* Only batches of zero rows came: the first one's dictionaries become the file's. The stream
 * writer puts them before that batch's RecordBatch, which is dropped again. */
static reel_status write_first_dictionaries(const reel_ipc_file_writer *writer, reel_buf *out,
                                            size_t start, reel_vec *blocks, reel_error *err)
{
    REEL_TRY(
        reel_ipc_write_batch(out, &writer->schema, &writer->first_batch, &writer->options, err));
    REEL_TRY(split_messages(out, start, writer->position, blocks, err));
    const file_block *record_batch = &REEL_VEC_AT(blocks, file_block, blocks->len - 1);
    out->len = start + (size_t)(record_batch->offset - (int64_t)writer->position);
    blocks->len--;
    return REEL_OK;
}

reel_status reel_ipc_file_writer_finish(reel_ipc_file_writer *writer, reel_buf *out,
                                        reel_error *err)
{
    if (writer->finished)
        return reel_error_set(err, REEL_INVALID_ARGUMENT,
                              "IPC file write: the file is already finished");
    size_t start = out->len;
    /* The dictionaries' blocks: those written with a batch, or any written now. */
    reel_vec dictionaries;
    reel_vec_init(&dictionaries, sizeof(file_block), writer->alloc);
    reel_status status = REEL_OK;
    for (size_t i = 0; status == REEL_OK && i < writer->dictionary_blocks.len; i++)
        if (reel_vec_push(&dictionaries, &REEL_VEC_AT(&writer->dictionary_blocks, file_block, i)) !=
            REEL_OK)
            status = reel_error_set(err, REEL_OUT_OF_MEMORY, "IPC file write: out of memory");
    if (status == REEL_OK && writer->has_first_batch)
        status = write_first_dictionaries(writer, out, start, &dictionaries, err);
    if (status == REEL_OK && (status = reel_ipc_write_eos(out)) != REEL_OK)
        reel_error_set(err, status, "IPC file write: out of memory");
    if (status == REEL_OK)
        status = write_footer(writer, &dictionaries, out, err);
    reel_vec_free(&dictionaries);
    if (status != REEL_OK) {
        out->len = start;
        return status;
    }
    writer->position += out->len - start;
    writer->finished = true;
    return REEL_OK;
}

reel_status reel_ipc_write_file(reel_buf *out, const reel_arrow_field *schema,
                                const reel_arrow_array *batches, int64_t batch_count,
                                const reel_ipc_write_options *options, reel_error *err)
{
    if (batch_count < 0 || (batch_count > 0 && batches == NULL))
        return reel_error_set(err, REEL_INVALID_ARGUMENT,
                              "IPC file write: %lld batches, and no array of them",
                              (long long)batch_count);
    size_t start = out->len;
    reel_ipc_file_writer *writer;
    REEL_TRY(reel_ipc_file_writer_create(schema, options, out, &writer, err));
    reel_status status = REEL_OK;
    for (int64_t i = 0; status == REEL_OK && i < batch_count; i++) {
        status = reel_ipc_file_writer_write_batch(writer, &batches[i], out, err);
        if (status != REEL_OK)
            reel_error_prefix(err, "batch %lld: ", (long long)i);
    }
    if (status == REEL_OK)
        status = reel_ipc_file_writer_finish(writer, out, err);
    reel_ipc_file_writer_destroy(writer);
    if (status != REEL_OK)
        out->len = start; /* nothing half-written is left behind */
    return status;
}

/* ---------------------------------------------------------------- reader */

typedef struct file_reader {
    reel_blob *blob;
    const uint8_t *data;
    size_t len;
    size_t footer_start; /* the Footer flatbuffer's first byte; the messages end there */
    size_t footer_len;
    int16_t version;
    uint64_t max_message_size;
    reel_ipc_decoder *decoder;
    uint64_t decoded; /* messages the decoder took, which it numbers in its errors */
    const reel_allocator *alloc;
    reel_error *err;
} file_reader;

/* The blocks of one Footer vector, and what they must hold. */
typedef struct block_list {
    const char *what; /* "dictionary" or "record batch" */
    uint8_t header_type;
    reel__fb_vector blocks;
} block_list;

static file_block block_at(const block_list *list, uint32_t i)
{
    const uint8_t *p = reel__fb_vector_elem(&list->blocks, i);
    file_block block = {.offset = (int64_t)reel_load_u64le(p),
                        .metadata_len = (int32_t)reel_load_u32le(p + 8),
                        .body_len = (int64_t)reel_load_u64le(p + 16)};
    return block;
}

/* Where in the file messages may lie: between the leading magic and the footer. */
static reel_status check_block(const file_reader *fr, const block_list *list, uint32_t index,
                               const file_block *block)
{
    uint64_t end = fr->footer_start;
    bool inside =
        block->offset >= FILE_HEAD_LEN && block->metadata_len > 0 && block->body_len >= 0 &&
        (uint64_t)block->offset <= end &&
        (uint64_t)block->metadata_len <= end - (uint64_t)block->offset &&
        (uint64_t)block->body_len <= end - (uint64_t)block->offset - (uint64_t)block->metadata_len;
    if (!inside)
        return reel_error_set(fr->err, REEL_CORRUPT,
                              "IPC file: %s block %u at byte offset %lld (metaDataLength %d, "
                              "bodyLength %lld) is not inside the messages, bytes %d to %zu of "
                              "the file",
                              list->what, index, (long long)block->offset, (int)block->metadata_len,
                              (long long)block->body_len, FILE_HEAD_LEN, fr->footer_start);
    return REEL_OK;
}

typedef struct block_span {
    int64_t start, end;
    const char *what;
    uint32_t index;
} block_span;

static int compare_spans(const void *a, const void *b)
{
    int64_t x = ((const block_span *)a)->start, y = ((const block_span *)b)->start;
    return (x > y) - (x < y);
}

/* Checks every block lies among the messages and no two overlap, so that decoding them all
 * costs at most one pass over the file (a footer naming one message many times could
 * otherwise make a small file decode for ever). */
static reel_status check_blocks(const file_reader *fr, const block_list *lists, int n_lists)
{
    size_t total = 0;
    for (int l = 0; l < n_lists; l++)
        total += lists[l].blocks.count;
    if (total == 0)
        return REEL_OK;
    block_span *spans = reel_alloc(fr->alloc, total * sizeof *spans);
    if (spans == NULL)
        return reel_error_set(fr->err, REEL_OUT_OF_MEMORY, "IPC file: out of memory for %zu blocks",
                              total);
    reel_status status = REEL_OK;
    size_t n = 0;
    for (int l = 0; status == REEL_OK && l < n_lists; l++) {
        for (uint32_t i = 0; status == REEL_OK && i < lists[l].blocks.count; i++) {
            file_block block = block_at(&lists[l], i);
            status = check_block(fr, &lists[l], i, &block);
            if (status == REEL_OK) /* inside the file: the end cannot overflow */
                spans[n++] =
                    (block_span){block.offset, block.offset + block.metadata_len + block.body_len,
                                 lists[l].what, i};
        }
    }
    if (status == REEL_OK)
        qsort(spans, n, sizeof *spans, compare_spans);
    for (size_t i = 1; status == REEL_OK && i < n; i++)
        if (spans[i].start < spans[i - 1].end)
            status =
                reel_error_set(fr->err, REEL_CORRUPT,
                               "IPC file: %s block %u at byte offset %lld (to %lld) overlaps %s "
                               "block %u at byte offset %lld (to %lld)",
                               spans[i].what, spans[i].index, (long long)spans[i].start,
                               (long long)spans[i].end, spans[i - 1].what, spans[i - 1].index,
                               (long long)spans[i - 1].start, (long long)spans[i - 1].end);
    reel_free(fr->alloc, spans, total * sizeof *spans);
    return status;
}

static const char *header_name(uint8_t header_type)
{
    switch (header_type) {
    case REEL__IPC_HEADER_SCHEMA:
        return "Schema";
    case REEL__IPC_HEADER_DICTIONARY_BATCH:
        return "DictionaryBatch";
    case REEL__IPC_HEADER_RECORD_BATCH:
        return "RecordBatch";
    case REEL__IPC_HEADER_TENSOR:
        return "Tensor";
    case REEL__IPC_HEADER_SPARSE_TENSOR:
        return "SparseTensor";
    default:
        return "unknown";
    }
}

/* What a block's message says about itself, read before the decoder sees it: a message of
 * the wrong kind would change the decoder's state (a DictionaryBatch among the record
 * batches) or be refused with a misleading error (a second Schema). */
typedef struct block_message {
    uint8_t header_type;
    int64_t dictionary_id;
    bool is_delta;
} block_message;

static reel_status peek_block(const file_reader *fr, const file_block *block, block_message *out)
{
    memset(out, 0, sizeof *out);
    const uint8_t *at = fr->data + block->offset;
    size_t avail = (size_t)block->metadata_len + (size_t)block->body_len;
    uint64_t size = 0, needed = 0;
    reel_status status =
        reel_ipc_message_size(at, avail, fr->max_message_size, &size, &needed, fr->err);
    if (status == REEL_TRUNCATED)
        return reel_error_set(fr->err, REEL_CORRUPT,
                              "the message needs at least %llu bytes, its block has %zu",
                              (unsigned long long)needed, avail);
    REEL_TRY(status);
    uint32_t first = reel_load_u32le(at);
    uint64_t prefix = first == REEL__IPC_CONTINUATION ? 8 : 4;
    uint64_t flatbuffer_len = prefix == 8 ? reel_load_u32le(at + 4) : first;
    if (flatbuffer_len == 0)
        return reel_error_set(fr->err, REEL_CORRUPT,
                              "the block holds an end-of-stream marker, not a message");
    if (prefix + flatbuffer_len != (uint64_t)block->metadata_len || size != avail)
        return reel_error_set(fr->err, REEL_CORRUPT,
                              "the message's metadata and body are %llu and %llu bytes, its "
                              "block says %d and %lld",
                              (unsigned long long)(prefix + flatbuffer_len),
                              (unsigned long long)(size - prefix - flatbuffer_len),
                              (int)block->metadata_len, (long long)block->body_len);
    reel__fb_reader reader;
    reel__fb_table message, header;
    bool present = false;
    REEL_TRY(reel__fb_reader_init(&reader, at + prefix, (size_t)flatbuffer_len, fr->err));
    REEL_TRY(reel__fb_root(&reader, &message));
    REEL_TRY(reel__fb_get_union(&message, REEL__IPC_MESSAGE_HEADER_TYPE, &out->header_type, &header,
                                &present));
    if (out->header_type == REEL__IPC_HEADER_DICTIONARY_BATCH && present) {
        REEL_TRY(reel__fb_get_i64(&header, REEL__IPC_DICT_BATCH_ID, 0, &out->dictionary_id));
        REEL_TRY(reel__fb_get_bool(&header, REEL__IPC_DICT_BATCH_IS_DELTA, false, &out->is_delta));
    }
    return REEL_OK;
}

/* The decoder prefixes its errors with its own message number and stream offset, which mean
 * nothing in a file (messages are taken out of order, and the file's schema comes from the
 * footer): drop that prefix, the caller puts the block's file offset instead. */
static void drop_decoder_prefix(reel_error *err, uint64_t index, uint64_t stream_offset)
{
    if (err == NULL)
        return;
    char prefix[96];
    int n = snprintf(prefix, sizeof prefix,
                     "IPC message %llu at byte offset %llu: ", (unsigned long long)index,
                     (unsigned long long)stream_offset);
    size_t len = strlen(err->message);
    if (n > 0 && (size_t)n <= len && memcmp(err->message, prefix, (size_t)n) == 0)
        memmove(err->message, err->message + n, len - (size_t)n + 1);
}

static reel_status decode(file_reader *fr, reel_blob *blob, size_t offset, size_t size,
                          reel_ipc_message *message)
{
    uint64_t index = fr->decoded, stream_offset = reel_ipc_decoder_offset(fr->decoder);
    reel_status status = reel_ipc_decoder_decode(fr->decoder, blob, offset, size, message, fr->err);
    if (status != REEL_OK) {
        drop_decoder_prefix(fr->err, index, stream_offset);
        return status;
    }
    fr->decoded++;
    return REEL_OK;
}

/* Hands the Footer's Schema table to the decoder as a Schema message: a Message table whose
 * header points into a verbatim copy of the Footer. */
static reel_status read_footer_schema(file_reader *fr, const reel__fb_table *schema_table)
{
    reel__fb_builder fb;
    reel__fb_builder_init(&fb, fr->alloc);
    reel__fb_ref footer =
        reel__fb_create_bytes(&fb, fr->data + fr->footer_start, fr->footer_len, 8);
    reel__fb_table_begin(&fb);
    reel__fb_add_ref(&fb, REEL__IPC_MESSAGE_HEADER, footer != 0 ? footer - schema_table->pos : 0);
    reel__fb_add_i16(&fb, REEL__IPC_MESSAGE_VERSION, fr->version);
    reel__fb_add_u8(&fb, REEL__IPC_MESSAGE_HEADER_TYPE, REEL__IPC_HEADER_SCHEMA);
    reel__fb_ref message_table = reel__fb_table_end(&fb);
    reel_span metadata;
    reel_status status = reel__fb_finish(&fb, message_table, &metadata);
    size_t padded = reel_align_up(metadata.len, 8);
    if (status == REEL_OK && padded > INT32_MAX)
        status = REEL_LIMIT;
    /* Where the copy starts in the message's flatbuffer, for reading positions in errors. */
    size_t copy_at = status == REEL_OK ? metadata.len - footer : 0;
    reel_buf message;
    reel_buf_init(&message, fr->alloc);
    if (status == REEL_OK && (reel_buf_append_u32le(&message, REEL__IPC_CONTINUATION) != REEL_OK ||
                              reel_buf_append_u32le(&message, (uint32_t)padded) != REEL_OK ||
                              reel_buf_append(&message, metadata.data, metadata.len) != REEL_OK ||
                              reel_buf_append_zeros(&message, padded - metadata.len) != REEL_OK))
        status = REEL_OUT_OF_MEMORY;
    reel__fb_builder_free(&fb);
    reel_blob *blob = status == REEL_OK ? reel_blob_from_buf(&message) : NULL;
    reel_buf_free(&message);
    if (blob == NULL)
        return reel_error_set(fr->err, status == REEL_LIMIT ? REEL_LIMIT : REEL_OUT_OF_MEMORY,
                              "cannot wrap its Schema in a message (%s)",
                              status == REEL_LIMIT ? "too large" : "out of memory");
    reel_ipc_message decoded;
    status = decode(fr, blob, 0, reel_blob_len(blob), &decoded);
    reel_blob_release(blob); /* the decoder copies what it keeps of a schema */
    if (status != REEL_OK) {
        reel_error_prefix(fr->err,
                          "its Schema, read through a copy of the footer at byte %zu of a "
                          "message's flatbuffer: ",
                          copy_at);
        return status;
    }
    reel_arrow_array_reset(&decoded.batch);
    if (decoded.kind != REEL_IPC_MESSAGE_SCHEMA)
        return reel_error_set(fr->err, REEL_INTERNAL, "the schema decoded as message kind %d",
                              (int)decoded.kind);
    return REEL_OK;
}

/* Peeks at and decodes the message of block `index` of `list`; *out gets what the decoder
 * made of it. `seen` (dictionaries only) holds the ids defined so far. */
static reel_status read_block(file_reader *fr, const block_list *list, uint32_t index,
                              reel_map *seen, reel_ipc_message *out)
{
    file_block block = block_at(list, index);
    block_message peeked;
    reel_status status = peek_block(fr, &block, &peeked);
    if (status == REEL_OK && peeked.header_type != list->header_type)
        status = reel_error_set(fr->err, REEL_CORRUPT, "it holds a %s message (type %d), not a %s",
                                header_name(peeked.header_type), (int)peeked.header_type,
                                header_name(list->header_type));
    if (status == REEL_OK && seen != NULL && !peeked.is_delta) {
        /* Readers load every dictionary before any batch: a second one for an id could only
         * replace the first for every batch, so the format allows only deltas. */
        if (reel_map_get(seen, &peeked.dictionary_id, sizeof peeked.dictionary_id, NULL))
            status = reel_error_set(fr->err, REEL_CORRUPT,
                                    "a second dictionary for id %lld that is not a delta (the "
                                    "IPC file format cannot replace a dictionary)",
                                    (long long)peeked.dictionary_id);
        else if (reel_map_put(seen, &peeked.dictionary_id, sizeof peeked.dictionary_id, 1) !=
                 REEL_OK)
            status = reel_error_set(fr->err, REEL_OUT_OF_MEMORY, "out of memory");
    }
    if (status == REEL_OK)
        status = decode(fr, fr->blob, (size_t)block.offset,
                        (size_t)block.metadata_len + (size_t)block.body_len, out);
    if (status != REEL_OK)
        reel_error_prefix(fr->err, "IPC file: %s block %u at byte offset %lld: ", list->what, index,
                          (long long)block.offset);
    return status;
}

/* Finds the footer, checks the magic on both ends. */
static reel_status locate_footer(file_reader *fr)
{
    const size_t min_len = FILE_HEAD_LEN + FILE_TAIL_LEN;
    if (fr->len >= 4 && reel_load_u32le(fr->data) == REEL__IPC_CONTINUATION)
        return reel_error_set(
            fr->err, REEL_CORRUPT,
            "IPC file: a message at byte offset 0, not the \"ARROW1\" magic: this "
            "is the IPC stream format (read it with reel_ipc_read_stream)");
    if (fr->len < REEL__IPC_FILE_MAGIC_LEN ||
        memcmp(fr->data, REEL__IPC_FILE_MAGIC, REEL__IPC_FILE_MAGIC_LEN) != 0)
        return reel_error_set(
            fr->err, fr->len < REEL__IPC_FILE_MAGIC_LEN ? REEL_TRUNCATED : REEL_CORRUPT,
            "IPC file of %zu bytes: no \"ARROW1\" magic at byte offset 0", fr->len);
    if (fr->len < min_len)
        return reel_error_set(fr->err, REEL_TRUNCATED,
                              "IPC file of %zu bytes: shorter than its magic, padding, footer "
                              "length and closing magic (%zu bytes; at byte offset 0)",
                              fr->len, min_len);
    size_t tail = fr->len - FILE_TAIL_LEN;
    if (memcmp(fr->data + tail + 4, REEL__IPC_FILE_MAGIC, REEL__IPC_FILE_MAGIC_LEN) != 0)
        return reel_error_set(fr->err, REEL_CORRUPT,
                              "IPC file: no closing \"ARROW1\" magic at byte offset %zu (a "
                              "truncated file?)",
                              tail + 4);
    int32_t footer_len = (int32_t)reel_load_u32le(fr->data + tail);
    if (footer_len <= 0 || (size_t)footer_len > tail - FILE_HEAD_LEN)
        return reel_error_set(fr->err, REEL_CORRUPT,
                              "IPC file: footer length %d (at byte offset %zu) is not within "
                              "1..%zu, the bytes between the leading magic and it",
                              (int)footer_len, tail, tail - FILE_HEAD_LEN);
    fr->footer_len = (size_t)footer_len;
    fr->footer_start = tail - fr->footer_len;
    return REEL_OK;
}

static reel_status read_file(file_reader *fr, reel_vec *batches)
{
    REEL_TRY(locate_footer(fr));
    reel__fb_reader reader;
    reel__fb_table footer, schema_table;
    bool has_schema = false, present;
    block_list lists[2] = {{"dictionary", REEL__IPC_HEADER_DICTIONARY_BATCH, {0}},
                           {"record batch", REEL__IPC_HEADER_RECORD_BATCH, {0}}};
    reel_status status =
        reel__fb_reader_init(&reader, fr->data + fr->footer_start, fr->footer_len, fr->err);
    if (status == REEL_OK)
        status = reel__fb_root(&reader, &footer);
    if (status == REEL_OK)
        status = reel__fb_get_i16(&footer, REEL__IPC_FOOTER_VERSION, 0, &fr->version);
    if (status == REEL_OK)
        status = reel__fb_get_table(&footer, REEL__IPC_FOOTER_SCHEMA, &schema_table, &has_schema);
    if (status == REEL_OK)
        status = reel__fb_get_vector(&footer, REEL__IPC_FOOTER_DICTIONARIES, REEL__IPC_BLOCK_SIZE,
                                     &lists[0].blocks, &present);
    if (status == REEL_OK)
        status = reel__fb_get_vector(&footer, REEL__IPC_FOOTER_RECORD_BATCHES, REEL__IPC_BLOCK_SIZE,
                                     &lists[1].blocks, &present);
    if (status == REEL_OK && (fr->version < REEL__IPC_V4 || fr->version > REEL__IPC_V5))
        status = reel_error_set(fr->err, REEL_UNSUPPORTED,
                                "metadata version V%d is not supported (only V4 and V5)",
                                (int)fr->version + 1);
    if (status == REEL_OK && !has_schema)
        status = reel_error_set(fr->err, REEL_CORRUPT, "the footer has no schema");
    if (status == REEL_OK)
        status = read_footer_schema(fr, &schema_table);
    if (status != REEL_OK) {
        reel_error_prefix(fr->err,
                          "IPC file: footer (%zu bytes at byte offset %zu): ", fr->footer_len,
                          fr->footer_start);
        return status;
    }
    REEL_TRY(check_blocks(fr, lists, 2));

    /* Every dictionary first (as every reader of the format does), then the batches. */
    reel_map seen;
    reel_map_init(&seen, fr->alloc);
    for (uint32_t i = 0; status == REEL_OK && i < lists[0].blocks.count; i++) {
        reel_ipc_message message;
        status = read_block(fr, &lists[0], i, &seen, &message);
        if (status == REEL_OK)
            reel_arrow_array_reset(&message.batch);
    }
    reel_map_free(&seen);
    for (uint32_t i = 0; status == REEL_OK && i < lists[1].blocks.count; i++) {
        reel_ipc_message message;
        status = read_block(fr, &lists[1], i, NULL, &message);
        if (status == REEL_OK && reel_vec_push(batches, &message.batch) != REEL_OK) {
            reel_arrow_array_reset(&message.batch);
            status = reel_error_set(fr->err, REEL_OUT_OF_MEMORY,
                                    "IPC file: out of memory after %u batches", i);
        }
    }
    return status;
}

reel_status reel_ipc_read_file(reel_blob *blob, const reel_ipc_decoder_options *options,
                               reel_arrow_field *schema, reel_vec *batches, reel_error *err)
{
    memset(schema, 0, sizeof *schema);
    const reel_allocator *alloc = options ? options->alloc : NULL;
    bool vector_is_ours = batches->elem_size == 0;
    if (vector_is_ours)
        reel_vec_init(batches, sizeof(reel_arrow_array), alloc);
    if (batches->elem_size != sizeof(reel_arrow_array))
        return reel_error_set(err, REEL_INVALID_ARGUMENT,
                              "IPC read: the batch vector holds elements of %zu bytes",
                              batches->elem_size);
    if (blob == NULL)
        return reel_error_set(err, REEL_INVALID_ARGUMENT, "IPC file: no blob");
    file_reader fr = {.blob = blob,
                      .data = reel_blob_data(blob),
                      .len = reel_blob_len(blob),
                      .max_message_size = options ? options->max_message_size : 0,
                      .alloc = alloc,
                      .err = err};
    REEL_TRY(reel_ipc_decoder_create(options, &fr.decoder, err));
    size_t first_batch = batches->len;
    reel_status status = read_file(&fr, batches);
    if (status == REEL_OK && (status = reel_arrow_field_copy(
                                  schema, reel_ipc_decoder_schema(fr.decoder), alloc)) != REEL_OK)
        reel_error_set(err, status, "IPC file: out of memory copying the schema");
    if (status != REEL_OK) {
        reset_arrays(batches, first_batch);
        if (vector_is_ours)
            reel_vec_free(batches); /* on failure the caller has nothing to free */
    }
    reel_ipc_decoder_destroy(fr.decoder);
    return status;
}
