/* The rrd module: Rerun's .rrd/.rbl stream format (shared/reference/rrd-format.md) — the
 * stream header, framed protobuf messages (SetStoreInfo, ArrowMsg, BlueprintActivation,
 * End + RrdFooter), the stream footer, LZ4 block compression and the footer manifests.
 * It has an incremental decoder (bytes in, messages out, constant memory, says how many
 * bytes it needs), a streaming writer to any byte sink, and the payload codec alone for
 * the gRPC transport. Protobuf is protobuf-c inside; no protobuf-c type appears here.
 * Depends on core, arrow and chunk. Unless stated otherwise an object is not thread-safe. */
#ifndef REEL_RRD_H
#define REEL_RRD_H

#include <stdio.h>

#include "arrow/arrow.h"
#include "chunk/chunk.h"
#include "core/core.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ---------------------------------------------------------------- constants */

/* The Rerun release whose conventions the writer follows (stream header and StoreVersion
 * bytes): rerun-sdk 0.41.0 writes 00 29 00 00. */
#define REEL_RRD_VERSION_MAJOR 0
#define REEL_RRD_VERSION_MINOR 41
#define REEL_RRD_VERSION_PATCH 0

#define REEL_RRD_STREAM_HEADER_SIZE 12
#define REEL_RRD_MESSAGE_HEADER_SIZE 16
#define REEL_RRD_STREAM_FOOTER_SIZE 32
/* xxh32 seed of the stream footer's CRC ("RERUN" in base 26). */
#define REEL_RRD_FOOTER_CRC_SEED 7850921u

/* ---------------------------------------------------------------- stores */

typedef enum reel_store_kind {
    REEL_STORE_KIND_RECORDING = 1,
    REEL_STORE_KIND_BLUEPRINT = 2,
} reel_store_kind;

/* Identifies a recording or blueprint. Decoded ids own their strings (freed with the
 * message); ids passed to the writer are borrowed and copied. */
typedef struct reel_store_id {
    reel_store_kind kind; /* protobuf UNSPECIFIED (0) is read as RECORDING */
    char *recording_id;   /* never NULL once decoded ("" if absent) */
    char *application_id; /* NULL = absent (legacy, before Rerun 0.25) */
} reel_store_id;

/* Deep copy into dst (which must hold nothing). */
reel_status reel_store_id_copy(reel_store_id *dst, const reel_store_id *src,
                               const reel_allocator *alloc);
/* Frees the strings (allocated with `alloc`) and zeroes the id. NULL-safe. */
void reel_store_id_reset(reel_store_id *id, const reel_allocator *alloc);
/* Same kind, recording id and application id (NULL equals only NULL). */
bool reel_store_id_equal(const reel_store_id *a, const reel_store_id *b);

typedef enum reel_store_source_kind {
    REEL_STORE_SOURCE_UNSPECIFIED = 0,
    REEL_STORE_SOURCE_C_SDK = 1,
    REEL_STORE_SOURCE_PYTHON_SDK = 2,
    REEL_STORE_SOURCE_RUST_SDK = 3,
    REEL_STORE_SOURCE_FILE = 4,
    REEL_STORE_SOURCE_VIEWER = 5,
    REEL_STORE_SOURCE_OTHER = 6,
} reel_store_source_kind;

/* SetStoreInfo. As with reel_store_id, decoded infos own their memory, written ones are
 * borrowed. */
typedef struct reel_store_info {
    reel_store_id store_id;
    reel_tuid row_id;                   /* writer: zero means "a fresh TUID" */
    reel_store_source_kind source_kind; /* writer: UNSPECIFIED is written as C_SDK */
    bool has_source_extra;              /* StoreSourceExtra present (the writer always
                                           writes it, as Rerun does) */
    uint8_t *source_extra;              /* its payload bytes: PythonVersion, CrateInfo,
                                           FileSource protobuf or UTF-8 text by kind */
    size_t source_extra_len;
    bool has_store_version;   /* writer: false means the writer's version */
    uint8_t store_version[4]; /* [major, minor, patch, meta] */
} reel_store_info;

/* Appends a one-line description of the source, e.g. "Python SDK 3.11.7", "C SDK",
 * "file (cli)", "Rust SDK (rustc 1.84 / LLVM 19)". */
reel_status reel_store_source_describe(const reel_store_info *info, reel_buf *out);

/* ---------------------------------------------------------------- messages */

typedef enum reel_rrd_message_kind {
    REEL_RRD_MESSAGE_END = 0, /* End: carries the RrdFooter */
    REEL_RRD_MESSAGE_SET_STORE_INFO = 1,
    REEL_RRD_MESSAGE_ARROW_MSG = 2, /* one chunk */
    REEL_RRD_MESSAGE_BLUEPRINT_ACTIVATION = 3,
} reel_rrd_message_kind;

/* Numbered as Rerun's protobuf Compression enum. */
typedef enum reel_rrd_compression {
    REEL_RRD_COMPRESSION_DEFAULT = 0, /* writer: LZ4 (as Rerun) except for large payloads LZ4
                                         would not shrink (rule in rrd_codec.c); on read: none */
    REEL_RRD_COMPRESSION_NONE = 1,
    REEL_RRD_COMPRESSION_LZ4 = 2, /* LZ4 block format of the whole Arrow IPC stream */
} reel_rrd_compression;

/* One chunk as listed by a footer manifest (offsets relative to its stream's start). */
typedef struct reel_rrd_chunk_entry {
    reel_tuid chunk_id;
    char *entity_path; /* owned */
    bool is_static;
    uint64_t num_rows;
    uint64_t byte_offset;            /* of the ArrowMsg payload (after its MessageHeader) */
    uint64_t byte_size;              /* the payload's length */
    uint64_t byte_size_uncompressed; /* ArrowMsg.uncompressed_size */
} reel_rrd_chunk_entry;

/* One RrdManifest of a footer: what a store contains, for random access. */
typedef struct reel_rrd_manifest {
    reel_store_id store_id;
    bool has_sorbet_schema_sha256;
    uint8_t sorbet_schema_sha256[32];
    /* The following are filled only when Arrow decoding is on (see skip_arrow). */
    reel_arrow_field sorbet_schema; /* merged store schema, dataframe column names */
    int32_t manifest_column_count;  /* columns of the manifest batch */
    int64_t chunk_count;
    reel_rrd_chunk_entry *chunks; /* chunk_count entries, owned */
} reel_rrd_manifest;

/* A decoded message, or a message to encode. Zero-initialised is empty; a decoded message
 * owns everything inside it and must be released with reel_rrd_message_reset. */
typedef struct reel_rrd_message {
    reel_rrd_message_kind kind;
    /* Position in the decoder's input (zero for reel_rrd_message_decode): the message's
     * 0-based index among all framed messages of the input, the byte offset of its
     * MessageHeader, and the offset, index and version of the stream containing it. */
    uint64_t index;
    uint64_t offset;
    uint64_t stream_offset;
    uint32_t stream_index;
    uint8_t stream_version[4];
    uint64_t payload_len;
    /* The raw protobuf payload. From the decoder: borrowed, valid until the next call on
     * the decoder (copy it to forward the message verbatim); from reel_rrd_message_decode:
     * the input bytes, or empty when they came in an envelope. */
    reel_span payload;

    /* ARROW_MSG and SET_STORE_INFO: the store; BLUEPRINT_ACTIVATION: the blueprint. */
    reel_store_id store_id;
    /* SET_STORE_INFO. */
    reel_store_info store_info;
    /* ARROW_MSG. */
    struct {
        reel_chunk *chunk; /* owned reference; NULL when skip_arrow */
        bool has_chunk_id;
        reel_tuid chunk_id; /* ArrowMsg.chunk_id (Rerun reads the schema's) */
        bool has_is_static;
        bool is_static;
        reel_rrd_compression compression;
        uint64_t compressed_size;   /* bytes of ArrowMsg.payload */
        uint64_t uncompressed_size; /* ArrowMsg.uncompressed_size */
    } arrow;
    /* BLUEPRINT_ACTIVATION. */
    struct {
        bool make_active;
        bool make_default;
    } activation;
    /* END: the RrdFooter's manifests (none for a legacy End without payload). */
    struct {
        int32_t manifest_count;
        reel_rrd_manifest *manifests; /* owned */
    } footer;

    const reel_allocator *alloc; /* what the decoder allocated with (NULL = default) */
} reel_rrd_message;

/* Releases everything a decoded message owns and zeroes it. NULL-safe. Do not call it on a
 * message you filled yourself with borrowed pointers for encoding. */
void reel_rrd_message_reset(reel_rrd_message *msg);

/* ---------------------------------------------------------------- payload codec */

/* How a payload is wrapped: bare (files: the MessageHeader kind selects the message), in a
 * LogMsg oneof, or in a WriteMessagesRequest / ReadMessagesResponse (field 1 = LogMsg) as
 * on Rerun's gRPC message proxy. */
typedef enum reel_rrd_envelope {
    REEL_RRD_ENVELOPE_NONE = 0,
    REEL_RRD_ENVELOPE_LOG_MSG = 1,
    REEL_RRD_ENVELOPE_REQUEST = 2,
} reel_rrd_envelope;

/* Options shared by the payload decoder and the stream decoder; zero = defaults. */
typedef struct reel_rrd_decoder_options {
    const char *name;               /* prefix of error messages, e.g. the file name; copied */
    bool skip_arrow;                /* "decode_chunks = false": don't decode ArrowMsg chunks
                                       nor the manifests' Arrow data (fast scans) */
    uint64_t max_message_size;      /* payload cap, default 4 GiB */
    uint64_t max_uncompressed_size; /* LZ4 output cap, default 4 GiB */
    const reel_allocator *alloc;
} reel_rrd_decoder_options;

/* Decodes one payload. With ENVELOPE_NONE `kind` says what it is (END: an RrdFooter);
 * otherwise the kind comes from the LogMsg oneof and `kind` is ignored. ArrowMsg payloads
 * are decompressed, decoded with full Arrow validation and turned into a chunk. `out` must
 * be empty; on error it stays empty. Errors say what is wrong, not where (the stream
 * decoder adds that). */
reel_status reel_rrd_message_decode(reel_rrd_message_kind kind, reel_rrd_envelope envelope,
                                    const uint8_t *data, size_t len,
                                    const reel_rrd_decoder_options *options, reel_rrd_message *out,
                                    reel_error *err);

/* Encoding options; zero = defaults. */
typedef struct reel_rrd_encode_options {
    reel_rrd_compression compression; /* DEFAULT = LZ4 */
    uint8_t version[4];               /* StoreVersion when the info has none; zero = 0.41.0 */
    const reel_allocator *alloc;
} reel_rrd_encode_options;

/* Details of an encoded ArrowMsg, for the writer's manifest. */
typedef struct reel_rrd_encoded_chunk {
    uint64_t uncompressed_size;
    uint64_t compressed_size;
} reel_rrd_encoded_chunk;

/* Appends the encoding of `msg` (kinds SET_STORE_INFO: store_info; ARROW_MSG: store_id +
 * arrow.chunk, from which chunk id and is_static are taken; BLUEPRINT_ACTIVATION: store_id
 * + activation) wrapped as `envelope` to `out`. END cannot be encoded alone (the writer
 * builds footers). `chunk_info` may be NULL. Borrows everything in msg. */
reel_status reel_rrd_message_encode(const reel_rrd_message *msg, reel_rrd_envelope envelope,
                                    const reel_rrd_encode_options *options, reel_buf *out,
                                    reel_rrd_encoded_chunk *chunk_info, reel_error *err);

/* Appends a bare payload of `kind` (1, 2 or 3) wrapped as `envelope` (identical bytes to
 * encoding it wrapped), e.g. to forward a file message to gRPC without re-encoding. */
reel_status reel_rrd_payload_wrap(reel_rrd_message_kind kind, reel_span payload,
                                  reel_rrd_envelope envelope, reel_buf *out, reel_error *err);

/* ---------------------------------------------------------------- framing */

typedef struct reel_rrd_stream_header {
    uint8_t version[4];  /* [major, minor, patch, meta] */
    uint8_t compression; /* 0 = off, 1 = LZ4 (advisory; each ArrowMsg says its own) */
    uint8_t serializer;  /* 2 = protobuf */
} reel_rrd_stream_header;

void reel_rrd_stream_header_encode(const reel_rrd_stream_header *header, uint8_t out[12]);
/* Checks the FourCC ("RRF2"; RRF0/RRF1 are UNSUPPORTED, anything else CORRUPT), the
 * compression and serializer bytes, the reserved bytes, and the version (>= 0.23). */
reel_status reel_rrd_stream_header_decode(const uint8_t in[12], reel_rrd_stream_header *out,
                                          reel_error *err);

void reel_rrd_message_header_encode(uint64_t kind, uint64_t len, uint8_t out[16]);
void reel_rrd_message_header_decode(const uint8_t in[16], uint64_t *kind, uint64_t *len);

/* The one-entry StreamFooter: where the RrdFooter payload is (from the stream's start). */
typedef struct reel_rrd_stream_footer {
    uint64_t footer_offset;
    uint64_t footer_len;
    uint32_t crc; /* reel_rrd_footer_crc of the RrdFooter payload */
} reel_rrd_stream_footer;

void reel_rrd_stream_footer_encode(const reel_rrd_stream_footer *footer, uint8_t out[32]);
/* CORRUPT unless the bytes end in "RRF2" "FOOT" with exactly one entry. */
reel_status reel_rrd_stream_footer_decode(const uint8_t in[32], reel_rrd_stream_footer *out,
                                          reel_error *err);
/* xxh32 with seed REEL_RRD_FOOTER_CRC_SEED. */
uint32_t reel_rrd_footer_crc(const void *data, size_t len);

/* LZ4 block compression (no frame), appended to `out`. */
reel_status reel_rrd_lz4_compress(const void *data, size_t len, reel_buf *out, reel_error *err);
/* Decompresses into a new blob of exactly `uncompressed_size` bytes (a shorter result is
 * zero-padded, as Rerun does). Refuses sizes above `max_size` or beyond LZ4's maximum
 * ratio for `len` input bytes before allocating. */
reel_status reel_rrd_lz4_decompress(const void *data, size_t len, uint64_t uncompressed_size,
                                    uint64_t max_size, const reel_allocator *alloc, reel_blob **out,
                                    reel_error *err);

/* ---------------------------------------------------------------- incremental decoder */

/* Bytes in, messages out. Feed any pieces with push (copies) or push_blob (zero-copy for a
 * whole file), then call next until it says it got nothing; repeat; call finish at EOF.
 * Handles concatenated streams, several stores, footer-less and legacy files. A message
 * that fails to decode is reported by next() with its index and offset; the decoder has
 * then moved past it, so the next call continues with the following message. Memory is
 * bounded by the largest message plus what the caller pushes ahead. */
typedef struct reel_rrd_decoder reel_rrd_decoder;

reel_status reel_rrd_decoder_create(const reel_rrd_decoder_options *options, reel_rrd_decoder **out,
                                    reel_error *err);
void reel_rrd_decoder_destroy(reel_rrd_decoder *decoder); /* NULL-safe */
/* Copies `len` bytes into the decoder. */
reel_status reel_rrd_decoder_push(reel_rrd_decoder *decoder, const void *data, size_t len,
                                  reel_error *err);
/* Retains the blob and decodes from it in place (copied only if earlier bytes are still
 * pending). */
reel_status reel_rrd_decoder_push_blob(reel_rrd_decoder *decoder, reel_blob *blob, reel_error *err);
/* Produces the next message into `msg` (which must be empty): REEL_OK with *got = true, or
 * REEL_OK with *got = false when more bytes are needed (or decoding has stopped). Any other
 * status reports a bad message ("name: message 12 at offset 4096: ...") and *got = false;
 * call again to continue after it. Errors in the stream structure itself (not an RRD
 * stream, garbage where a header should be) stop the decoder: later calls get nothing. */
reel_status reel_rrd_decoder_next(reel_rrd_decoder *decoder, reel_rrd_message *msg, bool *got,
                                  reel_error *err);
/* How many more bytes the decoder needs before next() can make progress (0 if it can
 * now, or if it has stopped). */
uint64_t reel_rrd_decoder_bytes_needed(const reel_rrd_decoder *decoder);
/* Bytes consumed so far (the offset of what it decodes next). */
uint64_t reel_rrd_decoder_offset(const reel_rrd_decoder *decoder);
/* Declares EOF. REEL_OK if the input ended cleanly (after a message, a stream footer or a
 * legacy End); REEL_TRUNCATED for a cut-off tail ("name: message 12 at offset 4096:
 * truncated, need 812 more bytes"), for empty input, or after a stop, that error again. */
reel_status reel_rrd_decoder_finish(reel_rrd_decoder *decoder, reel_error *err);

/* Reads a file incrementally (constant memory) and calls `fn` for every message, or with
 * msg = NULL and the error for every bad message. `fn` borrows the message (it is reset
 * after the call) and may return non-OK to stop, which is then returned. Returns the
 * finish status otherwise (I/O errors as REEL_IO). */
typedef reel_status (*reel_rrd_message_fn)(void *ctx, reel_rrd_message *msg,
                                           const reel_error *msg_error);
reel_status reel_rrd_read_path(const char *path, const reel_rrd_decoder_options *options,
                               reel_rrd_message_fn fn, void *ctx, reel_error *err);
/* The same for an open stream (a pipe, standard input), read in pieces as the decoder
 * needs them. Borrows `file`. Error messages are prefixed with options->name. */
reel_status reel_rrd_read_file(FILE *file, const reel_rrd_decoder_options *options,
                               reel_rrd_message_fn fn, void *ctx, reel_error *err);

/* ---------------------------------------------------------------- writer */

/* Where the writer's bytes go. write must take all `len` bytes or fail (full disk and
 * other errors are REEL_IO with a message); the bytes are borrowed for the call only. One
 * message may come in several writes (an ArrowMsg's large buffers are passed on by
 * reference, one write each). flush (may be NULL) is called by finish. */
typedef struct reel_rrd_sink {
    reel_status (*write)(void *ctx, const uint8_t *data, size_t len, reel_error *err);
    reel_status (*flush)(void *ctx, reel_error *err);
    void *ctx;
} reel_rrd_sink;

reel_rrd_sink reel_rrd_sink_file(FILE *file);   /* borrows; flush = fflush */
reel_rrd_sink reel_rrd_sink_fd(int fd);         /* borrows; handles short writes and EINTR */
reel_rrd_sink reel_rrd_sink_buf(reel_buf *buf); /* appends; borrows */

typedef struct reel_rrd_writer_options {
    reel_rrd_compression compression; /* DEFAULT = LZ4, as Rerun, except large payloads that
                                         LZ4 would not shrink; LZ4 = always; NONE = never */
    bool no_footer;     /* leave out End + RrdFooter + StreamFooter (a valid footer-less file;
                           `rerun rrd verify` then wants --check-footers=false) */
    uint8_t version[4]; /* header and StoreVersion; zero = 0.41.0 */
    const char *name;   /* prefix of error messages; copied */
    const reel_allocator *alloc;
} reel_rrd_writer_options;

/* Writes one RRD stream: the header at create, messages as they come, and at finish the
 * End message with an RrdFooter holding one manifest per store that got chunks, then the
 * StreamFooter. Memory is constant apart from the manifests' per-chunk rows. After a sink
 * error every call fails with that error. */
typedef struct reel_rrd_writer reel_rrd_writer;

/* Copies the sink (its ctx is borrowed) and writes the stream header. */
reel_status reel_rrd_writer_create(const reel_rrd_sink *sink,
                                   const reel_rrd_writer_options *options, reel_rrd_writer **out,
                                   reel_error *err);
/* Creates (truncates) `path` and writes to it; finish closes it. */
reel_status reel_rrd_writer_create_path(const char *path, const reel_rrd_writer_options *options,
                                        reel_rrd_writer **out, reel_error *err);
reel_status reel_rrd_writer_write_store_info(reel_rrd_writer *writer, const reel_store_info *info,
                                             reel_error *err);
/* Encodes the chunk as an Arrow IPC stream (64-byte alignment, like arrow-rs), compresses
 * it (see the options) and writes an ArrowMsg, its large buffers straight from the chunk
 * without a copy when uncompressed; adds a row to the store's manifest. Borrows the chunk. */
reel_status reel_rrd_writer_write_chunk(reel_rrd_writer *writer, const reel_store_id *store_id,
                                        const reel_chunk *chunk, reel_error *err);
reel_status reel_rrd_writer_write_blueprint_activation(reel_rrd_writer *writer,
                                                       const reel_store_id *blueprint_id,
                                                       bool make_active, bool make_default,
                                                       reel_error *err);
/* Writes the footer (unless no_footer), flushes, and closes a file opened by create_path.
 * Further writes fail. */
reel_status reel_rrd_writer_finish(reel_rrd_writer *writer, reel_error *err);
/* Bytes written so far. */
uint64_t reel_rrd_writer_bytes_written(const reel_rrd_writer *writer);
/* Frees the writer (closing a create_path file without a footer if finish was not called).
 * NULL-safe. */
void reel_rrd_writer_destroy(reel_rrd_writer *writer);

#ifdef __cplusplus
}
#endif
#endif
