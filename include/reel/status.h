/* Status codes and error messages shared by every Reel module and by the public SDK.
 * One X-macro table defines each code's number, name and text; the numbers are stable
 * and never reused. A reel_error carries the status plus a human message such as
 * "chunk.rrd: message 12 at offset 4096: ArrowMsg payload truncated". */
#ifndef REEL_STATUS_H
#define REEL_STATUS_H

#ifdef __cplusplus
extern "C" {
#endif

/* X(number, NAME, "text") — append only; numbers are part of the ABI. */
#define REEL_STATUS_TABLE(X)                                                                       \
    X(0, OK, "ok")                                                                                 \
    X(1, INVALID_ARGUMENT, "invalid argument")                                                     \
    X(2, OUT_OF_MEMORY, "out of memory")                                                           \
    X(3, IO, "input/output error")                                                                 \
    X(4, TRUNCATED, "input truncated")                                                             \
    X(5, CORRUPT, "corrupt input")                                                                 \
    X(6, UNSUPPORTED, "unsupported")                                                               \
    X(7, NOT_FOUND, "not found")                                                                   \
    X(8, LIMIT, "limit exceeded")                                                                  \
    X(9, CLOSED, "closed")                                                                         \
    X(10, TIMEOUT, "timed out")                                                                    \
    X(11, BUSY, "busy, try again")                                                                 \
    X(12, INTERNAL, "internal error")

typedef enum reel_status {
#define REEL__STATUS_ENUM(num, name, text) REEL_##name = num,
    REEL_STATUS_TABLE(REEL__STATUS_ENUM)
#undef REEL__STATUS_ENUM
} reel_status;

/* "INVALID_ARGUMENT" etc.; "UNKNOWN" for numbers not in the table. Never NULL. */
const char *reel_status_name(reel_status status);
/* "invalid argument" etc.; never NULL. */
const char *reel_status_text(reel_status status);

#define REEL_ERROR_MESSAGE_MAX 512

/* Filled by fallible functions that take a `reel_error *err` (which may be NULL).
 * The caller allocates it; zero-initialised means "no error". */
typedef struct reel_error {
    reel_status status;
    char message[REEL_ERROR_MESSAGE_MAX];
} reel_error;

#ifdef __cplusplus
}
#endif
#endif
