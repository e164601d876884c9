/* View classes as the viewer's data side sees them: what a class declares (identifier,
 * display name, layout priority, the archetypes it visualizes) and how it recommends views
 * for the spawn heuristic (viewer-behavior.md §1.3–1.6). The views engineer adds drawing
 * (src/views) on top of this table; the heuristics only need what is here. Pure data and
 * functions over an entity db: no GL, no threads. */
#ifndef REEL_VIEWER_VIEW_CLASS_H
#define REEL_VIEWER_VIEW_CLASS_H

#include "core/core.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct reel_viewer_recording reel_viewer_recording;

/* Rerun's LayoutPriority: High views get the bigger share in auto layout. */
typedef enum reel_view_priority {
    REEL_VIEW_PRIORITY_LOW = 0,
    REEL_VIEW_PRIORITY_MEDIUM = 1,
    REEL_VIEW_PRIORITY_HIGH = 2,
} reel_view_priority;

/* One rule of an entity filter: "+ /path", "- /path/\*\*". `path` is canonical (or starts with
 * "$origin", unresolved). */
typedef struct reel_view_rule {
    bool include;
    bool subtree; /* "/\*\*" suffix */
    char *path;   /* owned */
} reel_view_rule;

/* An entity filter (ViewContents.query): the most specific rule wins, the last on a tie. */
typedef struct reel_view_filter {
    reel_view_rule *rules; /* owned */
    size_t count;
} reel_view_filter;

/* Parses query expressions ("+ $origin/\*\*", "- /a", "/b/\*\*" = include) into `out` (which must
 * be zeroed or reset). `$origin` is replaced by `origin` when origin is not NULL. Blank
 * expressions are skipped; other text is kept as an entity path (normalized; an unparsable
 * path is an INVALID_ARGUMENT error naming the expression). */
reel_status reel_view_filter_parse(const char *const *expressions, size_t count, const char *origin,
                                   reel_view_filter *out, reel_error *err);
/* Frees the rules and zeroes the filter. NULL-safe. */
void reel_view_filter_reset(reel_view_filter *filter);
/* Whether canonical `entity_path` is included (most specific rule wins; last on a tie). */
bool reel_view_filter_matches(const reel_view_filter *filter, const char *entity_path);
/* Whether everything `b` includes `a` includes as well (judged on the rules, not on data:
 * each of b's inclusions is included by a with a's exclusions below it also excluded by b). */
bool reel_view_filter_is_superset(const reel_view_filter *a, const reel_view_filter *b);
/* Appends the expressions ("+ /a/\*\*", "- /b") to `out` as NUL-separated strings, for
 * writing ViewContents; `n` gets the count. With `origin`, an inclusion of the origin itself
 * is written "$origin" ("+ $origin/\*\*"), as Rerun's heuristics write it, so the view follows
 * a later change of its origin. */
reel_status reel_view_filter_format(const reel_view_filter *filter, const char *origin,
                                    reel_buf *out, size_t *n);

/* One recommended view: origin + filter (already resolved: no $origin). */
typedef struct reel_view_recommendation {
    char *origin; /* owned, canonical */
    reel_view_filter filter;
} reel_view_recommendation;

/* A list of recommendations (zero-initialised is empty). */
typedef struct reel_view_recommendations {
    reel_view_recommendation *items;
    size_t count, cap;
} reel_view_recommendations;

void reel_view_recommendations_reset(reel_view_recommendations *list); /* NULL-safe */

/* A view class. Archetype names are short ("Points3D"); an entity is "indicated" for the
 * class when it carries one of them. `recommend` appends the class's recommended views for
 * the recording to `out`, in Rerun's order (§1.3). */
typedef struct reel_view_class {
    const char *identifier;   /* ViewBlueprint.class_identifier: "3D", "2D", "TimeSeries", … */
    const char *display_name; /* "3D", "2D", "Time series", "Text log", "Text document" */
    reel_view_priority priority;
    const char *const *archetypes; /* NULL-terminated */
    reel_status (*recommend)(const reel_viewer_recording *rec, reel_view_recommendations *out,
                             reel_error *err);
} reel_view_class;

/* The registered classes, sorted by display name (the order the heuristic iterates). */
size_t reel_view_class_count(void);
const reel_view_class *reel_view_class_at(size_t index);
/* By identifier; NULL when unknown (a blueprint may name a class Reel does not have). */
const reel_view_class *reel_view_class_find(const char *identifier);

#ifdef __cplusplus
}
#endif
#endif
