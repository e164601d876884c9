/* The entity tree: every prefix of a logged entity path is an entity with an id, a parent and
 * children kept in Rerun's order (EntityPathPart's Ord: "__" parts last, else the natord
 * natural order with ASCII case folding that re_log_types uses, so "image2" < "image10"), plus
 * per-entity and per-subtree chunk counts. */
#include "store/store_internal.h"

/* ---------------------------------------------------------------- natural order */

typedef struct nat_reader {
    const unsigned char *p, *end;
} nat_reader;

/* Next code point, or -1 at the end. Input is valid UTF-8 (entity paths are checked). */
static int32_t nat_next(nat_reader *r)
{
    if (r->p >= r->end)
        return -1;
    uint32_t c = *r->p++;
    int extra = c >= 0xF0 ? 3 : c >= 0xE0 ? 2 : c >= 0xC0 ? 1 : 0;
    if (extra > 0)
        c &= 0x3F >> extra;
    while (extra-- > 0 && r->p < r->end)
        c = (c << 6) | (*r->p++ & 0x3F);
    return (int32_t)c;
}

static int digit_of(int32_t c)
{
    return c >= '0' && c <= '9' ? c - '0' : -1;
}

static int cmp_int(int64_t a, int64_t b)
{
    return (a > b) - (a < b);
}

/* Rerun's compare_chars: ASCII case-insensitive first, then by code point. */
static int cmp_chars(int32_t a, int32_t b)
{
    int32_t al = a >= 'A' && a <= 'Z' ? a + 32 : a;
    int32_t bl = b >= 'A' && b <= 'Z' ? b + 32 : b;
    return al == bl ? cmp_int(a, b) : cmp_int(al, bl);
}

/* natord::compare_iter with no skipped characters and decimal digits. */
static int natural_compare(const char *a, size_t a_len, const char *b, size_t b_len)
{
    nat_reader ra = {(const unsigned char *)a, (const unsigned char *)a + a_len};
    nat_reader rb = {(const unsigned char *)b, (const unsigned char *)b + b_len};
    int32_t l = nat_next(&ra), r = nat_next(&rb);
    for (;;) {
        if (l < 0 || r < 0)
            return (l >= 0) - (r >= 0);
        int ld = digit_of(l), rd = digit_of(r);
        if (ld >= 0 && rd >= 0) {
            if (ld == 0 || rd == 0) { /* left-aligned: "015" < "12" */
                if (ld != rd)
                    return cmp_int(ld, rd);
                for (;;) {
                    l = nat_next(&ra), r = nat_next(&rb);
                    ld = l >= 0 ? digit_of(l) : -1, rd = r >= 0 ? digit_of(r) : -1;
                    if (ld >= 0 && rd >= 0) {
                        if (ld != rd)
                            return cmp_int(ld, rd);
                    } else if (ld >= 0 || rd >= 0) {
                        return ld >= 0 ? 1 : -1;
                    } else {
                        break;
                    }
                }
            } else { /* right-aligned: "15" < "123" */
                int last = cmp_int(ld, rd);
                for (;;) {
                    l = nat_next(&ra), r = nat_next(&rb);
                    ld = l >= 0 ? digit_of(l) : -1, rd = r >= 0 ? digit_of(r) : -1;
                    if (ld >= 0 && rd >= 0) {
                        if (last == 0)
                            last = cmp_int(ld, rd);
                    } else if (ld >= 0 || rd >= 0) {
                        return ld >= 0 ? 1 : -1;
                    } else {
                        break;
                    }
                }
                if (last != 0)
                    return last;
            }
            continue; /* l and r already hold the characters after the digits */
        }
        int c = cmp_chars(l, r);
        if (c != 0)
            return c;
        l = nat_next(&ra), r = nat_next(&rb);
    }
}

static bool reserved(const store_entity *e)
{
    return e->name_len >= 2 && e->name[0] == '_' && e->name[1] == '_';
}

static int part_compare(const store_entity *a, const store_entity *b)
{
    bool ra = reserved(a), rb = reserved(b);
    if (ra != rb)
        return ra ? 1 : -1;
    return natural_compare(a->name, a->name_len, b->name, b->name_len);
}

/* ---------------------------------------------------------------- entities */

/* Length of the parent's canonical path inside `path` (0 for the root). */
static size_t parent_length(const char *path)
{
    size_t last = 0;
    for (size_t i = 1; path[i] != '\0'; i++) {
        if (path[i] == '\\' && path[i + 1] != '\0')
            i++;
        else if (path[i] == '/')
            last = i;
    }
    return last == 0 ? 1 : last; /* "/a" -> "/" */
}

static reel_status unescaped_name(reel_store *store, const char *segment, store_entity *e)
{
    reel_buf part = {0};
    size_t cursor = 0;
    reel_status status = reel_entity_path_split(segment, strlen(segment), &cursor, &part, NULL);
    if (status == REEL_NOT_FOUND)
        status = REEL_OK; /* cannot happen for a canonical non-root path; keep "" */
    if (status == REEL_OK) {
        e->name = reel_alloc(&store->alloc, part.len + 1);
        if (e->name == NULL)
            status = REEL_OUT_OF_MEMORY;
        else {
            if (part.len > 0)
                memcpy(e->name, part.data, part.len);
            e->name[part.len] = '\0';
            e->name_len = part.len;
        }
    }
    reel_buf_free(&part);
    return status;
}

static reel_status add_child(reel_store *store, store_entity *parent, store_entity *child)
{
    REEL_TRY(reel__store_grow(store, (void **)&parent->children, &parent->cap_children,
                              parent->n_children + 1, sizeof *parent->children));
    uint32_t lo = 0, hi = parent->n_children;
    while (lo < hi) {
        uint32_t mid = (lo + hi) / 2;
        if (part_compare(store->entities[parent->children[mid]], child) <= 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    memmove(&parent->children[lo + 1], &parent->children[lo],
            (parent->n_children - lo) * sizeof *parent->children);
    parent->children[lo] = child->id;
    parent->n_children++;
    return REEL_OK;
}

reel_status reel__store_entity(reel_store *store, const char *path, uint32_t *out)
{
    uint64_t id;
    size_t len = strlen(path);
    if (reel_map_get(&store->entity_by_path, path, len, &id)) {
        *out = (uint32_t)id;
        return REEL_OK;
    }
    bool is_root = strcmp(path, "/") == 0;
    uint32_t parent = REEL_STORE_NO_ID;
    if (!is_root) {
        size_t parent_len = parent_length(path);
        char *parent_path = reel_strndup(&store->alloc, path, parent_len);
        if (parent_path == NULL)
            return REEL_OUT_OF_MEMORY;
        reel_status status = reel__store_entity(store, parent_path, &parent);
        reel_strfree(&store->alloc, parent_path);
        REEL_TRY(status);
    }
    REEL_TRY(reel__store_grow(store, (void **)&store->entity_versions, &store->cap_entity_versions,
                              store->n_entities + 1, sizeof *store->entity_versions));
    REEL_TRY(reel__store_grow(store, (void **)&store->entities, &store->cap_entities,
                              store->n_entities + 1, sizeof *store->entities));
    store_entity *e = reel_alloc_zeroed(&store->alloc, sizeof *e);
    if (e == NULL)
        return REEL_OUT_OF_MEMORY;
    e->id = store->n_entities;
    e->parent = parent;
    e->path = reel_strdup(&store->alloc, path);
    reel_status status = e->path == NULL ? REEL_OUT_OF_MEMORY : REEL_OK;
    if (status == REEL_OK) {
        const char *segment = is_root ? "" : path + parent_length(path);
        status = unescaped_name(store, segment[0] == '/' ? segment + 1 : segment, e);
    }
    if (status == REEL_OK)
        status = reel_map_put(&store->entity_by_path, path, len, e->id);
    if (status == REEL_OK && !is_root) {
        status = add_child(store, store->entities[parent], e);
        if (status != REEL_OK)
            reel_map_remove(&store->entity_by_path, path, len);
    }
    if (status != REEL_OK) {
        reel_strfree(&store->alloc, e->path);
        if (e->name != NULL)
            reel_free(&store->alloc, e->name, e->name_len + 1);
        reel_free(&store->alloc, e, sizeof *e);
        return status;
    }
    store->entity_versions[store->n_entities] = 0;
    store->entities[store->n_entities++] = e;
    *out = e->id;
    return REEL_OK;
}

void reel__store_count_chunks(reel_store *store, uint32_t entity, int64_t delta)
{
    store->entities[entity]->n_chunks += (uint64_t)delta;
    store->entity_versions[entity]++;
    for (uint32_t e = entity; e != REEL_STORE_NO_ID; e = store->entities[e]->parent)
        store->entities[e]->subtree_chunks += (uint64_t)delta;
}

/* ---------------------------------------------------------------- public tree API */

uint32_t reel_store_entity_find(const reel_store *store, const char *entity_path)
{
    uint64_t id;
    if (entity_path == NULL)
        return REEL_STORE_NO_ID;
    if (reel_map_get(&store->entity_by_path, entity_path, strlen(entity_path), &id))
        return (uint32_t)id;
    reel_buf canonical = {0};
    uint32_t found = REEL_STORE_NO_ID;
    if (reel_entity_path_normalize(entity_path, strlen(entity_path), &canonical, NULL) == REEL_OK &&
        reel_map_get(&store->entity_by_path, canonical.data, canonical.len, &id))
        found = (uint32_t)id;
    reel_buf_free(&canonical);
    return found;
}

uint32_t reel_store_entity_count(const reel_store *store)
{
    return store->n_entities;
}

const char *reel_store_entity_path(const reel_store *store, uint32_t entity)
{
    return entity < store->n_entities ? store->entities[entity]->path : NULL;
}

uint32_t reel_store_entity_parent(const reel_store *store, uint32_t entity)
{
    return entity < store->n_entities ? store->entities[entity]->parent : REEL_STORE_NO_ID;
}

uint32_t reel_store_entity_children(const reel_store *store, uint32_t entity,
                                    const uint32_t **children)
{
    if (entity >= store->n_entities) {
        *children = NULL;
        return 0;
    }
    *children = store->entities[entity]->children;
    return store->entities[entity]->n_children;
}

uint64_t reel_store_entity_chunks(const reel_store *store, uint32_t entity)
{
    return entity < store->n_entities ? store->entities[entity]->n_chunks : 0;
}

uint64_t reel_store_entity_subtree_chunks(const reel_store *store, uint32_t entity)
{
    return entity < store->n_entities ? store->entities[entity]->subtree_chunks : 0;
}
