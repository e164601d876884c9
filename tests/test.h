/* Tiny header-only unit-test helper for the tests/<module>/test_*.c programs.
 * A failed CHECK prints file:line and the values, counts the failure and carries on;
 * each CHECK is also an expression that is 1 on success, so `if (!CHECK(p)) return;`
 * guards what follows. Only libc: it must not depend on the code under test.
 *
 *     TEST(arena_grows) { CHECK_EQ_INT(1 + 1, 2); }
 *     int main(void) { RUN(arena_grows); TEST_MAIN_END(); }
 */
#ifndef REEL_TEST_H
#define REEL_TEST_H

#include <inttypes.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

/* Counters live in function-local statics: one test program is one translation unit. */
static inline int *reel_test__failures(void)
{
    static int failures;
    return &failures;
}

static inline int *reel_test__checks(void)
{
    static int checks;
    return &checks;
}

static inline int reel_test__result(int ok, const char *file, int line)
{
    ++*reel_test__checks();
    if (!ok) {
        ++*reel_test__failures();
        fprintf(stderr, "%s:%d: check failed: ", file, line);
    }
    return ok;
}

static inline int reel_test__check(int ok, const char *file, int line, const char *expr)
{
    if (!reel_test__result(ok, file, line))
        fprintf(stderr, "%s\n", expr);
    return ok;
}

static inline int reel_test__eq_int(long long a, long long b, const char *file, int line,
                                    const char *a_expr, const char *b_expr)
{
    if (!reel_test__result(a == b, file, line))
        fprintf(stderr, "%s == %s (%lld vs %lld)\n", a_expr, b_expr, a, b);
    return a == b;
}

static inline int reel_test__eq_u64(uint64_t a, uint64_t b, const char *file, int line,
                                    const char *a_expr, const char *b_expr)
{
    if (!reel_test__result(a == b, file, line))
        fprintf(stderr, "%s == %s (%" PRIu64 " vs %" PRIu64 ", 0x%" PRIx64 " vs 0x%" PRIx64 ")\n",
                a_expr, b_expr, a, b, a, b);
    return a == b;
}

static inline int reel_test__eq_str(const char *a, const char *b, const char *file, int line,
                                    const char *a_expr, const char *b_expr)
{
    int ok = (a == NULL || b == NULL) ? a == b : strcmp(a, b) == 0;
    if (!reel_test__result(ok, file, line)) {
        fprintf(stderr, "%s == %s (%s%s%s vs %s%s%s)\n", a_expr, b_expr, a ? "\"" : "",
                a ? a : "NULL", a ? "\"" : "", b ? "\"" : "", b ? b : "NULL", b ? "\"" : "");
    }
    return ok;
}

static inline void reel_test__dump_bytes(const char *label, const void *bytes, size_t from,
                                         size_t n)
{
    const unsigned char *p = bytes;
    size_t end = from + 16 < n ? from + 16 : n;
    fprintf(stderr, "    %s[%zu..%zu):", label, from, end);
    for (size_t i = from; i < end; i++)
        fprintf(stderr, " %02x", p[i]);
    fprintf(stderr, "\n");
}

static inline int reel_test__eq_mem(const void *a, const void *b, size_t n, const char *file,
                                    int line, const char *a_expr, const char *b_expr)
{
    int ok;
    size_t diff = 0;
    if (n == 0)
        ok = 1;
    else if (a == NULL || b == NULL)
        ok = 0;
    else {
        const unsigned char *pa = a, *pb = b;
        while (diff < n && pa[diff] == pb[diff])
            diff++;
        ok = diff == n;
    }
    if (!reel_test__result(ok, file, line)) {
        if (a == NULL || b == NULL) {
            fprintf(stderr, "%s == %s (%zu bytes): %s is NULL\n", a_expr, b_expr, n,
                    a == NULL ? a_expr : b_expr);
        } else {
            fprintf(stderr, "%s == %s (%zu bytes): first difference at byte %zu\n", a_expr, b_expr,
                    n, diff);
            reel_test__dump_bytes(a_expr, a, diff, n);
            reel_test__dump_bytes(b_expr, b, diff, n);
        }
    }
    return ok;
}

static inline int reel_test__near(double a, double b, double eps, const char *file, int line,
                                  const char *a_expr, const char *b_expr)
{
    double d = a > b ? a - b : b - a;
    int ok = a == b || d <= eps; /* a == b also covers equal infinities; NaN never passes */
    if (!reel_test__result(ok, file, line))
        fprintf(stderr, "%s ~= %s (%.17g vs %.17g, diff %.3g > %.3g)\n", a_expr, b_expr, a, b, d,
                eps);
    return ok;
}

static inline int reel_test__ok(int status, const char *file, int line, const char *expr)
{
    if (!reel_test__result(status == 0, file, line))
        fprintf(stderr, "%s returned status %d, expected 0 (ok)\n", expr, status);
    return status == 0;
}

static inline void reel_test__run(void (*fn)(void), const char *name)
{
    int before = *reel_test__failures();
    printf("RUN  %s\n", name);
    fflush(stdout);
    fn();
    int failed = *reel_test__failures() - before;
    if (failed)
        printf("FAIL %s (%d failed checks)\n", name, failed);
    else
        printf("ok   %s\n", name);
    fflush(stdout);
}

static inline int reel_test__end(const char *file)
{
    int failures = *reel_test__failures();
    printf("%s: %d checks, %d failed\n", file, *reel_test__checks(), failures);
    fflush(stdout);
    return failures ? 1 : 0;
}

#define CHECK(cond) reel_test__check((cond) ? 1 : 0, __FILE__, __LINE__, #cond)
#define CHECK_EQ_INT(a, b)                                                                         \
    reel_test__eq_int((long long)(a), (long long)(b), __FILE__, __LINE__, #a, #b)
#define CHECK_EQ_U64(a, b)                                                                         \
    reel_test__eq_u64((uint64_t)(a), (uint64_t)(b), __FILE__, __LINE__, #a, #b)
#define CHECK_EQ_STR(a, b) reel_test__eq_str((a), (b), __FILE__, __LINE__, #a, #b)
#define CHECK_EQ_MEM(a, b, n) reel_test__eq_mem((a), (b), (size_t)(n), __FILE__, __LINE__, #a, #b)
#define CHECK_NEAR(a, b, eps)                                                                      \
    reel_test__near((double)(a), (double)(b), (double)(eps), __FILE__, __LINE__, #a, #b)
#define CHECK_OK(status_expr) reel_test__ok((int)(status_expr), __FILE__, __LINE__, #status_expr)

#define TEST(name) static void name(void)
#define RUN(name) reel_test__run(name, #name)
#define TEST_MAIN_END() return reel_test__end(__FILE__)

#endif
