/* Entity filters of views (ViewContents.query, api-surface.md §2.3): "+ path", "- path", an
 * optional "/\*\*" for the subtree, no prefix = "+", `$origin` substituted; the most specific
 * rule wins and the last one on a tie. Also the superset test the spawn heuristic uses. */
#include <stdlib.h>
#include <string.h>

#include "viewer/view_class.h"
#include "chunk/chunk.h"

void reel_view_filter_reset(reel_view_filter *filter)
{
    if (filter == NULL)
        return;
    for (size_t i = 0; i < filter->count; i++)
        free(filter->rules[i].path);
    free(filter->rules);
    filter->rules = NULL;
    filter->count = 0;
}

static reel_status parse_one(const char *expr, const char *origin, reel_view_rule *out,
                             reel_error *err)
{
    while (*expr == ' ' || *expr == '\t')
        expr++;
    out->include = true;
    if (*expr == '+' || *expr == '-') {
        out->include = *expr == '+';
        expr++;
        while (*expr == ' ' || *expr == '\t')
            expr++;
    }
    size_t len = strlen(expr);
    while (len > 0 && (expr[len - 1] == ' ' || expr[len - 1] == '\t'))
        len--;
    out->subtree = false;
    if (len >= 2 && expr[len - 1] == '*' && expr[len - 2] == '*') {
        out->subtree = true;
        len -= 2;
        if (len > 0 && expr[len - 1] == '/')
            len--;
    }
    reel_buf text = {0}, canon = {0};
    reel_status status = REEL_OK;
    if (len >= 7 && strncmp(expr, "$origin", 7) == 0 && origin != NULL) {
        status = reel_buf_printf(&text, "%s%.*s", origin, (int)(len - 7), expr + 7);
    } else {
        status = reel_buf_append(&text, expr, len);
    }
    if (status == REEL_OK)
        status = reel_entity_path_normalize((const char *)text.data, text.len, &canon, err);
    if (status == REEL_OK) {
        out->path = malloc(canon.len + 1);
        if (out->path == NULL)
            status = reel_error_set(err, REEL_OUT_OF_MEMORY, "viewer: out of memory");
        else
            memcpy(out->path, canon.data, canon.len + 1);
    }
    reel_buf_free(&text);
    reel_buf_free(&canon);
    return status;
}

static bool blank(const char *s)
{
    for (; *s; s++)
        if (*s != ' ' && *s != '\t' && *s != '\n' && *s != '\r')
            return false;
    return true;
}

reel_status reel_view_filter_parse(const char *const *expressions, size_t count, const char *origin,
                                   reel_view_filter *out, reel_error *err)
{
    out->rules = count > 0 ? calloc(count, sizeof(reel_view_rule)) : NULL;
    out->count = 0;
    if (count > 0 && out->rules == NULL)
        return reel_error_set(err, REEL_OUT_OF_MEMORY, "viewer: out of memory");
    for (size_t i = 0; i < count; i++) {
        if (blank(expressions[i]))
            continue;
        reel_status status = parse_one(expressions[i], origin, &out->rules[out->count], err);
        if (status != REEL_OK) {
            reel_view_filter_reset(out);
            return reel_error_prefix(err, "viewer: query expression '%s': ", expressions[i]);
        }
        out->count++;
    }
    return REEL_OK;
}

/* Depth of a canonical path ("/" = 0). */
static size_t path_depth(const char *path)
{
    size_t depth = 0;
    for (const char *p = path; *p; p++)
        if (*p == '/' && p[1] != '\0' && (p == path || p[-1] != '\\'))
            depth++;
    return depth;
}

/* Specificity of a matching rule: exact matches beat subtree matches of the same path. */
static long rule_score(const reel_view_rule *rule, const char *path)
{
    if (strcmp(rule->path, path) == 0)
        return (long)path_depth(rule->path) * 2 + 1 + (rule->subtree ? 0 : 1);
    if (rule->subtree && reel_entity_path_is_prefix(rule->path, path))
        return (long)path_depth(rule->path) * 2 + 1;
    return -1;
}

/* The index of the winning rule for `path`, or -1. */
static long winning_rule(const reel_view_filter *filter, const char *path)
{
    long best = -1, best_score = -1;
    for (size_t i = 0; i < filter->count; i++) {
        long score = rule_score(&filter->rules[i], path);
        if (score >= 0 && score >= best_score) {
            best_score = score;
            best = (long)i;
        }
    }
    return best;
}

bool reel_view_filter_matches(const reel_view_filter *filter, const char *entity_path)
{
    long w = winning_rule(filter, entity_path);
    return w >= 0 && filter->rules[w].include;
}

bool reel_view_filter_is_superset(const reel_view_filter *a, const reel_view_filter *b)
{
    for (size_t i = 0; i < b->count; i++) {
        const reel_view_rule *r = &b->rules[i];
        if (!r->include)
            continue;
        if (!reel_view_filter_matches(b, r->path))
            continue; /* shadowed in b itself */
        if (!reel_view_filter_matches(a, r->path))
            return false;
        if (!r->subtree)
            continue;
        long w = winning_rule(a, r->path);
        if (!a->rules[w].subtree)
            return false;
        /* a's exclusions inside the subtree must be excluded by b too. */
        for (size_t j = 0; j < a->count; j++) {
            const reel_view_rule *x = &a->rules[j];
            if (!x->include && reel_entity_path_is_prefix(r->path, x->path) &&
                reel_view_filter_matches(b, x->path))
                return false;
        }
    }
    return true;
}

reel_status reel_view_filter_format(const reel_view_filter *filter, const char *origin,
                                    reel_buf *out, size_t *n)
{
    *n = 0;
    for (size_t i = 0; i < filter->count; i++) {
        const reel_view_rule *r = &filter->rules[i];
        bool at_origin = origin != NULL && r->include && strcmp(r->path, origin) == 0;
        const char *path = at_origin ? "$origin" : r->path;
        bool root = !at_origin && strcmp(r->path, "/") == 0;
        REEL_TRY(reel_buf_printf(out, "%c %s%s", r->include ? '+' : '-', path,
                                 r->subtree ? (root ? "**" : "/**") : ""));
        REEL_TRY(reel_buf_append_u8(out, 0));
        (*n)++;
    }
    return REEL_OK;
}

void reel_view_recommendations_reset(reel_view_recommendations *list)
{
    if (list == NULL)
        return;
    for (size_t i = 0; i < list->count; i++) {
        free(list->items[i].origin);
        reel_view_filter_reset(&list->items[i].filter);
    }
    free(list->items);
    memset(list, 0, sizeof *list);
}
