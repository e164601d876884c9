/* Entity paths: normalization against pairs taken from the real rerun-sdk 0.41.0, the escape
 * rules part by part (also from the SDK's escape_entity_path_part), the escapes we reject
 * with an offset where Rerun's forgiving parser guesses, and split / from_parts / is_prefix /
 * parent including escaped separators. */
#include <stdlib.h>

#include "chunk/chunk.h"
#include "test.h"

/* Returns the canonical form (static scratch) or NULL, printing the error. */
static const char *normalize(const char *text, reel_error *err)
{
    static reel_buf out;
    reel_error local = {0};
    reel_status status = reel_entity_path_normalize(text, strlen(text), &out, err ? err : &local);
    return status == REEL_OK ? (const char *)out.data : NULL;
}

TEST(normalizes_like_the_real_sdk)
{
    /* Obtained from rerun-sdk 0.41.0: rr.log(<input>, ...) into a file, then the
     * rerun:entity_path schema metadata of the chunk it wrote (read back with pyarrow). */
    static const char *const pairs[][2] = {
        {"a b/c.d/\xc3\xbc", "/a\\ b/c.d/\xc3\xbc"},
        {"foo//bar/", "/foo/bar"},
        {"x\\/y", "/x\\/y"},
        {"\\u{262E}z", "/\\u{262E}z"},
        {"emoji\xf0\x9f\x98\x80/\xc3\xa9", "/emoji\\u{1F600}/\xc3\xa9"},
        {"", "/"},
        {"/", "/"},
        {"hall\\u{00E5}", "/hall\xc3\xa5"},
        {"a:b[#1]", "/a\\:b\\[\\#1\\]"},
        {"__properties/x", "/__properties/x"},
        {"tab\tx", "/tab\\tx"},
        {"\\u{41}", "/A"},
        {"\\u{0041}x", "/Ax"},
        {"\\u{1F600}b", "/\\u{1F600}b"},
        {"\\u{10FFFF}", "/\\u{10FFFF}"},
        {"\\u{0}", "/\\u{0000}"},
        {"\\u{00e5}", "/\xc3\xa5"},
        {"a\\ b", "/a\\ b"},
        {"\\/x", "/\\/x"},
        {"x\\\\", "/x\\\\"},
        {"\\n", "/\\n"},
        {"\\u{000A}", "/\\n"},
        {"\\u{0020}", "/\\ "},
        {"\\u{002F}", "/\\/"},
        {"\\u{005F}", "/_"},
    };
    for (size_t i = 0; i < sizeof pairs / sizeof pairs[0]; i++) {
        reel_error err = {0};
        const char *got = normalize(pairs[i][0], &err);
        if (!CHECK_EQ_STR(got, pairs[i][1]))
            fprintf(stderr, "    input '%s': %s\n", pairs[i][0], err.message);
    }
}

TEST(parts_escape_like_the_real_sdk)
{
    /* rerun-sdk 0.41.0: rr.escape_entity_path_part(<part>). */
    static const char *const pairs[][2] = {
        {"a b", "a\\ b"},
        {"c.d", "c.d"},
        {"\xc3\xbc", "\xc3\xbc"},
        {"x/y", "x\\/y"},
        {"a\\b", "a\\\\b"},
        {"tab\there", "tab\\there"},
        {"new\nline", "new\\nline"},
        {"\xe6\x97\xa5\xe6\x9c\xac", "\xe6\x97\xa5\xe6\x9c\xac"}, /* CJK letters */
        {"a:b", "a\\:b"},
        {"$x", "\\$x"},
        {"emoji\xf0\x9f\x98\x80", "emoji\\u{1F600}"},
        {"x\xc2\xa0y", "x\\u{00A0}y"}, /* no-break space */
        {"_-.", "_-."},
        {"{}", "\\{\\}"},
        {"\x01", "\\u{0001}"},
        {"\xce\xa9", "\xce\xa9"},         /* Omega */
        {"\xd9\xa3", "\xd9\xa3"},         /* Arabic-Indic digit three (Nd) */
        {"\xc7\x85", "\xc7\x85"},         /* titlecase letter (Lt) */
        {"\xcc\x81", "\\u{0301}"},        /* combining acute accent (Mn) */
        {"\xe2\x85\xb7", "\xe2\x85\xb7"}, /* small roman numeral eight (Nl) */
        {"\xc2\xb2", "\xc2\xb2"},         /* superscript two (No) */
        {"\r~`", "\\r\\~\\`"},
    };
    reel_buf out = {0};
    for (size_t i = 0; i < sizeof pairs / sizeof pairs[0]; i++) {
        reel_span part = reel_span_make(pairs[i][0], strlen(pairs[i][0]));
        CHECK_OK(reel_entity_path_from_parts(&part, 1, &out));
        if (!CHECK(out.len >= 1 && out.data[0] == '/'))
            continue;
        CHECK_EQ_STR((const char *)out.data + 1, pairs[i][1]);
        /* ... and back: one part, the original bytes. */
        size_t cursor = 0;
        reel_buf back = {0};
        CHECK_OK(reel_entity_path_split((const char *)out.data, out.len, &cursor, &back, NULL));
        CHECK_EQ_INT(back.len, strlen(pairs[i][0]));
        CHECK_EQ_MEM(back.data, pairs[i][0], back.len);
        CHECK_EQ_INT(reel_entity_path_split((const char *)out.data, out.len, &cursor, &back, NULL),
                     REEL_NOT_FOUND);
        reel_buf_free(&back);
    }
    reel_buf_free(&out);
}

TEST(rejects_bad_escapes_with_an_offset)
{
    /* Rerun's forgiving parser logs a warning and guesses for these (rerun-sdk 0.41.0:
     * "bad\qesc" -> /badqesc, "tr\" -> /tr\\, "\u{apa}x" -> /\\u\{apa\}x); we refuse them. */
    static const struct {
        const char *text;
        const char *message;
    } cases[] = {
        {"bad\\qesc", "unknown escape sequence '\\q' at byte offset 3"},
        {"tr\\", "trailing backslash at byte offset 2"},
        {"a/\\u{apa}x", "invalid unicode escape (expected e.g. '\\u{262E}') at byte offset 2"},
        {"\\u{D800}", "invalid unicode escape"},
        {"\\u{110000}", "invalid unicode escape"},
        {"\\u{}", "invalid unicode escape"},
        {"\\u{1234567}", "invalid unicode escape"},
        {"\\u0041", "invalid unicode escape"},
        {"\\u{00E5", "invalid unicode escape"},
        {"x/\\\xc3\xa9", "unknown escape sequence '\\\xc3\xa9' at byte offset 2"},
        {"\\1", "unknown escape sequence '\\1'"},
        {"ok/\xff", "invalid UTF-8 at byte offset 3"},
        {"\xc0\xaf", "invalid UTF-8 at byte offset 0"}, /* overlong '/' */
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        reel_error err = {0};
        CHECK(normalize(cases[i].text, &err) == NULL);
        CHECK_EQ_INT(err.status, REEL_INVALID_ARGUMENT);
        if (!CHECK(strstr(err.message, cases[i].message) != NULL))
            fprintf(stderr, "    '%s': got '%s'\n", cases[i].text, err.message);
    }
    reel_error err = {0};
    CHECK(normalize("bad\\qesc", &err) == NULL);
    CHECK_EQ_STR(err.message,
                 "entity path 'bad\\qesc': unknown escape sequence '\\q' at byte offset 3");
}

TEST(escaped_backslash_before_a_separator_splits)
{
    /* Rerun 0.41's tokenizer treats "a\\/b" as ONE part "a\/b" (it never leaves escape mode
     * after an escaped backslash), although its own writer formats the parts ["a\", "b"] as
     * exactly "/a\\/b". We split where an escape ends: two parts, and from_parts round trips. */
    CHECK_EQ_STR(normalize("a\\\\/b", NULL), "/a\\\\/b");
    reel_buf part = {0};
    size_t cursor = 0;
    const char *path = "/a\\\\/b";
    CHECK_OK(reel_entity_path_split(path, strlen(path), &cursor, &part, NULL));
    CHECK_EQ_INT(part.len, 2);
    CHECK_EQ_MEM(part.data, "a\\", 2);
    CHECK_OK(reel_entity_path_split(path, strlen(path), &cursor, &part, NULL));
    CHECK_EQ_MEM(part.data, "b", 1);
    reel_buf_free(&part);
}

TEST(split_and_join_round_trip)
{
    const char *path = "/world/a\\ b/\\u{1F600}/x\\/y/\\u{0000}";
    reel_span parts[8];
    reel_buf bufs[8] = {{0}};
    size_t n = 0, cursor = 0;
    reel_status status;
    while ((status = reel_entity_path_split(path, strlen(path), &cursor, &bufs[n], NULL)) ==
               REEL_OK &&
           n < 7) {
        parts[n] = reel_span_make(bufs[n].data, bufs[n].len);
        n++;
    }
    CHECK_EQ_INT(status, REEL_NOT_FOUND);
    if (CHECK_EQ_INT(n, 5)) {
        CHECK_EQ_MEM(parts[0].data, "world", 5);
        CHECK_EQ_MEM(parts[1].data, "a b", 3);
        CHECK_EQ_MEM(parts[2].data, "\xf0\x9f\x98\x80", 4);
        CHECK_EQ_MEM(parts[3].data, "x/y", 3);
        CHECK_EQ_INT(parts[4].len, 1);
        CHECK_EQ_INT(parts[4].data[0], 0);
    }
    reel_buf joined = {0};
    CHECK_OK(reel_entity_path_from_parts(parts, n, &joined));
    CHECK_EQ_STR((const char *)joined.data, path);
    CHECK_OK(reel_entity_path_from_parts(NULL, 0, &joined));
    CHECK_EQ_STR((const char *)joined.data, "/");
    reel_span empty = reel_span_make("", 0), bad = reel_span_make("\xff", 1);
    CHECK_EQ_INT(reel_entity_path_from_parts(&empty, 1, &joined), REEL_INVALID_ARGUMENT);
    CHECK_EQ_INT(reel_entity_path_from_parts(&bad, 1, &joined), REEL_INVALID_ARGUMENT);
    reel_buf_free(&joined);
    for (size_t i = 0; i < 8; i++)
        reel_buf_free(&bufs[i]);

    /* The root has no parts; a bad escape is an error from split too. */
    reel_buf part = {0};
    cursor = 0;
    CHECK_EQ_INT(reel_entity_path_split("/", 1, &cursor, &part, NULL), REEL_NOT_FOUND);
    cursor = 0;
    reel_error err = {0};
    CHECK_EQ_INT(reel_entity_path_split("/a\\q", 4, &cursor, &part, &err), REEL_INVALID_ARGUMENT);
    CHECK(strstr(err.message, "byte offset 2") != NULL);
    reel_buf_free(&part);
}

TEST(prefix_and_parent)
{
    CHECK(reel_entity_path_is_prefix("/", "/"));
    CHECK(reel_entity_path_is_prefix("/", "/a/b"));
    CHECK(reel_entity_path_is_prefix("/a", "/a"));
    CHECK(reel_entity_path_is_prefix("/a", "/a/b"));
    CHECK(!reel_entity_path_is_prefix("/a", "/ab"));
    CHECK(!reel_entity_path_is_prefix("/a/b", "/a"));
    CHECK(!reel_entity_path_is_prefix("/a", "/a\\/b")); /* one part "a/b" */
    CHECK(reel_entity_path_is_prefix("/a\\\\", "/a\\\\/b"));
    CHECK(!reel_entity_path_is_prefix("/x\\\\", "/x\\\\\\/y"));

    reel_buf out = {0};
    CHECK_OK(reel_entity_path_parent("/a/b/c", &out));
    CHECK_EQ_STR((const char *)out.data, "/a/b");
    CHECK_OK(reel_entity_path_parent("/a", &out));
    CHECK_EQ_STR((const char *)out.data, "/");
    CHECK_OK(reel_entity_path_parent("/a\\/b/c\\/d", &out));
    CHECK_EQ_STR((const char *)out.data, "/a\\/b");
    CHECK_OK(reel_entity_path_parent("/a\\\\/b", &out));
    CHECK_EQ_STR((const char *)out.data, "/a\\\\");
    CHECK_OK(reel_entity_path_parent("/x\\/y", &out));
    CHECK_EQ_STR((const char *)out.data, "/");
    CHECK_EQ_INT(reel_entity_path_parent("/", &out), REEL_NOT_FOUND);
    reel_buf_free(&out);
}

TEST(normalize_is_idempotent)
{
    static const char *const inputs[] = {"a b/c",   "x\\/y//z/", "\\u{1F600}",  "\xe2\x98\xae/..",
                                         "a\\\\/b", "\\t\\r\\n", "__properties"};
    for (size_t i = 0; i < sizeof inputs / sizeof inputs[0]; i++) {
        const char *once = normalize(inputs[i], NULL);
        if (!CHECK(once != NULL))
            continue;
        char *copy = strdup(once);
        CHECK_EQ_STR(normalize(copy, NULL), copy);
        free(copy);
    }
}

int main(void)
{
    RUN(normalizes_like_the_real_sdk);
    RUN(parts_escape_like_the_real_sdk);
    RUN(rejects_bad_escapes_with_an_offset);
    RUN(escaped_backslash_before_a_separator_splits);
    RUN(split_and_join_round_trip);
    RUN(prefix_and_parent);
    RUN(normalize_is_idempotent);
    TEST_MAIN_END();
}
