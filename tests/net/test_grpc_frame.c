/* Unit tests of the net module's pure pieces: gRPC framing and its incremental decoder (pieces,
 * limits, flags), base64, gRPC-Web trailers, Rerun URLs, sizes, and the request peek. */
#include "net/net_internal.h"
#include "test.h"

TEST(frame_header_is_big_endian)
{
    uint8_t header[5];
    reel_grpc_frame_header_encode(0, 0x3b, header);
    CHECK_EQ_MEM(header, "\x00\x00\x00\x00\x3b", 5);
    reel_grpc_frame_header_encode(0x80, 0x01020304, header);
    CHECK_EQ_MEM(header, "\x80\x01\x02\x03\x04", 5);
}

TEST(decoder_takes_any_pieces)
{
    reel_buf stream = {0};
    CHECK_OK(reel_grpc_frame_append(&stream, 0, (const uint8_t *)"hello", 5, NULL));
    CHECK_OK(reel_grpc_frame_append(&stream, 0, NULL, 0, NULL));
    CHECK_OK(reel_grpc_frame_append(&stream, 0, (const uint8_t *)"world!", 6, NULL));
    CHECK_EQ_U64(stream.len, 5 + 5 + 5 + 0 + 5 + 6);
    /* Feed it in every piece size from 1 to all at once: always the same three frames. */
    for (size_t piece = 1; piece <= stream.len; piece++) {
        reel_grpc_frame_decoder d;
        reel_grpc_frame_decoder_init(&d, 0);
        const char *expect[3] = {"hello", "", "world!"};
        int got_frames = 0;
        size_t offset = 0;
        while (offset < stream.len) {
            size_t len = stream.len - offset < piece ? stream.len - offset : piece;
            while (len > 0) {
                size_t used = 0;
                bool got = false;
                reel_grpc_frame frame;
                if (!CHECK_OK(reel_grpc_frame_decoder_push(&d, stream.data + offset, len, &used,
                                                           &frame, &got, NULL)))
                    break;
                offset += used;
                len -= used;
                if (got) {
                    CHECK(got_frames < 3);
                    if (got_frames < 3) {
                        CHECK_EQ_U64(frame.message.len, strlen(expect[got_frames]));
                        CHECK_EQ_MEM(frame.message.data, expect[got_frames], frame.message.len);
                    }
                    got_frames++;
                }
            }
        }
        CHECK_EQ_INT(got_frames, 3);
        CHECK(reel_grpc_frame_decoder_idle(&d));
        reel_grpc_frame_decoder_reset(&d);
    }
    reel_buf_free(&stream);
}

TEST(decoder_refuses_huge_lengths_before_buffering)
{
    reel_grpc_frame_decoder d;
    reel_grpc_frame_decoder_init(&d, 1024);
    const uint8_t huge[5] = {0, 0xff, 0xff, 0xff, 0xf0};
    size_t used = 0;
    bool got = false;
    reel_grpc_frame frame;
    reel_error err = {0};
    CHECK_EQ_INT(reel_grpc_frame_decoder_push(&d, huge, 5, &used, &frame, &got, &err), REEL_LIMIT);
    CHECK(strstr(err.message, "over the limit") != NULL);
    CHECK(d.message.cap == 0); /* nothing allocated */
    /* Failed for good. */
    CHECK(reel_grpc_frame_decoder_push(&d, huge, 5, &used, &frame, &got, NULL) != REEL_OK);
    reel_grpc_frame_decoder_reset(&d);
}

TEST(decoder_checks_flags)
{
    const uint8_t compressed[6] = {1, 0, 0, 0, 1, 'x'};
    const uint8_t trailers[6] = {0x80, 0, 0, 0, 1, 'x'};
    const uint8_t odd[6] = {0x42, 0, 0, 0, 1, 'x'};
    size_t used;
    bool got;
    reel_grpc_frame frame;
    reel_grpc_frame_decoder d;
    reel_grpc_frame_decoder_init(&d, 0);
    CHECK_EQ_INT(reel_grpc_frame_decoder_push(&d, compressed, 6, &used, &frame, &got, NULL),
                 REEL_UNSUPPORTED);
    reel_grpc_frame_decoder_reset(&d);
    CHECK_EQ_INT(reel_grpc_frame_decoder_push(&d, trailers, 6, &used, &frame, &got, NULL),
                 REEL_CORRUPT);
    reel_grpc_frame_decoder_reset(&d);
    d.allow_trailers = true;
    CHECK_OK(reel_grpc_frame_decoder_push(&d, trailers, 6, &used, &frame, &got, NULL));
    CHECK(got && frame.flags == 0x80);
    reel_grpc_frame_decoder_reset(&d);
    CHECK_EQ_INT(reel_grpc_frame_decoder_push(&d, odd, 6, &used, &frame, &got, NULL), REEL_CORRUPT);
    reel_grpc_frame_decoder_reset(&d);
}

TEST(base64_round_trips)
{
    const char *inputs[] = {"", "f", "fo", "foo", "foob", "fooba", "foobar"};
    const char *expected[] = {"", "Zg==", "Zm8=", "Zm9v", "Zm9vYg==", "Zm9vYmE=", "Zm9vYmFy"};
    for (int i = 0; i < 7; i++) {
        reel_buf enc = {0}, dec = {0};
        CHECK_OK(reel_net_base64_encode((const uint8_t *)inputs[i], strlen(inputs[i]), &enc, NULL));
        CHECK_EQ_U64(enc.len, strlen(expected[i]));
        CHECK_EQ_MEM(enc.data, expected[i], enc.len);
        CHECK_OK(reel_net_base64_decode((const char *)enc.data, enc.len, &dec, NULL));
        CHECK_EQ_U64(dec.len, strlen(inputs[i]));
        CHECK_EQ_MEM(dec.data, inputs[i], dec.len);
        reel_buf_free(&enc);
        reel_buf_free(&dec);
    }
    /* Concatenated padded groups, as gRPC-Web text frames come. */
    reel_buf dec = {0};
    CHECK_OK(reel_net_base64_decode("Zg==Zm8=Zm9v", 12, &dec, NULL));
    CHECK_EQ_U64(dec.len, 6);
    CHECK_EQ_MEM(dec.data, "ffofoo", 6);
    reel_buf_clear(&dec);
    CHECK_EQ_INT(reel_net_base64_decode("Zm9", 3, &dec, NULL), REEL_TRUNCATED);
    CHECK_EQ_INT(reel_net_base64_decode("Z!==", 4, &dec, NULL), REEL_CORRUPT);
    CHECK_EQ_INT(reel_net_base64_decode("Z=g=", 4, &dec, NULL), REEL_CORRUPT);
    reel_buf_free(&dec);
}

TEST(web_trailers_frame)
{
    reel_buf out = {0};
    CHECK_OK(reel_grpc_web_trailers_append(&out, REEL_GRPC_OK, NULL, NULL));
    CHECK_EQ_U64(out.len, 5 + 15);
    CHECK_EQ_MEM(out.data, "\x80\x00\x00\x00\x0fgrpc-status:0\r\n", 20);
    reel_buf_clear(&out);
    CHECK_OK(reel_grpc_web_trailers_append(&out, REEL_GRPC_INVALID_ARGUMENT, "bad\n100%", NULL));
    const char *text = "grpc-status:3\r\ngrpc-message:bad%0A100%25\r\n";
    CHECK_EQ_U64(out.len, 5 + strlen(text));
    CHECK_EQ_MEM(out.data + 5, text, strlen(text));
    reel_buf_free(&out);
}

TEST(urls_follow_rerun)
{
    reel_net_url url;
    CHECK_OK(reel_net_url_parse("rerun+http://127.0.0.1:9876/proxy", &url, NULL));
    CHECK(!url.tls && url.is_proxy && url.port == 9876);
    CHECK_EQ_STR(url.host, "127.0.0.1");
    CHECK_OK(reel_net_url_parse("rerun+http://localhost/proxy", &url, NULL));
    CHECK_EQ_INT(url.port, 9876);
    CHECK_OK(reel_net_url_parse("rerun+http://localhost", &url, NULL));
    CHECK(!url.is_proxy);
    CHECK_EQ_INT(url.port, 51234);
    CHECK_OK(reel_net_url_parse("rerun://example.com/proxy", &url, NULL));
    CHECK(url.tls && url.port == 443);
    CHECK_OK(reel_net_url_parse("rerun+https://example.com:1234/proxy", &url, NULL));
    CHECK(url.tls && url.port == 1234 && url.is_proxy);
    CHECK_OK(reel_net_url_parse("rerun+http://example.com/proxy", &url, NULL));
    CHECK(!url.tls && url.port == 80);
    CHECK_OK(reel_net_url_parse("127.0.0.1:5000/proxy", &url, NULL)); /* scheme-less local */
    CHECK(!url.tls && url.port == 5000 && url.is_proxy);
    CHECK_OK(reel_net_url_parse("rerun.io", &url, NULL));
    CHECK(url.tls && url.port == 443);
    CHECK_OK(reel_net_url_parse("rerun+http://[::1]:9000/proxy/", &url, NULL));
    CHECK_EQ_STR(url.host, "::1");
    CHECK(url.port == 9000 && url.is_proxy);
    reel_error err = {0};
    CHECK_EQ_INT(reel_net_url_parse("http://127.0.0.1:9876/proxy", &url, &err),
                 REEL_INVALID_ARGUMENT);
    CHECK(strstr(err.message, "scheme") != NULL);
    CHECK(reel_net_url_parse("example.com/proxy", &url, NULL) != REEL_OK);
    CHECK(reel_net_url_parse("rerun+http://127.0.0.1:99999/proxy", &url, NULL) != REEL_OK);
    CHECK(reel_net_url_parse("rerun+http://127.0.0.1:/proxy", &url, NULL) != REEL_OK);
    CHECK(reel_net_url_parse("rerun+http:///proxy", &url, NULL) != REEL_OK);
    CHECK(reel_net_url_parse("", &url, NULL) != REEL_OK);
}

TEST(sizes)
{
    uint64_t v = 0;
    CHECK_OK(reel_parse_size("1GiB", &v, NULL));
    CHECK_EQ_U64(v, (uint64_t)1 << 30);
    CHECK_OK(reel_parse_size("512MB", &v, NULL));
    CHECK_EQ_U64(v, 512000000);
    CHECK_OK(reel_parse_size("100 KiB", &v, NULL));
    CHECK_EQ_U64(v, 102400);
    CHECK_OK(reel_parse_size("2048", &v, NULL));
    CHECK_EQ_U64(v, 2048);
    CHECK(reel_parse_size("lots", &v, NULL) != REEL_OK);
    CHECK(reel_parse_size("1 parsec", &v, NULL) != REEL_OK);
    CHECK(reel_parse_size("-5", &v, NULL) != REEL_OK);
}

TEST(peek_kind)
{
    /* WriteMessagesRequest{LogMsg{set_store_info{...}}} / arrow / activation. */
    CHECK_EQ_INT(reel__request_peek_kind((const uint8_t *)"\x0a\x02\x0a\x00", 4), 1);
    CHECK_EQ_INT(reel__request_peek_kind((const uint8_t *)"\x0a\x02\x12\x00", 4), 2);
    CHECK_EQ_INT(reel__request_peek_kind((const uint8_t *)"\x0a\x82\x01\x1a", 4), 3);
    CHECK_EQ_INT(reel__request_peek_kind((const uint8_t *)"\x12\x02\x0a\x00", 4), 0);
    CHECK_EQ_INT(reel__request_peek_kind((const uint8_t *)"\x0a", 1), 0);
    CHECK_EQ_INT(reel__request_peek_kind((const uint8_t *)"\x0a\xff\xff", 3), 0);
}

int main(void)
{
    RUN(frame_header_is_big_endian);
    RUN(decoder_takes_any_pieces);
    RUN(decoder_refuses_huge_lengths_before_buffering);
    RUN(decoder_checks_flags);
    RUN(base64_round_trips);
    RUN(web_trailers_frame);
    RUN(urls_follow_rerun);
    RUN(sizes);
    RUN(peek_kind);
    TEST_MAIN_END();
}
