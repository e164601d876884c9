/* Status names and texts from the X-macro table in reel/status.h, and the reel_error
 * helpers that fill, prefix and clear error messages. Messages are always NUL-terminated
 * and cut to REEL_ERROR_MESSAGE_MAX bytes without splitting a UTF-8 sequence. */
#define _POSIX_C_SOURCE 200809L /* strnlen */

#include <stdio.h>
#include <string.h>

#include "core.h"

const char *reel_status_name(reel_status status)
{
    switch (status) {
#define REEL__STATUS_NAME(num, name, text)                                                         \
    case REEL_##name:                                                                              \
        return #name;
        REEL_STATUS_TABLE(REEL__STATUS_NAME)
#undef REEL__STATUS_NAME
    }
    return "UNKNOWN";
}

const char *reel_status_text(reel_status status)
{
    switch (status) {
#define REEL__STATUS_TEXT(num, name, text)                                                         \
    case REEL_##name:                                                                              \
        return text;
        REEL_STATUS_TABLE(REEL__STATUS_TEXT)
#undef REEL__STATUS_TEXT
    }
    return "unknown status";
}

/* Returns len, shortened to drop a UTF-8 sequence that truncation cut in half at the end
 * of text[0..len). Malformed input is left alone: this only avoids making it worse. */
size_t reel__utf8_trim_partial(const char *text, size_t len)
{
    size_t lead_end = len;
    size_t continuation = 0;
    while (lead_end > 0 && continuation < 3 && ((unsigned char)text[lead_end - 1] & 0xC0) == 0x80) {
        lead_end--;
        continuation++;
    }
    if (lead_end == 0)
        return len;
    unsigned char lead = (unsigned char)text[lead_end - 1];
    if (lead < 0xC0)
        return len;
    size_t need = lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : 2;
    return continuation + 1 < need ? lead_end - 1 : len;
}

/* Formats into dst[REEL_ERROR_MESSAGE_MAX]; the result is NUL-terminated even when the
 * formatted text is longer (or vsnprintf fails). Returns the stored length. */
static size_t format_message(char *dst, const char *fmt, va_list args)
{
    if (fmt == NULL) {
        dst[0] = '\0';
        return 0;
    }
    int written = vsnprintf(dst, REEL_ERROR_MESSAGE_MAX, fmt, args);
    if (written < 0) {
        dst[0] = '\0';
        return 0;
    }
    size_t len = (size_t)written;
    if (len >= REEL_ERROR_MESSAGE_MAX) {
        len = reel__utf8_trim_partial(dst, REEL_ERROR_MESSAGE_MAX - 1);
        dst[len] = '\0';
    }
    /* A message is one line, whatever the input it quotes: control characters from a damaged
     * file's strings (a newline in a metadata value) become '?'. */
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)dst[i];
        if (c < 0x20 || c == 0x7f)
            dst[i] = '?';
    }
    return len;
}

reel_status reel_error_setv(reel_error *err, reel_status status, const char *fmt, va_list args)
{
    if (err == NULL)
        return status;
    /* Format into a scratch buffer first: the arguments may point into err->message. */
    char scratch[REEL_ERROR_MESSAGE_MAX];
    size_t len = format_message(scratch, fmt, args);
    memcpy(err->message, scratch, len + 1);
    err->status = status;
    return status;
}

reel_status reel_error_set(reel_error *err, reel_status status, const char *fmt, ...)
{
    if (err == NULL)
        return status;
    va_list args;
    va_start(args, fmt);
    reel_error_setv(err, status, fmt, args);
    va_end(args);
    return status;
}

reel_status reel_error_prefix(reel_error *err, const char *fmt, ...)
{
    if (err == NULL)
        return REEL_OK;
    /* "No error" stays "no error": there is no message to give context to. */
    if (err->status == REEL_OK)
        return REEL_OK;

    char prefix[REEL_ERROR_MESSAGE_MAX];
    va_list args;
    va_start(args, fmt);
    size_t prefix_len = format_message(prefix, fmt, args);
    va_end(args);

    /* The old message may not be terminated if the caller filled it by hand. */
    size_t old_len = strnlen(err->message, REEL_ERROR_MESSAGE_MAX - 1);
    size_t room = REEL_ERROR_MESSAGE_MAX - 1 - prefix_len;
    size_t keep = old_len <= room ? old_len : room;

    char combined[REEL_ERROR_MESSAGE_MAX];
    memcpy(combined, prefix, prefix_len);
    memcpy(combined + prefix_len, err->message, keep);
    size_t len = prefix_len + keep;
    if (keep < old_len)
        len = reel__utf8_trim_partial(combined, len);
    combined[len] = '\0';
    memcpy(err->message, combined, len + 1);
    return err->status;
}

void reel_error_clear(reel_error *err)
{
    if (err == NULL)
        return;
    err->status = REEL_OK;
    err->message[0] = '\0';
}
