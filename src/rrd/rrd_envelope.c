/* The gRPC envelopes of rrd payloads: a LogMsg oneof, and a WriteMessagesRequest or
 * ReadMessagesResponse around it. Parsed and written through the "view" messages of
 * proto/raw_views.proto, which declare the wrapped message as bytes: identical on the wire,
 * and a payload passes through without being decoded and encoded again. */
#include "raw_views.pb-c.h"
#include "rrd_pb.h"

static void free_log_msg_view(void *ctx, void *data, size_t len)
{
    (void)data, (void)len;
    reel__rrd__log_msg_view__free_unpacked(ctx, NULL);
}

reel_status reel__rrd_envelope_unwrap(reel_rrd_envelope envelope, const uint8_t *data, size_t len,
                                      reel_rrd_message_kind *kind, reel_blob **inner,
                                      reel_error *err)
{
    *inner = NULL;
    Reel__Rrd__LogMsgRequestView *request = NULL;
    if (envelope == REEL_RRD_ENVELOPE_REQUEST) {
        request = reel__rrd__log_msg_request_view__unpack(NULL, len, data);
        if (request == NULL)
            return reel__rrd_pb_invalid(err, "WriteMessagesRequest", len);
        if (!request->has_log_msg) {
            reel__rrd__log_msg_request_view__free_unpacked(request, NULL);
            return reel_error_set(err, REEL_CORRUPT, "request without log_msg");
        }
        data = request->log_msg.data;
        len = request->log_msg.len;
    } else if (envelope != REEL_RRD_ENVELOPE_LOG_MSG) {
        return reel_error_set(err, REEL_INVALID_ARGUMENT, "unknown envelope %d", (int)envelope);
    }
    Reel__Rrd__LogMsgView *view = reel__rrd__log_msg_view__unpack(NULL, len, data);
    if (request != NULL)
        reel__rrd__log_msg_request_view__free_unpacked(request, NULL);
    if (view == NULL)
        return reel__rrd_pb_invalid(err, "LogMsg", len);
    ProtobufCBinaryData payload;
    switch (view->msg_case) {
    case REEL__RRD__LOG_MSG_VIEW__MSG_SET_STORE_INFO:
        *kind = REEL_RRD_MESSAGE_SET_STORE_INFO, payload = view->set_store_info;
        break;
    case REEL__RRD__LOG_MSG_VIEW__MSG_ARROW_MSG:
        *kind = REEL_RRD_MESSAGE_ARROW_MSG, payload = view->arrow_msg;
        break;
    case REEL__RRD__LOG_MSG_VIEW__MSG_BLUEPRINT_ACTIVATION_COMMAND:
        *kind = REEL_RRD_MESSAGE_BLUEPRINT_ACTIVATION, payload = view->blueprint_activation_command;
        break;
    default:
        reel__rrd__log_msg_view__free_unpacked(view, NULL);
        return reel_error_set(err, REEL_CORRUPT, "LogMsg without a message");
    }
    *inner = reel_blob_wrap(payload.data, payload.len, free_log_msg_view, view);
    if (*inner == NULL) {
        reel__rrd__log_msg_view__free_unpacked(view, NULL);
        return reel_error_set(err, REEL_OUT_OF_MEMORY, "out of memory");
    }
    return REEL_OK;
}

reel_status reel__rrd_envelope_wrap(reel_rrd_envelope envelope, reel_rrd_message_kind kind,
                                    reel_span payload, reel_buf *out, reel_error *err)
{
    Reel__Rrd__LogMsgView view;
    reel__rrd__log_msg_view__init(&view);
    ProtobufCBinaryData bytes = {payload.len, (uint8_t *)payload.data};
    switch (kind) {
    case REEL_RRD_MESSAGE_SET_STORE_INFO:
        view.msg_case = REEL__RRD__LOG_MSG_VIEW__MSG_SET_STORE_INFO, view.set_store_info = bytes;
        break;
    case REEL_RRD_MESSAGE_ARROW_MSG:
        view.msg_case = REEL__RRD__LOG_MSG_VIEW__MSG_ARROW_MSG, view.arrow_msg = bytes;
        break;
    case REEL_RRD_MESSAGE_BLUEPRINT_ACTIVATION:
        view.msg_case = REEL__RRD__LOG_MSG_VIEW__MSG_BLUEPRINT_ACTIVATION_COMMAND;
        view.blueprint_activation_command = bytes;
        break;
    default:
        return reel_error_set(err, REEL_INVALID_ARGUMENT, "a LogMsg cannot carry message kind %d",
                              (int)kind);
    }
    if (envelope == REEL_RRD_ENVELOPE_LOG_MSG)
        return reel__rrd_pb_pack(&view.base, out, err);
    if (envelope != REEL_RRD_ENVELOPE_REQUEST)
        return reel_error_set(err, REEL_INVALID_ARGUMENT, "unknown envelope %d", (int)envelope);
    reel_buf inner;
    reel_buf_init(&inner, NULL);
    reel_status status = reel__rrd_pb_pack(&view.base, &inner, err);
    if (status == REEL_OK) {
        Reel__Rrd__LogMsgRequestView request;
        reel__rrd__log_msg_request_view__init(&request);
        request.has_log_msg = 1;
        request.log_msg.data = inner.data;
        request.log_msg.len = inner.len;
        status = reel__rrd_pb_pack(&request.base, out, err);
    }
    reel_buf_free(&inner);
    return status;
}
