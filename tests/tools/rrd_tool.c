/* rrd_tool: a small command-line driver of the rrd module for interop tests (pytest and by
 * hand) against the real `rerun` CLI:
 *   rrd_tool write-sample OUT.rrd [--no-compress] [--no-footer] [--blueprint]
 *   rrd_tool dump IN.rrd [--headers-only]       one line per message, errors included
 *   rrd_tool copy IN.rrd OUT.rrd [--no-compress] [--no-footer]   decode, re-encode
 * Exit status 0 when everything decoded / was written without error, 1 otherwise. */
#include <stdio.h>
#include <string.h>

#include "rrd/rrd.h"
#include "rrd/rrd_testing.h"

static bool has_flag(int argc, char **argv, const char *flag)
{
    for (int i = 0; i < argc; i++)
        if (strcmp(argv[i], flag) == 0)
            return true;
    return false;
}

static const char *kind_name(reel_rrd_message_kind kind)
{
    switch (kind) {
    case REEL_RRD_MESSAGE_END:
        return "END";
    case REEL_RRD_MESSAGE_SET_STORE_INFO:
        return "SET_STORE_INFO";
    case REEL_RRD_MESSAGE_ARROW_MSG:
        return "ARROW_MSG";
    case REEL_RRD_MESSAGE_BLUEPRINT_ACTIVATION:
        return "BLUEPRINT_ACTIVATION";
    }
    return "?";
}

static void print_store(const reel_store_id *id)
{
    printf(" %s %s app=%s", id->kind == REEL_STORE_KIND_BLUEPRINT ? "blueprint" : "recording",
           id->recording_id ? id->recording_id : "", id->application_id ? id->application_id : "-");
}

typedef struct dump_state {
    int messages, errors;
} dump_state;

static reel_status dump_message(void *ctx, reel_rrd_message *msg, const reel_error *msg_error)
{
    dump_state *state = ctx;
    if (msg == NULL) {
        printf("error: %s\n", msg_error->message);
        state->errors++;
        return REEL_OK;
    }
    state->messages++;
    printf("#%llu @%llu stream=%u %s", (unsigned long long)msg->index,
           (unsigned long long)msg->offset, msg->stream_index, kind_name(msg->kind));
    if (msg->kind == REEL_RRD_MESSAGE_SET_STORE_INFO) {
        reel_buf source = {0};
        reel_store_source_describe(&msg->store_info, &source);
        print_store(&msg->store_id);
        printf(" source=\"%.*s\"", (int)source.len, source.data ? (char *)source.data : "");
        if (msg->store_info.has_store_version)
            printf(" version=%u.%u.%u", msg->store_info.store_version[0],
                   msg->store_info.store_version[1], msg->store_info.store_version[2]);
        reel_buf_free(&source);
    } else if (msg->kind == REEL_RRD_MESSAGE_ARROW_MSG) {
        char id[64];
        print_store(&msg->store_id);
        reel_tuid_format(msg->arrow.chunk_id, "chunk_", id, sizeof id);
        printf(" chunk=%s static=%s compression=%s size=%llu/%llu",
               msg->arrow.has_chunk_id ? id : "-",
               msg->arrow.has_is_static ? (msg->arrow.is_static ? "true" : "false") : "-",
               msg->arrow.compression == REEL_RRD_COMPRESSION_LZ4 ? "lz4" : "none",
               (unsigned long long)msg->arrow.compressed_size,
               (unsigned long long)msg->arrow.uncompressed_size);
        if (msg->arrow.chunk != NULL)
            printf(" entity=%s rows=%lld", msg->arrow.chunk->entity_path,
                   (long long)msg->arrow.chunk->row_count);
    } else if (msg->kind == REEL_RRD_MESSAGE_BLUEPRINT_ACTIVATION) {
        print_store(&msg->store_id);
        printf(" make_active=%d make_default=%d", msg->activation.make_active,
               msg->activation.make_default);
    } else {
        printf(" manifests=%d", msg->footer.manifest_count);
    }
    printf("\n");
    for (int32_t i = 0; i < msg->footer.manifest_count; i++) {
        const reel_rrd_manifest *m = &msg->footer.manifests[i];
        printf("  manifest");
        print_store(&m->store_id);
        printf(" chunks=%lld columns=%d sorbet_columns=%d\n", (long long)m->chunk_count,
               m->manifest_column_count, m->sorbet_schema.n_children);
        for (int64_t c = 0; c < m->chunk_count; c++)
            printf("    %s static=%d rows=%llu offset=%llu size=%llu/%llu\n",
                   m->chunks[c].entity_path, m->chunks[c].is_static,
                   (unsigned long long)m->chunks[c].num_rows,
                   (unsigned long long)m->chunks[c].byte_offset,
                   (unsigned long long)m->chunks[c].byte_size,
                   (unsigned long long)m->chunks[c].byte_size_uncompressed);
    }
    return REEL_OK;
}

static int dump(const char *path, bool headers_only)
{
    dump_state state = {0};
    reel_rrd_decoder_options options = {.skip_arrow = headers_only};
    reel_error err = {0};
    reel_status status = reel_rrd_read_path(path, &options, dump_message, &state, &err);
    if (status != REEL_OK)
        printf("error: %s\n", err.message);
    printf("%s: %d messages, %d errors\n", status == REEL_OK && !state.errors ? "ok" : "failed",
           state.messages, state.errors + (status != REEL_OK));
    return status == REEL_OK && state.errors == 0 ? 0 : 1;
}

static int write_sample(const char *path, reel_rrd_writer_options *options, bool blueprint)
{
    reel_rrd_writer *w = NULL;
    reel_error err = {0};
    int chunks = 0;
    reel_status status = reel_rrd_writer_create_path(path, options, &w, &err);
    if (status == REEL_OK)
        status = rt_write_sample(w, blueprint, &chunks, &err);
    if (status == REEL_OK)
        status = reel_rrd_writer_finish(w, &err);
    reel_rrd_writer_destroy(w);
    if (status != REEL_OK) {
        fprintf(stderr, "rrd_tool: %s\n", err.message);
        return 1;
    }
    printf("wrote %s: %d chunks\n", path, chunks);
    return 0;
}

typedef struct copy_state {
    reel_rrd_writer *writer;
    int errors;
} copy_state;

static reel_status copy_message(void *ctx, reel_rrd_message *msg, const reel_error *msg_error)
{
    copy_state *state = ctx;
    reel_error err = {0};
    reel_status status = REEL_OK;
    if (msg == NULL) {
        fprintf(stderr, "rrd_tool: skipped: %s\n", msg_error->message);
        state->errors++;
        return REEL_OK;
    }
    if (msg->kind == REEL_RRD_MESSAGE_SET_STORE_INFO)
        status = reel_rrd_writer_write_store_info(state->writer, &msg->store_info, &err);
    else if (msg->kind == REEL_RRD_MESSAGE_ARROW_MSG)
        status = reel_rrd_writer_write_chunk(state->writer, &msg->store_id, msg->arrow.chunk, &err);
    else if (msg->kind == REEL_RRD_MESSAGE_BLUEPRINT_ACTIVATION)
        status = reel_rrd_writer_write_blueprint_activation(state->writer, &msg->store_id,
                                                            msg->activation.make_active,
                                                            msg->activation.make_default, &err);
    if (status != REEL_OK)
        fprintf(stderr, "rrd_tool: %s\n", err.message);
    return status;
}

static int copy(const char *in, const char *out, reel_rrd_writer_options *options)
{
    copy_state state = {0};
    reel_error err = {0};
    reel_status status = reel_rrd_writer_create_path(out, options, &state.writer, &err);
    if (status == REEL_OK)
        status = reel_rrd_read_path(in, NULL, copy_message, &state, &err);
    if (status == REEL_OK)
        status = reel_rrd_writer_finish(state.writer, &err);
    reel_rrd_writer_destroy(state.writer);
    if (status != REEL_OK)
        fprintf(stderr, "rrd_tool: %s\n", err.message);
    return status == REEL_OK && state.errors == 0 ? 0 : 1;
}

int main(int argc, char **argv)
{
    reel_rrd_writer_options options = {0};
    options.compression = has_flag(argc, argv, "--no-compress") ? REEL_RRD_COMPRESSION_NONE
                                                                : REEL_RRD_COMPRESSION_LZ4;
    options.no_footer = has_flag(argc, argv, "--no-footer");
    if (argc >= 3 && strcmp(argv[1], "write-sample") == 0)
        return write_sample(argv[2], &options, has_flag(argc, argv, "--blueprint"));
    if (argc >= 3 && strcmp(argv[1], "dump") == 0)
        return dump(argv[2], has_flag(argc, argv, "--headers-only"));
    if (argc >= 4 && strcmp(argv[1], "copy") == 0)
        return copy(argv[2], argv[3], &options);
    fprintf(stderr, "usage: rrd_tool write-sample OUT.rrd [--no-compress] [--no-footer] "
                    "[--blueprint]\n"
                    "       rrd_tool dump IN.rrd [--headers-only]\n"
                    "       rrd_tool copy IN.rrd OUT.rrd [--no-compress] [--no-footer]\n");
    return 2;
}
