/* `reel rrd compact IN... -o OUT`: rewrites recordings with fewer, larger chunks, as
 * `rerun rrd optimize` (formerly `rerun rrd compact`) does. Every store's chunks go through a
 * reel_store with compaction on, then reel_store_compact and extra passes that feed the
 * result to a fresh store until the chunk count stops falling; the store's chunks are
 * written out with each store's SetStoreInfo and blueprint activations. Rows keep their
 * RowIds, times and values; static data is kept as the store keeps it (a static chunk
 * whose every component a newer one overwrote is dropped, as Rerun's store and its
 * `rrd optimize` drop it). */
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "store/store.h"

#define COMPACT_DEFAULT_EXTRA_PASSES 50 /* Rerun's default for both profiles */

typedef struct compact_counts {
    uint64_t chunks, static_chunks, rows, bytes; /* bytes: ArrowMsg messages, headers included */
} compact_counts;

/* One store of the inputs (a recording or a blueprint), in order of first sighting. */
typedef struct compact_store {
    reel_store_id id; /* owned copy */
    reel_store *store;
    bool has_info;
    reel_buf info_payload; /* the first SetStoreInfo's protobuf payload, as read */
    compact_counts before, after;
    uint32_t passes; /* extra passes that reduced the chunk count */
} compact_store;

/* A BlueprintActivationCommand, kept for after its blueprint's chunks. */
typedef struct compact_activation {
    size_t store; /* index in compact_state.stores */
    reel_buf payload;
} compact_activation;

typedef struct compact_options {
    reel_store_desc store_desc;
    uint32_t extra_passes;
    reel_rrd_writer_options writer;
    const char *output;
    bool json;
} compact_options;

typedef struct compact_state {
    const compact_options *options;
    reel_vec stores;      /* compact_store */
    reel_vec activations; /* compact_activation, in input order */
    const char *input;    /* the one being read, for messages */
    uint64_t bad_messages;
    bool failed; /* a message was printed and reading stopped (out of memory) */
} compact_state;

/* ---------------------------------------------------------------- reading */

static void free_state(compact_state *st)
{
    for (size_t i = 0; i < st->stores.len; i++) {
        compact_store *s = &REEL_VEC_AT(&st->stores, compact_store, i);
        reel_store_id_reset(&s->id, NULL);
        reel_store_destroy(s->store);
        reel_buf_free(&s->info_payload);
    }
    for (size_t i = 0; i < st->activations.len; i++)
        reel_buf_free(&REEL_VEC_AT(&st->activations, compact_activation, i).payload);
    reel_vec_free(&st->stores);
    reel_vec_free(&st->activations);
}

/* The index of the store with this id, created (with an empty reel_store) when new. */
static reel_status store_for(compact_state *st, const reel_store_id *id, size_t *index,
                             reel_error *err)
{
    for (size_t i = 0; i < st->stores.len; i++) {
        if (reel_store_id_equal(&REEL_VEC_AT(&st->stores, compact_store, i).id, id)) {
            *index = i;
            return REEL_OK;
        }
    }
    compact_store s = {0};
    reel_buf_init(&s.info_payload, NULL);
    REEL_TRY(reel_store_create(&st->options->store_desc, &s.store, err));
    if (reel_store_id_copy(&s.id, id, NULL) != REEL_OK ||
        reel_vec_push(&st->stores, &s) != REEL_OK) {
        reel_store_destroy(s.store);
        reel_store_id_reset(&s.id, NULL);
        return reel_error_set(err, REEL_OUT_OF_MEMORY, "compact: out of memory");
    }
    *index = st->stores.len - 1;
    return REEL_OK;
}

static reel_status read_message(compact_state *st, const reel_rrd_message *msg, reel_error *err)
{
    if (msg->kind == REEL_RRD_MESSAGE_END)
        return REEL_OK; /* the writer makes its own footer */
    size_t index = 0;
    REEL_TRY(store_for(st, &msg->store_id, &index, err));
    compact_store *s = &REEL_VEC_AT(&st->stores, compact_store, index);
    if (msg->kind == REEL_RRD_MESSAGE_SET_STORE_INFO) {
        if (s->has_info) /* SDKs repeat it; each store's info is written once, as Rerun */
            return REEL_OK;
        s->has_info = true;
        if (reel_buf_append(&s->info_payload, msg->payload.data, msg->payload.len) != REEL_OK)
            return reel_error_set(err, REEL_OUT_OF_MEMORY, "compact: out of memory");
        return REEL_OK;
    }
    if (msg->kind == REEL_RRD_MESSAGE_BLUEPRINT_ACTIVATION) {
        compact_activation a = {.store = index};
        reel_buf_init(&a.payload, NULL);
        if (reel_buf_append(&a.payload, msg->payload.data, msg->payload.len) != REEL_OK ||
            reel_vec_push(&st->activations, &a) != REEL_OK) {
            reel_buf_free(&a.payload);
            return reel_error_set(err, REEL_OUT_OF_MEMORY, "compact: out of memory");
        }
        return REEL_OK;
    }
    const reel_chunk *chunk = msg->arrow.chunk;
    s->before.chunks++;
    s->before.static_chunks += chunk->is_static;
    s->before.rows += (uint64_t)chunk->row_count;
    s->before.bytes += REEL_RRD_MESSAGE_HEADER_SIZE + msg->payload_len;
    return reel_store_insert(s->store, msg->arrow.chunk, err);
}

static reel_status compact_message(void *ctx, reel_rrd_message *msg, const reel_error *msg_error)
{
    compact_state *st = ctx;
    if (msg == NULL) {
        fprintf(stderr, "%s (skipped)\n", msg_error->message);
        st->bad_messages++;
        return REEL_OK;
    }
    reel_error err = {0};
    reel_status status = read_message(st, msg, &err);
    if (status != REEL_OK) {
        fprintf(stderr, "%s: message %" PRIu64 " at offset %" PRIu64 ": %s\n",
                strcmp(st->input, "-") == 0 ? "<stdin>" : st->input, msg->index, msg->offset,
                err.message);
        st->failed = true;
    }
    return status;
}

/* ---------------------------------------------------------------- compacting */

static uint64_t chunk_count(const reel_store *store)
{
    reel_store_stats stats;
    reel_store_get_stats(store, &stats);
    return stats.static_chunks + stats.temporal_chunks;
}

typedef struct reinsert_ctx {
    reel_store *into;
    reel_status status;
    reel_error *err;
} reinsert_ctx;

static void reinsert_chunk(void *ctx, const reel_chunk *chunk)
{
    reinsert_ctx *r = ctx;
    if (r->status == REEL_OK) /* insert retains; the chunk itself is never modified */
        r->status = reel_store_insert(r->into, (reel_chunk *)chunk, r->err);
}

/* Merges what is waiting, then runs up to `extra_passes` more passes as Rerun's optimize does:
 * each feeds the chunks to a fresh store, where chunks that ended up next to each other but
 * below the thresholds elect each other again; it stops as soon as a pass gains nothing. */
static reel_status compact_store_chunks(compact_store *s, const compact_options *options,
                                        reel_error *err)
{
    REEL_TRY(reel_store_compact(s->store, err));
    for (uint32_t pass = 0; pass < options->extra_passes; pass++) {
        reinsert_ctx r = {NULL, REEL_OK, err};
        REEL_TRY(reel_store_create(&options->store_desc, &r.into, err));
        reel_store_for_each_chunk(s->store, reinsert_chunk, &r);
        if (r.status == REEL_OK)
            r.status = reel_store_compact(r.into, err);
        if (r.status != REEL_OK || chunk_count(r.into) >= chunk_count(s->store)) {
            reel_store_destroy(r.into);
            return r.status;
        }
        reel_store_destroy(s->store);
        s->store = r.into;
        s->passes++;
    }
    return REEL_OK;
}

/* ---------------------------------------------------------------- writing */

typedef struct write_ctx {
    reel_rrd_writer *writer;
    const reel_store_id *store_id;
    compact_counts *after;
    reel_status status;
    reel_error *err;
} write_ctx;

static void write_chunk(void *ctx, const reel_chunk *chunk)
{
    write_ctx *w = ctx;
    if (w->status != REEL_OK)
        return;
    uint64_t start = reel_rrd_writer_bytes_written(w->writer);
    w->status = reel_rrd_writer_write_chunk(w->writer, w->store_id, chunk, w->err);
    w->after->chunks++;
    w->after->static_chunks += chunk->is_static;
    w->after->rows += (uint64_t)chunk->row_count;
    w->after->bytes += reel_rrd_writer_bytes_written(w->writer) - start;
}

/* Decodes a kept control message again and writes it as it was. */
static reel_status write_control(reel_rrd_writer *writer, reel_rrd_message_kind kind,
                                 const reel_buf *payload)
{
    reel_rrd_message msg = {0};
    reel_error err = {0};
    reel_status status = reel_rrd_message_decode(kind, REEL_RRD_ENVELOPE_NONE, payload->data,
                                                 payload->len, NULL, &msg, &err);
    if (status != REEL_OK) { /* it decoded once already */
        fprintf(stderr, "compact: %s\n", err.message);
        return status;
    }
    status = cli_write_control_message(writer, &msg); /* prints its own errors */
    reel_rrd_message_reset(&msg);
    return status;
}

/* The store's info, its chunks (static ones first, then by smallest RowId), then the
 * activations of this blueprint in input order. */
static reel_status write_store(compact_state *st, reel_rrd_writer *writer, size_t index)
{
    compact_store *s = &REEL_VEC_AT(&st->stores, compact_store, index);
    if (s->has_info)
        REEL_TRY(write_control(writer, REEL_RRD_MESSAGE_SET_STORE_INFO, &s->info_payload));
    reel_error err = {0};
    write_ctx w = {writer, &s->id, &s->after, REEL_OK, &err};
    reel_store_for_each_chunk(s->store, write_chunk, &w);
    if (w.status != REEL_OK) {
        fprintf(stderr, "%s\n", err.message);
        return w.status;
    }
    for (size_t i = 0; i < st->activations.len; i++) {
        const compact_activation *a = &REEL_VEC_AT(&st->activations, compact_activation, i);
        if (a->store == index)
            REEL_TRY(write_control(writer, REEL_RRD_MESSAGE_BLUEPRINT_ACTIVATION, &a->payload));
    }
    return REEL_OK;
}

/* Blueprints first, so that a viewer reading the file sets up its layout before the data
 * arrives (Rerun's optimize writes them first for that reason), then recordings; each group
 * in order of first sighting. */
static reel_status write_output(compact_state *st, reel_rrd_writer *writer)
{
    for (int pass = 0; pass < 2; pass++) {
        reel_store_kind kind = pass == 0 ? REEL_STORE_KIND_BLUEPRINT : REEL_STORE_KIND_RECORDING;
        for (size_t i = 0; i < st->stores.len; i++) {
            if (REEL_VEC_AT(&st->stores, compact_store, i).id.kind == kind)
                REEL_TRY(write_store(st, writer, i));
        }
    }
    return REEL_OK;
}

/* ---------------------------------------------------------------- report */

/* The thresholds in effect, 0 = none (the options hold them resolved, UINT64_MAX = none). */
static void thresholds(const compact_options *o, uint64_t out[3])
{
    const reel_store_desc *d = &o->store_desc;
    uint64_t values[3] = {d->chunk_max_bytes, d->chunk_max_rows, d->chunk_max_rows_if_unsorted};
    for (int i = 0; i < 3; i++)
        out[i] = values[i] == UINT64_MAX ? 0 : values[i];
}

static void print_store_id(FILE *out, const reel_store_id *id)
{
    fprintf(out, "%s %s/%s", cli_store_kind_name(id->kind),
            id->application_id ? id->application_id : "?", id->recording_id);
}

static void report_text(const compact_state *st, uint64_t out_bytes)
{
    const compact_options *o = st->options;
    compact_counts before = {0}, after = {0};
    for (size_t i = 0; i < st->stores.len; i++) {
        const compact_store *s = &REEL_VEC_AT(&st->stores, compact_store, i);
        before.chunks += s->before.chunks;
        after.chunks += s->after.chunks;
    }
    uint64_t limits[3];
    thresholds(o, limits);
    fprintf(stderr,
            "%s: %zu store(s), %" PRIu64 " -> %" PRIu64 " chunk(s), %" PRIu64
            " bytes (chunks up to %" PRIu64 " bytes, %" PRIu64 " rows, %" PRIu64
            " if unsorted; 0 = no limit)\n",
            o->output, st->stores.len, before.chunks, after.chunks, out_bytes, limits[0], limits[1],
            limits[2]);
    for (size_t i = 0; i < st->stores.len; i++) {
        const compact_store *s = &REEL_VEC_AT(&st->stores, compact_store, i);
        fprintf(stderr, "  ");
        print_store_id(stderr, &s->id);
        fprintf(stderr,
                ": chunks %" PRIu64 " -> %" PRIu64 " (static %" PRIu64 " -> %" PRIu64
                "), rows %" PRIu64 " -> %" PRIu64 ", chunk bytes %" PRIu64 " -> %" PRIu64 "\n",
                s->before.chunks, s->after.chunks, s->before.static_chunks, s->after.static_chunks,
                s->before.rows, s->after.rows, s->before.bytes, s->after.bytes);
        if (s->after.rows < s->before.rows)
            fprintf(stderr,
                    "    %" PRIu64 " row(s) not kept: static data overwritten by newer static "
                    "data, repeated chunks or chunks without components (as Rerun)\n",
                    s->before.rows - s->after.rows);
    }
}

static void json_counts(const char *name, const compact_counts *c)
{
    printf("\"%s\":{\"chunks\":%" PRIu64 ",\"static_chunks\":%" PRIu64 ",\"rows\":%" PRIu64
           ",\"bytes\":%" PRIu64 "}",
           name, c->chunks, c->static_chunks, c->rows, c->bytes);
}

static void report_json(const compact_state *st, uint64_t out_bytes, bool written)
{
    uint64_t limits[3];
    thresholds(st->options, limits);
    printf("{\"output\":");
    cli_json_string(stdout, st->options->output);
    printf(",\"written\":%s,\"bytes\":%" PRIu64 ",\"errors\":%" PRIu64, written ? "true" : "false",
           out_bytes, st->bad_messages);
    printf(",\"thresholds\":{\"max_bytes\":%" PRIu64 ",\"max_rows\":%" PRIu64
           ",\"max_rows_if_unsorted\":%" PRIu64 "},\"stores\":[",
           limits[0], limits[1], limits[2]);
    for (size_t i = 0; i < st->stores.len; i++) {
        const compact_store *s = &REEL_VEC_AT(&st->stores, compact_store, i);
        printf("%s{\"kind\":\"%s\",\"application_id\":", i ? "," : "",
               cli_store_kind_name(s->id.kind));
        s->id.application_id ? cli_json_string(stdout, s->id.application_id) : (void)printf("null");
        printf(",\"recording_id\":");
        cli_json_string(stdout, s->id.recording_id);
        printf(",\"extra_passes\":%" PRIu32 ",", s->passes);
        json_counts("before", &s->before);
        printf(",");
        json_counts("after", &s->after);
        printf("}");
    }
    printf("]}\n");
}

/* ---------------------------------------------------------------- arguments */

static void print_help(FILE *out)
{
    fprintf(out,
            "usage: reel rrd compact IN... -o OUT [options]\n\n"
            "Rewrites the inputs (- = standard input) into OUT with fewer, larger chunks:\n"
            "each store's chunks go through Reel's chunk store with compaction on, as\n"
            "`rerun rrd optimize` does. Rows keep their RowIds, times and values. Static\n"
            "data is kept as the store keeps it: a static chunk whose every component newer\n"
            "static data overwrote is dropped (as Rerun does). Store infos are written once\n"
            "per store, blueprint activations after their blueprint, blueprints first.\n\n"
            "options:\n"
            "  -o, --output OUT             the file to write (required)\n"
            "  --max-size SIZE              largest chunk compaction makes, e.g. 384KiB, 2MiB,\n"
            "                               1MB, 4096B (also --max-bytes N)\n"
            "  --max-rows N                 most rows of a chunk sorted on every timeline\n"
            "  --max-rows-if-unsorted N     most rows of a chunk unsorted on a timeline\n"
            "                               (never more than --max-rows)\n"
            "  --profile live|object-store  the thresholds to start from (default live:\n"
            "                               384KiB, 4096 rows, 1024 unsorted = the viewer\n"
            "                               store's defaults; object-store: 2MiB, 65536, 8192)\n"
            "  --num-pass N                 extra compaction passes, stopping early when one\n"
            "                               gains nothing (default %d)\n"
            "  --no-compress                write uncompressed chunks\n"
            "  --json                       also print the report as JSON on stdout\n\n"
            "A threshold of 0 disables it. Thresholds not given come from the environment\n"
            "(RERUN_CHUNK_MAX_BYTES, RERUN_CHUNK_MAX_ROWS, RERUN_CHUNK_MAX_ROWS_IF_UNSORTED),\n"
            "else from the profile. The report (chunks, rows and bytes before and after, per\n"
            "store) goes to stderr. Bad messages are reported and skipped, the good ones\n"
            "kept (exit code 2). Unlike `rerun rrd optimize`, Reel neither rebatches video\n"
            "streams on keyframes nor splits thick from thin columns.\n",
            COMPACT_DEFAULT_EXTRA_PASSES);
}

/* A count: decimal digits only; 0 means "no limit" (as in Rerun). */
static bool parse_count(const char *text, uint64_t *out)
{
    if (text[0] < '0' || text[0] > '9')
        return false;
    errno = 0;
    char *end = NULL;
    unsigned long long value = strtoull(text, &end, 10);
    if (errno != 0 || *end != '\0')
        return false;
    *out = value == 0 ? UINT64_MAX : (uint64_t)value;
    return true;
}

/* A size as Rerun's --max-size takes it (reel_parse_size: "2MiB", "1MB", "1024B", a bare
 * number of bytes); 0 disables the threshold. */
static bool parse_size(const char *text, uint64_t *out)
{
    uint64_t bytes = 0;
    if (reel_parse_size(text, &bytes, NULL) != REEL_OK)
        return false;
    *out = bytes == 0 ? UINT64_MAX : bytes;
    return true;
}

/* Sets *field to the profile's value unless a flag set it, or the environment will (the
 * store reads a non-empty RERUN_CHUNK_* variable for a zero field). */
static void profile_default(uint64_t *field, bool flag_set, const char *env, uint64_t value)
{
    const char *text = getenv(env);
    if (!flag_set && (text == NULL || text[0] == '\0'))
        *field = value;
}

/* Parses the options into `o`; inputs are gathered at the front of argv. Returns -1 to go on,
 * else an exit code. */
static int parse_args(int argc, char **argv, compact_options *o, int *inputs)
{
    bool object_store = false, set_bytes = false, set_rows = false, set_unsorted = false;
    o->extra_passes = COMPACT_DEFAULT_EXTRA_PASSES;
    for (int i = 1; i < argc; i++) {
        const char *arg = argv[i];
        if (cli_is_help(arg)) {
            print_help(stdout);
            return CLI_EXIT_OK;
        }
        bool takes_value = strcmp(arg, "-o") == 0 || strcmp(arg, "--output") == 0 ||
                           strcmp(arg, "--max-size") == 0 || strcmp(arg, "--max-bytes") == 0 ||
                           strcmp(arg, "--max-rows") == 0 ||
                           strcmp(arg, "--max-rows-if-unsorted") == 0 ||
                           strcmp(arg, "--profile") == 0 || strcmp(arg, "--num-pass") == 0;
        if (takes_value && i + 1 >= argc)
            return cli_usage_error("rrd compact", "%s needs a value", arg);
        const char *value = takes_value ? argv[++i] : NULL;
        uint64_t number = 0;
        if (strcmp(arg, "-o") == 0 || strcmp(arg, "--output") == 0) {
            o->output = value;
        } else if (strcmp(arg, "--max-size") == 0 || strcmp(arg, "--max-bytes") == 0) {
            if (!parse_size(value, &o->store_desc.chunk_max_bytes))
                return cli_usage_error("rrd compact", "bad size '%s' for %s (e.g. 2MiB, 1024B)",
                                       value, arg);
            set_bytes = true;
        } else if (strcmp(arg, "--max-rows") == 0 || strcmp(arg, "--max-rows-if-unsorted") == 0) {
            bool unsorted = strcmp(arg, "--max-rows-if-unsorted") == 0;
            if (!parse_count(value, unsorted ? &o->store_desc.chunk_max_rows_if_unsorted
                                             : &o->store_desc.chunk_max_rows))
                return cli_usage_error("rrd compact", "bad row count '%s' for %s", value, arg);
            *(unsorted ? &set_unsorted : &set_rows) = true;
        } else if (strcmp(arg, "--profile") == 0) {
            if (strcmp(value, "live") != 0 && strcmp(value, "object-store") != 0)
                return cli_usage_error("rrd compact", "unknown profile '%s' (live or object-store)",
                                       value);
            object_store = strcmp(value, "object-store") == 0;
        } else if (strcmp(arg, "--num-pass") == 0) {
            if (!parse_count(value, &number) || (number != UINT64_MAX && number > 1000000))
                return cli_usage_error("rrd compact", "bad pass count '%s'", value);
            o->extra_passes = number == UINT64_MAX ? 0 : (uint32_t)number;
        } else if (strcmp(arg, "--no-compress") == 0) {
            o->writer.compression = REEL_RRD_COMPRESSION_NONE;
        } else if (strcmp(arg, "--json") == 0) {
            o->json = true;
        } else if (arg[0] == '-' && arg[1] != '\0') {
            return cli_usage_error("rrd compact", "unknown option '%s'", arg);
        } else {
            argv[(*inputs)++] = argv[i];
        }
    }
    if (o->output == NULL)
        return cli_usage_error("rrd compact", "no output file (-o OUT)");
    if (*inputs == 0)
        return cli_usage_error("rrd compact", "no input file");
    if (object_store) { /* Rerun's OptimizationProfile::OBJECT_STORE thresholds */
        profile_default(&o->store_desc.chunk_max_bytes, set_bytes, "RERUN_CHUNK_MAX_BYTES",
                        2u * 1024u * 1024u);
        profile_default(&o->store_desc.chunk_max_rows, set_rows, "RERUN_CHUNK_MAX_ROWS", 65536);
        profile_default(&o->store_desc.chunk_max_rows_if_unsorted, set_unsorted,
                        "RERUN_CHUNK_MAX_ROWS_IF_UNSORTED", 8192);
    }
    return -1;
}

/* Resolves flags, environment and defaults once into explicit thresholds (UINT64_MAX = none),
 * so that every store and the report use the same. A chunk unsorted on a timeline never gets
 * more rows than a sorted one may (Rerun's optimize splits such chunks down to --max-rows). */
static reel_status resolve_thresholds(compact_options *o, reel_error *err)
{
    reel_store *probe = NULL;
    REEL_TRY(reel_store_create(&o->store_desc, &probe, err));
    uint64_t max_bytes, max_rows, max_unsorted;
    reel_store_thresholds(probe, &max_bytes, &max_rows, &max_unsorted);
    reel_store_destroy(probe);
    o->store_desc.chunk_max_bytes = max_bytes != 0 ? max_bytes : UINT64_MAX;
    o->store_desc.chunk_max_rows = max_rows != 0 ? max_rows : UINT64_MAX;
    max_unsorted = max_unsorted != 0 ? max_unsorted : UINT64_MAX;
    o->store_desc.chunk_max_rows_if_unsorted =
        max_unsorted < o->store_desc.chunk_max_rows ? max_unsorted : o->store_desc.chunk_max_rows;
    o->store_desc.ignore_env = true;
    return REEL_OK;
}

int cmd_rrd_compact(int argc, char **argv)
{
    compact_options options = {0};
    int inputs = 0;
    int exit_code = parse_args(argc, argv, &options, &inputs);
    if (exit_code >= 0)
        return exit_code;
    reel_error err = {0};
    if (resolve_thresholds(&options, &err) != REEL_OK) {
        fprintf(stderr, "reel rrd compact: %s\n", err.message);
        return CLI_EXIT_BAD_INPUT;
    }
    exit_code = CLI_EXIT_OK;
    compact_state st = {.options = &options};
    reel_vec_init(&st.stores, sizeof(compact_store), NULL);
    reel_vec_init(&st.activations, sizeof(compact_activation), NULL);
    /* Everything is read before anything is written: a store's chunks can come from any
     * input, in any order. */
    for (int i = 0; i < inputs && !st.failed; i++) {
        reel_error_clear(&err);
        st.input = argv[i];
        if (cli_read_rrd(argv[i], NULL, compact_message, &st, &err) != REEL_OK) {
            if (!st.failed)
                fprintf(stderr, "%s\n", err.message);
            exit_code = CLI_EXIT_BAD_INPUT;
        }
    }
    for (size_t i = 0; i < st.stores.len && !st.failed; i++) {
        reel_error_clear(&err);
        compact_store *s = &REEL_VEC_AT(&st.stores, compact_store, i);
        if (compact_store_chunks(s, &options, &err) != REEL_OK) {
            fprintf(stderr, "%s: %s\n", options.output, err.message);
            st.failed = true;
        }
    }
    reel_rrd_writer *writer = NULL;
    bool written = false;
    uint64_t out_bytes = 0;
    options.writer.name = options.output;
    reel_error_clear(&err);
    if (st.failed) {
        exit_code = CLI_EXIT_BAD_INPUT;
    } else if (reel_rrd_writer_create_path(options.output, &options.writer, &writer, &err) !=
               REEL_OK) {
        fprintf(stderr, "%s\n", err.message);
        exit_code = CLI_EXIT_BAD_INPUT;
    } else if (write_output(&st, writer) != REEL_OK) {
        exit_code = CLI_EXIT_BAD_INPUT; /* the writer's error was printed */
    } else if (reel_rrd_writer_finish(writer, &err) != REEL_OK) {
        fprintf(stderr, "%s\n", err.message);
        exit_code = CLI_EXIT_BAD_INPUT;
    } else {
        written = true;
        out_bytes = reel_rrd_writer_bytes_written(writer);
        report_text(&st, out_bytes);
    }
    if (options.json)
        report_json(&st, out_bytes, written);
    if (st.bad_messages > 0)
        exit_code = CLI_EXIT_BAD_INPUT;
    reel_rrd_writer_destroy(writer);
    free_state(&st);
    return exit_code;
}
