/* Entity path filters with the rules of Rerun's EntityPathFilter: "+ /a" with the subtree
 * suffix (a slash and two stars) includes /a and everything under it, "- /a/b" excludes
 * exactly /a/b, a bare path includes; the most specific rule matching a path decides, and a
 * path no rule matches is excluded. */
#include <ctype.h>
#include <string.h>

#include "chunk/chunk.h"
#include "query/query_internal.h"

#define PROPERTIES_PATH "/__properties"

static reel_status add_rule(query_filter *filter, const char *text, size_t len, reel_error *err)
{
    const char *expr = text;
    size_t expr_len = len;
    bool include = true;
    if (len > 0 && (text[0] == '+' || text[0] == '-')) {
        include = text[0] == '+';
        text++;
        len--;
        while (len > 0 && isspace((unsigned char)text[0])) {
            text++;
            len--;
        }
    }
    bool recursive = false;
    if (len >= 2 && memcmp(text + len - 2, "**", 2) == 0) {
        if (len != 2 && text[len - 3] != '/')
            return reel_error_set(
                err, REEL_INVALID_ARGUMENT,
                "query: entity filter '%.*s': '**' must be a whole last part (PATH/**)",
                (int)expr_len, expr);
        recursive = true;
        len -= 2;
    }
    if (len == 0 && !recursive)
        return reel_error_set(err, REEL_INVALID_ARGUMENT, "query: entity filter '%.*s': no path",
                              (int)expr_len, expr);
    reel_buf path;
    reel_buf_init(&path, filter->alloc);
    reel_status status = reel_entity_path_normalize(text, len, &path, err);
    if (status != REEL_OK) {
        reel_buf_free(&path);
        return reel_error_prefix(err, "query: entity filter '%.*s': ", (int)expr_len, expr);
    }
    query_rule *rules = reel_realloc(filter->alloc, filter->rules, filter->n_rules * sizeof *rules,
                                     (filter->n_rules + 1) * sizeof *rules);
    if (rules == NULL) {
        reel_buf_free(&path);
        return reel_error_set(err, REEL_OUT_OF_MEMORY, "entity filter: out of memory");
    }
    filter->rules = rules;
    char *copy = reel_strdup(filter->alloc, (const char *)path.data);
    reel_buf_free(&path);
    if (copy == NULL)
        return reel_error_set(err, REEL_OUT_OF_MEMORY, "entity filter: out of memory");
    rules[filter->n_rules++] = (query_rule){copy, recursive, include};
    if (include && (reel_entity_path_is_prefix(PROPERTIES_PATH, copy)))
        filter->names_properties = true;
    return REEL_OK;
}

reel_status reel__query_filter_parse(query_filter *filter, const char *const *exprs, size_t n,
                                     const reel_allocator *alloc, reel_error *err)
{
    memset(filter, 0, sizeof *filter);
    filter->alloc = alloc;
    if (n == 0)
        return add_rule(filter, "/**", 3, err);
    for (size_t i = 0; i < n; i++) {
        const char *p = exprs[i];
        size_t rules_before = filter->n_rules;
        while (*p != '\0') {
            const char *end = strchr(p, '\n');
            size_t len = end != NULL ? (size_t)(end - p) : strlen(p);
            const char *s = p;
            size_t l = len;
            while (l > 0 && isspace((unsigned char)s[0])) {
                s++;
                l--;
            }
            while (l > 0 && isspace((unsigned char)s[l - 1]))
                l--;
            if (l > 0) {
                reel_status status = add_rule(filter, s, l, err);
                if (status != REEL_OK) {
                    reel__query_filter_free(filter);
                    return status;
                }
            }
            p += len + (end != NULL);
        }
        if (filter->n_rules == rules_before) {
            reel__query_filter_free(filter);
            return reel_error_set(err, REEL_INVALID_ARGUMENT, "query: entity filter %zu is empty",
                                  i + 1);
        }
    }
    return REEL_OK;
}

bool reel__query_filter_matches(const query_filter *filter, const char *entity_path)
{
    const query_rule *best = NULL;
    size_t best_len = 0;
    for (size_t i = 0; i < filter->n_rules; i++) {
        const query_rule *rule = &filter->rules[i];
        bool match = rule->recursive ? reel_entity_path_is_prefix(rule->path, entity_path)
                                     : strcmp(rule->path, entity_path) == 0;
        if (!match)
            continue;
        size_t len = strlen(rule->path);
        /* Longer paths are more specific; on the same path an exact rule beats a recursive
         * one; the same rule given again takes the later effect. */
        if (best == NULL || len > best_len ||
            (len == best_len && (best->recursive || !rule->recursive))) {
            best = rule;
            best_len = len;
        }
    }
    if (best == NULL || !best->include)
        return false;
    /* Recording properties only when a rule asks for them (as include_properties does). */
    if (!filter->names_properties && reel_entity_path_is_prefix(PROPERTIES_PATH, entity_path))
        return false;
    return true;
}

void reel__query_filter_free(query_filter *filter)
{
    for (size_t i = 0; i < filter->n_rules; i++)
        reel_strfree(filter->alloc, filter->rules[i].path);
    reel_free(filter->alloc, filter->rules, filter->n_rules * sizeof *filter->rules);
    memset(filter, 0, sizeof *filter);
}
