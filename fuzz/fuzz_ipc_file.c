/* libFuzzer target for the Arrow IPC file reader. Reads the input as a file with full
 * validation; when that succeeds, turns every value into JSON, writes the batches as a file
 * again, reads that back and checks that schema and values survived and that a second
 * writing gives the same bytes (abort() on any mismatch). Every batch read from a file
 * shares the file's dictionaries, so the writer has no reason to refuse any. Reading must
 * never crash or leak. */
#include <string.h>

#define FUZZ_NAME "fuzz_ipc_file"
#include "fuzz_arrow_walk.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    /* Wrapped, not copied: zero-copy buffers point into libFuzzer's exactly sized input. */
    reel_blob *blob = reel_blob_wrap((void *)data, size, NULL, NULL);
    if (blob == NULL)
        return 0;
    reel_ipc_decoder_options options = {.validate = REEL_ARROW_VALIDATE_FULL};
    reel_arrow_field schema;
    reel_vec batches = {0};
    reel_error err = {0};
    if (reel_ipc_read_file(blob, &options, &schema, &batches, &err) != REEL_OK) {
        if (err.message[0] == 0)
            fail("an error without a message", NULL);
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
    if (reel_ipc_write_file(&first, &schema, batches.data, (int64_t)batches.len, NULL, &err) !=
        REEL_OK)
        fail("cannot write a file that was read", &err);
    {
        reel_blob *again = reel_blob_copy(NULL, first.data, first.len);
        reel_arrow_field schema2;
        reel_vec batches2 = {0};
        if (reel_ipc_read_file(again, NULL, &schema2, &batches2, &err) != REEL_OK)
            fail("cannot read our own file", &err);
        if (!reel_arrow_field_type_equal(&schema, &schema2, true))
            fail("the schema changed in a round trip", NULL);
        if (batches2.len != batches.len)
            fail("the number of batches changed in a round trip", NULL);
        for (size_t i = 0; small && i < batches.len; i++)
            if (!reel_arrow_array_equal(&schema, &REEL_VEC_AT(&batches, reel_arrow_array, i),
                                        &REEL_VEC_AT(&batches2, reel_arrow_array, i)))
                fail("values changed in a round trip", NULL);
        /* What we read from our own file is compact, so writing it is a fixed point. */
        if (reel_ipc_write_file(&second, &schema2, batches2.data, (int64_t)batches2.len, NULL,
                                &err) != REEL_OK)
            fail("cannot write our own file again", &err);
        if (second.len != first.len || memcmp(second.data, first.data, first.len) != 0)
            fail("writing our own file again changed the bytes", NULL);
        reel_arrow_field_reset(&schema2);
        free_batches(&batches2);
        reel_blob_release(again);
    }
    reel_buf_free(&first);
    reel_buf_free(&second);
    reel_arrow_field_reset(&schema);
    free_batches(&batches);
    reel_blob_release(blob);
    return 0;
}
