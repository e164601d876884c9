/* Tests for the rrd framing bytes: stream header (what rerun-sdk 0.41.0 writes, §3.9's 0.36
 * example, and each way a header is refused), message header, stream footer (§3.9 vector and
 * refusals), the footer CRC (xxh32 seed 7850921, with the standard xxh32 vectors), and LZ4
 * block compression both ways including the size checks made before allocating. */
#include <stdlib.h>
#include <string.h>
#include <xxhash.h>

#include "rrd/rrd.h"
#include "test.h"

TEST(stream_header)
{
    uint8_t bytes[12];
    reel_rrd_stream_header header = {{0, 41, 0, 0}, 1, 2};
    reel_rrd_stream_header_encode(&header, bytes);
    CHECK_EQ_MEM(bytes, "RRF2\x00\x29\x00\x00\x01\x02\x00\x00", 12);
    /* §3.9: 0.36.2 with LZ4. */
    reel_rrd_stream_header back;
    CHECK_OK(reel_rrd_stream_header_decode((const uint8_t *)"RRF2\x00\x24\x02\x00\x01\x02\x00\x00",
                                           &back, NULL));
    CHECK_EQ_MEM(back.version, "\x00\x24\x02\x00", 4);
    CHECK_EQ_INT(back.compression, 1);
    CHECK_EQ_INT(back.serializer, 2);

    static const struct {
        const char *bytes;
        reel_status status;
        const char *text;
    } bad[] = {
        {"RRF1\x00\x29\x00\x00\x01\x02\x00\x00", REEL_UNSUPPORTED, "old format"},
        {"RRF0\x00\x29\x00\x00\x01\x02\x00\x00", REEL_UNSUPPORTED, "old format"},
        {"PK\x03\x04\x00\x29\x00\x00\x01\x02\x00\x00", REEL_CORRUPT, "not an RRD stream"},
        {"RRF2\x00\x29\x00\x00\x02\x02\x00\x00", REEL_UNSUPPORTED, "compression 2"},
        {"RRF2\x00\x29\x00\x00\x01\x01\x00\x00", REEL_UNSUPPORTED, "MsgPack"},
        {"RRF2\x00\x29\x00\x00\x01\x03\x00\x00", REEL_UNSUPPORTED, "serializer 3"},
        {"RRF2\x00\x29\x00\x00\x01\x02\x00\x01", REEL_CORRUPT, "reserved"},
        {"RRF2\x00\x16\x00\x00\x01\x02\x00\x00", REEL_UNSUPPORTED, "0.22.0, older than 0.23"},
        {"RRF2\x00\x00\x00\x00\x01\x02\x00\x00", REEL_UNSUPPORTED, "0.2.0"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        reel_error err = {0};
        CHECK_EQ_INT(reel_rrd_stream_header_decode((const uint8_t *)bad[i].bytes, &back, &err),
                     bad[i].status);
        if (!CHECK(strstr(err.message, bad[i].text) != NULL))
            fprintf(stderr, "    got: %s\n", err.message);
    }
    /* A newer version than ours is fine (Rerun only warns). */
    CHECK_OK(reel_rrd_stream_header_decode((const uint8_t *)"RRF2\x01\x02\x03\x00\x00\x02\x00\x00",
                                           &back, NULL));
}

TEST(message_header)
{
    uint8_t bytes[16];
    reel_rrd_message_header_encode(2, UINT64_C(0x0102030405060708), bytes);
    CHECK_EQ_MEM(bytes, "\x02\x00\x00\x00\x00\x00\x00\x00\x08\x07\x06\x05\x04\x03\x02\x01", 16);
    uint64_t kind, len;
    reel_rrd_message_header_decode(bytes, &kind, &len);
    CHECK_EQ_U64(kind, 2);
    CHECK_EQ_U64(len, UINT64_C(0x0102030405060708));
}

TEST(stream_footer)
{
    static const uint8_t vector[32] = {0x00, 0x10, 0,   0,   0,   0,    0,    0,    0x00, 0x02, 0,
                                       0,    0,    0,   0,   0,   0xef, 0xbe, 0xad, 0xde, 'R',  'R',
                                       'F',  '2',  'F', 'O', 'O', 'T',  0x01, 0,    0,    0};
    reel_rrd_stream_footer footer = {0x1000, 0x200, 0xDEADBEEF}, back;
    uint8_t bytes[32];
    reel_rrd_stream_footer_encode(&footer, bytes);
    CHECK_EQ_MEM(bytes, vector, 32);
    CHECK_OK(reel_rrd_stream_footer_decode(vector, &back, NULL));
    CHECK_EQ_U64(back.footer_offset, 0x1000);
    CHECK_EQ_U64(back.footer_len, 0x200);
    CHECK_EQ_U64(back.crc, 0xDEADBEEF);
    reel_error err = {0};
    bytes[24] = 'X';
    CHECK_EQ_INT(reel_rrd_stream_footer_decode(bytes, &back, &err), REEL_CORRUPT);
    CHECK(strstr(err.message, "FOOT") != NULL);
    memcpy(bytes, vector, 32);
    bytes[28] = 2;
    CHECK_EQ_INT(reel_rrd_stream_footer_decode(bytes, &back, &err), REEL_UNSUPPORTED);
    CHECK(strstr(err.message, "2 entries") != NULL);
}

TEST(xxh32)
{
    CHECK_EQ_U64(XXH32("", 0, 0), 0x02CC5D05);
    CHECK_EQ_U64(XXH32("abc", 3, 0), 0x32D153FF);
    CHECK_EQ_U64(reel_rrd_footer_crc("", 0), 0x2A973671);
    CHECK_EQ_U64(reel_rrd_footer_crc("abc", 3), XXH32("abc", 3, 7850921));
}

TEST(lz4_round_trip)
{
    size_t sizes[] = {0, 1, 15, 100, 4096, 1 << 20};
    for (size_t s = 0; s < sizeof sizes / sizeof sizes[0]; s++) {
        size_t n = sizes[s];
        uint8_t *data = malloc(n + 1);
        for (size_t i = 0; i < n; i++) /* half compressible, half noise */
            data[i] = i < n / 2 ? (uint8_t)(i % 7) : (uint8_t)(rand() & 0xff);
        reel_buf compressed = {0};
        CHECK_OK(reel_rrd_lz4_compress(data, n, &compressed, NULL));
        reel_blob *back = NULL;
        reel_error err = {0};
        if (CHECK_OK(reel_rrd_lz4_decompress(compressed.data, compressed.len, n, UINT64_MAX, NULL,
                                             &back, &err))) {
            CHECK_EQ_U64(reel_blob_len(back), n);
            CHECK_EQ_MEM(reel_blob_data(back), data, n);
        }
        reel_blob_release(back);
        reel_buf_free(&compressed);
        free(data);
    }
}

TEST(lz4_checks)
{
    uint8_t data[1000];
    memset(data, 'a', sizeof data);
    reel_buf compressed = {0};
    CHECK_OK(reel_rrd_lz4_compress(data, sizeof data, &compressed, NULL));
    CHECK(compressed.len < 40);
    reel_blob *back = NULL;
    reel_error err = {0};
    /* A claimed size larger than the real one: zero-padded, as Rerun's decompress_into. */
    if (CHECK_OK(reel_rrd_lz4_decompress(compressed.data, compressed.len, 1200, UINT64_MAX, NULL,
                                         &back, &err))) {
        CHECK_EQ_MEM(reel_blob_data(back), data, 1000);
        CHECK(reel_blob_data(back)[1000] == 0 && reel_blob_data(back)[1199] == 0);
    }
    reel_blob_release(back);
    /* Smaller: the block does not fit. */
    CHECK_EQ_INT(reel_rrd_lz4_decompress(compressed.data, compressed.len, 999, UINT64_MAX, NULL,
                                         &back, &err),
                 REEL_CORRUPT);
    /* Over the caller's cap, and beyond LZ4's 255:1 ratio: refused before allocating. */
    CHECK_EQ_INT(
        reel_rrd_lz4_decompress(compressed.data, compressed.len, 1000, 999, NULL, &back, &err),
        REEL_LIMIT);
    CHECK_EQ_INT(reel_rrd_lz4_decompress(compressed.data, 4, UINT64_C(1) << 30, UINT64_MAX, NULL,
                                         &back, &err),
                 REEL_CORRUPT);
    CHECK(strstr(err.message, "impossible") != NULL);
    CHECK(back == NULL);
    /* Garbage. */
    CHECK_EQ_INT(reel_rrd_lz4_decompress("\xff\xff\xff\xff", 4, 100, UINT64_MAX, NULL, &back, &err),
                 REEL_CORRUPT);
    reel_buf_free(&compressed);
}

int main(void)
{
    RUN(stream_header);
    RUN(message_header);
    RUN(stream_footer);
    RUN(xxh32);
    RUN(lz4_round_trip);
    RUN(lz4_checks);
    TEST_MAIN_END();
}
