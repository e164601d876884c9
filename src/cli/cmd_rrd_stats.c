/* `reel rrd stats [--json] FILE...`: what a recording holds — per store its entities,
 * chunks, rows, timelines (time ranges) and components (rows, instances, bytes), and the
 * bytes on disk against the bytes decoded (the compression ratio). --json prints the same
 * as one JSON document, which the interop tests compare with what the SDK logged. */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"

/* A named counter row: entities, timelines and components all use it. */
typedef struct stat_row {
    char *name;
    const char *kind_text;  /* timelines: type name */
    char *archetype;        /* components */
    char *component_type;   /* components */
    int64_t chunks;
    int64_t rows;      /* entities/timelines: rows; components: rows that logged it */
    int64_t instances; /* components */
    uint64_t bytes;    /* decoded Arrow bytes of the column(s) */
    int64_t min, max;  /* timelines */
} stat_row;

/* Rows kept in a vector, found by name through a map (name -> index). */
typedef struct stat_table {
    reel_vec rows;
    reel_map index;
} stat_table;

typedef struct store_stats {
    reel_store_id id;
    int64_t chunks, static_chunks, rows;
    uint64_t compressed_bytes, uncompressed_bytes;
    stat_table entities, timelines, components;
} store_stats;

typedef struct stats_state {
    const char *path;
    int64_t messages, errors;
    reel_vec stores; /* store_stats */
} stats_state;

static void table_init(stat_table *t)
{
    reel_vec_init(&t->rows, sizeof(stat_row), NULL);
    reel_map_init(&t->index, NULL);
}

static void table_free(stat_table *t)
{
    for (size_t i = 0; i < t->rows.len; i++) {
        stat_row *row = &REEL_VEC_AT(&t->rows, stat_row, i);
        reel_strfree(NULL, row->name);
        reel_strfree(NULL, row->archetype);
        reel_strfree(NULL, row->component_type);
    }
    reel_vec_free(&t->rows);
    reel_map_free(&t->index);
}

static stat_row *table_row(stat_table *t, const char *name)
{
    uint64_t index;
    if (reel_map_get(&t->index, name, strlen(name), &index))
        return &REEL_VEC_AT(&t->rows, stat_row, index);
    stat_row row = {.name = reel_strdup(NULL, name), .min = INT64_MAX, .max = INT64_MIN};
    if (row.name == NULL || reel_map_put(&t->index, name, strlen(name), t->rows.len) != REEL_OK ||
        reel_vec_push(&t->rows, &row) != REEL_OK) {
        reel_strfree(NULL, row.name);
        return NULL;
    }
    return &REEL_VEC_AT(&t->rows, stat_row, t->rows.len - 1);
}

static int compare_rows(const void *a, const void *b)
{
    return strcmp(((const stat_row *)a)->name, ((const stat_row *)b)->name);
}

/* Sorts by name for output (the map is not needed after this). */
static void table_sort(stat_table *t)
{
    if (t->rows.len > 1) /* an empty vector has no data pointer */
        qsort(t->rows.data, t->rows.len, sizeof(stat_row), compare_rows);
}

static store_stats *find_store(stats_state *st, const reel_store_id *id)
{
    for (size_t i = 0; i < st->stores.len; i++) {
        store_stats *s = &REEL_VEC_AT(&st->stores, store_stats, i);
        if (reel_store_id_equal(&s->id, id))
            return s;
    }
    store_stats s = {0};
    if (reel_store_id_copy(&s.id, id, NULL) != REEL_OK)
        return NULL;
    table_init(&s.entities);
    table_init(&s.timelines);
    table_init(&s.components);
    if (reel_vec_push(&st->stores, &s) != REEL_OK) {
        reel_store_id_reset(&s.id, NULL);
        return NULL;
    }
    return &REEL_VEC_AT(&st->stores, store_stats, st->stores.len - 1);
}

static uint64_t array_bytes(const reel_arrow_array *array)
{
    uint64_t bytes = 0;
    for (int32_t i = 0; i < array->n_buffers; i++)
        bytes += (uint64_t)array->buffers[i].size;
    for (int32_t i = 0; i < array->n_children; i++)
        bytes += array_bytes(&array->children[i]);
    return bytes;
}

static reel_status add_chunk(store_stats *s, const reel_rrd_message *msg)
{
    const reel_chunk *chunk = msg->arrow.chunk;
    s->chunks++;
    s->static_chunks += chunk->is_static;
    s->rows += chunk->row_count;
    s->compressed_bytes += msg->arrow.compressed_size;
    s->uncompressed_bytes += msg->arrow.uncompressed_size;

    stat_row *entity = table_row(&s->entities, chunk->entity_path);
    if (entity == NULL)
        return REEL_OUT_OF_MEMORY;
    entity->chunks++;
    entity->rows += chunk->row_count;
    entity->bytes += array_bytes(&chunk->row_ids);

    for (int32_t i = 0; i < chunk->n_timelines; i++) {
        const reel_chunk_timeline *tl = &chunk->timelines[i];
        stat_row *row = table_row(&s->timelines, tl->name);
        if (row == NULL)
            return REEL_OUT_OF_MEMORY;
        row->kind_text = cli_time_type_name(tl->type);
        row->chunks++;
        row->rows += chunk->row_count;
        row->bytes += array_bytes(&tl->times);
        if (chunk->row_count > 0) {
            row->min = tl->min < row->min ? tl->min : row->min;
            row->max = tl->max > row->max ? tl->max : row->max;
        }
        entity->bytes += array_bytes(&tl->times);
    }
    for (int32_t i = 0; i < chunk->n_components; i++) {
        const reel_chunk_component *comp = &chunk->components[i];
        stat_row *row = table_row(&s->components, comp->descriptor.component);
        if (row == NULL)
            return REEL_OUT_OF_MEMORY;
        if (row->archetype == NULL && comp->descriptor.archetype != NULL)
            row->archetype = reel_strdup(NULL, comp->descriptor.archetype);
        if (row->component_type == NULL && comp->descriptor.component_type != NULL)
            row->component_type = reel_strdup(NULL, comp->descriptor.component_type);
        row->chunks++;
        for (int64_t r = 0; r < chunk->row_count; r++) {
            if (reel_arrow_array_is_null(&comp->field, &comp->lists, r))
                continue;
            int64_t start, end;
            reel_arrow_array_get_list_range(&comp->field, &comp->lists, r, &start, &end);
            row->rows++;
            row->instances += end - start;
        }
        uint64_t bytes = array_bytes(&comp->lists);
        row->bytes += bytes;
        entity->bytes += bytes;
    }
    return REEL_OK;
}

static reel_status stats_message(void *ctx, reel_rrd_message *msg, const reel_error *msg_error)
{
    stats_state *st = ctx;
    if (msg == NULL) {
        fprintf(stderr, "%s\n", msg_error->message);
        st->errors++;
        return REEL_OK;
    }
    st->messages++;
    const reel_store_id *id = msg->kind == REEL_RRD_MESSAGE_SET_STORE_INFO
                                  ? &msg->store_info.store_id
                                  : &msg->store_id;
    if (msg->kind == REEL_RRD_MESSAGE_END)
        return REEL_OK;
    store_stats *s = find_store(st, id);
    if (s == NULL)
        return REEL_OUT_OF_MEMORY;
    if (msg->kind == REEL_RRD_MESSAGE_ARROW_MSG && msg->arrow.chunk != NULL)
        return add_chunk(s, msg);
    return REEL_OK;
}

static double ratio(uint64_t uncompressed, uint64_t compressed)
{
    return compressed ? (double)uncompressed / (double)compressed : 1.0;
}

static void print_text(const stats_state *st)
{
    printf("%s: %" PRId64 " message(s), %zu store(s)\n", st->path, st->messages, st->stores.len);
    for (size_t i = 0; i < st->stores.len; i++) {
        const store_stats *s = &REEL_VEC_AT(&st->stores, store_stats, i);
        printf("\n%s %s/%s\n", cli_store_kind_name(s->id.kind),
               s->id.application_id ? s->id.application_id : "<no app id>", s->id.recording_id);
        printf("  chunks %" PRId64 " (%" PRId64 " static), rows %" PRId64 ", entities %zu\n",
               s->chunks, s->static_chunks, s->rows, s->entities.rows.len);
        printf("  bytes on disk %" PRIu64 ", decoded %" PRIu64 ", compression ratio %.2f\n",
               s->compressed_bytes, s->uncompressed_bytes,
               ratio(s->uncompressed_bytes, s->compressed_bytes));
        printf("  entities:\n");
        for (size_t k = 0; k < s->entities.rows.len; k++) {
            const stat_row *r = &REEL_VEC_AT(&s->entities.rows, stat_row, k);
            printf("    %-40s chunks %6" PRId64 "  rows %9" PRId64 "  bytes %" PRIu64 "\n",
                   r->name, r->chunks, r->rows, r->bytes);
        }
        printf("  timelines:\n");
        for (size_t k = 0; k < s->timelines.rows.len; k++) {
            const stat_row *r = &REEL_VEC_AT(&s->timelines.rows, stat_row, k);
            printf("    %-20s %-9s chunks %6" PRId64 "  rows %9" PRId64 "  range [%" PRId64
                   ", %" PRId64 "]  bytes %" PRIu64 "\n",
                   r->name, r->kind_text, r->chunks, r->rows, r->min, r->max, r->bytes);
        }
        printf("  components:\n");
        for (size_t k = 0; k < s->components.rows.len; k++) {
            const stat_row *r = &REEL_VEC_AT(&s->components.rows, stat_row, k);
            printf("    %-40s chunks %6" PRId64 "  rows %9" PRId64 "  instances %10" PRId64
                   "  bytes %" PRIu64 "\n",
                   r->name, r->chunks, r->rows, r->instances, r->bytes);
        }
    }
}

static void print_json_rows(const stat_table *t, const char *what)
{
    printf("\"%s\":{", what);
    for (size_t k = 0; k < t->rows.len; k++) {
        const stat_row *r = &REEL_VEC_AT(&t->rows, stat_row, k);
        printf("%s", k ? "," : "");
        cli_json_string(stdout, r->name);
        printf(":{\"chunks\":%" PRId64 ",\"rows\":%" PRId64 ",\"bytes\":%" PRIu64, r->chunks,
               r->rows, r->bytes);
        if (r->kind_text != NULL)
            printf(",\"type\":\"%s\",\"min\":%" PRId64 ",\"max\":%" PRId64, r->kind_text, r->min,
                   r->max);
        if (strcmp(what, "components") == 0) {
            printf(",\"instances\":%" PRId64 ",\"archetype\":", r->instances);
            r->archetype ? cli_json_string(stdout, r->archetype) : (void)printf("null");
            printf(",\"component_type\":");
            r->component_type ? cli_json_string(stdout, r->component_type)
                              : (void)printf("null");
        }
        printf("}");
    }
    printf("}");
}

static void print_json(const stats_state *st)
{
    printf("{\"path\":");
    cli_json_string(stdout, st->path);
    printf(",\"messages\":%" PRId64 ",\"errors\":%" PRId64 ",\"stores\":[", st->messages,
           st->errors);
    for (size_t i = 0; i < st->stores.len; i++) {
        const store_stats *s = &REEL_VEC_AT(&st->stores, store_stats, i);
        printf("%s{\"kind\":\"%s\",\"application_id\":", i ? "," : "",
               cli_store_kind_name(s->id.kind));
        s->id.application_id ? cli_json_string(stdout, s->id.application_id)
                             : (void)printf("null");
        printf(",\"recording_id\":");
        cli_json_string(stdout, s->id.recording_id);
        printf(",\"chunks\":%" PRId64 ",\"static_chunks\":%" PRId64 ",\"rows\":%" PRId64
               ",\"compressed_bytes\":%" PRIu64 ",\"uncompressed_bytes\":%" PRIu64
               ",\"compression_ratio\":%.4f,",
               s->chunks, s->static_chunks, s->rows, s->compressed_bytes, s->uncompressed_bytes,
               ratio(s->uncompressed_bytes, s->compressed_bytes));
        print_json_rows(&s->entities, "entities");
        printf(",");
        print_json_rows(&s->timelines, "timelines");
        printf(",");
        print_json_rows(&s->components, "components");
        printf("}");
    }
    printf("]}");
}

static void print_help(FILE *out)
{
    fprintf(out, "usage: reel rrd stats [--json] FILE...\n\n"
                 "Summarises each .rrd/.rbl file (- = standard input): per store its chunks,\n"
                 "rows, entities, timelines (type, time range) and components (rows that\n"
                 "logged them, instances, decoded bytes), and bytes on disk against decoded\n"
                 "bytes (compression ratio).\n\n"
                 "options:\n"
                 "  --json   print {\"files\": [...]} as JSON instead of text\n");
}

int cmd_rrd_stats(int argc, char **argv)
{
    bool json = false;
    int files = 0;
    for (int i = 1; i < argc; i++) {
        if (cli_is_help(argv[i])) {
            print_help(stdout);
            return CLI_EXIT_OK;
        }
        if (strcmp(argv[i], "--json") == 0)
            json = true;
        else if (argv[i][0] == '-' && argv[i][1] != '\0')
            return cli_usage_error("rrd stats", "unknown option '%s'", argv[i]);
        else
            files++;
    }
    if (files == 0)
        return cli_usage_error("rrd stats", "no input file (use - for standard input)");

    int exit_code = CLI_EXIT_OK, printed = 0;
    if (json)
        printf("{\"files\":[");
    for (int i = 1; i < argc; i++) {
        if (argv[i][0] == '-' && argv[i][1] != '\0')
            continue;
        stats_state st = {.path = argv[i]};
        reel_vec_init(&st.stores, sizeof(store_stats), NULL);
        reel_error err = {0};
        reel_status status = cli_read_rrd(argv[i], NULL, stats_message, &st, &err);
        if (status != REEL_OK) {
            fprintf(stderr, "%s\n", err.message);
            st.errors++;
        }
        if (st.errors > 0)
            exit_code = CLI_EXIT_BAD_INPUT;
        for (size_t k = 0; k < st.stores.len; k++) {
            store_stats *s = &REEL_VEC_AT(&st.stores, store_stats, k);
            table_sort(&s->entities);
            table_sort(&s->timelines);
            table_sort(&s->components);
        }
        if (json) {
            printf("%s", printed++ ? "," : "");
            print_json(&st);
        } else {
            print_text(&st);
        }
        for (size_t k = 0; k < st.stores.len; k++) {
            store_stats *s = &REEL_VEC_AT(&st.stores, store_stats, k);
            reel_store_id_reset(&s->id, NULL);
            table_free(&s->entities);
            table_free(&s->timelines);
            table_free(&s->components);
        }
        reel_vec_free(&st.stores);
    }
    if (json)
        printf("]}\n");
    return exit_code;
}
