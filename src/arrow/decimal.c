/* Decimal values as text: reel_arrow_decimal_format turns the little-endian two's
 * complement integer of a DECIMAL32/64/128/256 value into exact positional text ("-123.45")
 * and reel_arrow_decimal_parse does the reverse. Both work on 256-bit magnitudes held in
 * eight 32-bit limbs, so one routine serves every width. */
#include <string.h>

#include "arrow/arrow_util.h"

#define LIMBS 8 /* 256 bits */

/* The magnitude of the value's integer in `limbs` (least significant first); true when the
 * value is negative. */
static bool load_magnitude(const uint8_t *value, int32_t width, uint32_t limbs[LIMBS])
{
    uint8_t bytes[LIMBS * 4];
    bool negative = (value[width - 1] & 0x80) != 0;
    memcpy(bytes, value, (size_t)width);
    memset(bytes + width, negative ? 0xff : 0x00, sizeof bytes - (size_t)width);
    for (int k = 0; k < LIMBS; k++)
        limbs[k] = reel_load_u32le(bytes + 4 * k);
    if (negative) {
        /* Two's complement: invert and add one. The most negative 256-bit value comes out
         * as 2^255, which the unsigned limbs hold. */
        uint64_t carry = 1;
        for (int k = 0; k < LIMBS; k++) {
            uint64_t sum = (uint64_t)(uint32_t)~limbs[k] + carry;
            limbs[k] = (uint32_t)sum;
            carry = sum >> 32;
        }
    }
    return negative;
}

static bool is_zero(const uint32_t limbs[LIMBS])
{
    for (int k = 0; k < LIMBS; k++) {
        if (limbs[k] != 0)
            return false;
    }
    return true;
}

/* limbs /= divisor; returns the remainder. */
static uint32_t divide_small(uint32_t limbs[LIMBS], uint32_t divisor)
{
    uint64_t remainder = 0;
    for (int k = LIMBS - 1; k >= 0; k--) {
        uint64_t current = (remainder << 32) | limbs[k];
        limbs[k] = (uint32_t)(current / divisor);
        remainder = current % divisor;
    }
    return (uint32_t)remainder;
}

/* limbs = limbs * factor + addend; false on overflow past 256 bits. */
static bool multiply_add(uint32_t limbs[LIMBS], uint32_t factor, uint32_t addend)
{
    uint64_t carry = addend;
    for (int k = 0; k < LIMBS; k++) {
        uint64_t product = (uint64_t)limbs[k] * factor + carry;
        limbs[k] = (uint32_t)product;
        carry = product >> 32;
    }
    return carry == 0;
}

/* The decimal digits of the magnitude, most significant first, without leading zeros ("0"
 * for zero). `digits` holds at least 80 bytes; returns the count. */
static size_t magnitude_digits(const uint32_t limbs_in[LIMBS], char *digits)
{
    uint32_t limbs[LIMBS];
    memcpy(limbs, limbs_in, sizeof limbs);
    char reversed[90];
    size_t n = 0;
    do {
        uint32_t chunk = divide_small(limbs, 1000000000u);
        for (int d = 0; d < 9; d++) {
            reversed[n++] = (char)('0' + chunk % 10);
            chunk /= 10;
        }
    } while (!is_zero(limbs));
    while (n > 1 && reversed[n - 1] == '0')
        n--;
    for (size_t i = 0; i < n; i++)
        digits[i] = reversed[n - 1 - i];
    return n;
}

reel_status reel_arrow_decimal_format(const reel_arrow_field *field, const uint8_t *value,
                                      reel_buf *out)
{
    int32_t width = reel_arrow_fixed_width(field);
    int32_t scale = field->scale;
    if (!reel__arrow_is_decimal(field->type) || scale < REEL__ARROW_DECIMAL_MIN_SCALE ||
        scale > REEL__ARROW_DECIMAL_MAX_SCALE)
        return REEL_INVALID_ARGUMENT;
    uint32_t limbs[LIMBS];
    bool negative = load_magnitude(value, width, limbs);
    char digits[90];
    size_t n = magnitude_digits(limbs, digits);
    bool zero = n == 1 && digits[0] == '0';
    /* Worst case: sign, "0.", scale zeros, the digits, -scale zeros. */
    size_t room = 3 + n + (size_t)(scale > 0 ? scale : -scale);
    uint8_t *p = reel_buf_extend(out, room);
    if (p == NULL)
        return REEL_OUT_OF_MEMORY;
    uint8_t *start = p;
    if (negative)
        *p++ = '-';
    if (scale <= 0) {
        memcpy(p, digits, n);
        p += n;
        if (!zero) {
            memset(p, '0', (size_t)-scale);
            p += -scale;
        }
    } else if (n > (size_t)scale) {
        size_t whole = n - (size_t)scale;
        memcpy(p, digits, whole);
        p += whole;
        *p++ = '.';
        memcpy(p, digits + whole, (size_t)scale);
        p += scale;
    } else {
        *p++ = '0';
        *p++ = '.';
        memset(p, '0', (size_t)scale - n);
        p += (size_t)scale - n;
        memcpy(p, digits, n);
        p += n;
    }
    out->len -= room - (size_t)(p - start);
    return REEL_OK;
}

reel_status reel_arrow_decimal_parse(const reel_arrow_field *field, const char *text, size_t len,
                                     uint8_t *out, reel_error *err)
{
    if (!reel__arrow_is_decimal(field->type) || field->scale < REEL__ARROW_DECIMAL_MIN_SCALE ||
        field->scale > REEL__ARROW_DECIMAL_MAX_SCALE)
        return reel_error_set(err, REEL_INVALID_ARGUMENT, "decimal: not a decimal field");
    int32_t width = reel_arrow_fixed_width(field), scale = field->scale;
    size_t pos = 0;
    bool negative = false;
    if (pos < len && (text[pos] == '-' || text[pos] == '+'))
        negative = text[pos++] == '-';
    size_t int_start = pos;
    while (pos < len && text[pos] >= '0' && text[pos] <= '9')
        pos++;
    size_t int_end = pos, frac_start = pos, frac_end = pos;
    if (pos < len && text[pos] == '.') {
        frac_start = ++pos;
        while (pos < len && text[pos] >= '0' && text[pos] <= '9')
            pos++;
        frac_end = pos;
    }
    if (pos != len || (int_end == int_start && frac_end == frac_start))
        return reel_error_set(err, REEL_INVALID_ARGUMENT, "decimal: '%.*s' is not a number",
                              (int)(len < 60 ? len : 60), text);
    /* The stored integer's digits are the integer digits, then the fractional ones padded
     * or cut to `scale` (a negative scale cuts integer digits): what is cut must be zeros. */
    int64_t keep_frac = scale; /* fractional digits kept; negative: integer digits dropped */
    int64_t frac_len = (int64_t)(frac_end - frac_start), int_len = (int64_t)(int_end - int_start);
    for (int64_t i = keep_frac > 0 ? keep_frac : 0; i < frac_len; i++) {
        if (text[frac_start + (size_t)i] != '0')
            return reel_error_set(err, REEL_INVALID_ARGUMENT,
                                  "decimal: '%.*s' has more digits after the point than the "
                                  "scale %d",
                                  (int)(len < 60 ? len : 60), text, (int)scale);
    }
    int64_t int_keep = int_len;
    if (keep_frac < 0) {
        int64_t drop = -keep_frac < int_len ? -keep_frac : int_len;
        for (int64_t i = int_len - drop; i < int_len; i++) {
            if (text[int_start + (size_t)i] != '0')
                return reel_error_set(err, REEL_INVALID_ARGUMENT,
                                      "decimal: '%.*s' is not a multiple of 1e%d (scale %d)",
                                      (int)(len < 60 ? len : 60), text, (int)-scale, (int)scale);
        }
        int_keep = int_len - drop;
    }
    uint32_t limbs[LIMBS] = {0};
    int64_t significant = 0;
    int64_t total = int_keep + (keep_frac > 0 ? keep_frac : 0);
    for (int64_t i = 0; i < total; i++) {
        char c;
        if (i < int_keep)
            c = text[int_start + (size_t)i];
        else if (i - int_keep < frac_len)
            c = text[frac_start + (size_t)(i - int_keep)];
        else
            c = '0'; /* padding up to the scale */
        if (significant == 0 && c == '0')
            continue;
        if (++significant > field->precision)
            return reel_error_set(err, REEL_LIMIT,
                                  "decimal: '%.*s' has more than %d digits (precision)",
                                  (int)(len < 60 ? len : 60), text, (int)field->precision);
        multiply_add(limbs, 10, (uint32_t)(c - '0')); /* fits: precision <= 76 digits */
    }
    if (negative) {
        uint64_t carry = 1;
        for (int k = 0; k < LIMBS; k++) {
            uint64_t sum = (uint64_t)(uint32_t)~limbs[k] + carry;
            limbs[k] = (uint32_t)sum;
            carry = sum >> 32;
        }
    }
    uint8_t bytes[LIMBS * 4];
    for (int k = 0; k < LIMBS; k++)
        reel_store_u32le(bytes + 4 * k, limbs[k]);
    memcpy(out, bytes, (size_t)width);
    return REEL_OK;
}

bool reel__arrow_decimal_fits_int(const reel_arrow_field *field, int64_t value)
{
    if (field->precision >= 19)
        return true; /* every int64 has at most 19 digits and precision 19+ holds them */
    uint64_t magnitude = value < 0 ? (uint64_t)0 - (uint64_t)value : (uint64_t)value;
    uint64_t limit = 1;
    for (int32_t i = 0; i < field->precision; i++)
        limit *= 10;
    return magnitude < limit;
}
