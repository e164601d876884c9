/* libFuzzer target for the Arrow IPC stream reader. Decodes the input as a stream with full
 * validation; when that succeeds, turns every value into JSON, re-encodes the batches,
 * decodes them again and checks that schema and values survived, and that a second
 * re-encoding gives the same bytes (abort() on any mismatch). Reading must never crash or
 * leak, whatever the bytes. */
#include <string.h>

#define FUZZ_NAME "fuzz_ipc"
#include "fuzz_arrow_walk.h"

static void encode(reel_buf *out, const reel_arrow_field *schema, const reel_vec *batches)
{
    reel_error err = {0};
    if (reel_ipc_write_stream(out, schema, batches->data, (int64_t)batches->len, NULL, &err) !=
        REEL_OK)
        fail("cannot re-encode a decoded stream", &err);
}

static void decode(reel_blob *blob, reel_arrow_field *schema, reel_vec *batches)
{
    reel_error err = {0};
    if (reel_ipc_read_stream(blob, NULL, schema, batches, &err) != REEL_OK)
        fail("cannot decode our own re-encoding", &err);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    /* Wrapped, not copied: zero-copy buffers point into libFuzzer's exactly sized input, so
     * any read past its end is caught. */
    reel_blob *blob = reel_blob_wrap((void *)data, size, NULL, NULL);
    if (blob == NULL)
        return 0;
    reel_ipc_decoder_options options = {.validate = REEL_ARROW_VALIDATE_FULL};
    reel_arrow_field schema;
    reel_vec batches = {0};
    if (reel_ipc_read_stream(blob, &options, &schema, &batches, NULL) != REEL_OK) {
        reel_blob_release(blob);
        return 0;
    }
    int64_t elements = 0;
    for (size_t i = 0; i < batches.len && elements <= MAX_WALKED_ELEMENTS; i++)
        elements += element_count(&REEL_VEC_AT(&batches, reel_arrow_array, i));
    bool small = elements <= MAX_WALKED_ELEMENTS;
    if (small)
        for (size_t i = 0; i < batches.len; i++)
            walk_values(&schema, &REEL_VEC_AT(&batches, reel_arrow_array, i));

    reel_buf first, second;
    reel_buf_init(&first, NULL);
    reel_buf_init(&second, NULL);
    encode(&first, &schema, &batches);
    reel_blob *again = reel_blob_copy(NULL, first.data, first.len);
    reel_arrow_field schema2;
    reel_vec batches2 = {0};
    decode(again, &schema2, &batches2);
    if (!reel_arrow_field_type_equal(&schema, &schema2, true))
        fail("the schema changed in a round trip", NULL);
    if (batches2.len != batches.len)
        fail("the number of batches changed in a round trip", NULL);
    for (size_t i = 0; small && i < batches.len; i++)
        if (!reel_arrow_array_equal(&schema, &REEL_VEC_AT(&batches, reel_arrow_array, i),
                                    &REEL_VEC_AT(&batches2, reel_arrow_array, i)))
            fail("values changed in a round trip", NULL);
    /* What we decode from our own bytes is compact, so encoding it is a fixed point. */
    encode(&second, &schema2, &batches2);
    if (second.len != first.len || memcmp(second.data, first.data, first.len) != 0)
        fail("re-encoding our own output changed the bytes", NULL);

    reel_buf_free(&first);
    reel_buf_free(&second);
    reel_arrow_field_reset(&schema2);
    free_batches(&batches2);
    reel_blob_release(again);
    reel_arrow_field_reset(&schema);
    free_batches(&batches);
    reel_blob_release(blob);
    return 0;
}
