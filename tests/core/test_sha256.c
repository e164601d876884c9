/* Tests for SHA-256 against the FIPS 180-4 / NIST example vectors (empty, "abc", the
 * 448- and 896-bit messages, one million 'a'), and that feeding the same bytes in pieces
 * of every size from 1 to 130 gives the one-shot digest (block-boundary handling). */
#include <stdlib.h>
#include <string.h>

#include "core/core.h"
#include "test.h"

static void hex_digest(const uint8_t digest[32], char out[65])
{
    static const char digits[] = "0123456789abcdef";
    for (int i = 0; i < 32; i++) {
        out[2 * i] = digits[digest[i] >> 4];
        out[2 * i + 1] = digits[digest[i] & 15];
    }
    out[64] = '\0';
}

static void check_vector(const char *message, const char *expected_hex)
{
    uint8_t digest[32];
    char hex[65];
    reel_sha256_digest(message, strlen(message), digest);
    hex_digest(digest, hex);
    CHECK_EQ_STR(hex, expected_hex);
}

TEST(standard_vectors)
{
    check_vector("", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    check_vector("abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    check_vector("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq",
                 "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
    check_vector("abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmnoijklmnopjklmnopq"
                 "klmnopqrlmnopqrsmnopqrstnopqrstu",
                 "cf5b16a778af8380036ce59e7b0492370b249b11e8f07a51afac45037afee9d1");
}

TEST(million_a)
{
    size_t len = 1000000;
    char *message = malloc(len);
    if (!CHECK(message != NULL))
        return;
    memset(message, 'a', len);
    reel_sha256 ctx;
    reel_sha256_init(&ctx);
    /* Odd-sized pieces so updates straddle block boundaries. */
    for (size_t at = 0; at < len; at += 997)
        reel_sha256_update(&ctx, message + at, len - at < 997 ? len - at : 997);
    uint8_t digest[32];
    char hex[65];
    reel_sha256_final(&ctx, digest);
    hex_digest(digest, hex);
    CHECK_EQ_STR(hex, "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
    free(message);
}

TEST(pieces_match_one_shot)
{
    uint8_t message[300];
    for (size_t i = 0; i < sizeof message; i++)
        message[i] = (uint8_t)(i * 7 + 3);
    for (size_t total = 0; total <= sizeof message; total += 37) {
        uint8_t expected[32];
        reel_sha256_digest(message, total, expected);
        for (size_t piece = 1; piece <= 130; piece++) {
            reel_sha256 ctx;
            reel_sha256_init(&ctx);
            for (size_t at = 0; at < total; at += piece)
                reel_sha256_update(&ctx, message + at, total - at < piece ? total - at : piece);
            uint8_t digest[32];
            reel_sha256_final(&ctx, digest);
            if (!CHECK_EQ_MEM(digest, expected, 32))
                return;
        }
    }
}

int main(void)
{
    RUN(standard_vectors);
    RUN(million_a);
    RUN(pieces_match_one_shot);
    TEST_MAIN_END();
}
