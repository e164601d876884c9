/* Internal to the query module: the entity path filter shared by the engine (query.c) and its
 * parser (query_filter.c). */
#ifndef REEL_QUERY_INTERNAL_H
#define REEL_QUERY_INTERNAL_H

#include "query/query.h"

/* One rule of an entity path filter: "+ /a" followed by a subtree suffix ("/" and two stars)
 * is {"/a", recursive, include}. */
typedef struct query_rule {
    char *path; /* canonical */
    bool recursive;
    bool include;
} query_rule;

/* Rerun's EntityPathFilter: the most specific matching rule decides (the longest path; an exact
 * rule beats a recursive one on the same path; a repeated rule takes the later effect). */
typedef struct query_filter {
    query_rule *rules;
    size_t n_rules;
    bool names_properties; /* an include rule names /__properties or a path under it */
    const reel_allocator *alloc;
} query_filter;

/* Parses expressions ("[+ |- ]PATH", optionally with the subtree suffix; one expression may
 * hold several rules, one per line). n == 0 gives the root's subtree. INVALID_ARGUMENT names
 * the bad expression. */
reel_status reel__query_filter_parse(query_filter *filter, const char *const *exprs, size_t n,
                                     const reel_allocator *alloc, reel_error *err);
bool reel__query_filter_matches(const query_filter *filter, const char *entity_path);
void reel__query_filter_free(query_filter *filter);

#endif
