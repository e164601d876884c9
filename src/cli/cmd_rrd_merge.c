/* `reel rrd merge IN... -o OUT`: decodes every chunk of every input and re-encodes it into
 * one new file (with a footer), keeping message order. Each store's SetStoreInfo is written
 * once, before its first chunk; blueprint activations are kept; old footers are dropped
 * (the writer makes a new one). A chunk already written to the same store (same ChunkId,
 * e.g. the same file given twice) is written once, as `rerun rrd merge` does. Bad messages
 * are reported and skipped, the good ones kept. */
#include <inttypes.h>
#include <string.h>

#include "cli/cli.h"

typedef struct merge_state {
    reel_rrd_writer *writer;
    reel_vec stores_seen; /* reel_store_id, owned copies */
    reel_map chunks_seen; /* store index (8 bytes) + ChunkId (16 bytes) -> 1 */
    int64_t chunks;
    int64_t duplicates;
    int64_t skipped;
} merge_state;

/* The index of the store in stores_seen, or -1. */
static int64_t store_index(const merge_state *st, const reel_store_id *id)
{
    for (size_t i = 0; i < st->stores_seen.len; i++) {
        if (reel_store_id_equal(&REEL_VEC_AT(&st->stores_seen, reel_store_id, i), id))
            return (int64_t)i;
    }
    return -1;
}

static reel_status remember_store(merge_state *st, const reel_store_id *id)
{
    reel_store_id copy = {0};
    REEL_TRY(reel_store_id_copy(&copy, id, NULL));
    if (reel_vec_push(&st->stores_seen, &copy) != REEL_OK) {
        reel_store_id_reset(&copy, NULL);
        return REEL_OUT_OF_MEMORY;
    }
    return REEL_OK;
}

/* True (and remembered) the first time this store sees this chunk id. */
static reel_status first_sighting(merge_state *st, const reel_store_id *store, reel_tuid chunk_id,
                                  bool *first)
{
    int64_t index = store_index(st, store);
    if (index < 0) { /* a chunk before its store info: remember the store anyway */
        REEL_TRY(remember_store(st, store));
        index = (int64_t)st->stores_seen.len - 1;
    }
    uint8_t key[24];
    reel_store_u64le(key, (uint64_t)index);
    reel_tuid_to_bytes(chunk_id, key + 8);
    *first = !reel_map_get(&st->chunks_seen, key, sizeof key, NULL);
    return *first ? reel_map_put(&st->chunks_seen, key, sizeof key, 1) : REEL_OK;
}

static reel_status merge_message(void *ctx, reel_rrd_message *msg, const reel_error *msg_error)
{
    merge_state *st = ctx;
    if (msg == NULL) {
        fprintf(stderr, "%s (skipped)\n", msg_error->message);
        st->skipped++;
        return REEL_OK;
    }
    if (msg->kind == REEL_RRD_MESSAGE_SET_STORE_INFO) {
        if (store_index(st, &msg->store_info.store_id) >= 0)
            return REEL_OK; /* each store's info is written once */
        REEL_TRY(remember_store(st, &msg->store_info.store_id));
    }
    if (msg->kind != REEL_RRD_MESSAGE_ARROW_MSG)
        return cli_write_control_message(st->writer, msg);
    bool first = false;
    REEL_TRY(first_sighting(st, &msg->store_id, msg->arrow.chunk->id, &first));
    if (!first) {
        st->duplicates++;
        return REEL_OK;
    }
    reel_error err = {0};
    reel_status status =
        reel_rrd_writer_write_chunk(st->writer, &msg->store_id, msg->arrow.chunk, &err);
    if (status != REEL_OK)
        fprintf(stderr, "%s\n", err.message); /* a write error: stops the merge */
    st->chunks++;
    return status;
}

static void print_help(FILE *out)
{
    fprintf(out, "usage: reel rrd merge IN... -o OUT\n\n"
                 "Decodes every chunk of the inputs (- = standard input) and re-encodes them\n"
                 "into OUT, one .rrd with LZ4-compressed chunks and a footer. Stores with the\n"
                 "same id in several inputs become one store.\n\n"
                 "options:\n"
                 "  -o, --output OUT   the file to write (required)\n"
                 "  --no-compress      write uncompressed chunks\n\n"
                 "Bad messages are reported and skipped (exit code 2), the good ones kept.\n");
}

int cmd_rrd_merge(int argc, char **argv)
{
    const char *output = NULL;
    reel_rrd_writer_options options = {0};
    int inputs = 0;
    for (int i = 1; i < argc; i++) {
        if (cli_is_help(argv[i])) {
            print_help(stdout);
            return CLI_EXIT_OK;
        }
        if (strcmp(argv[i], "-o") == 0 || strcmp(argv[i], "--output") == 0) {
            if (i + 1 >= argc)
                return cli_usage_error("rrd merge", "%s needs a file name", argv[i]);
            output = argv[++i];
        } else if (strcmp(argv[i], "--no-compress") == 0) {
            options.compression = REEL_RRD_COMPRESSION_NONE;
        } else if (argv[i][0] == '-' && argv[i][1] != '\0') {
            return cli_usage_error("rrd merge", "unknown option '%s'", argv[i]);
        } else {
            inputs++;
        }
    }
    if (output == NULL)
        return cli_usage_error("rrd merge", "no output file (-o OUT)");
    if (inputs == 0)
        return cli_usage_error("rrd merge", "no input file");

    merge_state st = {0};
    reel_vec_init(&st.stores_seen, sizeof(reel_store_id), NULL);
    reel_map_init(&st.chunks_seen, NULL);
    reel_error err = {0};
    options.name = output;
    int exit_code = CLI_EXIT_OK;
    if (reel_rrd_writer_create_path(output, &options, &st.writer, &err) != REEL_OK) {
        fprintf(stderr, "%s\n", err.message);
        reel_vec_free(&st.stores_seen);
        return CLI_EXIT_BAD_INPUT;
    }
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "-o") == 0 || strcmp(argv[i], "--output") == 0) {
            i++;
            continue;
        }
        if (argv[i][0] == '-' && argv[i][1] != '\0')
            continue;
        reel_error_clear(&err);
        reel_status status = cli_read_rrd(argv[i], NULL, merge_message, &st, &err);
        if (status != REEL_OK) {
            fprintf(stderr, "%s\n", err.message);
            exit_code = CLI_EXIT_BAD_INPUT;
        }
    }
    reel_error_clear(&err);
    if (reel_rrd_writer_finish(st.writer, &err) != REEL_OK) {
        fprintf(stderr, "%s\n", err.message);
        exit_code = CLI_EXIT_BAD_INPUT;
    } else {
        printf("%s: %" PRId64 " chunk(s) from %d input(s), %" PRIu64 " bytes", output, st.chunks,
               inputs, reel_rrd_writer_bytes_written(st.writer));
        if (st.duplicates > 0)
            printf(" (%" PRId64 " repeated chunk(s) written once)", st.duplicates);
        printf("\n");
    }
    if (st.skipped > 0)
        exit_code = CLI_EXIT_BAD_INPUT;
    reel_rrd_writer_destroy(st.writer);
    for (size_t i = 0; i < st.stores_seen.len; i++)
        reel_store_id_reset(&REEL_VEC_AT(&st.stores_seen, reel_store_id, i), NULL);
    reel_vec_free(&st.stores_seen);
    reel_map_free(&st.chunks_seen);
    return exit_code;
}
