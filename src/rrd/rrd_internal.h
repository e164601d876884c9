/* Internals shared by the rrd module's files (not part of its surface): the protobuf layer
 * in plain C terms (rrd_proto.c keeps every protobuf-c type to itself), the Arrow side of
 * ArrowMsg payloads and footer manifests (rrd_codec.c), and the manifest builder the writer
 * feeds one chunk at a time (rrd_manifest.c). */
#ifndef REEL_RRD_INTERNAL_H
#define REEL_RRD_INTERNAL_H

#include "rrd/rrd.h"

#define REEL__RRD_DEFAULT_MAX_SIZE ((uint64_t)4 << 30)

/* Fills in the defaults of possibly-NULL options. */
reel_rrd_decoder_options reel__rrd_decoder_options_resolve(const reel_rrd_decoder_options *opts);
/* The writer's version bytes: `version` unless all zero, else 0.41.0. */
void reel__rrd_version_or_default(const uint8_t version[4], uint8_t out[4]);
/* A copy of `s` with `alloc` (NULL stays NULL). Sets *failed on OOM. */
char *reel__rrd_strdup_or_null(const reel_allocator *alloc, const char *s, bool *failed);

/* ---------------------------------------------------------------- rrd_proto.c */

/* The fields of an ArrowMsg. Decoded: payload points into `payload_owner`, a blob that
 * keeps the unpacked protobuf message alive (one reference, the caller's). */
typedef struct reel__rrd_arrow_fields {
    reel_store_id store_id;
    int32_t compression; /* protobuf Compression value as written */
    uint64_t uncompressed_size;
    int32_t encoding; /* 1 = Arrow IPC */
    reel_span payload;
    bool has_chunk_id;
    reel_tuid chunk_id;
    bool has_is_static;
    bool is_static;
    reel_blob *payload_owner;
} reel__rrd_arrow_fields;

reel_status reel__rrd_arrow_msg_unpack(const uint8_t *data, size_t len, const reel_allocator *alloc,
                                       reel__rrd_arrow_fields *out, reel_error *err);
/* Appends the encoding; borrows everything (payload_owner unused). */
reel_status reel__rrd_arrow_msg_pack(const reel__rrd_arrow_fields *fields, reel_buf *out,
                                     reel_error *err);
/* The same encoding for a payload of `payload_len` bytes that the caller sends itself
 * (fields->payload is ignored): appends to `head` what comes before the payload bytes
 * (fields 1-4, field 5's key and length) and to `tail` what follows them (fields 6-7).
 * head + payload + tail are the bytes reel__rrd_arrow_msg_pack writes. */
reel_status reel__rrd_arrow_msg_pack_around(const reel__rrd_arrow_fields *fields,
                                            uint64_t payload_len, reel_buf *head, reel_buf *tail,
                                            reel_error *err);

reel_status reel__rrd_store_info_unpack(const uint8_t *data, size_t len,
                                        const reel_allocator *alloc, reel_store_info *out,
                                        reel_error *err);
/* Missing row id / version are filled in (fresh TUID, `default_version`). */
reel_status reel__rrd_store_info_pack(const reel_store_info *info, const uint8_t default_version[4],
                                      reel_buf *out, reel_error *err);
void reel__rrd_store_info_reset(reel_store_info *info, const reel_allocator *alloc);

reel_status reel__rrd_activation_unpack(const uint8_t *data, size_t len,
                                        const reel_allocator *alloc, reel_store_id *blueprint_id,
                                        bool *make_active, bool *make_default, reel_error *err);
reel_status reel__rrd_activation_pack(const reel_store_id *blueprint_id, bool make_active,
                                      bool make_default, reel_buf *out, reel_error *err);

/* One RrdManifest at the protobuf level: the Arrow parts as raw bytes. Unpacked: the spans
 * point into the footer's unpacked protobuf, owned by reel__rrd_raw_footer. */
typedef struct reel__rrd_raw_manifest {
    reel_store_id store_id;
    bool has_sha256;
    uint8_t sha256[32];
    bool has_schema;
    reel_span schema_ipc; /* Arrow IPC stream: schema + EOS */
    bool has_data;
    int32_t data_encoder_version;
    int32_t data_compression;
    uint64_t data_uncompressed_size;
    reel_span data_payload; /* Arrow IPC stream (schema + batch), maybe LZ4 */
} reel__rrd_raw_manifest;

typedef struct reel__rrd_raw_footer {
    int32_t count;
    reel__rrd_raw_manifest *manifests;
    void *owner; /* the unpacked protobuf */
} reel__rrd_raw_footer;

reel_status reel__rrd_footer_unpack(const uint8_t *data, size_t len, const reel_allocator *alloc,
                                    reel__rrd_raw_footer *out, reel_error *err);
void reel__rrd_raw_footer_reset(reel__rrd_raw_footer *footer, const reel_allocator *alloc);
reel_status reel__rrd_footer_pack(const reel__rrd_raw_manifest *manifests, int32_t count,
                                  reel_buf *out, reel_error *err);

/* Envelopes (LogMsg / request views): unwrap copies the inner payload into *inner (a blob
 * the caller releases) and says its kind; wrap appends. */
reel_status reel__rrd_envelope_unwrap(reel_rrd_envelope envelope, const uint8_t *data, size_t len,
                                      reel_rrd_message_kind *kind, reel_blob **inner,
                                      reel_error *err);
reel_status reel__rrd_envelope_wrap(reel_rrd_envelope envelope, reel_rrd_message_kind kind,
                                    reel_span payload, reel_buf *out, reel_error *err);

/* ---------------------------------------------------------------- rrd_codec.c */

/* Arrow IPC stream (alignment 64) of a batch, LZ4-compressed unless compression is NONE.
 * `ipc` is scratch; the payload is appended to `payload` (or left in `ipc` and pointed to
 * by *result when not compressed). */
reel_status reel__rrd_batch_encode(const reel_arrow_field *schema, const reel_arrow_array *batch,
                                   reel_rrd_compression compression, reel_buf *ipc,
                                   reel_buf *compressed, reel_span *result,
                                   uint64_t *uncompressed_size, reel_error *err);
/* Buffers at least this large go to a writer's sink by reference, not copied (see
 * reel__rrd_batch_encode_pieces). */
#define REEL__RRD_REF_MIN_BYTES ((size_t)64 << 10)

/* Scratch of reel__rrd_batch_encode_pieces, reused from message to message (zero = empty;
 * free with reel__rrd_pieces_free). */
typedef struct reel__rrd_pieces {
    reel_buf ipc;        /* the IPC stream without its referenced buffers */
    reel_vec refs;       /* reel_ipc_ref into the batch's buffers */
    reel_buf flat;       /* the whole stream, when it has to be compressed */
    reel_buf compressed; /* the LZ4 block */
    bool lz4;            /* the payload is `compressed`; else ipc + refs */
    uint64_t uncompressed_size;
    uint64_t payload_len;
} reel__rrd_pieces;

void reel__rrd_pieces_free(reel__rrd_pieces *pieces);
/* Encodes a batch as an ArrowMsg payload without copying its large buffers unless it gets
 * compressed: writes the IPC stream with buffers of REEL__RRD_REF_MIN_BYTES or more left out
 * as references, then decides the compression (the rule is in rrd_codec.c): NONE never
 * compresses, LZ4 always does, DEFAULT does unless a sample of the referenced buffers shows
 * that LZ4 would not pay. The batch must outlive the pieces' use. */
reel_status reel__rrd_batch_encode_pieces(const reel_arrow_field *schema,
                                          const reel_arrow_array *batch,
                                          reel_rrd_compression compression,
                                          reel__rrd_pieces *pieces, reel_error *err);
/* Hands the payload's bytes to `write` in order: the LZ4 block, or the IPC stream's own bytes
 * interleaved with its referenced buffers. */
reel_status reel__rrd_pieces_emit(const reel__rrd_pieces *pieces,
                                  reel_status (*write)(void *ctx, const uint8_t *data, size_t len,
                                                       reel_error *err),
                                  void *ctx, reel_error *err);
/* Decompresses (if needed), decodes the schema and first batch with full validation. */
reel_status reel__rrd_ipc_decode(reel_blob *owner, reel_span bytes, int32_t compression,
                                 uint64_t uncompressed_size,
                                 const reel_rrd_decoder_options *options, reel_arrow_field *schema,
                                 reel_arrow_array *batch, bool need_batch, reel_error *err);
/* Turns a raw manifest into the public summary (Arrow parts unless skip_arrow). */
reel_status reel__rrd_manifest_decode(const reel__rrd_raw_manifest *raw,
                                      const reel_rrd_decoder_options *options,
                                      reel_rrd_manifest *out, reel_error *err);
void reel__rrd_manifest_reset(reel_rrd_manifest *manifest, const reel_allocator *alloc);

/* ---------------------------------------------------------------- rrd_manifest.c */

/* Collects one store's manifest: the merged sorbet schema and one row per chunk. */
typedef struct reel__rrd_manifest_builder reel__rrd_manifest_builder;

reel_status reel__rrd_manifest_builder_create(const reel_store_id *store_id,
                                              const reel_allocator *alloc,
                                              reel__rrd_manifest_builder **out, reel_error *err);
void reel__rrd_manifest_builder_destroy(reel__rrd_manifest_builder *builder);
const reel_store_id *reel__rrd_manifest_builder_store(const reel__rrd_manifest_builder *builder);
/* Adds one chunk (a Sorbet record batch) written at `byte_offset` (of its ArrowMsg payload,
 * from the stream start) with `byte_size` payload bytes. */
reel_status reel__rrd_manifest_builder_add(reel__rrd_manifest_builder *builder,
                                           const reel_arrow_field *schema,
                                           const reel_arrow_array *batch, uint64_t byte_offset,
                                           uint64_t byte_size, uint64_t byte_size_uncompressed,
                                           reel_error *err);
/* Builds the RrdManifest parts: the sorbet schema IPC stream and its sha256, the manifest
 * data IPC stream (LZ4). The spans in *out point into `storage` (caller frees). */
reel_status reel__rrd_manifest_builder_finish(reel__rrd_manifest_builder *builder,
                                              reel_buf *schema_storage, reel_buf *data_storage,
                                              reel__rrd_raw_manifest *out, reel_error *err);

/* True once the stream structure is broken and the decoder has stopped (rrd_decoder.c). */
bool reel__rrd_decoder_stopped(const reel_rrd_decoder *d);

#endif
