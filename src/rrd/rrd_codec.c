/* The payload codec: one message's protobuf payload to a reel_rrd_message and back,
 * including the Arrow side — an ArrowMsg's (LZ4-compressed) IPC stream to a chunk with full
 * validation, a chunk to IPC bytes (64-byte alignment, like arrow-rs), and a footer
 * manifest's Arrow parts to the per-chunk summary readers use for random access.
 *
 * The writer's ArrowMsg payloads (reel__rrd_batch_encode_pieces) leave the batch's large
 * buffers (REEL__RRD_REF_MIN_BYTES and up: images, point clouds) where they are and send
 * them to the sink by reference. Every ArrowMsg says its own compression, so the rule is
 * per message. With the writer's DEFAULT compression a payload is LZ4-compressed (what
 * Rerun's FileSink writes) unless it has referenced buffers and LZ4 does not pay on a
 * sample of them: PROBE_WINDOWS windows of PROBE_WINDOW bytes spread evenly over each
 * referenced buffer (at most PROBE_MAX_BYTES in all) are compressed, and when that saves
 * less than an eighth of the sampled bytes (noise, camera images, already-compressed
 * blobs) the message is written uncompressed (compression NONE, uncompressed_size = the
 * stream's size), which costs no copy at all. Compressing means materialising the stream
 * and the LZ4 block, two copies; it is kept where it saves space. Explicit LZ4 always
 * compresses, NONE never does. */
#include <lz4.h>
#include <string.h>

#include "rrd_internal.h"

#define PROBE_WINDOW ((size_t)16 << 10)
#define PROBE_WINDOWS 4
#define PROBE_MAX_BYTES ((size_t)512 << 10)

/* ---------------------------------------------------------------- Arrow IPC */

reel_status reel__rrd_batch_encode(const reel_arrow_field *schema, const reel_arrow_array *batch,
                                   reel_rrd_compression compression, reel_buf *ipc,
                                   reel_buf *compressed, reel_span *result,
                                   uint64_t *uncompressed_size, reel_error *err)
{
    reel_ipc_write_options ipc_options = {.alignment = 64};
    reel_buf_clear(ipc);
    REEL_TRY(reel_ipc_write_stream(ipc, schema, batch, 1, &ipc_options, err));
    *uncompressed_size = ipc->len;
    if (compression == REEL_RRD_COMPRESSION_NONE) {
        *result = reel_span_make(ipc->data, ipc->len);
        return REEL_OK;
    }
    reel_buf_clear(compressed);
    REEL_TRY(reel_rrd_lz4_compress(ipc->data, ipc->len, compressed, err));
    *result = reel_span_make(compressed->data, compressed->len);
    return REEL_OK;
}

void reel__rrd_pieces_free(reel__rrd_pieces *pieces)
{
    reel_buf_free(&pieces->ipc);
    reel_vec_free(&pieces->refs);
    reel_buf_free(&pieces->flat);
    reel_buf_free(&pieces->compressed);
}

/* Whether LZ4 saves at least an eighth of a sample of the referenced buffers (see the top of
 * the file). `scratch` holds the compressed windows. */
static bool lz4_pays(const reel_vec *refs, reel_buf *scratch)
{
    size_t sampled = 0, compressed = 0;
    int bound = LZ4_compressBound((int)PROBE_WINDOW);
    reel_buf_clear(scratch);
    if (reel_buf_reserve(scratch, (size_t)bound) != REEL_OK)
        return true; /* cannot tell: do what Rerun does */
    char *dst = (char *)scratch->data;
    for (size_t i = 0; i < refs->len && sampled < PROBE_MAX_BYTES; i++) {
        const reel_ipc_ref *ref = &REEL_VEC_AT(refs, reel_ipc_ref, i);
        size_t window = ref->len < PROBE_WINDOW ? ref->len : PROBE_WINDOW;
        size_t windows = ref->len / window < PROBE_WINDOWS ? ref->len / window : PROBE_WINDOWS;
        size_t stride = windows > 1 ? (ref->len - window) / (windows - 1) : 0;
        for (size_t w = 0; w < windows && sampled < PROBE_MAX_BYTES; w++) {
            int n =
                LZ4_compress_default((const char *)ref->data + w * stride, dst, (int)window, bound);
            sampled += window;
            compressed += n > 0 ? (size_t)n : window;
        }
    }
    return compressed * 8 <= sampled * 7;
}

/* The IPC stream's own bytes interleaved with its referenced buffers. */
static reel_status emit_stream(const reel__rrd_pieces *p,
                               reel_status (*write)(void *ctx, const uint8_t *data, size_t len,
                                                    reel_error *err),
                               void *ctx, reel_error *err)
{
    size_t done = 0;
    for (size_t i = 0; i < p->refs.len; i++) {
        const reel_ipc_ref *ref = &REEL_VEC_AT(&p->refs, reel_ipc_ref, i);
        if (ref->at > done)
            REEL_TRY(write(ctx, p->ipc.data + done, ref->at - done, err));
        done = ref->at;
        REEL_TRY(write(ctx, ref->data, ref->len, err));
    }
    return done < p->ipc.len ? write(ctx, p->ipc.data + done, p->ipc.len - done, err) : REEL_OK;
}

static reel_status append_to_buf(void *ctx, const uint8_t *data, size_t len, reel_error *err)
{
    if (reel_buf_append(ctx, data, len) != REEL_OK)
        return reel_error_set(err, REEL_OUT_OF_MEMORY, "out of memory appending %zu bytes", len);
    return REEL_OK;
}

reel_status reel__rrd_batch_encode_pieces(const reel_arrow_field *schema,
                                          const reel_arrow_array *batch,
                                          reel_rrd_compression compression, reel__rrd_pieces *p,
                                          reel_error *err)
{
    if (p->refs.elem_size == 0)
        reel_vec_init(&p->refs, sizeof(reel_ipc_ref), p->ipc.alloc);
    reel_buf_clear(&p->ipc);
    reel_vec_clear(&p->refs);
    reel_ipc_write_options ipc_options = {.alignment = 64};
    REEL_TRY(reel_ipc_write_stream_refs(&p->ipc, &p->refs, REEL__RRD_REF_MIN_BYTES, schema, batch,
                                        1, &ipc_options, err));
    uint64_t size = p->ipc.len;
    for (size_t i = 0; i < p->refs.len; i++)
        size += REEL_VEC_AT(&p->refs, reel_ipc_ref, i).len;
    p->uncompressed_size = size;
    p->lz4 = compression == REEL_RRD_COMPRESSION_LZ4 ||
             (compression == REEL_RRD_COMPRESSION_DEFAULT &&
              (p->refs.len == 0 || lz4_pays(&p->refs, &p->compressed)));
    if (!p->lz4) {
        p->payload_len = size;
        return REEL_OK;
    }
    const reel_buf *stream = &p->ipc;
    if (p->refs.len > 0) {
        reel_buf_clear(&p->flat);
        if (reel_buf_reserve(&p->flat, (size_t)size) != REEL_OK)
            return reel_error_set(err, REEL_OUT_OF_MEMORY,
                                  "out of memory for a %llu-byte Arrow IPC stream",
                                  (unsigned long long)size);
        REEL_TRY(emit_stream(p, append_to_buf, &p->flat, err));
        stream = &p->flat;
    }
    reel_buf_clear(&p->compressed);
    REEL_TRY(reel_rrd_lz4_compress(stream->data, stream->len, &p->compressed, err));
    p->payload_len = p->compressed.len;
    return REEL_OK;
}

reel_status reel__rrd_pieces_emit(const reel__rrd_pieces *p,
                                  reel_status (*write)(void *ctx, const uint8_t *data, size_t len,
                                                       reel_error *err),
                                  void *ctx, reel_error *err)
{
    if (p->lz4)
        return write(ctx, p->compressed.data, p->compressed.len, err);
    return emit_stream(p, write, ctx, err);
}

reel_status reel__rrd_ipc_decode(reel_blob *owner, reel_span bytes, int32_t compression,
                                 uint64_t uncompressed_size,
                                 const reel_rrd_decoder_options *options, reel_arrow_field *schema,
                                 reel_arrow_array *batch, bool need_batch, reel_error *err)
{
    memset(schema, 0, sizeof *schema);
    memset(batch, 0, sizeof *batch);
    reel_blob *data_blob = NULL;
    size_t offset = 0, len = bytes.len;
    if (compression == 2) {
        REEL_TRY(reel_rrd_lz4_decompress(bytes.data, bytes.len, uncompressed_size,
                                         options->max_uncompressed_size, options->alloc, &data_blob,
                                         err));
        len = reel_blob_len(data_blob);
    } else if (compression == 0 || compression == 1) {
        data_blob = reel_blob_retain(owner);
        offset = bytes.len == 0 ? 0 : (size_t)(bytes.data - reel_blob_data(owner));
    } else {
        return reel_error_set(err, REEL_UNSUPPORTED, "unknown compression %d", (int)compression);
    }
    if (len == 0) {
        reel_blob_release(data_blob);
        return reel_error_set(err, REEL_CORRUPT, "empty Arrow IPC stream");
    }
    reel_ipc_decoder_options ipc_options = {.validate = REEL_ARROW_VALIDATE_FULL,
                                            .max_message_size = options->max_message_size,
                                            .alloc = options->alloc};
    reel_ipc_decoder *decoder = NULL;
    reel_status status = reel_ipc_decoder_create(&ipc_options, &decoder, err);
    bool have_schema = false;
    size_t pos = 0;
    while (status == REEL_OK) {
        uint64_t size = 0, needed = 0;
        status = reel_ipc_message_size(reel_blob_data(data_blob) + offset + pos, len - pos,
                                       ipc_options.max_message_size, &size, &needed, err);
        if (status == REEL_TRUNCATED) {
            status = reel_error_set(err, REEL_CORRUPT, "Arrow IPC stream ends after %zu bytes%s",
                                    pos, have_schema ? " without a record batch" : "");
            break;
        }
        if (status != REEL_OK)
            break;
        reel_ipc_message message = {0};
        status =
            reel_ipc_decoder_decode(decoder, data_blob, offset + pos, (size_t)size, &message, err);
        if (status != REEL_OK)
            break;
        pos += (size_t)size;
        if (message.kind == REEL_IPC_MESSAGE_SCHEMA) {
            have_schema = true;
            if (!need_batch)
                break;
        } else if (message.kind == REEL_IPC_MESSAGE_RECORD_BATCH) {
            *batch = message.batch; /* only the first batch counts, as in Rerun */
            break;
        } else if (message.kind == REEL_IPC_MESSAGE_DICTIONARY_BATCH) {
            continue; /* the decoder keeps it for the record batch */
        } else {
            status = reel_error_set(err, REEL_CORRUPT, "Arrow IPC stream without %s",
                                    have_schema ? "a record batch" : "a schema");
        }
    }
    if (status == REEL_OK)
        status = reel_arrow_field_copy(schema, reel_ipc_decoder_schema(decoder), options->alloc);
    if (status != REEL_OK) {
        reel_arrow_array_reset(batch);
        if (err != NULL && err->status == REEL_OK)
            reel_error_set(err, status, "Arrow IPC: %s", reel_status_text(status));
    }
    reel_ipc_decoder_destroy(decoder);
    reel_blob_release(data_blob);
    return status;
}

/* ---------------------------------------------------------------- footer manifests */

void reel__rrd_manifest_reset(reel_rrd_manifest *manifest, const reel_allocator *alloc)
{
    reel_store_id_reset(&manifest->store_id, alloc);
    reel_arrow_field_reset(&manifest->sorbet_schema);
    for (int64_t i = 0; i < manifest->chunk_count; i++)
        reel_strfree(alloc, manifest->chunks[i].entity_path);
    reel_free(alloc, manifest->chunks, (size_t)manifest->chunk_count * sizeof *manifest->chunks);
    memset(manifest, 0, sizeof *manifest);
}

/* The index of the fixed manifest column `name` of `type` (and byte width), or -1. */
static int32_t fixed_column(const reel_arrow_field *schema, const reel_arrow_array *batch,
                            const char *name, reel_arrow_type type, reel_error *err)
{
    for (int32_t i = 0; i < schema->n_children; i++) {
        const reel_arrow_field *field = &schema->children[i];
        if (field->name == NULL || strcmp(field->name, name) != 0)
            continue;
        bool type_ok = field->type == type &&
                       (type != REEL_ARROW_FIXED_SIZE_BINARY || field->fixed_size == 16);
        if (!type_ok) {
            reel_error_set(err, REEL_CORRUPT, "manifest column '%s' has type %s", name,
                           reel_arrow_type_name(field->type));
            return -1;
        }
        if (batch->children[i].null_count != 0) {
            reel_error_set(err, REEL_CORRUPT, "manifest column '%s' has nulls", name);
            return -1;
        }
        return i;
    }
    reel_error_set(err, REEL_CORRUPT, "manifest column '%s' is missing", name);
    return -1;
}

static reel_status manifest_entries(const reel_arrow_field *schema, const reel_arrow_array *batch,
                                    const reel_allocator *alloc, reel_rrd_manifest *out,
                                    reel_error *err)
{
    static const struct {
        const char *name;
        reel_arrow_type type;
    } columns[7] = {
        {"chunk_entity_path", REEL_ARROW_UTF8},
        {"chunk_id", REEL_ARROW_FIXED_SIZE_BINARY},
        {"chunk_is_static", REEL_ARROW_BOOL},
        {"chunk_num_rows", REEL_ARROW_UINT64},
        {"chunk_byte_offset", REEL_ARROW_UINT64},
        {"chunk_byte_size", REEL_ARROW_UINT64},
        {"chunk_byte_size_uncompressed", REEL_ARROW_UINT64},
    };
    int32_t at[7];
    for (int i = 0; i < 7; i++) {
        at[i] = fixed_column(schema, batch, columns[i].name, columns[i].type, err);
        if (at[i] < 0)
            return REEL_CORRUPT;
    }
    size_t count = (size_t)batch->length;
    out->chunks = reel_alloc_zeroed(alloc, count * sizeof *out->chunks);
    if (out->chunks == NULL && count != 0)
        return reel_error_set(err, REEL_OUT_OF_MEMORY, "out of memory");
    out->chunk_count = batch->length;
    for (int64_t row = 0; row < batch->length; row++) {
        reel_rrd_chunk_entry *entry = &out->chunks[row];
        const reel_arrow_array *c = batch->children;
        const reel_arrow_field *f = schema->children;
        reel_span path = reel_arrow_array_get_bytes(&f[at[0]], &c[at[0]], row);
        reel_span id = reel_arrow_array_get_bytes(&f[at[1]], &c[at[1]], row);
        entry->entity_path = reel_strndup(alloc, (const char *)path.data, path.len);
        if (entry->entity_path == NULL)
            return reel_error_set(err, REEL_OUT_OF_MEMORY, "out of memory");
        entry->chunk_id = reel_tuid_from_bytes(id.data);
        entry->is_static = reel_arrow_array_get_bool(&c[at[2]], row);
        entry->num_rows = reel_arrow_array_get_uint(&f[at[3]], &c[at[3]], row);
        entry->byte_offset = reel_arrow_array_get_uint(&f[at[4]], &c[at[4]], row);
        entry->byte_size = reel_arrow_array_get_uint(&f[at[5]], &c[at[5]], row);
        entry->byte_size_uncompressed = reel_arrow_array_get_uint(&f[at[6]], &c[at[6]], row);
    }
    return REEL_OK;
}

static reel_status manifest_arrow(const reel__rrd_raw_manifest *raw,
                                  const reel_rrd_decoder_options *options, reel_rrd_manifest *out,
                                  reel_error *err)
{
    if (!raw->has_schema)
        return reel_error_set(err, REEL_CORRUPT, "RrdManifest without sorbet_schema");
    if (!raw->has_data)
        return reel_error_set(err, REEL_CORRUPT, "RrdManifest without data");
    if (raw->data_encoder_version != 1)
        return reel_error_set(err, REEL_UNSUPPORTED, "RrdManifest data: encoder version %d",
                              (int)raw->data_encoder_version);
    /* The spans live as long as the footer; wrap them for the zero-copy IPC decoder. */
    reel_blob *schema_blob =
        reel_blob_wrap((void *)raw->schema_ipc.data, raw->schema_ipc.len, NULL, NULL);
    reel_blob *data_blob =
        reel_blob_wrap((void *)raw->data_payload.data, raw->data_payload.len, NULL, NULL);
    reel_arrow_field data_schema;
    reel_arrow_array data_batch, unused;
    reel_status status = REEL_OUT_OF_MEMORY;
    if (schema_blob == NULL || data_blob == NULL) {
        reel_error_set(err, status, "out of memory");
        goto done;
    }
    status = reel__rrd_ipc_decode(schema_blob, raw->schema_ipc, 1, 0, options, &out->sorbet_schema,
                                  &unused, false, err);
    if (status != REEL_OK) {
        reel_error_prefix(err, "RrdManifest sorbet_schema: ");
        goto done;
    }
    status = reel__rrd_ipc_decode(data_blob, raw->data_payload, raw->data_compression,
                                  raw->data_uncompressed_size, options, &data_schema, &data_batch,
                                  true, err);
    if (status != REEL_OK) {
        reel_error_prefix(err, "RrdManifest data: ");
        goto done;
    }
    out->manifest_column_count = data_schema.n_children;
    status = manifest_entries(&data_schema, &data_batch, options->alloc, out, err);
    reel_arrow_field_reset(&data_schema);
    reel_arrow_array_reset(&data_batch);
done:
    reel_blob_release(schema_blob);
    reel_blob_release(data_blob);
    return status;
}

reel_status reel__rrd_manifest_decode(const reel__rrd_raw_manifest *raw,
                                      const reel_rrd_decoder_options *options,
                                      reel_rrd_manifest *out, reel_error *err)
{
    memset(out, 0, sizeof *out);
    if (reel_store_id_copy(&out->store_id, &raw->store_id, options->alloc) != REEL_OK)
        return reel_error_set(err, REEL_OUT_OF_MEMORY, "out of memory");
    out->has_sorbet_schema_sha256 = raw->has_sha256;
    memcpy(out->sorbet_schema_sha256, raw->sha256, 32);
    reel_status status = options->skip_arrow ? REEL_OK : manifest_arrow(raw, options, out, err);
    if (status != REEL_OK)
        reel__rrd_manifest_reset(out, options->alloc);
    return status;
}

/* ---------------------------------------------------------------- decode */

static reel_status decode_arrow_msg(const uint8_t *data, size_t len,
                                    const reel_rrd_decoder_options *options, reel_rrd_message *out,
                                    reel_error *err)
{
    reel__rrd_arrow_fields fields;
    REEL_TRY(reel__rrd_arrow_msg_unpack(data, len, options->alloc, &fields, err));
    out->store_id = fields.store_id;
    out->arrow.has_chunk_id = fields.has_chunk_id;
    out->arrow.chunk_id = fields.chunk_id;
    out->arrow.has_is_static = fields.has_is_static;
    out->arrow.is_static = fields.is_static;
    out->arrow.compression =
        fields.compression == 2 ? REEL_RRD_COMPRESSION_LZ4 : REEL_RRD_COMPRESSION_NONE;
    out->arrow.compressed_size = fields.payload.len;
    out->arrow.uncompressed_size = fields.uncompressed_size;
    reel_status status = REEL_OK;
    if (fields.encoding != 1)
        status = reel_error_set(err, REEL_UNSUPPORTED, "ArrowMsg encoding %d is not Arrow IPC",
                                (int)fields.encoding);
    else if (fields.compression < 0 || fields.compression > 2)
        status = reel_error_set(err, REEL_UNSUPPORTED, "ArrowMsg compression %d is unknown",
                                (int)fields.compression);
    if (status == REEL_OK && !options->skip_arrow) {
        reel_arrow_field schema;
        reel_arrow_array batch;
        status =
            reel__rrd_ipc_decode(fields.payload_owner, fields.payload, fields.compression,
                                 fields.uncompressed_size, options, &schema, &batch, true, err);
        if (status == REEL_OK) {
            status = reel_chunk_from_batch(&schema, &batch, &out->arrow.chunk, err);
            reel_arrow_field_reset(&schema);
            reel_arrow_array_reset(&batch);
        }
        if (status != REEL_OK)
            reel_error_prefix(err, "ArrowMsg: ");
    }
    reel_blob_release(fields.payload_owner);
    return status;
}

static reel_status decode_footer(const uint8_t *data, size_t len,
                                 const reel_rrd_decoder_options *options, reel_rrd_message *out,
                                 reel_error *err)
{
    if (len == 0)
        return REEL_OK; /* legacy End without a footer */
    reel__rrd_raw_footer raw;
    REEL_TRY(reel__rrd_footer_unpack(data, len, options->alloc, &raw, err));
    reel_status status = REEL_OK;
    size_t count = raw.count > 0 ? (size_t)raw.count : 0;
    out->footer.manifests = reel_alloc_zeroed(options->alloc, count * sizeof(reel_rrd_manifest));
    if (out->footer.manifests == NULL && count != 0)
        status = reel_error_set(err, REEL_OUT_OF_MEMORY, "out of memory");
    for (int32_t i = 0; status == REEL_OK && i < raw.count; i++) {
        status =
            reel__rrd_manifest_decode(&raw.manifests[i], options, &out->footer.manifests[i], err);
        if (status == REEL_OK)
            out->footer.manifest_count = i + 1;
        else
            reel_error_prefix(err, "RrdFooter manifest %d: ", (int)i);
    }
    reel__rrd_raw_footer_reset(&raw, options->alloc);
    return status;
}

reel_status reel_rrd_message_decode(reel_rrd_message_kind kind, reel_rrd_envelope envelope,
                                    const uint8_t *data, size_t len,
                                    const reel_rrd_decoder_options *options, reel_rrd_message *out,
                                    reel_error *err)
{
    reel_rrd_decoder_options opts = reel__rrd_decoder_options_resolve(options);
    memset(out, 0, sizeof *out);
    out->alloc = opts.alloc;
    reel_blob *inner = NULL;
    if (envelope != REEL_RRD_ENVELOPE_NONE) {
        REEL_TRY(reel__rrd_envelope_unwrap(envelope, data, len, &kind, &inner, err));
        data = reel_blob_data(inner);
        len = reel_blob_len(inner);
    } else {
        out->payload = reel_span_make(data, len);
    }
    out->kind = kind;
    out->payload_len = len;
    reel_status status;
    if (len > opts.max_message_size) {
        status = reel_error_set(err, REEL_LIMIT, "payload of %zu bytes exceeds the limit", len);
    } else if (kind == REEL_RRD_MESSAGE_SET_STORE_INFO) {
        status = reel__rrd_store_info_unpack(data, len, opts.alloc, &out->store_info, err);
        if (status == REEL_OK &&
            reel_store_id_copy(&out->store_id, &out->store_info.store_id, opts.alloc) != REEL_OK)
            status = reel_error_set(err, REEL_OUT_OF_MEMORY, "out of memory");
    } else if (kind == REEL_RRD_MESSAGE_ARROW_MSG) {
        status = decode_arrow_msg(data, len, &opts, out, err);
    } else if (kind == REEL_RRD_MESSAGE_BLUEPRINT_ACTIVATION) {
        status = reel__rrd_activation_unpack(data, len, opts.alloc, &out->store_id,
                                             &out->activation.make_active,
                                             &out->activation.make_default, err);
    } else if (kind == REEL_RRD_MESSAGE_END) {
        status = decode_footer(data, len, &opts, out, err);
    } else {
        status = reel_error_set(err, REEL_UNSUPPORTED, "unknown message kind %d", (int)kind);
    }
    reel_blob_release(inner);
    if (status != REEL_OK)
        reel_rrd_message_reset(out);
    return status;
}

/* ---------------------------------------------------------------- encode */

static reel_status check_store_id(const reel_store_id *id, const char *what, reel_error *err)
{
    if (id->kind != REEL_STORE_KIND_RECORDING && id->kind != REEL_STORE_KIND_BLUEPRINT)
        return reel_error_set(err, REEL_INVALID_ARGUMENT,
                              "%s: store kind %d is neither "
                              "recording nor blueprint",
                              what, (int)id->kind);
    /* Rerun rejects an empty application id; a missing one is a pre-0.25 leftover. */
    if (id->application_id == NULL || id->application_id[0] == '\0')
        return reel_error_set(err, REEL_INVALID_ARGUMENT,
                              "%s: the store id needs an "
                              "application id",
                              what);
    return REEL_OK;
}

static reel_status encode_chunk(const reel_store_id *store_id, const reel_chunk *chunk,
                                reel_rrd_compression compression, reel_buf *out,
                                reel_rrd_encoded_chunk *info, reel_error *err)
{
    reel_arrow_field schema;
    reel_arrow_array batch;
    REEL_TRY(reel_chunk_to_batch(chunk, &schema, &batch, err));
    reel_buf ipc, compressed;
    reel_buf_init(&ipc, NULL);
    reel_buf_init(&compressed, NULL);
    reel__rrd_arrow_fields fields = {.store_id = *store_id, .encoding = 1};
    reel_status status = reel__rrd_batch_encode(&schema, &batch, compression, &ipc, &compressed,
                                                &fields.payload, &fields.uncompressed_size, err);
    if (status == REEL_OK) {
        fields.compression = compression == REEL_RRD_COMPRESSION_NONE ? 1 : 2;
        fields.has_chunk_id = fields.has_is_static = true;
        fields.chunk_id = chunk->id;
        fields.is_static = chunk->is_static;
        if (info != NULL) {
            info->uncompressed_size = fields.uncompressed_size;
            info->compressed_size = fields.payload.len;
        }
        status = reel__rrd_arrow_msg_pack(&fields, out, err);
    }
    reel_buf_free(&ipc);
    reel_buf_free(&compressed);
    reel_arrow_field_reset(&schema);
    reel_arrow_array_reset(&batch);
    return status;
}

reel_status reel_rrd_message_encode(const reel_rrd_message *msg, reel_rrd_envelope envelope,
                                    const reel_rrd_encode_options *options, reel_buf *out,
                                    reel_rrd_encoded_chunk *chunk_info, reel_error *err)
{
    reel_rrd_encode_options opts = {0};
    if (options != NULL)
        opts = *options;
    uint8_t version[4];
    reel__rrd_version_or_default(opts.version, version);
    reel_buf payload;
    reel_buf_init(&payload, opts.alloc);
    reel_buf *target = envelope == REEL_RRD_ENVELOPE_NONE ? out : &payload;
    size_t start = out->len;
    reel_status status;
    switch (msg->kind) {
    case REEL_RRD_MESSAGE_SET_STORE_INFO:
        status = check_store_id(&msg->store_info.store_id, "SetStoreInfo", err);
        if (status == REEL_OK)
            status = reel__rrd_store_info_pack(&msg->store_info, version, target, err);
        break;
    case REEL_RRD_MESSAGE_ARROW_MSG:
        status = check_store_id(&msg->store_id, "ArrowMsg", err);
        if (status == REEL_OK && msg->arrow.chunk == NULL)
            status = reel_error_set(err, REEL_INVALID_ARGUMENT, "ArrowMsg without a chunk");
        if (status == REEL_OK)
            status = encode_chunk(&msg->store_id, msg->arrow.chunk, opts.compression, target,
                                  chunk_info, err);
        break;
    case REEL_RRD_MESSAGE_BLUEPRINT_ACTIVATION:
        status = check_store_id(&msg->store_id, "BlueprintActivationCommand", err);
        if (status == REEL_OK)
            status = reel__rrd_activation_pack(&msg->store_id, msg->activation.make_active,
                                               msg->activation.make_default, target, err);
        break;
    default:
        status = reel_error_set(err, REEL_UNSUPPORTED,
                                "message kind %d cannot be encoded on its own", (int)msg->kind);
        break;
    }
    if (status == REEL_OK && envelope != REEL_RRD_ENVELOPE_NONE)
        status = reel__rrd_envelope_wrap(envelope, msg->kind,
                                         reel_span_make(payload.data, payload.len), out, err);
    if (status != REEL_OK)
        out->len = start;
    reel_buf_free(&payload);
    return status;
}

reel_status reel_rrd_payload_wrap(reel_rrd_message_kind kind, reel_span payload,
                                  reel_rrd_envelope envelope, reel_buf *out, reel_error *err)
{
    if (envelope == REEL_RRD_ENVELOPE_NONE)
        return reel_buf_append(out, payload.data, payload.len);
    return reel__rrd_envelope_wrap(envelope, kind, payload, out, err);
}
