/* Private to the time series view: the per-(entity, timeline) sample arrays and their cache
 * (views_series.c), read by views_timeseries.c. */
#ifndef REEL_VIEWS_SERIES_H
#define REEL_VIEWS_SERIES_H

#include "views/views_internal.h"

typedef struct view_series_samples {
    uint32_t entity, timeline;
    uint64_t fingerprint; /* of the store's content when built */
    uint64_t frame;       /* last used */
    size_t n, cap;        /* rows */
    uint32_t n_series;    /* instances per row (max over rows) */
    int64_t *times;       /* n, sorted */
    double *values;       /* n * n_series; NaN: a gap (Clear, NaN, or no value) */
    uint64_t span_rows;   /* the entity's rows in [times[0], times[n-1]] when built */
} view_series_samples;

/* The samples of `entity` on `timeline`, built, extended (live data appended after the
 * cached span, when the rows within the span are unchanged) or reused; NULL with *status on
 * failure.
 * Valid until the next view_series_cache_frame. */
const view_series_samples *view_series_get(reel_view_series_cache **cache, const reel_store *store,
                                           uint32_t entity, uint32_t timeline, reel_status *status);
void view_series_cache_frame(reel_view_series_cache *cache);
void view_series_cache_free(reel_view_series_cache *cache);
/* First index with time >= t. */
size_t view_series_lower_bound(const view_series_samples *s, int64_t t);

#endif
