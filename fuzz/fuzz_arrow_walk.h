/* Helpers shared by the Arrow IPC fuzz targets (fuzz_ipc.c, fuzz_ipc_file.c): an element
 * count that bounds how much work a decoded input may cause, a JSON walk over every value,
 * and freeing a vector of batches. FUZZ_NAME names the target in failure messages. */
#ifndef REEL_FUZZ_ARROW_WALK_H
#define REEL_FUZZ_ARROW_WALK_H

#include <stdio.h>
#include <stdlib.h>

#include "arrow/arrow.h"

/* Walking and comparing values is O(elements), and a few bytes can declare a null column
 * of 2^60 rows; inputs with more elements than this in all their arrays are only decoded
 * and re-encoded. */
#define MAX_WALKED_ELEMENTS ((int64_t)1 << 20)

static void fail(const char *what, const reel_error *err)
{
    fprintf(stderr, "%s: %s%s%s\n", FUZZ_NAME, what, err ? ": " : "", err ? err->message : "");
    abort();
}

static int64_t element_count(const reel_arrow_array *array)
{
    int64_t total = array->length;
    for (int32_t i = 0; i < array->n_children && total <= MAX_WALKED_ELEMENTS; i++)
        total += element_count(&array->children[i]);
    if (array->dictionary != NULL && total <= MAX_WALKED_ELEMENTS) {
        /* Every element may print a whole dictionary value: count them all for each. */
        int64_t values = element_count(array->dictionary);
        total = values > MAX_WALKED_ELEMENTS / (array->length + 1)
                    ? MAX_WALKED_ELEMENTS + 1
                    : total + array->length * values + values;
    }
    return total;
}

static void free_batches(reel_vec *batches)
{
    for (size_t i = 0; i < batches->len; i++)
        reel_arrow_array_reset(&REEL_VEC_AT(batches, reel_arrow_array, i));
    reel_vec_free(batches);
}

static void walk_values(const reel_arrow_field *schema, const reel_arrow_array *batch)
{
    reel_buf json;
    reel_buf_init(&json, NULL);
    for (int32_t c = 0; c < schema->n_children; c++) {
        for (int64_t i = 0; i < batch->length; i++) {
            reel_buf_clear(&json);
            if (reel_arrow_value_to_json(&schema->children[c], &batch->children[c], i, &json) !=
                REEL_OK)
                fail("value_to_json failed on a validated batch", NULL);
        }
    }
    reel_buf_free(&json);
}

#endif
