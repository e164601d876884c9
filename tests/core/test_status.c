/* Tests for status names and texts and for reel_error: formatting, truncation at
 * REEL_ERROR_MESSAGE_MAX without splitting UTF-8, prefixing (also when the message or the
 * prefix is long, or refers to the message itself) and REEL_TRY propagation. */
#include <string.h>

#include "core/core.h"
#include "test.h"

/* Accepts only complete, well-formed UTF-8 sequences (no overlong/surrogate checks). */
static bool utf8_complete(const char *s)
{
    const unsigned char *p = (const unsigned char *)s;
    while (*p != 0) {
        size_t need = *p < 0x80 ? 1 : *p >= 0xF0 ? 4 : *p >= 0xE0 ? 3 : *p >= 0xC0 ? 2 : 0;
        if (need == 0)
            return false;
        for (size_t i = 1; i < need; i++) {
            if ((p[i] & 0xC0) != 0x80)
                return false;
        }
        p += need;
    }
    return true;
}

TEST(status_table_names_and_texts)
{
    CHECK_EQ_STR(reel_status_name(REEL_OK), "OK");
    CHECK_EQ_STR(reel_status_text(REEL_OK), "ok");
    CHECK_EQ_STR(reel_status_name(REEL_INVALID_ARGUMENT), "INVALID_ARGUMENT");
    CHECK_EQ_STR(reel_status_text(REEL_INVALID_ARGUMENT), "invalid argument");
    CHECK_EQ_STR(reel_status_name(REEL_OUT_OF_MEMORY), "OUT_OF_MEMORY");
    CHECK_EQ_STR(reel_status_text(REEL_IO), "input/output error");
    CHECK_EQ_STR(reel_status_name(REEL_TRUNCATED), "TRUNCATED");
    CHECK_EQ_STR(reel_status_text(REEL_CORRUPT), "corrupt input");
    CHECK_EQ_STR(reel_status_text(REEL_BUSY), "busy, try again");
    CHECK_EQ_STR(reel_status_name(REEL_INTERNAL), "INTERNAL");
    CHECK_EQ_INT(REEL_TIMEOUT, 10);
    CHECK_EQ_INT(REEL_INTERNAL, 12);

    /* Every table entry maps back to its own name and text. */
#define CHECK_ENTRY(num, name, text)                                                               \
    CHECK_EQ_INT(REEL_##name, num);                                                                \
    CHECK_EQ_STR(reel_status_name((reel_status)(num)), #name);                                     \
    CHECK_EQ_STR(reel_status_text((reel_status)(num)), text);
    REEL_STATUS_TABLE(CHECK_ENTRY)
#undef CHECK_ENTRY

    CHECK_EQ_STR(reel_status_name((reel_status)999), "UNKNOWN");
    CHECK(reel_status_text((reel_status)999) != NULL);
    CHECK(strlen(reel_status_text((reel_status)-1)) > 0);
}

TEST(error_set_formats_and_returns_status)
{
    reel_error err = {0};
    CHECK_EQ_INT(err.status, REEL_OK);
    CHECK_EQ_INT(reel_error_set(&err, REEL_CORRUPT, "bad tag %d at offset %zu", 7, (size_t)4096),
                 REEL_CORRUPT);
    CHECK_EQ_INT(err.status, REEL_CORRUPT);
    CHECK_EQ_STR(err.message, "bad tag 7 at offset 4096");

    /* NULL err: still returns the status. */
    CHECK_EQ_INT(reel_error_set(NULL, REEL_IO, "ignored %s", "x"), REEL_IO);

    /* The arguments may point into the message being replaced. */
    reel_error_set(&err, REEL_IO, "outer (%s)", err.message);
    CHECK_EQ_STR(err.message, "outer (bad tag 7 at offset 4096)");
    CHECK_EQ_INT(err.status, REEL_IO);

    reel_error_clear(&err);
    CHECK_EQ_INT(err.status, REEL_OK);
    CHECK_EQ_STR(err.message, "");
    reel_error_clear(NULL);
}

TEST(error_set_truncates_long_messages)
{
    char big[2000];
    memset(big, 'x', sizeof big - 1);
    big[sizeof big - 1] = '\0';
    reel_error err = {0};
    reel_error_set(&err, REEL_LIMIT, "%s", big);
    CHECK_EQ_INT(strlen(err.message), REEL_ERROR_MESSAGE_MAX - 1);
    CHECK_EQ_INT(err.status, REEL_LIMIT);

    /* 600 two-byte characters: a cut at 511 bytes would split one, so 510 are kept. */
    char utf8[1300] = "";
    for (int i = 0; i < 600; i++)
        strcat(utf8, "\xC3\xA9");
    reel_error_set(&err, REEL_LIMIT, "%s", utf8);
    CHECK_EQ_INT(strlen(err.message), 510);
    CHECK(utf8_complete(err.message));

    /* Three-byte characters after one ASCII byte: 1 + 3k <= 511 -> 1 + 3 * 170 = 511. */
    char wide[2000] = "a";
    for (int i = 0; i < 300; i++)
        strcat(wide, "\xE2\x82\xAC"); /* euro sign */
    reel_error_set(&err, REEL_LIMIT, "%s", wide);
    CHECK_EQ_INT(strlen(err.message), 511);
    CHECK(utf8_complete(err.message));
    reel_error_set(&err, REEL_LIMIT, "b%s", wide); /* "ba" + 3 * 169 = 509 */
    CHECK_EQ_INT(strlen(err.message), 509);
    CHECK(utf8_complete(err.message));
}

TEST(error_prefix_prepends_and_keeps_status)
{
    reel_error err = {0};
    reel_error_set(&err, REEL_TRUNCATED, "ArrowMsg payload truncated (need %d B, have %d)", 812,
                   40);
    CHECK_EQ_INT(reel_error_prefix(&err, "message %d at offset %d: ", 12, 4096), REEL_TRUNCATED);
    CHECK_EQ_INT(reel_error_prefix(&err, "%s: ", "chunk.rrd"), REEL_TRUNCATED);
    CHECK_EQ_STR(err.message, "chunk.rrd: message 12 at offset 4096: ArrowMsg payload truncated "
                              "(need 812 B, have 40)");
    CHECK_EQ_INT(err.status, REEL_TRUNCATED);

    /* NULL err and "no error" are left alone. */
    CHECK_EQ_INT(reel_error_prefix(NULL, "x: "), REEL_OK);
    reel_error none = {0};
    CHECK_EQ_INT(reel_error_prefix(&none, "file: "), REEL_OK);
    CHECK_EQ_STR(none.message, "");

    /* The prefix's arguments may be the message itself. */
    reel_error_set(&err, REEL_IO, "abc");
    reel_error_prefix(&err, "%s / ", err.message);
    CHECK_EQ_STR(err.message, "abc / abc");
}

TEST(error_prefix_with_long_message)
{
    char big[REEL_ERROR_MESSAGE_MAX + 100];
    memset(big, 'm', sizeof big - 1);
    big[sizeof big - 1] = '\0';
    reel_error err = {0};
    reel_error_set(&err, REEL_CORRUPT, "%s", big);
    CHECK_EQ_INT(strlen(err.message), REEL_ERROR_MESSAGE_MAX - 1);

    reel_error_prefix(&err, "ctx: ");
    CHECK_EQ_INT(strlen(err.message), REEL_ERROR_MESSAGE_MAX - 1);
    CHECK(strncmp(err.message, "ctx: mmm", 8) == 0);
    CHECK_EQ_INT(err.message[REEL_ERROR_MESSAGE_MAX - 2], 'm');
    CHECK_EQ_INT(err.status, REEL_CORRUPT);

    /* A prefix longer than the whole message buffer leaves only the (cut) prefix. */
    char long_prefix[REEL_ERROR_MESSAGE_MAX * 2];
    memset(long_prefix, 'p', sizeof long_prefix - 1);
    long_prefix[sizeof long_prefix - 1] = '\0';
    reel_error_prefix(&err, "%s", long_prefix);
    CHECK_EQ_INT(strlen(err.message), REEL_ERROR_MESSAGE_MAX - 1);
    CHECK_EQ_INT(err.message[0], 'p');
    CHECK_EQ_INT(err.message[REEL_ERROR_MESSAGE_MAX - 2], 'p');

    /* Cutting the old message never splits a UTF-8 sequence. */
    char utf8[1100] = "";
    for (int i = 0; i < 500; i++)
        strcat(utf8, "\xC3\xA9");
    reel_error_set(&err, REEL_CORRUPT, "%s", utf8); /* 510 bytes */
    reel_error_prefix(&err, "abc: ");               /* 5 + 506 would split at 511 */
    CHECK(utf8_complete(err.message));
    CHECK_EQ_INT(strlen(err.message), 5 + 506);
    CHECK(strncmp(err.message, "abc: \xC3\xA9", 7) == 0);

    /* A message that is not NUL-terminated (filled by hand) is read up to the buffer end. */
    memset(err.message, 'z', sizeof err.message);
    err.status = REEL_IO;
    reel_error_prefix(&err, "f: ");
    CHECK_EQ_INT(strlen(err.message), REEL_ERROR_MESSAGE_MAX - 1);
    CHECK(strncmp(err.message, "f: zz", 5) == 0);
}

static int try_calls;

static reel_status step(reel_status result)
{
    try_calls++;
    return result;
}

static reel_status run_steps(reel_status first, reel_status second)
{
    REEL_TRY(step(first));
    REEL_TRY(step(second));
    return REEL_OK;
}

TEST(error_messages_are_one_line)
{
    reel_error err = {0};
    /* A string quoted from damaged input, with a newline, a tab and DEL in it. */
    reel_error_set(&err, REEL_CORRUPT, "unknown kind '%s'", "da\nta\t\x7f");
    CHECK_EQ_STR(err.message, "unknown kind 'da?ta?" "?'");
    reel_error_prefix(&err, "file\n%d: ", 3);
    CHECK_EQ_STR(err.message, "file?3: unknown kind 'da?ta?" "?'");
    /* UTF-8 is kept. */
    reel_error_set(&err, REEL_CORRUPT, "%s", "caf\xc3\xa9");
    CHECK_EQ_STR(err.message, "caf\xc3\xa9");
}

TEST(try_propagates_first_failure)
{
    try_calls = 0;
    CHECK_EQ_INT(run_steps(REEL_OK, REEL_OK), REEL_OK);
    CHECK_EQ_INT(try_calls, 2);
    try_calls = 0;
    CHECK_EQ_INT(run_steps(REEL_CORRUPT, REEL_OK), REEL_CORRUPT);
    CHECK_EQ_INT(try_calls, 1);
    try_calls = 0;
    CHECK_EQ_INT(run_steps(REEL_OK, REEL_IO), REEL_IO);
    CHECK_EQ_INT(try_calls, 2);
}

int main(void)
{
    RUN(status_table_names_and_texts);
    RUN(error_set_formats_and_returns_status);
    RUN(error_set_truncates_long_messages);
    RUN(error_prefix_prepends_and_keeps_status);
    RUN(error_prefix_with_long_message);
    RUN(error_messages_are_one_line);
    RUN(try_propagates_first_failure);
    TEST_MAIN_END();
}
