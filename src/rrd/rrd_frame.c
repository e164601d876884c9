/* The outer byte layer of .rrd streams: the 12-byte stream header, 16-byte message headers,
 * the 32-byte stream footer with its xxh32 CRC, and LZ4 block (de)compression — plus the
 * small value helpers (store ids, messages, option defaults) every other rrd file uses. */
#include <lz4.h>
#include <string.h>
#include <xxhash.h>

#include "rrd_internal.h"

static const uint8_t fourcc_rrf2[4] = {'R', 'R', 'F', '2'};
static const uint8_t fourcc_foot[4] = {'F', 'O', 'O', 'T'};

/* ---------------------------------------------------------------- helpers */

reel_rrd_decoder_options reel__rrd_decoder_options_resolve(const reel_rrd_decoder_options *opts)
{
    reel_rrd_decoder_options resolved = {0};
    if (opts != NULL)
        resolved = *opts;
    if (resolved.max_message_size == 0)
        resolved.max_message_size = REEL__RRD_DEFAULT_MAX_SIZE;
    if (resolved.max_uncompressed_size == 0)
        resolved.max_uncompressed_size = REEL__RRD_DEFAULT_MAX_SIZE;
    return resolved;
}

void reel__rrd_version_or_default(const uint8_t version[4], uint8_t out[4])
{
    if (version[0] | version[1] | version[2] | version[3]) {
        memcpy(out, version, 4);
        return;
    }
    out[0] = REEL_RRD_VERSION_MAJOR;
    out[1] = REEL_RRD_VERSION_MINOR;
    out[2] = REEL_RRD_VERSION_PATCH;
    out[3] = 0;
}

char *reel__rrd_strdup_or_null(const reel_allocator *alloc, const char *s, bool *failed)
{
    if (s == NULL)
        return NULL;
    char *copy = reel_strdup(alloc, s);
    if (copy == NULL)
        *failed = true;
    return copy;
}

reel_status reel_store_id_copy(reel_store_id *dst, const reel_store_id *src,
                               const reel_allocator *alloc)
{
    bool failed = false;
    dst->kind = src->kind;
    dst->recording_id = reel__rrd_strdup_or_null(alloc, src->recording_id, &failed);
    dst->application_id = reel__rrd_strdup_or_null(alloc, src->application_id, &failed);
    if (failed) {
        reel_store_id_reset(dst, alloc);
        return REEL_OUT_OF_MEMORY;
    }
    return REEL_OK;
}

void reel_store_id_reset(reel_store_id *id, const reel_allocator *alloc)
{
    if (id == NULL)
        return;
    reel_strfree(alloc, id->recording_id);
    reel_strfree(alloc, id->application_id);
    memset(id, 0, sizeof *id);
}

static bool optional_strings_equal(const char *a, const char *b)
{
    return (a == NULL || b == NULL) ? a == b : strcmp(a, b) == 0;
}

bool reel_store_id_equal(const reel_store_id *a, const reel_store_id *b)
{
    const char *a_rec = a->recording_id ? a->recording_id : "";
    const char *b_rec = b->recording_id ? b->recording_id : "";
    return a->kind == b->kind && strcmp(a_rec, b_rec) == 0 &&
           optional_strings_equal(a->application_id, b->application_id);
}

void reel_rrd_message_reset(reel_rrd_message *msg)
{
    if (msg == NULL)
        return;
    const reel_allocator *alloc = msg->alloc;
    reel_store_id_reset(&msg->store_id, alloc);
    reel__rrd_store_info_reset(&msg->store_info, alloc);
    reel_chunk_release(msg->arrow.chunk);
    for (int32_t i = 0; i < msg->footer.manifest_count; i++)
        reel__rrd_manifest_reset(&msg->footer.manifests[i], alloc);
    reel_free(alloc, msg->footer.manifests,
              (size_t)msg->footer.manifest_count * sizeof *msg->footer.manifests);
    memset(msg, 0, sizeof *msg);
}

/* ---------------------------------------------------------------- stream header */

void reel_rrd_stream_header_encode(const reel_rrd_stream_header *header, uint8_t out[12])
{
    memcpy(out, fourcc_rrf2, 4);
    memcpy(out + 4, header->version, 4);
    out[8] = header->compression;
    out[9] = header->serializer;
    out[10] = 0;
    out[11] = 0;
}

reel_status reel_rrd_stream_header_decode(const uint8_t in[12], reel_rrd_stream_header *out,
                                          reel_error *err)
{
    if (memcmp(in, "RRF0", 4) == 0 || memcmp(in, "RRF1", 4) == 0)
        return reel_error_set(err, REEL_UNSUPPORTED,
                              "RRD stream of an old format (%.4s), written before Rerun 0.23",
                              (const char *)in);
    if (memcmp(in, fourcc_rrf2, 4) != 0)
        return reel_error_set(err, REEL_CORRUPT,
                              "not an RRD stream (expected \"RRF2\", found %02x %02x %02x %02x)",
                              in[0], in[1], in[2], in[3]);
    if (in[8] > 1)
        return reel_error_set(err, REEL_UNSUPPORTED, "unknown stream compression %u", in[8]);
    if (in[9] == 1)
        return reel_error_set(err, REEL_UNSUPPORTED,
                              "MsgPack-serialized RRD stream (removed from Rerun)");
    if (in[9] != 2)
        return reel_error_set(err, REEL_UNSUPPORTED, "unknown stream serializer %u", in[9]);
    if (in[10] != 0 || in[11] != 0)
        return reel_error_set(err, REEL_CORRUPT, "non-zero reserved bytes in stream header");
    /* 00 00 00 00 means 0.2.0; files before 0.23 cannot be read. */
    if (in[4] == 0 && in[5] < 23)
        return reel_error_set(err, REEL_UNSUPPORTED,
                              "RRD stream written by Rerun %u.%u.%u, older than 0.23", in[4],
                              in[5] == 0 && in[6] == 0 ? 2 : in[5], in[6]);
    memcpy(out->version, in + 4, 4);
    out->compression = in[8];
    out->serializer = in[9];
    return REEL_OK;
}

/* ---------------------------------------------------------------- message header */

void reel_rrd_message_header_encode(uint64_t kind, uint64_t len, uint8_t out[16])
{
    reel_store_u64le(out, kind);
    reel_store_u64le(out + 8, len);
}

void reel_rrd_message_header_decode(const uint8_t in[16], uint64_t *kind, uint64_t *len)
{
    *kind = reel_load_u64le(in);
    *len = reel_load_u64le(in + 8);
}

/* ---------------------------------------------------------------- stream footer */

void reel_rrd_stream_footer_encode(const reel_rrd_stream_footer *footer, uint8_t out[32])
{
    reel_store_u64le(out, footer->footer_offset);
    reel_store_u64le(out + 8, footer->footer_len);
    reel_store_u32le(out + 16, footer->crc);
    memcpy(out + 20, fourcc_rrf2, 4);
    memcpy(out + 24, fourcc_foot, 4);
    reel_store_u32le(out + 28, 1);
}

reel_status reel_rrd_stream_footer_decode(const uint8_t in[32], reel_rrd_stream_footer *out,
                                          reel_error *err)
{
    if (memcmp(in + 20, fourcc_rrf2, 4) != 0 || memcmp(in + 24, fourcc_foot, 4) != 0)
        return reel_error_set(err, REEL_CORRUPT, "not a stream footer (no \"RRF2\" \"FOOT\")");
    uint32_t entries = reel_load_u32le(in + 28);
    if (entries != 1)
        return reel_error_set(err, REEL_UNSUPPORTED,
                              "stream footer with %u entries (only 1 is known)", entries);
    out->footer_offset = reel_load_u64le(in);
    out->footer_len = reel_load_u64le(in + 8);
    out->crc = reel_load_u32le(in + 16);
    return REEL_OK;
}

uint32_t reel_rrd_footer_crc(const void *data, size_t len)
{
    return XXH32(data, len, REEL_RRD_FOOTER_CRC_SEED);
}

/* ---------------------------------------------------------------- LZ4 */

reel_status reel_rrd_lz4_compress(const void *data, size_t len, reel_buf *out, reel_error *err)
{
    if (len > (size_t)LZ4_MAX_INPUT_SIZE)
        return reel_error_set(err, REEL_LIMIT, "%zu bytes are too many for one LZ4 block", len);
    int bound = LZ4_compressBound((int)len);
    size_t old_len = out->len;
    uint8_t *dst = reel_buf_extend(out, (size_t)bound);
    if (dst == NULL)
        return reel_error_set(err, REEL_OUT_OF_MEMORY, "out of memory compressing %zu bytes", len);
    int written = LZ4_compress_default(data, (char *)dst, (int)len, bound);
    if (written <= 0 && len > 0) {
        out->len = old_len;
        return reel_error_set(err, REEL_INTERNAL, "LZ4 compression of %zu bytes failed", len);
    }
    out->len = old_len + (size_t)(written > 0 ? written : 0);
    return REEL_OK;
}

reel_status reel_rrd_lz4_decompress(const void *data, size_t len, uint64_t uncompressed_size,
                                    uint64_t max_size, const reel_allocator *alloc, reel_blob **out,
                                    reel_error *err)
{
    *out = NULL;
    /* Every LZ4 input byte yields at most 255 output bytes (a run-length byte), so a larger
     * claim is corrupt: refusing it keeps a few bad bytes from allocating gigabytes. */
    uint64_t ratio_limit = (uint64_t)len * 255 + 64;
    if (uncompressed_size > max_size || uncompressed_size > (uint64_t)LZ4_MAX_INPUT_SIZE)
        return reel_error_set(err, REEL_LIMIT,
                              "uncompressed size %llu exceeds the limit of %llu bytes",
                              (unsigned long long)uncompressed_size,
                              (unsigned long long)(max_size < (uint64_t)LZ4_MAX_INPUT_SIZE
                                                       ? max_size
                                                       : (uint64_t)LZ4_MAX_INPUT_SIZE));
    if (uncompressed_size > ratio_limit)
        return reel_error_set(err, REEL_CORRUPT,
                              "uncompressed size %llu is impossible for %zu LZ4 bytes",
                              (unsigned long long)uncompressed_size, len);
    if (len > (size_t)LZ4_MAX_INPUT_SIZE)
        return reel_error_set(err, REEL_LIMIT, "LZ4 block of %zu bytes is too large", len);
    uint8_t *dst;
    reel_blob *blob = reel_blob_create(alloc, (size_t)uncompressed_size, &dst);
    if (blob == NULL)
        return reel_error_set(err, REEL_OUT_OF_MEMORY, "out of memory for %llu bytes",
                              (unsigned long long)uncompressed_size);
    int produced = 0;
    if (len > 0 || uncompressed_size > 0)
        produced = LZ4_decompress_safe(data, (char *)dst, (int)len, (int)uncompressed_size);
    if (produced < 0) {
        reel_blob_release(blob);
        return reel_error_set(err, REEL_CORRUPT, "invalid LZ4 block (%zu bytes into %llu)", len,
                              (unsigned long long)uncompressed_size);
    }
    memset(dst + produced, 0, (size_t)uncompressed_size - (size_t)produced);
    *out = blob;
    return REEL_OK;
}
