/* Two helpers shared by the only files that include protobuf-c's generated code,
 * rrd_proto.c and rrd_envelope.c: packing a message onto a reel_buf, and the error for
 * bytes protobuf-c cannot unpack (it says no more than that). Private to the rrd module. */
#ifndef REEL_RRD_PB_H
#define REEL_RRD_PB_H

#include <protobuf-c/protobuf-c.h>

#include "rrd_internal.h"

static inline reel_status reel__rrd_pb_pack(const ProtobufCMessage *message, reel_buf *out,
                                            reel_error *err)
{
    size_t size = protobuf_c_message_get_packed_size(message);
    uint8_t *dst = reel_buf_extend(out, size);
    if (dst == NULL)
        return reel_error_set(err, REEL_OUT_OF_MEMORY, "out of memory encoding %zu bytes", size);
    protobuf_c_message_pack(message, dst);
    return REEL_OK;
}

static inline reel_status reel__rrd_pb_invalid(reel_error *err, const char *what, size_t len)
{
    return reel_error_set(err, REEL_CORRUPT, "%s: invalid protobuf (%zu bytes)", what, len);
}

#endif
