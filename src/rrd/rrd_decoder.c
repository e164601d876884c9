/* The incremental .rrd decoder: a state machine over a window of pending bytes (copied
 * pieces or one zero-copy blob) that yields one message at a time, names the index and
 * offset of anything bad, resumes after a bad payload, and reports a truncated tail at
 * EOF. It follows Rerun's state_machine.rs, and is more lenient in two places: a legacy
 * bare End followed by another stream, and an unknown message kind, which is skipped. */
#include <errno.h>
#include <string.h>

#include "rrd_internal.h"

typedef enum decoder_state {
    STATE_STREAM_HEADER, /* at the start, or after a stream footer */
    STATE_MESSAGE_HEADER,
    STATE_PAYLOAD,       /* message_len bytes of the current message */
    STATE_STREAM_FOOTER, /* after End */
    STATE_STOPPED,       /* the stream structure is broken: stop_error says why */
} decoder_state;

struct reel_rrd_decoder {
    reel_rrd_decoder_options options;
    const reel_allocator *alloc;
    char *name;
    /* Pending input: a blob (zero-copy) or copied bytes, never both. */
    reel_blob *blob;
    size_t blob_pos;
    reel_buf buf;
    size_t buf_pos;
    uint64_t consumed; /* input offset of the first pending byte */

    decoder_state state;
    bool skip_payload; /* STATE_PAYLOAD of an unknown kind */
    uint64_t message_kind, message_len, message_offset, message_index, next_index;
    uint64_t stream_offset;
    uint32_t stream_count;
    uint8_t version[4];
    uint64_t end_payload_start; /* from the stream start */
    uint64_t end_payload_len;
    uint32_t end_payload_crc;
    reel_error stop_error;
    /* Application ids from SetStoreInfo by kind + recording id, for pre-0.25 messages. */
    reel_map app_ids;
    reel_vec app_id_strings; /* char * */
};

/* ---------------------------------------------------------------- input window */

static const uint8_t *window(const reel_rrd_decoder *d, size_t *len)
{
    if (d->blob != NULL) {
        *len = reel_blob_len(d->blob) - d->blob_pos;
        return reel_blob_data(d->blob) + d->blob_pos;
    }
    *len = d->buf.len - d->buf_pos;
    return d->buf.data == NULL ? (const uint8_t *)"" : d->buf.data + d->buf_pos;
}

/* Moves past n pending bytes. Memory is only released or moved by the next push, so the
 * payload a message borrows stays valid until then. */
static void consume(reel_rrd_decoder *d, size_t n)
{
    if (d->blob != NULL)
        d->blob_pos += n;
    else
        d->buf_pos += n;
    d->consumed += n;
}

static void compact(reel_rrd_decoder *d)
{
    if (d->blob != NULL && d->blob_pos == reel_blob_len(d->blob)) {
        reel_blob_release(d->blob);
        d->blob = NULL;
        d->blob_pos = 0;
    }
    if (d->buf_pos > 0 && (d->buf_pos == d->buf.len || d->buf_pos >= d->buf.len / 2)) {
        memmove(d->buf.data, d->buf.data + d->buf_pos, d->buf.len - d->buf_pos);
        d->buf.len -= d->buf_pos;
        d->buf_pos = 0;
    }
}

reel_status reel_rrd_decoder_push(reel_rrd_decoder *d, const void *data, size_t len,
                                  reel_error *err)
{
    compact(d);
    if (d->blob != NULL) { /* earlier zero-copy bytes still pending: switch to copying */
        size_t rest = reel_blob_len(d->blob) - d->blob_pos;
        if (reel_buf_append(&d->buf, reel_blob_data(d->blob) + d->blob_pos, rest) != REEL_OK)
            return reel_error_set(err, REEL_OUT_OF_MEMORY, "out of memory buffering input");
        reel_blob_release(d->blob);
        d->blob = NULL;
        d->blob_pos = 0;
    }
    if (len > 0 && reel_buf_append(&d->buf, data, len) != REEL_OK)
        return reel_error_set(err, REEL_OUT_OF_MEMORY, "out of memory buffering %zu bytes", len);
    return REEL_OK;
}

reel_status reel_rrd_decoder_push_blob(reel_rrd_decoder *d, reel_blob *blob, reel_error *err)
{
    compact(d);
    if (d->blob == NULL && d->buf.len == d->buf_pos) {
        d->buf.len = d->buf_pos = 0;
        d->blob = reel_blob_retain(blob);
        d->blob_pos = 0;
        return REEL_OK;
    }
    return reel_rrd_decoder_push(d, reel_blob_data(blob), reel_blob_len(blob), err);
}

/* ---------------------------------------------------------------- lifecycle */

reel_status reel_rrd_decoder_create(const reel_rrd_decoder_options *options, reel_rrd_decoder **out,
                                    reel_error *err)
{
    reel_rrd_decoder_options opts = reel__rrd_decoder_options_resolve(options);
    reel_rrd_decoder *d = reel_alloc_zeroed(opts.alloc, sizeof *d);
    if (d == NULL)
        return reel_error_set(err, REEL_OUT_OF_MEMORY, "out of memory");
    d->alloc = opts.alloc;
    if (opts.name != NULL && (d->name = reel_strdup(opts.alloc, opts.name)) == NULL) {
        reel_free(opts.alloc, d, sizeof *d);
        return reel_error_set(err, REEL_OUT_OF_MEMORY, "out of memory");
    }
    d->options = opts;
    d->options.name = d->name;
    reel_buf_init(&d->buf, opts.alloc);
    reel_map_init(&d->app_ids, opts.alloc);
    reel_vec_init(&d->app_id_strings, sizeof(char *), opts.alloc);
    *out = d;
    return REEL_OK;
}

void reel_rrd_decoder_destroy(reel_rrd_decoder *d)
{
    if (d == NULL)
        return;
    for (size_t i = 0; i < d->app_id_strings.len; i++)
        reel_strfree(d->alloc, REEL_VEC_AT(&d->app_id_strings, char *, i));
    reel_vec_free(&d->app_id_strings);
    reel_map_free(&d->app_ids);
    reel_blob_release(d->blob);
    reel_buf_free(&d->buf);
    reel_strfree(d->alloc, d->name);
    reel_free(d->alloc, d, sizeof *d);
}

uint64_t reel_rrd_decoder_offset(const reel_rrd_decoder *d)
{
    return d->consumed;
}

static uint64_t state_needs(const reel_rrd_decoder *d)
{
    switch (d->state) {
    case STATE_STREAM_HEADER:
        return REEL_RRD_STREAM_HEADER_SIZE;
    case STATE_MESSAGE_HEADER:
        return REEL_RRD_MESSAGE_HEADER_SIZE;
    case STATE_PAYLOAD:
        return d->message_len;
    case STATE_STREAM_FOOTER:
        return REEL_RRD_STREAM_FOOTER_SIZE;
    default:
        return 0;
    }
}

uint64_t reel_rrd_decoder_bytes_needed(const reel_rrd_decoder *d)
{
    size_t avail;
    window(d, &avail);
    uint64_t need = state_needs(d);
    return need > avail ? need - avail : 0;
}

/* ---------------------------------------------------------------- errors */

/* Sets err to "name: message N at offset X: " + the detail already in `detail`. */
static reel_status message_error(const reel_rrd_decoder *d, const reel_error *detail,
                                 reel_error *err)
{
    return reel_error_set(err, detail->status, "%s%smessage %llu at offset %llu: %s",
                          d->name ? d->name : "", d->name ? ": " : "",
                          (unsigned long long)d->message_index,
                          (unsigned long long)d->message_offset, detail->message);
}

static reel_status stop(reel_rrd_decoder *d, reel_status status, reel_error *err, const char *text)
{
    reel_error_set(&d->stop_error, status, "%s%soffset %llu: %s; decoding stopped",
                   d->name ? d->name : "", d->name ? ": " : "", (unsigned long long)d->consumed,
                   text);
    d->state = STATE_STOPPED;
    if (err != NULL)
        *err = d->stop_error;
    return status;
}

/* ---------------------------------------------------------------- application ids */

static reel_status app_id_key(const reel_store_id *id, reel_buf *key)
{
    REEL_TRY(reel_buf_append_u8(key, (uint8_t)id->kind));
    return reel_buf_append(key, id->recording_id, strlen(id->recording_id));
}

/* Remembers the SetStoreInfo's application id, or gives a legacy message the one its
 * SetStoreInfo had (Rerun's ApplicationIdInjector). */
static reel_status track_app_id(reel_rrd_decoder *d, reel_rrd_message *msg, reel_error *err)
{
    reel_store_id *id = &msg->store_id;
    if (msg->kind == REEL_RRD_MESSAGE_END ||
        (msg->kind != REEL_RRD_MESSAGE_SET_STORE_INFO && id->application_id != NULL))
        return REEL_OK;
    reel_buf key;
    reel_buf_init(&key, d->alloc);
    reel_status status = app_id_key(id, &key);
    uint64_t at = 0;
    bool known = status == REEL_OK && reel_map_get(&d->app_ids, key.data, key.len, &at);
    if (status != REEL_OK) {
        status = reel_error_set(err, REEL_OUT_OF_MEMORY, "out of memory");
    } else if (msg->kind == REEL_RRD_MESSAGE_SET_STORE_INFO) {
        char *copy = id->application_id ? reel_strdup(d->alloc, id->application_id) : NULL;
        if (id->application_id != NULL && copy == NULL)
            status = reel_error_set(err, REEL_OUT_OF_MEMORY, "out of memory");
        else if (known) {
            char **slot = &REEL_VEC_AT(&d->app_id_strings, char *, at);
            reel_strfree(d->alloc, *slot);
            *slot = copy;
        } else if (reel_vec_push(&d->app_id_strings, &copy) != REEL_OK ||
                   reel_map_put(&d->app_ids, key.data, key.len, d->app_id_strings.len - 1) !=
                       REEL_OK) {
            reel_strfree(d->alloc, copy);
            status = reel_error_set(err, REEL_OUT_OF_MEMORY, "out of memory");
        }
    } else {
        const char *app = known ? REEL_VEC_AT(&d->app_id_strings, char *, at) : NULL;
        if (app == NULL)
            status = reel_error_set(err, REEL_CORRUPT,
                                    "store id without application id, and no earlier SetStoreInfo "
                                    "for recording '%s' has one",
                                    id->recording_id);
        else if ((id->application_id = reel_strdup(msg->alloc, app)) == NULL)
            status = reel_error_set(err, REEL_OUT_OF_MEMORY, "out of memory");
    }
    reel_buf_free(&key);
    return status;
}

/* ---------------------------------------------------------------- decoding */

static reel_status decode_payload(reel_rrd_decoder *d, const uint8_t *data, reel_rrd_message *msg,
                                  bool *got, reel_error *err)
{
    size_t len = (size_t)d->message_len;
    uint64_t kind = d->message_kind;
    consume(d, len);
    if (kind == REEL_RRD_MESSAGE_END) {
        d->state = STATE_STREAM_FOOTER;
        d->end_payload_start = d->message_offset + REEL_RRD_MESSAGE_HEADER_SIZE - d->stream_offset;
        d->end_payload_len = len;
        d->end_payload_crc = reel_rrd_footer_crc(data, len);
    } else {
        d->state = STATE_MESSAGE_HEADER;
    }
    reel_error detail = {0};
    reel_status status = reel_rrd_message_decode(
        (reel_rrd_message_kind)kind, REEL_RRD_ENVELOPE_NONE, data, len, &d->options, msg, &detail);
    if (status == REEL_OK && (status = track_app_id(d, msg, &detail)) != REEL_OK)
        reel_rrd_message_reset(msg);
    if (status != REEL_OK)
        return message_error(d, &detail, err);
    msg->index = d->message_index;
    msg->offset = d->message_offset;
    msg->stream_offset = d->stream_offset;
    msg->stream_index = d->stream_count - 1;
    memcpy(msg->stream_version, d->version, 4);
    *got = true;
    return REEL_OK;
}

static reel_status check_stream_footer(reel_rrd_decoder *d, const uint8_t *bytes, reel_error *err)
{
    reel_rrd_stream_footer footer;
    reel_error detail = {0};
    reel_status status = reel_rrd_stream_footer_decode(bytes, &footer, &detail);
    if (status != REEL_OK) {
        char text[REEL_ERROR_MESSAGE_MAX + 32];
        snprintf(text, sizeof text, "%s after the End message", detail.message);
        return stop(d, REEL_CORRUPT, err, text);
    }
    uint64_t at = d->consumed;
    consume(d, REEL_RRD_STREAM_FOOTER_SIZE);
    d->state = STATE_STREAM_HEADER;
    const char *problem = NULL;
    if (footer.footer_offset != d->end_payload_start || footer.footer_len != d->end_payload_len)
        problem = "does not point at the End message's payload";
    else if (footer.crc != d->end_payload_crc)
        problem = "CRC does not match the RrdFooter";
    if (problem == NULL)
        return REEL_OK;
    return reel_error_set(err, REEL_CORRUPT, "%s%sstream footer at offset %llu %s",
                          d->name ? d->name : "", d->name ? ": " : "", (unsigned long long)at,
                          problem);
}

reel_status reel_rrd_decoder_next(reel_rrd_decoder *d, reel_rrd_message *msg, bool *got,
                                  reel_error *err)
{
    *got = false;
    if (d->blob != NULL && d->blob_pos == reel_blob_len(d->blob))
        compact(d); /* the previous message no longer needs its payload */
    for (;;) {
        size_t avail;
        const uint8_t *data = window(d, &avail);
        reel_error detail = {0};
        reel_rrd_stream_header header;
        switch (d->state) {
        case STATE_STOPPED:
            return REEL_OK;
        case STATE_STREAM_HEADER:
            if (avail < REEL_RRD_STREAM_HEADER_SIZE)
                return REEL_OK;
            if (reel_rrd_stream_header_decode(data, &header, &detail) != REEL_OK)
                return stop(d, detail.status, err, detail.message);
            memcpy(d->version, header.version, 4);
            d->stream_offset = d->consumed;
            d->stream_count++;
            consume(d, REEL_RRD_STREAM_HEADER_SIZE);
            d->state = STATE_MESSAGE_HEADER;
            break;
        case STATE_MESSAGE_HEADER:
            if (avail < REEL_RRD_MESSAGE_HEADER_SIZE)
                return REEL_OK;
            reel_rrd_message_header_decode(data, &d->message_kind, &d->message_len);
            if (memcmp(data, "RRF", 3) == 0) {
                d->state = STATE_STREAM_HEADER; /* a concatenated stream without End */
                break;
            }
            if (d->message_kind > 0xFFFF)
                return stop(d, REEL_CORRUPT, err,
                            "neither a message header nor a stream header (trailing garbage?)");
            d->message_offset = d->consumed;
            d->message_index = d->next_index++;
            if (d->message_len > d->options.max_message_size) {
                char text[96];
                snprintf(text, sizeof text,
                         "message %llu has a payload of %llu bytes, over the limit",
                         (unsigned long long)d->message_index, (unsigned long long)d->message_len);
                return stop(d, REEL_LIMIT, err, text);
            }
            consume(d, REEL_RRD_MESSAGE_HEADER_SIZE);
            d->state = STATE_PAYLOAD;
            d->skip_payload = d->message_kind > REEL_RRD_MESSAGE_BLUEPRINT_ACTIVATION;
            if (d->skip_payload) {
                reel_error_set(
                    &detail, REEL_UNSUPPORTED, "unknown message kind %llu (%llu bytes), skipped",
                    (unsigned long long)d->message_kind, (unsigned long long)d->message_len);
                return message_error(d, &detail, err);
            }
            break;
        case STATE_PAYLOAD:
            if (avail < d->message_len)
                return REEL_OK;
            if (d->skip_payload) {
                consume(d, (size_t)d->message_len);
                d->state = STATE_MESSAGE_HEADER;
                break;
            }
            return decode_payload(d, data, msg, got, err);
        case STATE_STREAM_FOOTER:
            /* Leniency: a legacy bare End (no footer) directly followed by another stream. */
            if (avail >= REEL_RRD_STREAM_HEADER_SIZE &&
                reel_rrd_stream_header_decode(data, &header, NULL) == REEL_OK) {
                d->state = STATE_STREAM_HEADER;
                break;
            }
            if (avail < REEL_RRD_STREAM_FOOTER_SIZE)
                return REEL_OK;
            REEL_TRY(check_stream_footer(d, data, err));
            break;
        }
    }
}

reel_status reel_rrd_decoder_finish(reel_rrd_decoder *d, reel_error *err)
{
    size_t avail;
    window(d, &avail);
    const char *name = d->name ? d->name : "", *sep = d->name ? ": " : "";
    if (d->state == STATE_STOPPED) {
        if (err != NULL)
            *err = d->stop_error;
        return d->stop_error.status;
    }
    if (d->consumed == 0 && avail == 0)
        return reel_error_set(err, REEL_TRUNCATED, "%s%sempty input, no RRD stream header", name,
                              sep);
    if (avail == 0 && d->state != STATE_PAYLOAD)
        return REEL_OK;
    unsigned long long need = (unsigned long long)reel_rrd_decoder_bytes_needed(d);
    if (need == 0)
        return reel_error_set(
            err, REEL_INVALID_ARGUMENT,
            "%s%sfinish with %zu bytes not yet decoded: call next() until it gets nothing first",
            name, sep, avail);
    unsigned long long at = (unsigned long long)d->consumed;
    switch (d->state) {
    case STATE_STREAM_HEADER:
        return reel_error_set(err, REEL_TRUNCATED,
                              "%s%soffset %llu: truncated stream header, need %llu more bytes",
                              name, sep, at, need);
    case STATE_MESSAGE_HEADER:
        return reel_error_set(
            err, REEL_TRUNCATED,
            "%s%smessage %llu at offset %llu: truncated message header, need %llu more bytes", name,
            sep, (unsigned long long)d->next_index, at, need);
    case STATE_PAYLOAD:
        return reel_error_set(err, REEL_TRUNCATED,
                              "%s%smessage %llu at offset %llu: truncated, need %llu more bytes",
                              name, sep, (unsigned long long)d->message_index,
                              (unsigned long long)d->message_offset, need);
    default:
        return reel_error_set(err, REEL_TRUNCATED,
                              "%s%soffset %llu: truncated stream footer, need %llu more bytes",
                              name, sep, at, need);
    }
}

bool reel__rrd_decoder_stopped(const reel_rrd_decoder *d)
{
    return d->state == STATE_STOPPED;
}
