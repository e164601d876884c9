/* reel_vec: a growable array of fixed-size elements, the generic container for lists of
 * structs. Growth at least doubles the capacity, and element counts are multiplied with
 * overflow checks before any allocation. */
#include <string.h>

#include "core.h"

#define VEC_MIN_CAPACITY ((size_t)4)

void reel_vec_init(reel_vec *vec, size_t elem_size, const reel_allocator *alloc)
{
    vec->data = NULL;
    vec->len = 0;
    vec->cap = 0;
    vec->elem_size = elem_size;
    vec->alloc = alloc;
}

reel_status reel_vec_reserve(reel_vec *vec, size_t extra)
{
    if (vec->elem_size == 0)
        return REEL_INVALID_ARGUMENT;
    size_t need;
    if (!reel_size_add(vec->len, extra, &need))
        return REEL_OUT_OF_MEMORY;
    if (need <= vec->cap && vec->data != NULL)
        return REEL_OK;
    size_t new_cap = vec->cap > SIZE_MAX / 2 ? SIZE_MAX : vec->cap * 2;
    if (new_cap < need)
        new_cap = need;
    if (new_cap < VEC_MIN_CAPACITY)
        new_cap = VEC_MIN_CAPACITY;
    size_t old_bytes = vec->cap * vec->elem_size;
    size_t new_bytes;
    if (!reel_size_mul(new_cap, vec->elem_size, &new_bytes)) {
        /* Doubling overflowed; the exact need may still fit. */
        new_cap = need;
        if (!reel_size_mul(new_cap, vec->elem_size, &new_bytes))
            return REEL_OUT_OF_MEMORY;
    }
    void *data = reel_realloc(vec->alloc, vec->data, old_bytes, new_bytes);
    if (data == NULL)
        return REEL_OUT_OF_MEMORY;
    vec->data = data;
    vec->cap = new_cap;
    return REEL_OK;
}

void *reel_vec_push_n(reel_vec *vec, size_t count)
{
    if (reel_vec_reserve(vec, count) != REEL_OK)
        return NULL;
    unsigned char *first = (unsigned char *)vec->data + vec->len * vec->elem_size;
    if (count != 0)
        memset(first, 0, count * vec->elem_size);
    vec->len += count;
    return first;
}

reel_status reel_vec_push(reel_vec *vec, const void *elem)
{
    if (vec->len == vec->cap || vec->data == NULL)
        REEL_TRY(reel_vec_reserve(vec, 1));
    unsigned char *slot = (unsigned char *)vec->data + vec->len * vec->elem_size;
    if (elem != NULL)
        memcpy(slot, elem, vec->elem_size);
    else
        memset(slot, 0, vec->elem_size);
    vec->len++;
    return REEL_OK;
}

bool reel_vec_pop(reel_vec *vec, void *out)
{
    if (vec->len == 0)
        return false;
    vec->len--;
    if (out != NULL)
        memcpy(out, (unsigned char *)vec->data + vec->len * vec->elem_size, vec->elem_size);
    return true;
}

void reel_vec_clear(reel_vec *vec)
{
    vec->len = 0;
}

void reel_vec_free(reel_vec *vec)
{
    if (vec == NULL)
        return;
    reel_free(vec->alloc, vec->data, vec->cap * vec->elem_size);
    vec->data = NULL;
    vec->len = 0;
    vec->cap = 0;
}
