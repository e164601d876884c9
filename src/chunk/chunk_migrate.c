/* Sorbet migrations: the metadata rewrites Rerun applies to record batches written by older
 * versions, before the reader rules run. Only what is cheap and well defined is done (key
 * renames, descriptor rewiring, dropped indicator columns, component renames); data rewrites
 * (0.0.1 struct TUIDs and column reordering, 0.1.3 -> 0.1.4 blueprint TableCellKind) are not,
 * so such batches fail the reader rules or keep their old blueprint component. */
#include <stdio.h>
#include <string.h>

#include "chunk/chunk_internal.h"

#define CURRENT_VERSION REEL__SORBET_VERSION(0, 1, 4)

/* ---------------------------------------------------------------- string and map helpers */

static bool starts_with(const char *s, const char *prefix)
{
    return strncmp(s, prefix, strlen(prefix)) == 0;
}

static bool ends_with(const char *s, const char *suffix)
{
    size_t n = strlen(s), m = strlen(suffix);
    return n >= m && strcmp(s + n - m, suffix) == 0;
}

static char *concat(const char *a, const char *b, const char *c)
{
    size_t na = strlen(a), nb = strlen(b), nc = strlen(c);
    char *out = reel_alloc(NULL, na + nb + nc + 1);
    if (out != NULL) {
        memcpy(out, a, na);
        memcpy(out + na, b, nb);
        memcpy(out + na + nb, c, nc + 1);
    }
    return out;
}

/* *out = s with every `from` replaced by `to` (owned), or NULL when `from` does not occur. */
static reel_status replace_all(const char *s, const char *from, const char *to, char **out)
{
    *out = NULL;
    if (strstr(s, from) == NULL)
        return REEL_OK;
    reel_buf buf = {0};
    size_t from_len = strlen(from);
    for (const char *hit; (hit = strstr(s, from)) != NULL; s = hit + from_len) {
        if (reel_buf_append(&buf, s, (size_t)(hit - s)) != REEL_OK ||
            reel_buf_append(&buf, to, strlen(to)) != REEL_OK) {
            reel_buf_free(&buf);
            return REEL_OUT_OF_MEMORY;
        }
    }
    if (reel_buf_append(&buf, s, strlen(s) + 1) != REEL_OK) {
        reel_buf_free(&buf);
        return REEL_OUT_OF_MEMORY;
    }
    *out = reel_strdup(NULL, (const char *)buf.data);
    reel_buf_free(&buf);
    return *out != NULL ? REEL_OK : REEL_OUT_OF_MEMORY;
}

/* Removes `key`, handing its value to *value (owned; NULL when absent) if value != NULL. The
 * map is rebuilt, which is fine for the few keys of the few old batches that need it. */
static reel_status md_remove(reel_arrow_metadata *md, const char *key, char **value)
{
    const char *found = reel_arrow_metadata_get(md, key);
    if (value != NULL)
        *value = NULL;
    if (found == NULL)
        return REEL_OK;
    char *copy = reel_strdup(NULL, found);
    reel_arrow_metadata rebuilt = {0};
    reel_status status = copy != NULL ? REEL_OK : REEL_OUT_OF_MEMORY;
    for (int32_t i = 0; i < md->count && status == REEL_OK; i++) {
        if (strcmp(md->items[i].key, key) != 0)
            status = reel_arrow_metadata_set(&rebuilt, NULL, md->items[i].key, md->items[i].value);
    }
    if (status != REEL_OK || value == NULL)
        reel_strfree(NULL, copy);
    if (status != REEL_OK) {
        reel_arrow_metadata_reset(&rebuilt, NULL);
        return status;
    }
    reel_arrow_metadata_reset(md, NULL);
    *md = rebuilt;
    if (value != NULL)
        *value = copy;
    return REEL_OK;
}

static reel_status md_rename(reel_arrow_metadata *md, const char *old_key, const char *new_key)
{
    char *value;
    REEL_TRY(md_remove(md, old_key, &value));
    reel_status status =
        value != NULL ? reel_arrow_metadata_set(md, NULL, new_key, value) : REEL_OK;
    reel_strfree(NULL, value);
    return status;
}

/* Sets `key` to `value` (owned, freed here; NULL = out of memory). */
static reel_status md_set_owned(reel_arrow_metadata *md, const char *key, char *value)
{
    if (value == NULL)
        return REEL_OUT_OF_MEMORY;
    reel_status status = reel_arrow_metadata_set(md, NULL, key, value);
    reel_strfree(NULL, value);
    return status;
}

static bool md_is(const reel_arrow_metadata *md, const char *key, const char *value)
{
    const char *found = reel_arrow_metadata_get(md, key);
    return found != NULL && strcmp(found, value) == 0;
}

/* ---------------------------------------------------------------- versions */

static bool parse_number(const char **s, uint64_t max, uint64_t *out)
{
    const char *p = *s;
    uint64_t value = 0;
    if (*p < '0' || *p > '9')
        return false;
    for (; *p >= '0' && *p <= '9'; p++) {
        value = value * 10 + (uint64_t)(*p - '0');
        if (value > max)
            return false;
    }
    *s = p;
    *out = value;
    return true;
}

uint64_t reel__chunk_sorbet_version(const reel_arrow_metadata *schema_md)
{
    const char *text = reel_arrow_metadata_get(schema_md, "sorbet:version");
    if (text == NULL) {
        /* Rerun's guess: "rerun." keys mean <= 0.23 (0.0.1), "rerun:version" a nightly
         * between 0.23 and 0.24 (0.0.2), anything else is migrated all the way. */
        for (int32_t i = 0; i < schema_md->count; i++) {
            if (starts_with(schema_md->items[i].key, "rerun."))
                return REEL__SORBET_VERSION(0, 0, 1);
        }
        if (reel_arrow_metadata_get(schema_md, "rerun:version") != NULL)
            return REEL__SORBET_VERSION(0, 0, 2);
        return REEL__SORBET_VERSION(0, 0, 1);
    }
    const char *p = text;
    uint64_t major, minor, patch;
    if (parse_number(&p, UINT32_MAX, &major) && *p++ == '.' && parse_number(&p, 0xFFFF, &minor) &&
        *p++ == '.' && parse_number(&p, 0xFFFF, &patch) && (*p == '\0' || *p == '-' || *p == '+'))
        return REEL__SORBET_VERSION(major, minor, patch);
    reel_log(REEL_LOG_WARN, "chunk", "unparsable sorbet:version '%s': read as %s", text,
             REEL_CHUNK_SORBET_VERSION);
    return CURRENT_VERSION;
}

/* ---------------------------------------------------------------- 0.0.2 -> 0.1.0 */

static const char *trim_archetype_prefix(const char *name)
{
    while (*name == ' ' || *name == '\t' || *name == '\n' || *name == '\r')
        name++;
    while (starts_with(name, "rerun.archetypes."))
        name += strlen("rerun.archetypes.");
    while (starts_with(name, "rerun.blueprint.archetypes."))
        name += strlen("rerun.blueprint.archetypes.");
    return name;
}

/* Old descriptors (rerun.archetype + rerun.archetype_field + rerun.component) become
 * (rerun:archetype, rerun:component = "<Archetype>:<field>", rerun:component_type). */
static reel_status rewire_descriptor(reel__chunk_column *col)
{
    reel_arrow_metadata *md = &col->metadata;
    char *component, *archetype = NULL, *field = NULL;
    if (ends_with(col->name, "Indicator")) {
        REEL_TRY(md_remove(md, "rerun.component", &component));
        if (component == NULL)
            component = starts_with(col->name, "rerun.")
                            ? reel_strdup(NULL, col->name)
                            : concat("rerun.components.", col->name, "");
        REEL_TRY(md_set_owned(md, "rerun:component", component));
        REEL_TRY(md_remove(md, "rerun.archetype", NULL));
        return md_remove(md, "rerun.archetype_field", NULL);
    }
    REEL_TRY(md_remove(md, "rerun.component", &component));
    if (component == NULL)
        return REEL_OK;
    reel_status status = md_remove(md, "rerun.archetype", &archetype);
    if (status == REEL_OK)
        status = md_remove(md, "rerun.archetype_field", &field);
    char *new_component = NULL, *component_type = NULL;
    if (status == REEL_OK) {
        if (archetype == NULL && field != NULL) {
            new_component = field, component_type = component;
            field = component = NULL;
        } else if (field == NULL && (archetype == NULL || ends_with(component, "Indicator"))) {
            new_component = component, component = NULL;
            reel_strfree(NULL, archetype), archetype = NULL;
        } else if (field != NULL) {
            new_component = concat(trim_archetype_prefix(archetype), ":", field);
            component_type = component, component = NULL;
        } else {
            new_component = reel_strdup(NULL, component);
            component_type = component, component = NULL;
        }
        if (archetype != NULL)
            status = reel_arrow_metadata_set(md, NULL, "rerun:archetype", archetype);
        if (status == REEL_OK)
            status = md_set_owned(md, "rerun:component", new_component);
        new_component = NULL;
        if (status == REEL_OK && component_type != NULL)
            status = reel_arrow_metadata_set(md, NULL, "rerun:component_type", component_type);
    }
    reel_strfree(NULL, component);
    reel_strfree(NULL, archetype);
    reel_strfree(NULL, field);
    reel_strfree(NULL, component_type);
    return status;
}

static bool any_dotted_key(const reel_arrow_metadata *md)
{
    for (int32_t i = 0; i < md->count; i++) {
        if (starts_with(md->items[i].key, "rerun."))
            return true;
    }
    return false;
}

static reel_status migrate_v0_0_2(reel_arrow_metadata *schema_md, reel__chunk_column *cols,
                                  int32_t n)
{
    bool needed = any_dotted_key(schema_md);
    for (int32_t c = 0; c < n && !needed; c++)
        needed = any_dotted_key(&cols[c].metadata);
    if (!needed)
        return REEL_OK;
    static const char *const renamed[] = {
        "index_name",   "entity_path",           "kind",     "is_static", "is_indicator",
        "is_tombstone", "is_semantically_empty", "is_sorted"};
    for (int32_t c = 0; c < n; c++) {
        for (size_t k = 0; k < sizeof renamed / sizeof renamed[0]; k++) {
            char old_key[64], new_key[64];
            snprintf(old_key, sizeof old_key, "rerun.%s", renamed[k]);
            snprintf(new_key, sizeof new_key, "rerun:%s", renamed[k]);
            REEL_TRY(md_rename(&cols[c].metadata, old_key, new_key));
        }
        REEL_TRY(rewire_descriptor(&cols[c]));
    }
    reel_arrow_metadata rebuilt = {0};
    reel_status status = REEL_OK;
    for (int32_t i = 0; i < schema_md->count && status == REEL_OK; i++) {
        const reel_arrow_kv *kv = &schema_md->items[i];
        if (strcmp(kv->key, "rerun.version") == 0)
            continue;
        char *key;
        status = replace_all(kv->key, "rerun.", "rerun:", &key);
        if (status == REEL_OK)
            status = reel_arrow_metadata_set(&rebuilt, NULL, key ? key : kv->key, kv->value);
        reel_strfree(NULL, key);
    }
    if (status != REEL_OK) {
        reel_arrow_metadata_reset(&rebuilt, NULL);
        return status;
    }
    reel_arrow_metadata_reset(schema_md, NULL);
    *schema_md = rebuilt;
    return REEL_OK;
}

/* RecordingProperties at /__properties/recording became RecordingInfo at /__properties. */
static reel_status port_recording_info(reel_arrow_metadata *schema_md, reel__chunk_column *cols,
                                       int32_t n)
{
    if (md_is(schema_md, "rerun:entity_path", "/__properties/recording"))
        REEL_TRY(reel_arrow_metadata_set(schema_md, NULL, "rerun:entity_path", "/__properties"));
    for (int32_t c = 0; c < n; c++) {
        char *renamed;
        REEL_TRY(replace_all(cols[c].name, "RecordingProperties", "RecordingInfo", &renamed));
        if (renamed != NULL) {
            reel_strfree(NULL, cols[c].name);
            cols[c].name = renamed;
        }
        REEL_TRY(replace_all(cols[c].name, "property:recording:RecordingInfo:",
                             "property:RecordingInfo:", &renamed));
        if (renamed != NULL) {
            reel_strfree(NULL, cols[c].name);
            cols[c].name = renamed;
        }
        reel_arrow_metadata *md = &cols[c].metadata;
        if (md_is(md, "rerun:entity_path", "/__properties/recording"))
            REEL_TRY(reel_arrow_metadata_set(md, NULL, "rerun:entity_path", "/__properties"));
        for (int32_t i = 0; i < md->count; i++) {
            REEL_TRY(
                replace_all(md->items[i].value, "RecordingProperties", "RecordingInfo", &renamed));
            if (renamed != NULL) {
                reel_strfree(NULL, md->items[i].value);
                md->items[i].value = renamed;
            }
        }
    }
    return REEL_OK;
}

/* ---------------------------------------------------------------- 0.1.0 -> 0.1.3 */

static void drop_indicators(reel__chunk_column *cols, int32_t n)
{
    for (int32_t c = 0; c < n; c++) {
        const char *flag = reel_arrow_metadata_get(&cols[c].metadata, "rerun:is_indicator");
        const char *component = reel_arrow_metadata_get(&cols[c].metadata, "rerun:component");
        if (flag != NULL)
            cols[c].dropped = cols[c].dropped || strcmp(flag, "true") == 0;
        else if (component != NULL && starts_with(component, "rerun.components.") &&
                 ends_with(component, "Indicator"))
            cols[c].dropped = true;
    }
}

static reel_status rename_value(reel_arrow_metadata *md, const char *key,
                                const char *const (*map)[2], size_t n_map)
{
    for (size_t i = 0; i < n_map; i++) {
        if (md_is(md, key, map[i][0]))
            return reel_arrow_metadata_set(md, NULL, key, map[i][1]);
    }
    return REEL_OK;
}

static reel_status migrate_v0_1_1(reel__chunk_column *cols, int32_t n)
{
    static const char *const poses[][2] = {
        {"rerun.components.PoseTranslation3D", "rerun.components.Translation3D"},
        {"rerun.components.PoseRotationAxisAngle", "rerun.components.RotationAxisAngle"},
        {"rerun.components.PoseRotationQuat", "rerun.components.RotationQuat"},
        {"rerun.components.PoseScale3D", "rerun.components.Scale3D"},
        {"rerun.components.PoseTransformMat3x3", "rerun.components.TransformMat3x3"},
    };
    static const char *const frame[][2] = {{"CoordinateFrame:frame_id", "CoordinateFrame:frame"}};
    for (int32_t c = 0; c < n; c++) {
        reel_arrow_metadata *md = &cols[c].metadata;
        REEL_TRY(rename_value(md, "rerun:component_type", poses, 5));
        if (md_is(md, "rerun:component", "Transform3D:axis_length")) {
            REEL_TRY(reel_arrow_metadata_set(md, NULL, "rerun:archetype",
                                             "rerun.archetypes.TransformAxes3D"));
            REEL_TRY(reel_arrow_metadata_set(md, NULL, "rerun:component",
                                             "TransformAxes3D:axis_length"));
        }
        REEL_TRY(rename_value(md, "rerun:component", frame, 1));
    }
    return REEL_OK;
}

static reel_status migrate_v0_1_2(reel__chunk_column *cols, int32_t n)
{
    static const char *const visible[][2] = {
        {"rerun.components.SeriesVisible", "rerun.components.Visible"}};
    for (int32_t c = 0; c < n; c++)
        REEL_TRY(rename_value(&cols[c].metadata, "rerun:component_type", visible, 1));
    return REEL_OK;
}

reel_status reel__chunk_migrate(uint64_t version, reel_arrow_metadata *schema_md,
                                reel__chunk_column *cols, int32_t n)
{
    if (version < REEL__SORBET_VERSION(0, 1, 0)) {
        REEL_TRY(migrate_v0_0_2(schema_md, cols, n));
        REEL_TRY(port_recording_info(schema_md, cols, n));
    }
    if (version < REEL__SORBET_VERSION(0, 1, 1))
        drop_indicators(cols, n);
    if (version < REEL__SORBET_VERSION(0, 1, 2))
        REEL_TRY(migrate_v0_1_1(cols, n));
    if (version < REEL__SORBET_VERSION(0, 1, 3))
        REEL_TRY(migrate_v0_1_2(cols, n));
    if (version < REEL__SORBET_VERSION(0, 1, 4)) {
        for (int32_t c = 0; c < n; c++) {
            if (md_is(&cols[c].metadata, "rerun:component_type",
                      "rerun.blueprint.components.TableCellKind"))
                reel_log(REEL_LOG_WARN, "chunk",
                         "column '%s': the TableCellKind -> ColumnType migration of Sorbet 0.1.4 "
                         "is not supported; the column is kept as it is",
                         cols[c].name);
        }
    }
    return REEL_OK;
}
