/* types_check_tool: the C half of tests/interop/test_types_registry.py. It prints Reel's type
 * registry as tab-separated lines (`list`), so Python can compare it with the installed
 * rerun-sdk, and runs reel_types_check_column / reel_types_check_descriptor on types given as
 * pyarrow strings (`check`, `check-descriptor`), so Python can compare the verdicts with
 * `rerun rrd verify`.
 *
 *   list                                   component|encoding|enum|archetype|field lines
 *   check <component_type> <arrow type>    prints "OK" or "<STATUS>: <message>"
 *   check-descriptor <archetype> <component> <component_type>   (same; "-" means NULL)
 *
 * Exit status: 0 when it could answer (whatever the verdict), 2 on errors, 1 on bad usage. */
#include <stdio.h>
#include <string.h>

#include "types/types.h"

#define EXIT_USAGE 1
#define EXIT_ERROR 2

static const char *const tier_names[] = {"CORE", "EXTENDED", "BLUEPRINT"};

/* Prints the parsed-and-formatted type, so the output proves the C side reads it. */
static int print_type(const reel_arrow_field *field)
{
    reel_buf out = {0};
    if (reel_arrow_type_format(field, &out) != REEL_OK || reel_buf_append_u8(&out, 0) != REEL_OK) {
        reel_buf_free(&out);
        return EXIT_ERROR;
    }
    fputs((const char *)out.data, stdout);
    reel_buf_free(&out);
    return 0;
}

static int list_registry(void)
{
    reel_error err = {0};
    for (size_t i = 0; i < reel_types_encoding_count(); i++) {
        const reel_types_encoding *e = reel_types_encoding_at(i);
        const reel_arrow_field *field = NULL;
        if (reel_types_encoding_arrow_field(e, &field, &err) != REEL_OK) {
            fprintf(stderr, "types_check_tool: %s\n", err.message);
            return EXIT_ERROR;
        }
        printf("encoding\t%s\t", e->name);
        if (print_type(field) != 0)
            return EXIT_ERROR;
        printf("\n");
    }
    for (size_t i = 0; i < reel_types_component_count(); i++) {
        const reel_types_component *c = reel_types_component_at(i);
        const reel_arrow_field *field = NULL;
        if (reel_types_component_arrow_field(c, &field, &err) != REEL_OK) {
            fprintf(stderr, "types_check_tool: %s\n", err.message);
            return EXIT_ERROR;
        }
        printf("component\t%s\t%s\t", c->name, c->encoding != NULL ? c->encoding : "-");
        if (print_type(field) != 0)
            return EXIT_ERROR;
        printf("\n");
    }
    for (size_t i = 0; i < reel_types_enum_count(); i++) {
        const reel_types_enum *e = reel_types_enum_at(i);
        for (int32_t v = 0; v < e->value_count; v++)
            printf("enum\t%s\t%s\t%u\n", e->name, e->values[v].name, (unsigned)e->values[v].value);
    }
    for (size_t i = 0; i < reel_types_archetype_count(); i++) {
        const reel_types_archetype *a = reel_types_archetype_at(i);
        printf("archetype\t%s\t%s\t%s\n", a->name, tier_names[a->tier], a->struct_name);
        for (int32_t f = 0; f < a->field_count; f++) {
            const reel_types_field *field = &a->fields[f];
            printf("field\t%s\t%s\t%s\t%s\t%s\n", a->name, field->component, field->type->name,
                   field->required ? "required" : "optional", field->batch ? "batch" : "mono");
        }
    }
    return 0;
}

static int print_verdict(reel_status status, const reel_error *err)
{
    if (status == REEL_OK)
        printf("OK\n");
    else
        printf("%s: %s\n", reel_status_name(status), err->message);
    return 0;
}

static int check_column(const char *component_type, const char *type_text)
{
    reel_arrow_field field = {0};
    reel_error err = {0};
    if (reel_arrow_type_parse(type_text, strlen(type_text), &field, NULL, &err) != REEL_OK) {
        fprintf(stderr, "types_check_tool: cannot parse '%s': %s\n", type_text, err.message);
        return EXIT_ERROR;
    }
    reel_status status = reel_types_check_column(component_type, &field, &err);
    reel_arrow_field_reset(&field);
    return print_verdict(status, &err);
}

static const char *null_if_dash(const char *arg)
{
    return strcmp(arg, "-") == 0 ? NULL : arg;
}

int main(int argc, char **argv)
{
    if (argc == 2 && strcmp(argv[1], "list") == 0)
        return list_registry();
    if (argc == 4 && strcmp(argv[1], "check") == 0)
        return check_column(argv[2], argv[3]);
    if (argc == 5 && strcmp(argv[1], "check-descriptor") == 0) {
        reel_error err = {0};
        reel_status status = reel_types_check_descriptor(
            null_if_dash(argv[2]), null_if_dash(argv[3]), null_if_dash(argv[4]), &err);
        return print_verdict(status, &err);
    }
    fprintf(stderr, "usage: types_check_tool list\n"
                    "       types_check_tool check <component_type> <arrow type>\n"
                    "       types_check_tool check-descriptor <archetype> <component> <type>\n");
    return EXIT_USAGE;
}
