/* The C half of tests/interop/test_c_data.py: one function, loaded with ctypes from the
 * shared library libreel_c_data_roundtrip.so, that imports an Arrow C Data Interface
 * schema + array (as pyarrow exports them) into Reel with full validation and exports
 * them again, so pyarrow can check that nothing changed on the way through. */
#include <stdio.h>
#include <string.h>

#include "arrow/arrow.h"
#include "core/core.h"

/* Imports (in_schema, in_array) with reel_arrow_import_field / reel_arrow_import_array
 * at REEL_ARROW_VALIDATE_FULL and re-exports them into (out_schema, out_array), which the
 * caller then owns. Ownership of the inputs passes to Reel: once import_field has been
 * called, in_schema is Reel's; once import_array has been called, in_array is Reel's (both
 * must then have release == NULL, whatever the outcome; the test checks that). If
 * import_field fails, in_array was never handed over and is released here. Returns 0, or
 * the reel_status with its message copied into err (NUL-terminated, truncated to
 * err_len). */
int reel_test_c_data_roundtrip(struct ArrowSchema *in_schema, struct ArrowArray *in_array,
                               struct ArrowSchema *out_schema, struct ArrowArray *out_array,
                               char *err, size_t err_len);

static int fail(const char *step, const reel_error *error, reel_status status, char *err,
                size_t err_len)
{
    if (err && err_len)
        snprintf(err, err_len, "%s: %s: %s", step, reel_status_name(status),
                 error->message[0] ? error->message : reel_status_text(status));
    return (int)status;
}

int reel_test_c_data_roundtrip(struct ArrowSchema *in_schema, struct ArrowArray *in_array,
                               struct ArrowSchema *out_schema, struct ArrowArray *out_array,
                               char *err, size_t err_len)
{
    reel_error error = {0};
    reel_arrow_field field = {0};
    reel_arrow_array array = {0};
    int rc = 0;
    if (err && err_len)
        err[0] = '\0';
    memset(out_schema, 0, sizeof *out_schema);
    memset(out_array, 0, sizeof *out_array);

    reel_status status = reel_arrow_import_field(in_schema, &field, NULL, &error);
    if (status != REEL_OK) {
        if (in_array->release)
            in_array->release(in_array);
        rc = fail("import_field", &error, status, err, err_len);
        goto done;
    }
    status = reel_arrow_field_validate(&field, &error);
    if (status != REEL_OK) {
        if (in_array->release)
            in_array->release(in_array);
        rc = fail("field_validate", &error, status, err, err_len);
        goto done;
    }
    status = reel_arrow_import_array(in_array, &field, REEL_ARROW_VALIDATE_FULL, &array, &error);
    if (status != REEL_OK) {
        rc = fail("import_array", &error, status, err, err_len);
        goto done;
    }
    /* Our own check on top of the import's: the imported array is valid. */
    status = reel_arrow_array_validate(&field, &array, REEL_ARROW_VALIDATE_FULL, &error);
    if (status != REEL_OK) {
        rc = fail("array_validate after import", &error, status, err, err_len);
        goto done;
    }
    status = reel_arrow_export_field(&field, out_schema, &error);
    if (status != REEL_OK) {
        rc = fail("export_field", &error, status, err, err_len);
        goto done;
    }
    status = reel_arrow_export_array(&field, &array, out_array, &error);
    if (status != REEL_OK) {
        out_schema->release(out_schema);
        memset(out_schema, 0, sizeof *out_schema);
        rc = fail("export_array", &error, status, err, err_len);
        goto done;
    }
done:
    /* The exports hold their own references to the blobs. */
    reel_arrow_array_reset(&array);
    reel_arrow_field_reset(&field);
    return rc;
}
