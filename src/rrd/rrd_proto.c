/* The protobuf layer of .rrd payloads: converts between the protobuf-c structs generated
 * from src/rrd/proto/ and Reel's plain C values, checking what Rerun's conversion code
 * requires. Protobuf-c types stay in this file and rrd_envelope.c. Plain proto3 fields are
 * emitted only when non-default and proto3 `optional` ones whenever set, as prost does. */
#include <string.h>

#include "common.pb-c.h"
#include "log_msg.pb-c.h"
#include "rrd_pb.h"

typedef Rerun__Common__V1alpha1__StoreId pb_store_id;
typedef Rerun__Common__V1alpha1__ApplicationId pb_application_id;
typedef Rerun__Common__V1alpha1__Tuid pb_tuid;
typedef Rerun__LogMsg__V1alpha1__ArrowMsg pb_arrow_msg;
typedef Rerun__LogMsg__V1alpha1__SetStoreInfo pb_set_store_info;
typedef Rerun__LogMsg__V1alpha1__StoreInfo pb_store_info;
typedef Rerun__LogMsg__V1alpha1__StoreSource pb_store_source;
typedef Rerun__LogMsg__V1alpha1__StoreSourceExtra pb_store_source_extra;
typedef Rerun__LogMsg__V1alpha1__StoreVersion pb_store_version;
typedef Rerun__LogMsg__V1alpha1__BlueprintActivationCommand pb_activation;
typedef Rerun__LogMsg__V1alpha1__RrdFooter pb_footer;
typedef Rerun__LogMsg__V1alpha1__RrdManifest pb_manifest;
typedef Rerun__Common__V1alpha1__Schema pb_schema;
typedef Rerun__Common__V1alpha1__DataframePart pb_dataframe_part;

/* Rerun's strings are UTF-8 (prost rejects anything else) and we hand out C strings. */
static bool valid_utf8(const char *s)
{
    const uint8_t *p = (const uint8_t *)s;
    while (*p) {
        uint32_t c = *p++;
        int extra = c < 0x80                ? 0
                    : c >= 0xC2 && c < 0xE0 ? 1
                    : c >= 0xE0 && c < 0xF0 ? 2
                    : c >= 0xF0 && c < 0xF5 ? 3
                                            : -1;
        if (extra < 0)
            return false;
        uint32_t cp = extra == 0 ? c : c & (0x3Fu >> extra);
        for (int i = 0; i < extra; i++, p++) {
            if ((*p & 0xC0) != 0x80)
                return false;
            cp = cp << 6 | (*p & 0x3Fu);
        }
        if ((extra == 2 && (cp < 0x800 || (cp >= 0xD800 && cp < 0xE000))) ||
            (extra == 3 && (cp < 0x10000 || cp > 0x10FFFF)))
            return false;
    }
    return true;
}

/* ---------------------------------------------------------------- small types */

static void tuid_to_pb(reel_tuid id, pb_tuid *pb)
{
    rerun__common__v1alpha1__tuid__init(pb);
    pb->has_time_ns = pb->has_inc = 1;
    pb->time_ns = id.time_ns;
    pb->inc = id.inc;
}

static reel_status tuid_from_pb(const pb_tuid *pb, const char *what, reel_tuid *out,
                                reel_error *err)
{
    if (!pb->has_time_ns || !pb->has_inc)
        return reel_error_set(err, REEL_CORRUPT, "%s: Tuid without %s", what,
                              pb->has_time_ns ? "inc" : "time_ns");
    out->time_ns = pb->time_ns;
    out->inc = pb->inc;
    return REEL_OK;
}

/* The pb structs borrow id's strings. */
static void store_id_to_pb(const reel_store_id *id, pb_store_id *pb, pb_application_id *app)
{
    rerun__common__v1alpha1__store_id__init(pb);
    if (id->kind != 0) {
        pb->has_kind = 1;
        pb->kind = (Rerun__Common__V1alpha1__StoreKind)id->kind;
    }
    if (id->recording_id != NULL && id->recording_id[0] != '\0')
        pb->recording_id = id->recording_id;
    if (id->application_id != NULL) {
        rerun__common__v1alpha1__application_id__init(app);
        if (id->application_id[0] != '\0')
            app->id = id->application_id;
        pb->application_id = app;
    }
}

static reel_status store_id_from_pb(const pb_store_id *pb, const char *what,
                                    const reel_allocator *alloc, reel_store_id *out,
                                    reel_error *err)
{
    memset(out, 0, sizeof *out);
    int kind = pb->has_kind ? (int)pb->kind : 0;
    if (kind < 0 || kind > 2)
        return reel_error_set(err, REEL_CORRUPT, "%s: unknown store kind %d", what, kind);
    out->kind = kind == 2 ? REEL_STORE_KIND_BLUEPRINT : REEL_STORE_KIND_RECORDING;
    const char *recording = pb->recording_id ? pb->recording_id : "";
    if (!valid_utf8(recording))
        return reel_error_set(err, REEL_CORRUPT, "%s: recording id is not UTF-8", what);
    if (pb->application_id != NULL) {
        const char *app = pb->application_id->id ? pb->application_id->id : "";
        if (app[0] == '\0')
            return reel_error_set(err, REEL_CORRUPT, "%s: empty application id", what);
        if (!valid_utf8(app))
            return reel_error_set(err, REEL_CORRUPT, "%s: application id is not UTF-8", what);
        out->application_id = reel_strdup(alloc, app);
        if (out->application_id == NULL)
            return reel_error_set(err, REEL_OUT_OF_MEMORY, "out of memory");
    }
    out->recording_id = reel_strdup(alloc, recording);
    if (out->recording_id == NULL) {
        reel_store_id_reset(out, alloc);
        return reel_error_set(err, REEL_OUT_OF_MEMORY, "out of memory");
    }
    return REEL_OK;
}

/* ---------------------------------------------------------------- ArrowMsg */

static void free_unpacked_arrow_msg(void *ctx, void *data, size_t len)
{
    (void)data, (void)len;
    rerun__log_msg__v1alpha1__arrow_msg__free_unpacked(ctx, NULL);
}

reel_status reel__rrd_arrow_msg_unpack(const uint8_t *data, size_t len, const reel_allocator *alloc,
                                       reel__rrd_arrow_fields *out, reel_error *err)
{
    memset(out, 0, sizeof *out);
    pb_arrow_msg *pb = rerun__log_msg__v1alpha1__arrow_msg__unpack(NULL, len, data);
    if (pb == NULL)
        return reel__rrd_pb_invalid(err, "ArrowMsg", len);
    reel_status status = REEL_OK;
    if (pb->store_id == NULL)
        status = reel_error_set(err, REEL_CORRUPT, "ArrowMsg without store_id");
    else
        status = store_id_from_pb(pb->store_id, "ArrowMsg.store_id", alloc, &out->store_id, err);
    if (status == REEL_OK && pb->chunk_id != NULL) {
        out->has_chunk_id = true;
        status = tuid_from_pb(pb->chunk_id, "ArrowMsg.chunk_id", &out->chunk_id, err);
    }
    if (status == REEL_OK) {
        out->payload_owner =
            reel_blob_wrap(pb->payload.data, pb->payload.len, free_unpacked_arrow_msg, pb);
        if (out->payload_owner == NULL)
            status = reel_error_set(err, REEL_OUT_OF_MEMORY, "out of memory");
    }
    if (status != REEL_OK) {
        reel_store_id_reset(&out->store_id, alloc);
        rerun__log_msg__v1alpha1__arrow_msg__free_unpacked(pb, NULL);
        return status;
    }
    out->compression = pb->has_compression ? (int32_t)pb->compression : 0;
    out->uncompressed_size = pb->has_uncompressed_size ? pb->uncompressed_size : 0;
    out->encoding = pb->has_encoding ? (int32_t)pb->encoding : 0;
    out->payload = reel_span_make(pb->payload.data, pb->payload.len);
    out->has_is_static = pb->has_is_static;
    out->is_static = pb->has_is_static && pb->is_static;
    return REEL_OK;
}

reel_status reel__rrd_arrow_msg_pack(const reel__rrd_arrow_fields *fields, reel_buf *out,
                                     reel_error *err)
{
    pb_arrow_msg pb = RERUN__LOG_MSG__V1ALPHA1__ARROW_MSG__INIT;
    pb_store_id store_id;
    pb_application_id app;
    pb_tuid chunk_id;
    store_id_to_pb(&fields->store_id, &store_id, &app);
    pb.store_id = &store_id;
    pb.has_compression = fields->compression != 0;
    pb.compression = (Rerun__Common__V1alpha1__Compression)fields->compression;
    pb.has_uncompressed_size = fields->uncompressed_size != 0;
    pb.uncompressed_size = fields->uncompressed_size;
    pb.has_encoding = fields->encoding != 0;
    pb.encoding = (Rerun__LogMsg__V1alpha1__Encoding)fields->encoding;
    pb.has_payload = fields->payload.len != 0;
    pb.payload.data = (uint8_t *)fields->payload.data;
    pb.payload.len = fields->payload.len;
    if (fields->has_chunk_id) {
        tuid_to_pb(fields->chunk_id, &chunk_id);
        pb.chunk_id = &chunk_id;
    }
    pb.has_is_static = fields->has_is_static;
    pb.is_static = fields->is_static;
    return reel__rrd_pb_pack(&pb.base, out, err);
}

reel_status reel__rrd_arrow_msg_pack_around(const reel__rrd_arrow_fields *fields,
                                            uint64_t payload_len, reel_buf *head, reel_buf *tail,
                                            reel_error *err)
{
    /* Fields 1-4, then field 5's tag and length, then fields 6-7: protobuf-c packs fields in
     * number order, so the three parts around the payload are the bytes of packing it all. */
    reel__rrd_arrow_fields before = *fields;
    before.payload = (reel_span){0};
    before.has_chunk_id = before.has_is_static = false;
    REEL_TRY(reel__rrd_arrow_msg_pack(&before, head, err));
    if (payload_len > 0) {
        uint8_t key[1 + 10];
        size_t n = 0;
        key[n++] = (5u << 3) | 2u; /* field 5, length-delimited */
        for (uint64_t v = payload_len; n == 1 || v > 0; v >>= 7)
            key[n++] = (uint8_t)((v & 0x7f) | (v >= 0x80 ? 0x80 : 0));
        if (reel_buf_append(head, key, n) != REEL_OK)
            return reel_error_set(err, REEL_OUT_OF_MEMORY, "out of memory");
    }
    pb_arrow_msg pb = RERUN__LOG_MSG__V1ALPHA1__ARROW_MSG__INIT;
    pb_tuid chunk_id;
    if (fields->has_chunk_id) {
        tuid_to_pb(fields->chunk_id, &chunk_id);
        pb.chunk_id = &chunk_id;
    }
    pb.has_is_static = fields->has_is_static;
    pb.is_static = fields->is_static;
    return reel__rrd_pb_pack(&pb.base, tail, err);
}

/* ---------------------------------------------------------------- SetStoreInfo */

void reel__rrd_store_info_reset(reel_store_info *info, const reel_allocator *alloc)
{
    if (info == NULL)
        return;
    reel_store_id_reset(&info->store_id, alloc);
    reel_free(alloc, info->source_extra, info->source_extra_len);
    memset(info, 0, sizeof *info);
}

static reel_status store_info_from_pb(const pb_set_store_info *pb, const reel_allocator *alloc,
                                      reel_store_info *out, reel_error *err)
{
    if (pb->row_id == NULL)
        return reel_error_set(err, REEL_CORRUPT, "SetStoreInfo without row_id");
    REEL_TRY(tuid_from_pb(pb->row_id, "SetStoreInfo.row_id", &out->row_id, err));
    const pb_store_info *info = pb->info;
    if (info == NULL)
        return reel_error_set(err, REEL_CORRUPT, "SetStoreInfo without info");
    if (info->store_id == NULL)
        return reel_error_set(err, REEL_CORRUPT, "StoreInfo without store_id");
    if (info->store_source == NULL)
        return reel_error_set(err, REEL_CORRUPT, "StoreInfo without store_source");
    REEL_TRY(store_id_from_pb(info->store_id, "StoreInfo.store_id", alloc, &out->store_id, err));
    /* Before 0.25 the application id lived only in the (now deprecated) StoreInfo field. */
    if (out->store_id.application_id == NULL && info->application_id != NULL &&
        info->application_id->id != NULL && info->application_id->id[0] != '\0') {
        if (!valid_utf8(info->application_id->id))
            return reel_error_set(err, REEL_CORRUPT, "StoreInfo: application id is not UTF-8");
        out->store_id.application_id = reel_strdup(alloc, info->application_id->id);
        if (out->store_id.application_id == NULL)
            return reel_error_set(err, REEL_OUT_OF_MEMORY, "out of memory");
    }
    const pb_store_source *source = info->store_source;
    out->source_kind = source->has_kind ? (reel_store_source_kind)source->kind : 0;
    if (source->extra != NULL) {
        size_t len = source->extra->has_payload ? source->extra->payload.len : 0;
        out->has_source_extra = true;
        out->source_extra = reel_alloc(alloc, len);
        if (out->source_extra == NULL && len != 0)
            return reel_error_set(err, REEL_OUT_OF_MEMORY, "out of memory");
        out->source_extra_len = len;
        if (len != 0)
            memcpy(out->source_extra, source->extra->payload.data, len);
    }
    if (info->store_version != NULL) {
        uint32_t bits = info->store_version->has_crate_version_bits
                            ? (uint32_t)info->store_version->crate_version_bits
                            : 0;
        out->has_store_version = true;
        reel_store_u32le(out->store_version, bits);
    }
    return REEL_OK;
}

reel_status reel__rrd_store_info_unpack(const uint8_t *data, size_t len,
                                        const reel_allocator *alloc, reel_store_info *out,
                                        reel_error *err)
{
    memset(out, 0, sizeof *out);
    pb_set_store_info *pb = rerun__log_msg__v1alpha1__set_store_info__unpack(NULL, len, data);
    if (pb == NULL)
        return reel__rrd_pb_invalid(err, "SetStoreInfo", len);
    reel_status status = store_info_from_pb(pb, alloc, out, err);
    rerun__log_msg__v1alpha1__set_store_info__free_unpacked(pb, NULL);
    if (status != REEL_OK)
        reel__rrd_store_info_reset(out, alloc);
    return status;
}

reel_status reel__rrd_store_info_pack(const reel_store_info *info, const uint8_t default_version[4],
                                      reel_buf *out, reel_error *err)
{
    pb_set_store_info pb = RERUN__LOG_MSG__V1ALPHA1__SET_STORE_INFO__INIT;
    pb_store_info pb_info = RERUN__LOG_MSG__V1ALPHA1__STORE_INFO__INIT;
    pb_tuid row_id;
    pb_store_id store_id;
    pb_application_id app;
    pb_store_source source = RERUN__LOG_MSG__V1ALPHA1__STORE_SOURCE__INIT;
    pb_store_source_extra extra = RERUN__LOG_MSG__V1ALPHA1__STORE_SOURCE_EXTRA__INIT;
    pb_store_version version = RERUN__LOG_MSG__V1ALPHA1__STORE_VERSION__INIT;

    reel_tuid id = info->row_id;
    if (id.time_ns == 0 && id.inc == 0)
        id = reel_tuid_new();
    tuid_to_pb(id, &row_id);
    pb.row_id = &row_id;
    store_id_to_pb(&info->store_id, &store_id, &app);
    pb_info.store_id = &store_id;
    reel_store_source_kind kind = info->source_kind == REEL_STORE_SOURCE_UNSPECIFIED
                                      ? REEL_STORE_SOURCE_C_SDK
                                      : info->source_kind;
    source.has_kind = 1;
    source.kind = (Rerun__LogMsg__V1alpha1__StoreSourceKind)kind;
    /* Rerun always writes `extra`, even empty (C SDK: 08 01 12 00). */
    extra.has_payload = info->source_extra_len != 0;
    extra.payload.data = info->source_extra;
    extra.payload.len = info->source_extra_len;
    source.extra = &extra;
    pb_info.store_source = &source;
    const uint8_t *bytes = info->has_store_version ? info->store_version : default_version;
    version.crate_version_bits = (int32_t)reel_load_u32le(bytes);
    version.has_crate_version_bits = version.crate_version_bits != 0;
    pb_info.store_version = &version;
    pb.info = &pb_info;
    return reel__rrd_pb_pack(&pb.base, out, err);
}

/* ---------------------------------------------------------------- BlueprintActivation */

reel_status reel__rrd_activation_unpack(const uint8_t *data, size_t len,
                                        const reel_allocator *alloc, reel_store_id *blueprint_id,
                                        bool *make_active, bool *make_default, reel_error *err)
{
    pb_activation *pb =
        rerun__log_msg__v1alpha1__blueprint_activation_command__unpack(NULL, len, data);
    if (pb == NULL)
        return reel__rrd_pb_invalid(err, "BlueprintActivationCommand", len);
    reel_status status;
    if (pb->blueprint_id == NULL)
        status =
            reel_error_set(err, REEL_CORRUPT, "BlueprintActivationCommand without blueprint_id");
    else
        status = store_id_from_pb(pb->blueprint_id, "BlueprintActivationCommand.blueprint_id",
                                  alloc, blueprint_id, err);
    *make_active = pb->has_make_active && pb->make_active;
    *make_default = pb->has_make_default && pb->make_default;
    rerun__log_msg__v1alpha1__blueprint_activation_command__free_unpacked(pb, NULL);
    return status;
}

reel_status reel__rrd_activation_pack(const reel_store_id *blueprint_id, bool make_active,
                                      bool make_default, reel_buf *out, reel_error *err)
{
    pb_activation pb = RERUN__LOG_MSG__V1ALPHA1__BLUEPRINT_ACTIVATION_COMMAND__INIT;
    pb_store_id store_id;
    pb_application_id app;
    store_id_to_pb(blueprint_id, &store_id, &app);
    pb.blueprint_id = &store_id;
    pb.has_make_active = make_active;
    pb.make_active = make_active;
    pb.has_make_default = make_default;
    pb.make_default = make_default;
    return reel__rrd_pb_pack(&pb.base, out, err);
}

/* ---------------------------------------------------------------- RrdFooter */

void reel__rrd_raw_footer_reset(reel__rrd_raw_footer *footer, const reel_allocator *alloc)
{
    for (int32_t i = 0; i < footer->count; i++)
        reel_store_id_reset(&footer->manifests[i].store_id, alloc);
    reel_free(alloc, footer->manifests, (size_t)footer->count * sizeof *footer->manifests);
    if (footer->owner != NULL)
        rerun__log_msg__v1alpha1__rrd_footer__free_unpacked(footer->owner, NULL);
    memset(footer, 0, sizeof *footer);
}

reel_status reel__rrd_footer_unpack(const uint8_t *data, size_t len, const reel_allocator *alloc,
                                    reel__rrd_raw_footer *out, reel_error *err)
{
    memset(out, 0, sizeof *out);
    pb_footer *pb = rerun__log_msg__v1alpha1__rrd_footer__unpack(NULL, len, data);
    if (pb == NULL)
        return reel__rrd_pb_invalid(err, "RrdFooter", len);
    out->owner = pb;
    if (pb->n_manifests > (size_t)INT32_MAX) {
        reel__rrd_raw_footer_reset(out, alloc);
        return reel_error_set(err, REEL_LIMIT, "RrdFooter: too many manifests");
    }
    out->manifests = reel_alloc_zeroed(alloc, pb->n_manifests * sizeof *out->manifests);
    if (out->manifests == NULL && pb->n_manifests != 0) {
        reel__rrd_raw_footer_reset(out, alloc);
        return reel_error_set(err, REEL_OUT_OF_MEMORY, "out of memory");
    }
    for (size_t i = 0; i < pb->n_manifests; i++) {
        const pb_manifest *m = pb->manifests[i];
        reel__rrd_raw_manifest *raw = &out->manifests[i];
        out->count = (int32_t)i + 1;
        reel_status status = REEL_OK;
        if (m->store_id == NULL)
            status = reel_error_set(err, REEL_CORRUPT, "RrdManifest %zu without store_id", i);
        else
            status =
                store_id_from_pb(m->store_id, "RrdManifest.store_id", alloc, &raw->store_id, err);
        if (status == REEL_OK && m->has_sorbet_schema_sha256) {
            if (m->sorbet_schema_sha256.len != 32)
                status = reel_error_set(err, REEL_CORRUPT,
                                        "RrdManifest %zu: sorbet_schema_sha256 has %zu bytes, "
                                        "not 32",
                                        i, m->sorbet_schema_sha256.len);
            else {
                raw->has_sha256 = true;
                memcpy(raw->sha256, m->sorbet_schema_sha256.data, 32);
            }
        }
        if (status != REEL_OK) {
            reel__rrd_raw_footer_reset(out, alloc);
            return status;
        }
        if (m->sorbet_schema != NULL && m->sorbet_schema->has_arrow_schema) {
            raw->has_schema = true;
            raw->schema_ipc = reel_span_make(m->sorbet_schema->arrow_schema.data,
                                             m->sorbet_schema->arrow_schema.len);
        }
        if (m->data != NULL) {
            const pb_dataframe_part *part = m->data;
            raw->has_data = true;
            raw->data_encoder_version =
                part->has_encoder_version ? (int32_t)part->encoder_version : 0;
            raw->data_compression = part->has_compression ? (int32_t)part->compression : 0;
            raw->data_uncompressed_size = part->has_uncompressed_size ? part->uncompressed_size : 0;
            if (part->has_payload)
                raw->data_payload = reel_span_make(part->payload.data, part->payload.len);
        }
    }
    return REEL_OK;
}

reel_status reel__rrd_footer_pack(const reel__rrd_raw_manifest *manifests, int32_t count,
                                  reel_buf *out, reel_error *err)
{
    /* All structs on one scratch allocation: five per manifest plus the pointer array. */
    typedef struct manifest_parts {
        pb_manifest manifest;
        pb_store_id store_id;
        pb_application_id app;
        pb_schema schema;
        pb_dataframe_part data;
    } manifest_parts;
    size_t n = count > 0 ? (size_t)count : 0;
    manifest_parts *parts = reel_alloc(NULL, n * sizeof *parts);
    pb_manifest **pointers = reel_alloc(NULL, n * sizeof *pointers);
    if ((parts == NULL || pointers == NULL) && n != 0) {
        reel_free(NULL, parts, n * sizeof *parts);
        reel_free(NULL, pointers, n * sizeof *pointers);
        return reel_error_set(err, REEL_OUT_OF_MEMORY, "out of memory");
    }
    for (size_t i = 0; i < n; i++) {
        const reel__rrd_raw_manifest *raw = &manifests[i];
        manifest_parts *p = &parts[i];
        rerun__log_msg__v1alpha1__rrd_manifest__init(&p->manifest);
        store_id_to_pb(&raw->store_id, &p->store_id, &p->app);
        p->manifest.store_id = &p->store_id;
        rerun__common__v1alpha1__schema__init(&p->schema);
        p->schema.has_arrow_schema = 1;
        p->schema.arrow_schema.data = (uint8_t *)raw->schema_ipc.data;
        p->schema.arrow_schema.len = raw->schema_ipc.len;
        p->manifest.sorbet_schema = &p->schema;
        p->manifest.has_sorbet_schema_sha256 = 1;
        p->manifest.sorbet_schema_sha256.data = (uint8_t *)raw->sha256;
        p->manifest.sorbet_schema_sha256.len = 32;
        rerun__common__v1alpha1__dataframe_part__init(&p->data);
        p->data.has_encoder_version = 1;
        p->data.encoder_version = RERUN__COMMON__V1ALPHA1__ENCODER_VERSION__ENCODER_VERSION_V0;
        p->data.has_payload = 1;
        p->data.payload.data = (uint8_t *)raw->data_payload.data;
        p->data.payload.len = raw->data_payload.len;
        p->data.has_compression = raw->data_compression != 0;
        p->data.compression = (Rerun__Common__V1alpha1__Compression)raw->data_compression;
        p->data.has_uncompressed_size = raw->data_uncompressed_size != 0;
        p->data.uncompressed_size = raw->data_uncompressed_size;
        p->manifest.data = &p->data;
        pointers[i] = &p->manifest;
    }
    pb_footer pb = RERUN__LOG_MSG__V1ALPHA1__RRD_FOOTER__INIT;
    pb.n_manifests = n;
    pb.manifests = pointers;
    reel_status status = reel__rrd_pb_pack(&pb.base, out, err);
    reel_free(NULL, parts, n * sizeof *parts);
    reel_free(NULL, pointers, n * sizeof *pointers);
    return status;
}

/* ---------------------------------------------------------------- source description */

reel_status reel_store_source_describe(const reel_store_info *info, reel_buf *out)
{
    static const char *const names[] = {"unknown source", "C SDK",  "Python SDK", "Rust SDK",
                                        "file",           "viewer", "other"};
    int kind = (int)info->source_kind;
    const char *name = kind >= 0 && kind <= 6 ? names[kind] : "unknown source";
    REEL_TRY(reel_buf_printf(out, "%s", name));
    const uint8_t *extra = info->source_extra;
    size_t len = info->source_extra_len;
    if (kind == REEL_STORE_SOURCE_PYTHON_SDK) {
        Rerun__LogMsg__V1alpha1__PythonVersion *v =
            rerun__log_msg__v1alpha1__python_version__unpack(NULL, len, extra);
        if (v == NULL)
            return REEL_OK;
        reel_status status = reel_buf_printf(out, " %d.%d.%d%s", v->major, v->minor, v->patch,
                                             v->suffix && valid_utf8(v->suffix) ? v->suffix : "");
        rerun__log_msg__v1alpha1__python_version__free_unpacked(v, NULL);
        return status;
    }
    if (kind == REEL_STORE_SOURCE_RUST_SDK) {
        Rerun__LogMsg__V1alpha1__CrateInfo *c =
            rerun__log_msg__v1alpha1__crate_info__unpack(NULL, len, extra);
        if (c == NULL)
            return REEL_OK;
        const char *rustc =
            c->rustc_version && valid_utf8(c->rustc_version) ? c->rustc_version : "?";
        const char *llvm = c->llvm_version && valid_utf8(c->llvm_version) ? c->llvm_version : "?";
        reel_status status = reel_buf_printf(out, " (rustc %s / LLVM %s)", rustc, llvm);
        rerun__log_msg__v1alpha1__crate_info__free_unpacked(c, NULL);
        return status;
    }
    if (kind == REEL_STORE_SOURCE_FILE) {
        static const char *const file_kinds[] = {"unspecified",   "cli",         "uri",
                                                 "drag and drop", "file dialog", "sdk"};
        Rerun__LogMsg__V1alpha1__FileSource *f =
            rerun__log_msg__v1alpha1__file_source__unpack(NULL, len, extra);
        if (f == NULL)
            return REEL_OK;
        int fk = (int)f->kind;
        rerun__log_msg__v1alpha1__file_source__free_unpacked(f, NULL);
        return reel_buf_printf(out, " (%s)", fk >= 0 && fk <= 5 ? file_kinds[fk] : "unknown");
    }
    if (kind == REEL_STORE_SOURCE_OTHER && len > 0) {
        REEL_TRY(reel_buf_printf(out, ": "));
        return reel_buf_append(out, extra, len);
    }
    return REEL_OK;
}
