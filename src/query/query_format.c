/* Text forms of a record batch: an aligned table for people, JSON rows and CSV for programs.
 * Cells go through reel_arrow_value_to_json; the table prints nanosecond timestamps and
 * durations as dates and seconds (reel_query_format_time). */
#include <string.h>

#include "query/query.h"

/* Element i of column c as a child array index (struct children are indexed directly). */
static int64_t row_index(const reel_arrow_array *batch, int64_t row)
{
    return batch->offset + row;
}

static bool is_nano_time(const reel_arrow_field *field, reel_time_type *type)
{
    if (field->unit != REEL_ARROW_NANO)
        return false;
    if (field->type == REEL_ARROW_TIMESTAMP)
        *type = REEL_TIME_TIMESTAMP_NS;
    else if (field->type == REEL_ARROW_DURATION)
        *type = REEL_TIME_DURATION_NS;
    else
        return false;
    return true;
}

/* The cell as the table shows it (appended to out). */
static reel_status table_cell(const reel_arrow_field *field, const reel_arrow_array *array,
                              int64_t i, reel_buf *out)
{
    reel_time_type type;
    if (reel_arrow_array_is_null(field, array, i))
        return reel_buf_append(out, "null", 4);
    if (is_nano_time(field, &type))
        return reel_query_format_time(type, reel_arrow_array_get_int(field, array, i), out);
    return reel_arrow_value_to_json(field, array, i, out);
}

/* Code points in UTF-8 text (continuation bytes not counted). */
static size_t text_width(const uint8_t *text, size_t len)
{
    size_t n = 0;
    for (size_t i = 0; i < len; i++)
        n += (text[i] & 0xC0) != 0x80;
    return n;
}

/* Byte length of the first `width` code points. */
static size_t prefix_bytes(const uint8_t *text, size_t len, size_t width)
{
    size_t n = 0;
    for (size_t i = 0; i < len; i++) {
        if ((text[i] & 0xC0) != 0x80) {
            if (n == width)
                return i;
            n++;
        }
    }
    return len;
}

static reel_status check_batch(const reel_arrow_field *schema, const reel_arrow_array *batch,
                               reel_error *err)
{
    if (schema->type != REEL_ARROW_STRUCT || batch->n_children != schema->n_children)
        return reel_error_set(err, REEL_INVALID_ARGUMENT,
                              "query output: not a record batch (a struct of columns)");
    return REEL_OK;
}

/* Appends `text` cut to max_width code points (with "…") and padded to `pad` (0 = none). */
static reel_status append_padded(reel_buf *out, const uint8_t *text, size_t len, size_t max_width,
                                 size_t pad)
{
    size_t width = text_width(text, len);
    if (max_width > 0 && width > max_width) {
        REEL_TRY(reel_buf_append(out, text, prefix_bytes(text, len, max_width - 1)));
        REEL_TRY(reel_buf_append(out, "\xe2\x80\xa6", 3));
        width = max_width;
    } else {
        REEL_TRY(reel_buf_append(out, text, len));
    }
    for (; width < pad; width++)
        REEL_TRY(reel_buf_append(out, " ", 1));
    return REEL_OK;
}

reel_status reel_query_write_table(reel_buf *out, const reel_arrow_field *schema,
                                   const reel_arrow_array *batch, size_t max_cell_width,
                                   reel_error *err)
{
    REEL_TRY(check_batch(schema, batch, err));
    int32_t n = schema->n_children;
    size_t *widths = reel_alloc_zeroed(NULL, (size_t)(n > 0 ? n : 1) * sizeof *widths);
    if (widths == NULL)
        return reel_error_set(err, REEL_OUT_OF_MEMORY, "query output: out of memory");
    reel_buf cell;
    reel_buf_init(&cell, NULL);
    reel_status status = REEL_OK;
    /* Pass 1: column widths (the header, then every cell as it will be cut). */
    for (int32_t c = 0; c < n; c++) {
        const char *name = schema->children[c].name != NULL ? schema->children[c].name : "";
        widths[c] = text_width((const uint8_t *)name, strlen(name));
        if (max_cell_width > 0 && widths[c] > max_cell_width)
            widths[c] = max_cell_width;
        for (int64_t r = 0; r < batch->length && status == REEL_OK; r++) {
            reel_buf_clear(&cell);
            status =
                table_cell(&schema->children[c], &batch->children[c], row_index(batch, r), &cell);
            size_t w = text_width(cell.data, cell.len);
            if (max_cell_width > 0 && w > max_cell_width)
                w = max_cell_width;
            if (w > widths[c])
                widths[c] = w;
        }
    }
    /* Pass 2: header, rule, rows. */
    for (int32_t c = 0; c < n && status == REEL_OK; c++) {
        const char *name = schema->children[c].name != NULL ? schema->children[c].name : "";
        status = append_padded(out, (const uint8_t *)name, strlen(name), max_cell_width,
                               c + 1 < n ? widths[c] + 2 : 0);
    }
    if (status == REEL_OK)
        status = reel_buf_append(out, "\n", 1);
    for (int32_t c = 0; c < n && status == REEL_OK; c++) {
        for (size_t k = 0; k < widths[c] && status == REEL_OK; k++)
            status = reel_buf_append(out, "-", 1);
        if (c + 1 < n && status == REEL_OK)
            status = reel_buf_append(out, "  ", 2);
    }
    if (status == REEL_OK)
        status = reel_buf_append(out, "\n", 1);
    for (int64_t r = 0; r < batch->length && status == REEL_OK; r++) {
        for (int32_t c = 0; c < n && status == REEL_OK; c++) {
            reel_buf_clear(&cell);
            status =
                table_cell(&schema->children[c], &batch->children[c], row_index(batch, r), &cell);
            if (status == REEL_OK)
                status = append_padded(out, cell.data, cell.len, max_cell_width,
                                       c + 1 < n ? widths[c] + 2 : 0);
        }
        if (status == REEL_OK)
            status = reel_buf_append(out, "\n", 1);
    }
    reel_buf_free(&cell);
    reel_free(NULL, widths, (size_t)(n > 0 ? n : 1) * sizeof *widths);
    if (status != REEL_OK)
        return reel_error_set(err, status, "query output: out of memory");
    return REEL_OK;
}

/* A JSON string literal for `text`. */
static reel_status json_string(reel_buf *out, const char *text)
{
    REEL_TRY(reel_buf_append(out, "\"", 1));
    for (const unsigned char *p = (const unsigned char *)text; *p != '\0'; p++) {
        if (*p == '"' || *p == '\\') {
            REEL_TRY(reel_buf_append(out, "\\", 1));
            REEL_TRY(reel_buf_append(out, p, 1));
        } else if (*p < 0x20) {
            REEL_TRY(reel_buf_printf(out, "\\u%04x", *p));
        } else {
            REEL_TRY(reel_buf_append(out, p, 1));
        }
    }
    return reel_buf_append(out, "\"", 1);
}

reel_status reel_query_write_json(reel_buf *out, const reel_arrow_field *schema,
                                  const reel_arrow_array *batch, reel_error *err)
{
    REEL_TRY(check_batch(schema, batch, err));
    reel_status status = reel_buf_append(out, "[", 1);
    for (int64_t r = 0; r < batch->length && status == REEL_OK; r++) {
        status = reel_buf_append(out, r == 0 ? "\n{" : ",\n{", r == 0 ? 2 : 3);
        for (int32_t c = 0; c < schema->n_children && status == REEL_OK; c++) {
            const reel_arrow_field *field = &schema->children[c];
            if (c > 0)
                status = reel_buf_append(out, ", ", 2);
            if (status == REEL_OK)
                status = json_string(out, field->name != NULL ? field->name : "");
            if (status == REEL_OK)
                status = reel_buf_append(out, ": ", 2);
            if (status == REEL_OK)
                status =
                    reel_arrow_value_to_json(field, &batch->children[c], row_index(batch, r), out);
        }
        if (status == REEL_OK)
            status = reel_buf_append(out, "}", 1);
    }
    if (status == REEL_OK)
        status =
            reel_buf_append(out, batch->length > 0 ? "\n]\n" : "]\n", batch->length > 0 ? 3 : 2);
    if (status != REEL_OK)
        return reel_error_set(err, status, "query output: out of memory");
    return REEL_OK;
}

/* A CSV field: quoted (quotes doubled) when it holds a comma, quote or line break. */
static reel_status csv_field(reel_buf *out, const uint8_t *text, size_t len)
{
    bool quote = false;
    for (size_t i = 0; i < len && !quote; i++)
        quote = text[i] == ',' || text[i] == '"' || text[i] == '\n' || text[i] == '\r';
    if (!quote)
        return reel_buf_append(out, text, len);
    REEL_TRY(reel_buf_append(out, "\"", 1));
    for (size_t i = 0; i < len; i++) {
        if (text[i] == '"')
            REEL_TRY(reel_buf_append(out, "\"", 1));
        REEL_TRY(reel_buf_append(out, &text[i], 1));
    }
    return reel_buf_append(out, "\"", 1);
}

reel_status reel_query_write_csv(reel_buf *out, const reel_arrow_field *schema,
                                 const reel_arrow_array *batch, reel_error *err)
{
    REEL_TRY(check_batch(schema, batch, err));
    reel_buf cell;
    reel_buf_init(&cell, NULL);
    reel_status status = REEL_OK;
    for (int32_t c = 0; c < schema->n_children && status == REEL_OK; c++) {
        const char *name = schema->children[c].name != NULL ? schema->children[c].name : "";
        if (c > 0)
            status = reel_buf_append(out, ",", 1);
        if (status == REEL_OK)
            status = csv_field(out, (const uint8_t *)name, strlen(name));
    }
    if (status == REEL_OK)
        status = reel_buf_append(out, "\n", 1);
    for (int64_t r = 0; r < batch->length && status == REEL_OK; r++) {
        for (int32_t c = 0; c < schema->n_children && status == REEL_OK; c++) {
            const reel_arrow_field *field = &schema->children[c];
            const reel_arrow_array *array = &batch->children[c];
            if (c > 0)
                status = reel_buf_append(out, ",", 1);
            if (status != REEL_OK || reel_arrow_array_is_null(field, array, row_index(batch, r)))
                continue;
            reel_buf_clear(&cell);
            status = reel_arrow_value_to_json(field, array, row_index(batch, r), &cell);
            if (status == REEL_OK)
                status = csv_field(out, cell.data, cell.len);
        }
        if (status == REEL_OK)
            status = reel_buf_append(out, "\n", 1);
    }
    reel_buf_free(&cell);
    if (status != REEL_OK)
        return reel_error_set(err, status, "query output: out of memory");
    return REEL_OK;
}
