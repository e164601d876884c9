/* libFuzzer target for the type-string parser (reel_arrow_type_parse), which reads
 * untrusted text. Whatever the bytes: no crash, no leak, bounded time; and a string that
 * parses must give a well-formed field that formats back to exactly the same bytes, and
 * survive a C Data Interface export/import unchanged (abort() on any mismatch). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "arrow/arrow.h"

static void fail(const char *what, const reel_error *err)
{
    fprintf(stderr, "fuzz_type_string: %s%s%s\n", what, err ? ": " : "", err ? err->message : "");
    abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    reel_arrow_field field, back;
    reel_error err = {0};
    reel_buf text = {0};
    if (reel_arrow_type_parse((const char *)data, size, &field, NULL, &err) != REEL_OK) {
        if (strstr(err.message, "offset") == NULL)
            fail("error without an offset", &err);
        reel_arrow_field_reset(&field);
        return 0;
    }
    if (reel_arrow_field_validate(&field, &err) != REEL_OK)
        fail("parsed field is not well formed", &err);
    if (reel_arrow_type_format(&field, &text) != REEL_OK)
        fail("cannot format a parsed field", NULL);
    if (text.len != size || memcmp(text.data, data, size) != 0)
        fail("formatting does not give back the input", NULL);

    struct ArrowSchema schema;
    if (reel_arrow_export_field(&field, &schema, &err) != REEL_OK)
        fail("export", &err);
    if (reel_arrow_import_field(&schema, &back, NULL, &err) != REEL_OK)
        fail("import", &err);
    if (!reel_arrow_field_type_equal(&field, &back, true))
        fail("C Data round trip changed the type", NULL);

    reel_arrow_field_reset(&back);
    reel_arrow_field_reset(&field);
    reel_buf_free(&text);
    return 0;
}
